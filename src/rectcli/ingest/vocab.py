"""The genre's words, read from the data files in rectcli/vocab (chrome.txt, kinds.txt)."""

from __future__ import annotations

import re
from functools import lru_cache
import os


def _lines(name: str) -> list[list[str]]:
    # next to the package (not the working directory): rectcli/vocab/NAME; importlib.resources
    # would cost more to import than the whole import of a text notice
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "vocab", name)
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rows.append(line.split("\t"))
    return rows


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
