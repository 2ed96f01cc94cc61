"""A library of notices in one SQLite file: add, list, get, remove, search, suggest, compare.

    from rectcli.library import Library
    lib = Library("notices.db")
    lib.add(data, origin="notice.txt")          # format-2 plain data, one transaction
    for row in lib.notices(issuer="宁波"): ...
    result = lib.search(["公车"])                # the same hits as rectcli.search on each notice
    lib.compare(year=(2021, 2022), sort_by="party_discipline")

Pure core: nothing here prints. Failures of the file raise :class:`LibraryError` (one line);
unknown ids :class:`~rectcli.errors.NotFoundError`; bad queries :class:`~rectcli.errors.QueryError`.
The schema is documented in :mod:`rectcli.library.store`, the indexes in :mod:`rectcli.library.index`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from rectcli.library.store import (
    DEFAULT_TIMEOUT, SCHEMA_VERSION, AddResult, Headline, LibraryError, LibraryHit, LibrarySearchResult,
    NoticeCount, NoticeRef, NoticeRow,
)

__all__ = [
    "AddResult", "Headline", "Library", "LibraryError", "LibraryHit", "LibrarySearchResult", "NoticeCount",
    "NoticeRef", "NoticeRow", "SCHEMA_VERSION",
]


class Library:
    """A library file. Opening costs nothing: each call opens the file, works, and closes it.

    Filters shared by listing, search and compare: ``issuer`` (a substring), ``kind`` (巡视/巡察),
    ``year`` (2022, '2021-2022', '2021-', (2021, 2022)) and ``round`` (a substring); search and
    compare also take ``notice`` (an id: 4 or more leading hex digits of the content hash).
    """

    def __init__(self, path: str | os.PathLike[str], *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.path = Path(path)
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"Library({str(self.path)!r})"

    def upgrade(self, before: Any = None) -> int | None:
        """Bring a library written by an older rectcli to this one's schema now (any read or add
        would, first), in one transaction; ``before(old, new)`` is called before it starts (an
        upgrade of a large library takes seconds). The schema version it had, or None if current."""
        from rectcli.library import store

        return store.upgrade(self.path, self.timeout, before)

    # -------------------------------------------------------- writing

    def add(self, data: dict[str, Any], *, origin: str | None = None, replace: bool = False) -> AddResult:
        """Add a notice (validated format-2 plain data) in one transaction. The same text again
        (by content hash) changes nothing and says ``unchanged``; ``replace=True`` stores the new
        data and says ``replaced``."""
        from rectcli.library import store

        return store.add(self.path, data, origin=origin, replace=replace, timeout=self.timeout)

    def add_many(self, items: Any, *, replace: bool = False, read: Any = None, workers: int = 0) -> Any:
        """Add many notices — (data, origin) pairs, or anything ``read(item)`` turns into one —
        lazily yielding each one's AddResult, in order. Each is one transaction, as :meth:`add`;
        the file is opened once (an import of many files). An item that cannot be read or added
        yields status ``failed`` and its reason in ``error``; the rest go on. ``workers``: that
        many processes read and prepare the items while this one writes (``read`` must then be a
        module-level function)."""
        from rectcli.library import store

        return store.add_many(self.path, iter(items), replace=replace, timeout=self.timeout, read=read,
                              workers=workers)

    def remove(self, ident: str) -> NoticeRef:
        """Remove the notice ``ident`` names; returns what was removed."""
        from rectcli.library import store

        return store.remove(self.path, ident, self.timeout)

    # -------------------------------------------------------- reading

    def notices(self, *, issuer: str | None = None, kind: str | None = None, year: Any = None,
                round: str | None = None, notice: str | None = None, headline: bool = True) -> list[NoticeRow]:
        """The notices, oldest first (by published date, else signature date; undated last);
        ``notice``: only the one that id names (if the other filters select it). Each row has
        its summary (``cases_filed``, ``party_discipline``, ``money_yuan``) and, unless
        ``headline`` is False, every top-level outcome (``headline``: all the outcomes of every
        listed notice are read, ~0.5 s at 10,000 notices)."""
        from rectcli.library import store

        return store.notices(self.path, self.timeout, issuer=issuer, kind=kind, year=year, round=round,
                             notice=notice, headline=headline)

    def get(self, ident: str) -> Any:
        """The notice ``ident`` names, rebuilt from its stored format-2 data (a Notice)."""
        from rectcli.library import store

        return store.get(self.path, ident, self.timeout)

    def data(self, ident: str) -> dict[str, Any]:
        """The stored format-2 plain data of the notice ``ident`` names."""
        import json

        from rectcli.library import store

        with store.read_conn(self.path, self.timeout) as conn:
            notice_id, _ = store.resolve(conn, ident)
            (text,) = conn.execute("SELECT data FROM notices WHERE notice_id = ?", (notice_id,)).fetchone()
        return json.loads(text)

    def search(self, terms: list[str], *, match_all: bool = True, regex: bool = False,
               pinyin: bool | None = None, sort: str = "notice", notice: str | None = None,
               issuer: str | None = None, kind: str | None = None, year: Any = None,
               round: str | None = None, limit: int | None = None, count_only: bool = False) -> LibrarySearchResult:
        """Passages of every selected notice that match, exactly as :func:`rectcli.search.search`
        finds them in that notice (same passages, same spans). ``sort="notice"``: notices oldest
        first, passages in reading order; ``"relevance"``: title hits first, then most hits.
        ``counts`` gives the matching passages per notice; ``count_only=True`` gives only those
        (and the readings), without building the hits."""
        from rectcli.library import index, store

        with store.read_conn(self.path, self.timeout) as conn:
            clause, params = store.where(conn, notice=notice, issuer=issuer, kind=kind, year=year, round=round)
            return index.run_search(conn, list(terms), match_all=match_all, regex=regex, pinyin=pinyin,
                                    sort=sort, limit=limit, clause=clause, params=params, count_only=count_only)

    def count(self, terms: list[str], **options: Any) -> tuple[NoticeCount, ...]:
        """How many passages match in each notice that has any (the options of :meth:`search`)."""
        return self.search(terms, count_only=True, **options).counts

    def suggest(self, terms: list[str], *, limit: int = 5, notice: str | None = None, issuer: str | None = None,
                kind: str | None = None, year: Any = None, round: str | None = None) -> tuple[str, ...]:
        """Up to ``limit`` phrases close to ``terms`` (for a search that found nothing), from the
        notices the filters select (those of :meth:`search`; all of them by default): never a
        phrase that a search of those notices would not find."""
        from rectcli.library import index, store

        with store.read_conn(self.path, self.timeout) as conn:
            clause, params = store.where(conn, notice=notice, issuer=issuer, kind=kind, year=year, round=round)
            return index.run_suggest(conn, list(terms), limit, clause, params)

    def documents(self, *, title: str | None = None, kind: str | None = None, issuer: str | None = None,
                  year: Any = None, round: str | None = None,
                  notice: str | None = None) -> list[tuple[NoticeRef, list[Any]]]:
        """For each selected notice (oldest first): its NoticeRef and the documents it cites in
        《》 (rectcli.notice.extract.Document; title and document-kind filters as ``rectcli docs``),
        read from the library's tables."""
        from rectcli.library import extracts, store

        with store.read_conn(self.path, self.timeout) as conn:
            clause, params = store.where(conn, notice=notice, issuer=issuer, year=year, round=round)
            return extracts.documents(conn, clause, params, title=title, kind=kind)

    def figures(self, *, unit: str | None = None, notice: str | None = None, issuer: str | None = None,
                kind: str | None = None, year: Any = None,
                round: str | None = None) -> list[tuple[NoticeRef, list[Any]]]:
        """For each selected notice (oldest first): its NoticeRef and its quantities
        (rectcli.notice.extract.Quantity, in ``unit`` if given), read from the library's tables."""
        from rectcli.library import extracts, store

        with store.read_conn(self.path, self.timeout) as conn:
            clause, params = store.where(conn, notice=notice, issuer=issuer, kind=kind, year=year, round=round)
            return extracts.figures(conn, clause, params, unit=unit)

    def compare(self, *, notice: str | None = None, issuer: str | None = None, kind: str | None = None,
                year: Any = None, round: str | None = None, sort_by: str | None = None) -> Any:
        """A CompareTable: a row per notice, a column per outcome key, exact totals."""
        from rectcli.library import compare as cmp
        from rectcli.library import store

        with store.read_conn(self.path, self.timeout) as conn:
            clause, params = store.where(conn, notice=notice, issuer=issuer, kind=kind, year=year, round=round)
            return cmp.compare(conn, clause, params, sort_by)
