"""Traditional and variant Chinese characters to simplified, with OpenCC, loaded on first use.

A reader in Hong Kong or Taiwan types 公車 or 黨紀處分; the notices are written in simplified
characters. :func:`simplified_forms` gives the simplified spellings OpenCC knows for a query
(mainland, Taiwan and Hong Kong conventions each have their own phrase and variant tables).
Importing this module costs nothing. Most queries never load OpenCC (~12 ms): one in simplified
characters has no other form, and most in traditional characters are converted one character at
a time from a table made from OpenCC's own dictionaries (vocab/opencc_changes.txt; see
:func:`by_character`); the rest are given to OpenCC.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rectcli.textfold import is_han

# t2s: OpenCC's standard traditional → simplified; tw2s / hk2s add the Taiwan and Hong Kong
# variant tables (裡 → 里, 綫 → 线, 着/著 differences).
CONFIGS = ("t2s", "tw2s", "hk2s")


@lru_cache(maxsize=None)
def _converter(config: str) -> Any:
    import opencc

    return opencc.OpenCC(config)


def simplified_forms(text: str) -> tuple[str, ...]:
    """The distinct simplified spellings of ``text`` other than ``text`` itself, in CONFIGS order.

    Text without Han characters, or with characters that are not valid Unicode scalar values
    (undecodable bytes on the command line), has no other forms; nor has text without any
    character OpenCC's dictionaries may change (:func:`changing`), and OpenCC is not loaded
    for it (~10 ms: most queries are typed in simplified characters).
    """
    if not any(map(is_han, text)) or any("\ud800" <= ch <= "\udfff" for ch in text):
        return ()
    table = changing()
    if table is not None and table.isdisjoint(text):
        return ()
    alone = by_character(text)
    if alone is not None:
        return (alone,) if alone != text else ()
    forms: list[str] = []
    for config in CONFIGS:
        out = _converter(config).convert(text)
        if out != text and out not in forms:
            forms.append(out)
    return tuple(forms)


@lru_cache(maxsize=1)
def _sections() -> dict[str, str] | None:
    """The sections of vocab/opencc_changes.txt (made from OpenCC's own dictionaries by
    scripts/opencc_changes.py, which describes them), by name; None — ask OpenCC about every
    text — unless the installed OpenCC's dictionaries are the ones the file was made from (their
    names and sizes, recorded in it)."""
    import importlib.util
    import os

    from rectcli import vocab

    text = vocab.text("opencc_changes.txt")
    recorded = next((line.split(":", 1)[1].strip() for line in text.splitlines()
                     if line.startswith("# dictionaries:")), "")
    spec = importlib.util.find_spec("opencc")
    if not recorded or spec is None or spec.origin is None:
        return None
    share = os.path.join(os.path.dirname(spec.origin), "clib", "share", "opencc")
    for entry in recorded.split(","):
        name, _, size = entry.strip().rpartition(" ")
        try:
            if os.stat(os.path.join(share, name)).st_size != int(size):
                return None
        except (OSError, ValueError):
            return None
    sections = dict(part.partition("]\n")[::2] for part in text.split("\n[")[1:])
    return sections if {"changing", "t2s", "pairs", "alone"} <= sections.keys() else None


@lru_cache(maxsize=1)
def changing() -> frozenset[str] | None:
    """Every character the dictionaries of CONFIGS may change; None: ask OpenCC about every text."""
    sections = _sections()
    return None if sections is None else frozenset(sections["changing"].replace("\n", ""))


@lru_cache(maxsize=1)
def _one_by_one() -> tuple[dict[str, str], frozenset[str], frozenset[str]] | None:
    """What t2s makes of each changing character on its own; the first two characters of every
    longer dictionary key; the characters the Taiwan, Hong Kong and normalisation tables change."""
    sections = _sections()
    if sections is None:
        return None
    alone = {line[0]: line[1:] for line in sections["t2s"].splitlines() if line}
    return alone, frozenset(sections["pairs"].split()), frozenset(sections["alone"].replace("\n", ""))


def by_character(text: str) -> str | None:
    """What every conversion of CONFIGS makes of ``text`` when each converts it one character at a
    time — no longer dictionary key starts anywhere in it (none of its pairs of characters begins
    one) and no Taiwan, Hong Kong or normalisation table changes any of its characters, so tw2s
    and hk2s give what t2s gives — read from the table without loading OpenCC; else None."""
    tables = _one_by_one()
    if tables is None:
        return None
    alone, pairs, stepped = tables
    if not stepped.isdisjoint(text) or any(text[i:i + 2] in pairs for i in range(len(text) - 1)):
        return None
    return "".join([alone.get(ch, ch) for ch in text])
