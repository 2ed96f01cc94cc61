"""What an import returns: the format-2 data, what was found or could not be placed, the text.

Plain named tuples (frozen, and light to import: no dataclasses or typing at run time).
"""

from __future__ import annotations

from collections import namedtuple


class Finding(namedtuple("Finding", "level what text line", defaults=(None,))):
    """One thing the importer noticed: level 'info' or 'warning', what kind, the text, its line."""

    __slots__ = ()


class Imported(namedtuple("Imported", "data findings text", defaults=((), ""))):
    """One imported notice: ``data`` is format-2 plain data (schema_version 2); ``findings``
    what was found and what could not be placed; ``text`` the notice after chrome removal."""

    __slots__ = ()


class Findings(list):
    """The findings of one import, in the order found."""

    def info(self, what: str, text: str, line: int | None = None) -> None:
        self.append(Finding("info", what, text, line))

    def warn(self, what: str, text: str, line: int | None = None) -> None:
        self.append(Finding("warning", what, text, line))
