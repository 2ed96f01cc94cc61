"""The genre's shared vocabulary: the data files beside this module (outcomes.yaml, units.yaml,
quantities.txt, not_counts.txt, chrome.txt, kinds.txt, opencc_changes.txt), found here and nowhere
else.

Files are read from the package's own folder, not through importlib.resources, which costs a
fresh process more to import than most commands take.
"""

from __future__ import annotations

import os
from functools import lru_cache

_HERE = os.path.dirname(os.path.abspath(__file__))


def path(name: str) -> str:
    """The vocabulary file ``name`` (outcomes.yaml …)."""
    return os.path.join(_HERE, name)


def text(name: str) -> str:
    with open(path(name), encoding="utf-8") as fh:
        return fh.read()


@lru_cache(maxsize=None)
def lines(name: str) -> tuple[str, ...]:
    """The entries of a line-per-entry file: lines that are neither blank nor comments (#),
    without their line ends (fields stay tab-separated)."""
    return tuple(line for line in text(name).splitlines() if line.strip() and not line.lstrip().startswith("#"))
