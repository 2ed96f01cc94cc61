"""Traditional and variant Chinese characters to simplified, with OpenCC, loaded on first use.

A reader in Hong Kong or Taiwan types 公車 or 黨紀處分; the notices are written in simplified
characters. :func:`simplified_forms` gives the simplified spellings OpenCC knows for a query
(mainland, Taiwan and Hong Kong conventions each have their own phrase and variant tables).
Importing this module costs nothing; the OpenCC library is loaded by the first conversion.
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
    forms: list[str] = []
    for config in CONFIGS:
        out = _converter(config).convert(text)
        if out != text and out not in forms:
            forms.append(out)
    return tuple(forms)


@lru_cache(maxsize=1)
def changing() -> frozenset[str] | None:
    """Every character the dictionaries of CONFIGS may change (vocab/opencc_changes.txt, made
    from OpenCC's own dictionaries by scripts/opencc_changes.py); None — ask OpenCC about every
    text — unless the installed OpenCC's dictionaries are the ones the table was made from
    (their names and sizes, recorded in the file)."""
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
    return frozenset("".join(line.strip() for line in text.splitlines() if not line.startswith("#")))
