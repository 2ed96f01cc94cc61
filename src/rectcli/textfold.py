"""Fold text for matching while keeping every character at its place.

``fold(s)`` has exactly ``len(s)`` characters and character *i* of the result stands for
character *i* of ``s``, so a match found in folded text marks the same span in the original.
Folding maps full-width forms to half-width (（一） → (一), Ｍ０ → M0), and Latin letters to
lower case. Queries also fold the other way round: a half-width query folds to the same text as
the notice's full-width characters.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=4096)
def fold_char(ch: str) -> str:
    out = unicodedata.normalize("NFKC", ch)
    if len(out) != 1:
        out = ch
    low = out.lower()
    return low if len(low) == 1 else out


def fold(text: str) -> str:
    # Fast path, checked in C: text that is already NFKC and lower case folds to itself
    # (most of a notice; tests/test_textfold.py checks this against the slow path).
    if unicodedata.is_normalized("NFKC", text) and text.lower() == text:
        return text
    return "".join(map(fold_char, text))


def is_han(ch: str) -> bool:
    """A CJK ideograph: the unified blocks, extensions A to I, and the compatibility blocks."""
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\U00020000" <= ch <= "\U000323af"
