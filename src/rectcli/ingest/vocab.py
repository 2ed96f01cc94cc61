"""The genre's words, read from the data files in rectcli/vocab (chrome.txt, kinds.txt)."""

from __future__ import annotations

import re
from functools import lru_cache

from rectcli import vocab


def _lines(name: str) -> list[list[str]]:
    return [line.split("\t") for line in vocab.lines(name)]


@lru_cache(maxsize=1)
def chrome_patterns() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    """(kind, where, pattern) for each line of chrome.txt."""
    return tuple((k, w, re.compile(rx)) for k, w, rx in _lines("chrome.txt"))


@lru_cache(maxsize=1)
def kinds() -> dict[str, list[list[str]]]:
    """kinds.txt by key: each entry's values."""
    out: dict[str, list[list[str]]] = {}
    for row in _lines("kinds.txt"):
        out.setdefault(row[0], []).append(row[1:])
    return out


def words(key: str) -> list[str]:
    return [row[0] for row in kinds().get(key, [])]


@lru_cache(maxsize=1)
def body_levels() -> dict[str, str]:
    return {row[0]: row[1] for row in kinds().get("body", [])}


@lru_cache(maxsize=1)
def trad_table() -> dict[int, str]:
    """Traditional → simplified, one character for one (so positions are kept)."""
    table: dict[int, str] = {}
    for row in kinds().get("trad", []):
        for pair in row[0].split():
            if len(pair) == 2:
                table[ord(pair[0])] = pair[1]
    return table


def simplify(text: str) -> str:
    """Fold traditional characters of the genre's words to simplified, keeping every position."""
    return text.translate(trad_table())
