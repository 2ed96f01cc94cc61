"""Read a Latin-letter query as toneless pinyin and find the characters it spells.

``gongche`` spells 公车 (gong + che) but not 工程 (gong + cheng): a match must use whole
syllables, so it is found by walking the text character by character and consuming one full
reading of each character from the query. Every reading of a polyphonic character is tried
(行 is xing, hang and heng), and ü may be typed as v or u (绿: lv, lu, lü). Spaces, apostrophes
and hyphens in the query mark syllable boundaries (xi'an is 西安, not 先). Tone marks are
ignored. pypinyin's dictionary is read by the first lookup, never by importing this module.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

from rectcli.record import Record
from rectcli.textfold import fold, is_han

if TYPE_CHECKING:
    from pathlib import Path

SEPARATORS = frozenset(" '’-")
LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")


class Spelling(Record):
    """A query as pinyin: its letters, and the positions in them where a syllable must end."""

    letters: str
    boundaries: frozenset[int]


def spelling(term: str) -> Spelling | None:
    """The pinyin reading of ``term``, or None if it is not letters and separators only.

    Full-width letters and tone marks are accepted (ＧＯＮＧ, gōngchē); ü is written v.
    """
    letters: list[str] = []
    boundaries: set[int] = set()
    for ch in unicodedata.normalize("NFD", fold(term.strip())):
        if ch in LETTERS:
            letters.append(ch)
        elif ch == "\u0308" and letters and letters[-1] == "u":  # ü
            letters[-1] = "v"
        elif unicodedata.combining(ch) and letters:  # a tone mark
            continue
        elif ch in SEPARATORS or ch.isspace():
            boundaries.add(len(letters))
        else:
            return None
    if not letters:
        return None
    return Spelling("".join(letters), frozenset(b for b in boundaries if 0 < b < len(letters)))


_KNOWN: dict[str, tuple[str, ...]] = {}  # readings worked out already, by character


def readings(ch: str) -> tuple[str, ...]:
    """Every toneless reading of ``ch`` (ü as v, and also as u); () for anything not Han."""
    found = _KNOWN.get(ch)
    if found is None:
        if len(_KNOWN) >= 65536:
            _KNOWN.clear()
        found = _KNOWN[ch] = _looked_up(ch)
    return found


def known(table: "dict[str, tuple[str, ...]]") -> None:
    """Take readings worked out before by :func:`readings` (a library stores those of its
    characters, table ``chars``), so that asking for them does not load pypinyin's dictionary."""
    for ch, found in table.items():
        _KNOWN.setdefault(ch, found)


def _looked_up(ch: str) -> tuple[str, ...]:
    if not is_han(ch):
        return ()
    out: list[str] = []
    for marked in _entry(ord(ch)).split(","):
        plain = _toneless(marked)
        for form in (plain, plain.replace("v", "u")):
            if form and form.isascii() and form.isalpha() and form not in out:
                out.append(form)
    return tuple(out)


def _toneless(marked: str) -> str:
    """xíng → xing, lǜ → lv: drop tone marks, write ü as v (pypinyin's Style.NORMAL)."""
    letters: list[str] = []
    for c in unicodedata.normalize("NFD", marked.strip()):
        if c == "\u0308" and letters and letters[-1] == "u":
            letters[-1] = "v"
        elif not unicodedata.combining(c):
            letters.append(c)
    return "".join(letters)


FEW = 24  # characters looked up one by one in the dictionary's text before it is parsed whole
_asked = [0]


def _entry(code: int) -> str:
    """pypinyin's readings of one code point ("xíng,háng,…"; "" if it has none).

    The first few are found in the dictionary file's text (a suggestion for a typed character
    that is in no notice of a library needs one or two: ~1 ms, where parsing the whole file
    takes ~20); from then on, or if the text is not laid out as expected, the file is parsed."""
    if not _dictionary.cache_info().currsize and _asked[0] < FEW:
        raw = _raw_dictionary()
        if raw is not None:
            _asked[0] += 1
            return _find_entry(raw, code)
    return _dictionary().get(str(code), "")


def _find_entry(raw: bytes, code: int) -> str:
    key = b'\n"%d": "' % code
    at = raw.find(key)
    if at < 0:
        return ""
    start = at + len(key)
    return raw[start:raw.find(b'"', start)].decode("utf-8", "replace")


@lru_cache(maxsize=1)
def _raw_dictionary() -> bytes | None:
    """The bytes of pypinyin's dictionary file, if it has one entry per line as pypinyin 0.x
    writes it (``"19968": "yī",``; checked on 一 and on a character it lacks); else None."""
    path = _dictionary_file()
    if path is None:
        return None
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    if not raw.startswith(b"{") or "yī" not in _find_entry(raw, ord("一")).split(",") or _find_entry(raw, 0x41):
        return None
    return raw


def _dictionary_file() -> Path | None:
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("pypinyin")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).with_name("pinyin_dict.json")


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, str]:
    """pypinyin's dictionary of single characters: code point → "xíng,háng,…".

    Read straight from the package's data file: importing pypinyin also loads its 2.5 MB
    phrase dictionary, which whole-syllable matching of single characters never uses (240 ms
    and 70 MB against 25 ms and 10 MB, measured). If the file is not where pypinyin 0.x keeps
    it, fall back to pypinyin's own module.
    """
    import json

    path = _dictionary_file()
    try:
        assert path is not None
        table = json.loads(_raw_dictionary() or path.read_bytes())
        if isinstance(table, dict) and table:
            return table
    except (AssertionError, OSError, ValueError):
        pass
    from pypinyin.pinyin_dict import pinyin_dict

    return {str(k): v for k, v in pinyin_dict.items()}


def find(text: str, query: Spelling) -> list[tuple[int, int]]:
    """Non-overlapping spans of ``text`` whose characters, read one syllable each, spell ``query``."""
    letters, boundaries = query.letters, query.boundaries
    end = len(letters)
    spans: list[tuple[int, int]] = []
    # a start whose character has no reading that begins the letters spells nothing: skipped
    # without trying (what _spell_from would find on its first character), decided once per character
    can_begin: dict[str, bool] = {}
    i = 0
    while i < len(text):
        ch = text[i]
        begins = can_begin.get(ch)
        if begins is None:
            begins = can_begin[ch] = any(letters.startswith(r) and not any(0 < b < len(r) for b in boundaries)
                                         for r in readings(ch))
        if not begins:
            i += 1
            continue
        stop = _spell_from(text, i, letters, boundaries, end)
        if stop is None:
            i += 1
        else:
            spans.append((i, stop))
            i = stop
    return spans


def _spell_from(text: str, i: int, letters: str, boundaries: frozenset[int], end: int) -> int | None:
    """The end of the shortest run of characters from ``i`` that spells ``letters`` exactly."""
    positions = {0}
    j = i
    while positions and j < len(text):
        options = readings(text[j])
        if not options:
            return None
        nxt = set()
        for pos in positions:
            for r in options:
                stop = pos + len(r)
                if letters.startswith(r, pos) and not any(pos < b < stop for b in boundaries):
                    nxt.add(stop)
        j += 1
        if end in nxt:
            return j
        positions = nxt
    return None
