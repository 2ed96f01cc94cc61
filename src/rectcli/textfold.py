"""Fold text for matching: width, case and canonical equivalence.

``fold(s)`` has exactly ``len(s)`` characters and character *i* of the result stands for
character *i* of ``s``, so a match found in folded text marks the same span in the original.
Folding maps full-width forms to half-width (（一） → (一), Ｍ０ → M0), and Latin letters to
lower case. Queries also fold the other way round: a half-width query folds to the same text as
the notice's full-width characters.

``fold_canonical(s)`` also composes canonically equivalent sequences (NFC): ``Cafe`` + U+0301
and ``Café``, or the three jamo of 한 and 한 itself, fold to the same text. Composition changes
the length, so :func:`fold_mapped` also says which characters of ``s`` each folded character
stands for; search uses it to mark the original characters, combining marks included.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
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


def fold_canonical(text: str) -> str:
    """``fold`` of the canonical composition (NFC) of ``text``: equal for equivalent texts."""
    if unicodedata.is_normalized("NFC", text):
        return fold(text)
    return fold(unicodedata.normalize("NFC", text))


def fold_mapped(text: str) -> tuple[str, Sequence[int], Sequence[int]]:
    """``fold_canonical(text)``, and for each of its characters where in ``text`` it comes from.

    Character *k* of the result stands for ``text[starts[k]:ends[k]]``: one character, or, where
    composition joined several (e + U+0301 → é), all of them, so a span of folded text maps to
    the original characters that say the same thing.
    """
    if unicodedata.is_normalized("NFC", text):  # nothing composes: one character for one
        return fold(text), range(len(text)), range(1, len(text) + 1)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for start, end in _clusters(text):
        piece = text[start:end]
        composed = unicodedata.normalize("NFC", piece)
        out.append(fold(composed))
        if composed == piece:
            starts.extend(range(start, end))
            ends.extend(range(start + 1, end + 1))
        else:  # composed, or marks reordered: each character stands for the whole cluster
            starts.extend([start] * len(composed))
            ends.extend([end] * len(composed))
    return "".join(out), starts, ends


def _clusters(text: str) -> list[tuple[int, int]]:
    """Split ``text`` where normalization cannot reach across: before each starter (combining
    class 0) that does not compose with what precedes it (Hangul vowel and final jamo do), so
    that NFC of the whole is the NFC of each cluster, joined."""
    bounds = [i for i, ch in enumerate(text) if i == 0 or unicodedata.combining(ch) == 0]
    bounds.append(len(text))
    clusters: list[tuple[int, int]] = []
    for start, end in zip(bounds, bounds[1:]):
        if clusters:
            prev_start, prev_end = clusters[-1]
            before, here = text[prev_start:prev_end], text[start:end]
            joined = unicodedata.normalize("NFC", before + here)
            if joined != unicodedata.normalize("NFC", before) + unicodedata.normalize("NFC", here):
                clusters[-1] = (prev_start, end)
                continue
        clusters.append((start, end))
    return clusters


def is_han(ch: str) -> bool:
    """A CJK ideograph: the unified blocks, extensions A to I, and the compatibility blocks."""
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\U00020000" <= ch <= "\U000323af"
