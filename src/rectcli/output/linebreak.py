"""Where a line of Chinese (and mixed) text may break, and where it must not.

Pure: no terminal, no Rich. :func:`break_lines` cuts a text into lines of at most ``width``
columns; :func:`measure` gives the narrowest and widest sensible widths. The rules:

* **Columns.** A character is 2 columns if ``unicodedata.east_asian_width`` is W or F, 0 if it
  is a combining mark, a format or a control character (category Mn, Me, Cf, Cc; a tab counts
  1), else 1. Callers that measure differently (Rich) pass their own ``char_width`` (0, 1 or 2
  per character).
* **Paragraphs.** Every ``"\\n"`` ends a line and belongs to no line. Each paragraph (the text
  between newlines, as ``text.split("\\n")``) gives at least one line; an empty one gives one
  empty line.
* **Break opportunities.** Between two wide characters (Han, kana, full-width punctuation), on
  either side of a wide character next to a narrow one (``2022|年``), and after a run of spaces.
  Never inside a run of narrow non-space characters: ``120.747``, ``opening.3``, ``6.4``, a URL
  or an e-mail address is one token. Never before a combining mark. A zero-width space (U+200B)
  allows a break after it.
* **Kinsoku (禁则).** No closing punctuation (。，、；：？！）》」』】〉”’％ , . ; : ! ? …, small
  kana, ー々) at the start of a line, even after spaces; no opening punctuation (（《「『【〈“‘)
  at the end of a line, even before spaces. ASCII quotes (" and ') stay with what they touch.
  Nothing hangs into the margin: the character before is pushed down with it. A number keeps
  the wide character after it (``175字``, ``2022年``, ``120.747万``) in the same way.
* **Spaces.** Spaces (U+0020, tab and the other breaking spaces) at a break made for wrapping
  are dropped: they belong to no line, and a line is never made of them alone. At the end of a
  paragraph, trailing spaces stay as far as they fit.
* **Last resort.** Only a piece of text with no opportunity that is wider than ``width`` is
  split inside, preferring, in order: a place that breaks only a kinsoku rule (or parts a number
  from the character after it), a place inside a
  token between a letter/digit and a sign (``/``, ``-``, ``,``; letters, digits and ``.`` stay
  together longest), and finally at the width itself.

Every line then fits ``width`` (``width < 1`` counts as 1), except a line holding a single
character (with its combining marks) that is wider than ``width`` on its own.

The gaps between consecutive lines (``text[end_k:start_k+1]``), before the first and after the
last line, hold only spaces and at most one ``"\\n"``.
"""

from __future__ import annotations

import unicodedata
from typing import Callable

__all__ = ["break_lines", "measure", "char_width"]

# kinds
_SP, _ZW, _CM, _AL, _ID = range(5)
# flags
_CL, _OP, _QU, _WORD, _DIGIT = 1, 2, 4, 8, 16

# levels of a break before a character: higher is better; the greedy filler takes the last
# position of the highest level available on the line
_NEVER = -1
_INSIDE_WORD = 1       # between two letters/digits/'.': only at the width, as a last resort
_INSIDE_TOKEN_K = 2    # inside a narrow token, at a sign, but against kinsoku
_INSIDE_TOKEN = 3      # inside a narrow token, at a sign (URL '/', '-', ',')
_KINSOKU = 4           # a real opportunity blocked only by kinsoku, or after a number
_NORMAL = 5

_NO_START = frozenset(
    "。．，、；：？！％‰℃°′″‼⁇⁈⁉,.;:!?%…‥・･｡､ー々〻ゝゞヽヾ〜"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
)
_NO_END = frozenset("￥＄$£¥€")
_QUOTES = frozenset("\"'")
_NON_BREAKING = frozenset("\u00a0\u2007\u202f\u3000")  # no-break spaces; U+3000 is a wide character

_CACHES: dict[object, dict[str, tuple[int, int, int]]] = {}  # per width function: char -> info


def char_width(ch: str) -> int:
    """Columns one character takes (see the module docstring)."""
    o = ord(ch)
    if 0x20 <= o < 0x7F:
        return 1
    if ch == "\t":
        return 1
    if unicodedata.category(ch) in ("Mn", "Me", "Cf", "Cc"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _classify(ch: str, width: int) -> tuple[int, int, int]:
    cat = unicodedata.category(ch)
    if ch == "\t" or (cat == "Zs" and ch not in _NON_BREAKING):
        kind = _SP
    elif ch == "\u200b" and width <= 0:
        kind = _ZW
    elif width <= 0:
        kind = _CM
    elif width == 1 or (0xFF10 <= ord(ch) <= 0xFF5A and ch.isalnum()):  # full-width letters, digits
        kind = _AL
    else:
        kind = _ID
    flags = 0
    if cat in ("Pe", "Pf") or ch in _NO_START:
        flags |= _CL
    if cat in ("Ps", "Pi") or ch in _NO_END:
        flags |= _OP
    if ch in _QUOTES:
        flags |= _QU
    if ch.isalnum() or ch == ".":
        flags |= _WORD
    if ch.isdigit():
        flags |= _DIGIT
    return width, kind, flags


def _info_getter(width_fn: Callable[[str], int] | None) -> Callable[[str], tuple[int, int, int]]:
    """A cached classifier: character -> (width, kind, flags)."""
    measure_one = char_width if width_fn is None else width_fn
    cache = _CACHES.get(measure_one)
    if cache is None:
        cache = _CACHES[measure_one] = {}

    def info(ch: str) -> tuple[int, int, int]:
        got = cache.get(ch)
        if got is None:
            got = cache[ch] = _classify(ch, measure_one(ch))
        return got
    return info


def _analyse(para: str, info: Callable[[str], tuple[int, int, int]]) -> tuple[list[int], list[int], list[bool]]:
    """Per character of one paragraph: its width, the level of a break before it, is it a space."""
    n = len(para)
    widths = [0] * n
    levels = [_NEVER] * n
    spaces = [False] * n
    base_kind, base_flags = _AL, 0      # the last non-space character (combining marks attach to it)
    before_spaces_flags = 0             # flags of the last non-space character before a space run
    after_space = False
    number = False                      # the narrow token ending at the base is a number (175, 120.747)
    for i, ch in enumerate(para):
        w, kind, flags = info(ch)
        widths[i] = w
        if kind == _SP:
            spaces[i] = True
            if not after_space:
                before_spaces_flags = base_flags if i else 0
            after_space = True
            continue  # never break before a space
        if kind == _CM:
            if i and not after_space:
                continue  # never break before a combining mark; it belongs to the character before
            kind, flags = _AL, 0  # a mark with nothing to combine with stands alone (zero width)
        if i:
            if after_space:
                levels[i] = _KINSOKU if flags & _CL or before_spaces_flags & _OP else _NORMAL
            elif base_kind == _ZW:
                levels[i] = _KINSOKU if flags & _CL else _NORMAL
            elif base_kind == _AL and kind == _AL:
                if base_flags & flags & _WORD:
                    levels[i] = _INSIDE_WORD
                elif flags & _CL or base_flags & _OP:
                    levels[i] = _INSIDE_TOKEN_K
                else:
                    levels[i] = _INSIDE_TOKEN
            elif kind == _ZW:
                levels[i] = _NEVER
            elif flags & _CL or base_flags & _OP or (base_flags | flags) & _QU or (number and base_flags & _DIGIT):
                levels[i] = _KINSOKU  # (a number keeps the character after it: 175字, 2022年)
            else:
                levels[i] = _NORMAL
        if kind == _AL:
            numeric = bool(flags & _DIGIT) or (ch in ".," and number)
            number = numeric and (number or base_kind != _AL or after_space or not i)
        else:
            number = False
        base_kind, base_flags = kind, flags
        after_space = False
    return widths, levels, spaces


def _break_paragraph(para: str, offset: int, width: int, info: Callable[[str], tuple[int, int, int]],
                     out: list[tuple[int, int]]) -> None:
    n = len(para)
    if n * 2 <= width or sum(info(ch)[0] for ch in para) <= width:
        out.append((offset, offset + n))  # the whole paragraph fits, trailing spaces too
        return
    widths, levels, spaces = _analyse(para, info)
    pos = 0
    while True:
        w = 0
        best = [-1] * (_NORMAL + 1)
        i = pos
        while i < n:
            cw = widths[i]
            if i > pos:
                lv = levels[i]
                if lv >= 0:
                    best[lv] = i
            if i > pos and not spaces[i] and (cw or levels[i] >= 0) and w + cw > width:
                break
            w += cw
            i += 1
        else:
            # end of the paragraph: keep trailing spaces as far as they fit
            end = n
            while end > pos and spaces[end - 1]:
                end -= 1
            content = sum(widths[pos:end])
            while end < n and content + widths[end] <= width:
                content += widths[end]
                end += 1
            out.append((offset + pos, offset + end))
            return
        brk = next((best[lv] for lv in range(_NORMAL, -1, -1) if best[lv] > pos), i)
        end = brk
        while end > pos and spaces[end - 1]:
            end -= 1
        if end > pos:
            out.append((offset + pos, offset + end))
        pos = brk


def break_lines(text: str, width: int, *, char_width: Callable[[str], int] | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of each line of ``text`` wrapped to ``width`` columns.

    ``text[start:end]`` is what the line shows. See the module docstring for the rules.
    ``char_width`` measures one character (default: :func:`char_width`).
    """
    width = max(1, int(width))
    info = _info_getter(char_width)
    out: list[tuple[int, int]] = []
    start = 0
    for para in text.split("\n"):
        _break_paragraph(para, start, width, info, out)
        start += len(para) + 1
    return out


def measure(text: str, *, char_width: Callable[[str], int] | None = None) -> tuple[int, int]:
    """(minimum, maximum) widths: the widest piece between two break opportunities (no forced
    break is needed at or above it) and the widest paragraph, spaces included."""
    info = _info_getter(char_width)
    minimum = maximum = 0
    for para in text.split("\n"):
        widths, levels, spaces = _analyse(para, info)
        maximum = max(maximum, sum(widths))
        piece = content = 0
        for w, lv, sp in zip(widths, levels, spaces):
            if lv == _NORMAL:
                minimum = max(minimum, content)
                piece = content = 0
            piece += w
            if not sp:
                content = piece
        minimum = max(minimum, content)
    return minimum, maximum
