"""Text from notices and users made safe for a terminal: no control characters reach it raw.

A notice's text may come from a web page; a title holding ``\\x1b[31m`` or a bidi override
(U+202E) would repaint or reorder the reader's terminal. :func:`printable` shows each such
character as a visible escape (``\\x1b``, ``\\u202e``) instead; tab and newline are kept
where the caller allows them. :func:`unsafe_chars` lists them, for validation.
"""

from __future__ import annotations

import re

# C0 controls but tab, newline and the CR of a CRLF line end (csv), DEL, C1 controls, and the bidi embedding/override/isolate
# controls and marks that can reorder what a terminal shows.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\r(?!\n)")
# the same characters, CR and all, as one class: a text without any is safe, and a search for a
# class alone runs twice as fast as one with an alternative (measured over 600 kB of a listing)
_MAYBE_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_WITH_WS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` with every control character shown as a visible escape."""
    pattern = _UNSAFE if keep_newlines else _UNSAFE_WITH_WS
    if (_MAYBE_UNSAFE if keep_newlines else pattern).search(text) is None:  # the usual case: nothing to do
        return text
    return pattern.sub(_escape, text)


def unsafe_chars(text: str) -> list[tuple[int, str]]:
    """Where ``text`` holds control characters (other than tab and newline): (offset, escape)."""
    return [(m.start(), _escape(m)) for m in _UNSAFE.finditer(text)]


def json_safe(text: str) -> str:
    """JSON text with the C1 and bidi controls json.dumps leaves raw (it escapes C0 itself)
    written as \\u escapes: the same JSON value, harmless on a terminal."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
