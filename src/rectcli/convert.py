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
    (undecodable bytes on the command line), has no other forms.
    """
    if not any(map(is_han, text)) or any("\ud800" <= ch <= "\udfff" for ch in text):
        return ()
    forms: list[str] = []
    for config in CONFIGS:
        out = _converter(config).convert(text)
        if out != text and out not in forms:
            forms.append(out)
    return tuple(forms)
