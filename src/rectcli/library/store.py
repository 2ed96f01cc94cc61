"""The library's SQLite store: connection, schema and migrations, add/remove/list, errors.

One file holds the library. Every write is one ``BEGIN IMMEDIATE`` transaction in WAL mode with
a busy timeout, so two processes adding at once both succeed, one after the other, and a process
killed mid-``add`` leaves the library as it was before that add (SQLite's journal). Readers never
write: they open the file read-only and work on a library they may not change.

:func:`add_many` (an import of many files) still commits each notice on its own, but indexes the
new phrases for suggestions once at its end, and checkpoints the write-ahead log every
``WAL_PAGES`` pages rather than every 1,000 (each add rewrites index pages, so the log grows by
hundreds of KB per notice: it is bounded, and truncated at the end of the batch);
``synchronous = NORMAL`` in WAL mode: a commit
survives the process being killed, and a power loss may lose the last commits, never consistency.

Every failure of the file is one :class:`LibraryError` line (never a traceback): not an SQLite
file, not a rectcli library, written by a newer rectcli, read-only (for writes), locked past the
timeout, cut short or damaged.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from rectcli.errors import DataError, NotFoundError, RectcliError
from rectcli.record import Record

SCHEMA_VERSION = 5
# What the FTS5 rows are made of. A change of tokens (this number, or pypinyin's readings) makes
# the next write rebuild the indexes before touching them (contentless rows are deleted by
# giving their tokens again, so the tokens must be the ones that were inserted).
INDEX_VERSION = 1
DEFAULT_TIMEOUT = 5.0
SHORT = 8  # hex digits of the content hash that name a notice


class LibraryError(RectcliError):
    """A library file that cannot be used: one line naming the file and the fix."""


# ---------------------------------------------------------------- records


class Headline(Record):
    key: str | None
    label: str
    value: str
    unit: str
    yuan: str | None = None


class NoticeRow(Record):
    id: str                     # short id: the first 8 hex digits of the content hash
    issuer: str | None
    kind: str | None
    level: str | None
    round: str | None
    date: str | None            # published date, else the signature's (ISO, as precise as known)
    sections: int
    headline: tuple[Headline, ...]
    title: str | None = None
    origin: str | None = None
    hash: str = ""
    cases_filed: str | None = None       # its first 立案 (the compare cell), exact decimal text
    party_discipline: str | None = None  # its first 党纪处分
    money_yuan: str | None = None        # the money it reports in 元 (rectcli.notice.stats.reported_money)


class AddResult(Record):
    id: str
    status: str                 # added | unchanged | replaced | failed (add_many only)
    issuer: str | None
    title: str | None
    hash: str
    differs: bool = False       # unchanged, but the data given differs from the stored (use replace)
    error: str | None = None    # status failed (add_many only): why it could not be added


class NoticeRef(Record):
    id: str
    issuer: str | None
    date: str | None
    title: str | None = None


class LibraryHit(Record):
    """A passage found: the notice it is in, and the hit as single-notice search gives it."""

    notice: NoticeRef
    passage: Any                # rectcli.notice.model.Passage
    spans: tuple[tuple[int, int], ...]
    title_hits: int
    body_hits: int
    score: float = 0.0          # the single-notice relevance score, within its own notice only
    where: str = ""             # the head of the section it stands in (六、关于…的整改情况), as written


class LibrarySearchResult(Record):
    terms: tuple[str, ...]
    match_all: bool
    regex: bool
    hits: tuple[LibraryHit, ...]
    readings: tuple[Any, ...]   # rectcli.search.Reading: per term, each distinct way it matched somewhere
    sort: str = "notice"
    notices: int = 0            # how many notices have hits
    counts: tuple["NoticeCount", ...] = ()  # passages that match (of the hits kept), per notice, oldest first


class NoticeCount(Record):
    notice: NoticeRef
    passages: int


# ---------------------------------------------------------------- schema


SCHEMA_V1 = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE notices (
    notice_id      INTEGER PRIMARY KEY,
    id             TEXT NOT NULL,
    hash           TEXT NOT NULL UNIQUE,
    title          TEXT,
    issuer         TEXT,
    kind           TEXT,
    special        TEXT,
    body           TEXT,
    level          TEXT,
    round          TEXT,
    team           TEXT,
    inspected      TEXT,
    date           TEXT,
    date_from      TEXT,
    year           INTEGER,
    published      TEXT,
    signature_date TEXT,
    sections       INTEGER NOT NULL,
    passages       INTEGER NOT NULL,
    characters     INTEGER NOT NULL,
    encoding       TEXT,
    url            TEXT,
    origin         TEXT,
    added          TEXT NOT NULL,
    data           TEXT NOT NULL
);
CREATE INDEX notices_short_id ON notices (id);
CREATE INDEX notices_issuer ON notices (issuer);
CREATE INDEX notices_kind ON notices (kind);
CREATE INDEX notices_date ON notices (year, date);
CREATE TABLE passages (
    passage_id  INTEGER PRIMARY KEY,
    notice_id   INTEGER NOT NULL REFERENCES notices (notice_id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    passage     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    label       TEXT NOT NULL,
    section_id  TEXT,
    parent      TEXT,
    depth       INTEGER NOT NULL,
    marker      TEXT,
    heading     TEXT,
    title_start INTEGER NOT NULL,
    text        TEXT NOT NULL,
    UNIQUE (notice_id, seq),
    UNIQUE (notice_id, passage)
);
CREATE TABLE outcomes (
    outcome_id  INTEGER PRIMARY KEY,
    notice_id   INTEGER NOT NULL REFERENCES notices (notice_id) ON DELETE CASCADE,
    parent_id   INTEGER REFERENCES outcomes (outcome_id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    label       TEXT NOT NULL,
    key         TEXT,
    value       TEXT NOT NULL,
    unit        TEXT NOT NULL,
    approx      TEXT,
    yuan        TEXT,
    complete    INTEGER,
    damaged     INTEGER NOT NULL DEFAULT 0,
    passage_id  INTEGER REFERENCES passages (passage_id) ON DELETE CASCADE,
    span_start  INTEGER,
    span_end    INTEGER
);
CREATE INDEX outcomes_notice ON outcomes (notice_id, seq);
CREATE INDEX outcomes_parent ON outcomes (parent_id);
CREATE INDEX outcomes_key ON outcomes (key);
CREATE INDEX outcomes_passage ON outcomes (passage_id);
CREATE TABLE documents (
    document_id INTEGER PRIMARY KEY,
    notice_id   INTEGER NOT NULL REFERENCES notices (notice_id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    title       TEXT NOT NULL,
    kind        TEXT,
    marks       TEXT,
    years       TEXT
);
CREATE INDEX documents_notice ON documents (notice_id, seq);
CREATE INDEX documents_title ON documents (title);
CREATE TABLE citations (
    document_id INTEGER NOT NULL REFERENCES documents (document_id) ON DELETE CASCADE,
    passage_id  INTEGER NOT NULL REFERENCES passages (passage_id) ON DELETE CASCADE,
    PRIMARY KEY (document_id, passage_id)
) WITHOUT ROWID;
CREATE INDEX citations_passage ON citations (passage_id);
CREATE TABLE figures (
    figure_id   INTEGER PRIMARY KEY,
    notice_id   INTEGER NOT NULL REFERENCES notices (notice_id) ON DELETE CASCADE,
    passage_id  INTEGER NOT NULL REFERENCES passages (passage_id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    written     TEXT NOT NULL,
    number      TEXT NOT NULL,
    value       TEXT NOT NULL,
    unit        TEXT NOT NULL,
    chinese     INTEGER NOT NULL,
    approx      TEXT,
    yuan        TEXT,
    context     TEXT,
    start       INTEGER NOT NULL,
    damaged     TEXT
);
CREATE INDEX figures_notice ON figures (notice_id, seq);
CREATE INDEX figures_passage ON figures (passage_id);
CREATE INDEX figures_unit ON figures (unit);
CREATE TABLE syllables (
    syllable TEXT PRIMARY KEY
) WITHOUT ROWID;
CREATE TABLE phrases (
    phrase_id INTEGER PRIMARY KEY,
    phrase    TEXT NOT NULL UNIQUE,
    seen      INTEGER NOT NULL
);
CREATE VIRTUAL TABLE passage_text_index USING fts5 (
    tokens, content='', detail=none, tokenize='unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE passage_pinyin_index USING fts5 (
    tokens, content='', detail=none, tokenize='unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE phrase_text_index USING fts5 (
    tokens, content='', detail=none, tokenize='unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE phrase_pinyin_index USING fts5 (
    tokens, content='', detail=none, tokenize='unicode61 remove_diacritics 0');
"""

# Version 2 keeps what search and compare need at hand, so they never rebuild it from the rows:
# each notice's total passage length (single-notice relevance averages over it), the readings
# of every Han character the library holds (pinyin is matched with one regular expression made
# from them), and each notice's headline values (the compare table, pivoted in SQL). Phrases are
# indexed for suggestions once per batch of adds: ``phrases_indexed`` in meta is the last
# phrase_id in the phrase indexes (later phrases are ranked without the index).
SCHEMA_V2 = """
ALTER TABLE notices ADD COLUMN text_chars INTEGER;
CREATE TABLE chars (
    ch       TEXT PRIMARY KEY,
    readings TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE headlines (
    notice_id INTEGER NOT NULL REFERENCES notices (notice_id) ON DELETE CASCADE,
    key       TEXT NOT NULL,
    value     TEXT NOT NULL,
    unit      TEXT NOT NULL,
    repeated  INTEGER NOT NULL,
    seq       INTEGER NOT NULL,
    PRIMARY KEY (notice_id, key)
) WITHOUT ROWID;
CREATE INDEX headlines_key ON headlines (key);
"""

# Version 3 makes compare one read of a narrow table: each notice's compare row as one string
# (table ``compare_rows``: ``cells`` is key, value, key, value … in reading order, ``repeated``
# the keys stated again, in the order they were, both joined by U+001F), the notices in listing
# order from a covering index (``notices_order``: no read of the wide rows), and the units of a
# column from a covering index on headlines. The passage indexes merge their segments 8 at a
# time rather than 4 (FTS5's ``automerge``): each add commits a segment per index, and merging
# them was a third of an add's commit (measured at 10,000 notices); ``crisismerge`` still
# bounds the segments a search reads.
SCHEMA_V3 = """
CREATE TABLE compare_rows (
    notice_id INTEGER PRIMARY KEY REFERENCES notices (notice_id) ON DELETE CASCADE,
    cells     TEXT NOT NULL,
    repeated  TEXT
);
CREATE INDEX notices_order ON notices (date IS NULL, date, id, hash, issuer, title);
CREATE INDEX headlines_units ON headlines (key, unit, notice_id);
INSERT INTO passage_text_index (passage_text_index, rank) VALUES ('automerge', 8);
INSERT INTO passage_pinyin_index (passage_pinyin_index, rank) VALUES ('automerge', 8);
"""

# Version 4 lets search name a hit's section and check most hits without Python: each node's
# head as the reader sees it (``passages.head``: marker, heading and the 。 that ends it; NULL for
# paragraphs of the opening and closing), so a hit's section heading is a join, not a rebuilt
# notice; and ``passages.plain`` (1: the text is in NFC and holds no character that folds into a
# Han character, see rectcli.library.index), so a query of Han characters is checked on such a
# passage as stored, with SQLite's instr(). The listing reads each notice's top-level outcomes
# from a covering partial index (``outcomes_headline``), in order, without touching the table.
# ``add_many`` counts the phrase runs of ``PHRASE_BATCH`` notices at once (each page of the
# phrases table is then written once per batch, not once per notice); ``phrases_pending`` lists
# the notices stored but not counted yet. Whoever deletes a notice's row there counts it, in the
# same transaction, so it is counted once: the add_many that holds its runs, or, when that one
# was killed first, the next add, from the notice's text.
SCHEMA_V4 = """
ALTER TABLE passages ADD COLUMN head TEXT;
ALTER TABLE passages ADD COLUMN plain INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outcomes_headline ON outcomes (notice_id, seq, key, label, value, unit, yuan)
    WHERE parent_id IS NULL AND kind = 'outcome';
CREATE TABLE phrases_pending (
    notice_id INTEGER PRIMARY KEY REFERENCES notices (notice_id) ON DELETE CASCADE
);
"""

# Version 5 lays each compare row out by column: every outcome key the library has seen owns a
# column number (table ``compare_keys``: the vocabulary's keys first, in its order, then others as
# they first arrive), and ``compare_rows.cells`` is the notice's value for each column in that
# order, empty where it has none (as many as the library had columns when the notice was added;
# later columns are empty for it). Reading a row is one split, no key lookups. Each column keeps
# the exact sum of its cells over the library and how many notices have one, changed in the
# transaction that adds or removes a notice: compare of the whole library reads its totals.
# ``notices.money`` is the money a notice reports, in 元 (rectcli.notice.stats.reported_money),
# so that the listing's summary needs none of its outcomes; the listing order's index covers
# every column the listing shows (a notice's row holds its whole file, and the columns added
# after it are read through its overflow pages).
SCHEMA_V5 = """
ALTER TABLE notices ADD COLUMN money TEXT;
DROP INDEX notices_order;
CREATE INDEX notices_order ON notices (date IS NULL, date, id, hash, issuer, title, kind, level, round, sections,
                                       origin, money);
CREATE TABLE compare_keys (
    slot    INTEGER PRIMARY KEY,
    key     TEXT NOT NULL UNIQUE,
    total   TEXT NOT NULL DEFAULT '0',
    notices INTEGER NOT NULL DEFAULT 0
);
"""

CELL_SEP = "\x1f"  # between the cells of compare_rows.cells and its repeated keys (no notice text holds it)

# Explicit migrations: MIGRATIONS[n] takes a library at schema version n-1 to version n.
MIGRATIONS: dict[int, str] = {1: SCHEMA_V1, 2: SCHEMA_V2, 3: SCHEMA_V3, 4: SCHEMA_V4, 5: SCHEMA_V5}



# ---------------------------------------------------------------- opening


def _describe(path: Path, exc: BaseException, timeout: float, *, writing: bool) -> LibraryError:
    msg = str(exc).lower()
    if "not a database" in msg or "file is encrypted" in msg:
        return LibraryError(f"{path} is not a rectcli library (not an SQLite database); "
                            "give the path of a library, or a new file name to create one")
    if "malformed" in msg or "corrupt" in msg or "disk i/o" in msg or "short read" in msg:
        return LibraryError(f"{path} is damaged (cut short or corrupted); restore it from a copy")
    if "locked" in msg or "busy" in msg:
        return LibraryError(f"{path} is locked by another process (waited {timeout:g} s); "
                            "try again when it has finished")
    if "readonly" in msg or "read-only" in msg:
        return LibraryError(f"{path} is read-only; it cannot be changed (reading it still works)")
    if "unable to open" in msg:
        return LibraryError(f"cannot open the library {path}; check that its folder exists and is readable")
    return LibraryError(f"{path}: SQLite error while {'writing' if writing else 'reading'}: {exc}")


def _check_header(path: Path) -> None:
    """Refuse a file that is not SQLite, or is shorter than its own header says (cut short).

    The header is read before the size: a checkpoint of another process writes the header, then
    the pages beyond the old end, so the size read after the header is never the older one. While
    a write-ahead log is beside the file (a writer at work), a short file is looked at again for
    up to a second before it is called cut short."""
    import time

    for attempt in range(21):
        try:
            with path.open("rb") as fh:
                head = fh.read(100)
            size = path.stat().st_size
        except OSError as e:
            raise LibraryError(f"cannot read the library {path}: {e.strerror or e}") from None
        if size == 0:
            return
        if not head.startswith(b"SQLite format 3\x00"[: len(head)]) or len(head) < 16:
            raise LibraryError(f"{path} is not a rectcli library (not an SQLite database); "
                               "give the path of a library, or a new file name to create one")
        if len(head) < 100:
            raise LibraryError(f"{path} is damaged (cut short: {size} bytes); restore it from a copy")
        page_size = int.from_bytes(head[16:18], "big")
        page_size = 65536 if page_size == 1 else page_size
        pages = int.from_bytes(head[28:32], "big")
        valid = head[24:28] == head[92:96]
        if not (valid and pages and page_size and size < pages * page_size):
            return
        if attempt == 20 or not Path(str(path) + "-wal").exists():
            raise LibraryError(f"{path} is damaged (cut short: {size} of {pages * page_size} bytes); "
                               "restore it from a copy")
        time.sleep(0.05)


def _version(conn: sqlite3.Connection, path: Path) -> int:
    """The schema version of an open library; 0 for an empty database."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        return 0
    if "meta" not in tables:
        raise LibraryError(f"{path} is an SQLite database but not a rectcli library (it has no meta table)")
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    try:
        return int(row[0]) if row else -1
    except ValueError:
        return -1


def _refuse_newer(version: int, path: Path) -> None:
    if version < 0:
        raise LibraryError(f"{path} is not a rectcli library (its meta table has no schema version)")
    if version > SCHEMA_VERSION:
        raise LibraryError(f"{path} was written by a newer rectcli (library schema version {version}; this "
                           f"rectcli reads versions up to {SCHEMA_VERSION}); upgrade rectcli to use it")


def open_read(path: Path, timeout: float = DEFAULT_TIMEOUT) -> sqlite3.Connection:
    """A read-only connection to an existing library (never creates or changes the file, but
    upgrades one of an older rectcli, in one transaction)."""
    conn, version = _open_reader(path, timeout)
    if version < SCHEMA_VERSION:
        conn.close()
        _upgrade(path, timeout, version)
        return open_read(path, timeout)
    return conn


def upgrade(path: Path, timeout: float = DEFAULT_TIMEOUT, before: Any = None) -> int | None:
    """Bring a library of an older rectcli to this one's schema now, in one transaction, calling
    ``before(old, new)`` first; the schema version it had, or None when it was current."""
    conn, version = _open_reader(path, timeout)
    conn.close()
    if version >= SCHEMA_VERSION:
        return None
    if before is not None:
        before(version, SCHEMA_VERSION)
    _upgrade(path, timeout, version)
    return version


def _open_reader(path: Path, timeout: float) -> tuple[sqlite3.Connection, int]:
    """A read-only connection to an existing library, and its schema version (refused if newer)."""
    if not path.exists():
        raise LibraryError(f"no library at {path}; add a notice to create it")
    if path.is_dir():
        raise LibraryError(f"{path} is a folder, not a library file")
    _check_header(path)
    if path.stat().st_size == 0:
        raise LibraryError(f"{path} is empty: not a rectcli library yet; add a notice to create it")
    from urllib.parse import quote

    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None, check_same_thread=False)
        try:
            version = _version(conn, path)
        except sqlite3.OperationalError as e:
            # a WAL library we may not write: no -shm can be made beside it; read it as it stands
            if "unable to open" not in str(e).lower() or os.access(path, os.W_OK):
                raise
            conn.close()
            conn = sqlite3.connect(uri + "&immutable=1", uri=True, timeout=timeout, isolation_level=None,
                                   check_same_thread=False)
            version = _version(conn, path)
        _refuse_newer(version, path)
    except (sqlite3.DatabaseError, LibraryError) as e:
        # closed now, not when collected: an open reader keeps its -wal file beside the library
        _close_quietly(conn)
        if isinstance(e, LibraryError):
            raise
        raise _describe(path, e, timeout, writing=False) from None
    assert conn is not None
    return conn, version


def _upgrade(path: Path, timeout: float, version: int) -> None:
    """A library from an older rectcli, upgraded in place: one explicit migration at a time, in
    one transaction (a reader of a file it may not write cannot, and says how to)."""
    if not os.access(path, os.W_OK):
        raise LibraryError(f"{path} has library schema version {version} and cannot be upgraded here "
                           f"(read-only); upgrade it where it can be written (`rectcli add` does)")
    writer = open_write(path, timeout)
    try:
        writer.execute("BEGIN IMMEDIATE")
        try:
            migrate(writer, path)
            writer.execute("COMMIT")
        except BaseException:
            writer.execute("ROLLBACK")
            raise
    except sqlite3.DatabaseError as e:
        raise _describe(path, e, timeout, writing=True) from None
    finally:
        writer.close()


def _close_quietly(conn: sqlite3.Connection | None) -> None:
    if conn is not None:
        try:
            conn.close()
        except sqlite3.Error:
            pass


def open_write(path: Path, timeout: float = DEFAULT_TIMEOUT) -> sqlite3.Connection:
    """A connection for writing, refusing read-only files before anything is attempted."""
    if path.is_dir():
        raise LibraryError(f"{path} is a folder, not a library file")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise LibraryError(f"cannot create the library {path}: folder {folder} does not exist")
    if path.exists():
        _check_header(path)
        if not os.access(path, os.W_OK):
            raise LibraryError(f"{path} is read-only; it cannot be changed (reading it still works)")
    if not os.access(folder, os.W_OK):
        raise LibraryError(f"{path} is read-only: its folder {folder} cannot be written "
                           "(SQLite keeps its journal beside the file); reading it still works")
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(str(path), timeout=timeout, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        _refuse_newer(max(_version(conn, path), 0), path)  # before anything changes the file
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode.lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        # WAL + NORMAL: a commit survives the process being killed, and the file stays
        # consistent on power loss (the last commits may be lost then); FULL would fsync each add
        conn.execute("PRAGMA synchronous = NORMAL")
    except (sqlite3.DatabaseError, LibraryError) as e:
        _close_quietly(conn)
        if isinstance(e, LibraryError):
            raise
        raise _describe(path, e, timeout, writing=True) from None
    return conn


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the library to SCHEMA_VERSION, one explicit step at a time (inside the caller's
    transaction); refuse a library from a newer rectcli."""
    version = _version(conn, path)
    _refuse_newer(version, path)
    while version < SCHEMA_VERSION:
        version += 1
        for statement in _statements(MIGRATIONS[version]):
            conn.execute(statement)
        if version == 2:
            _fill_v2(conn)
        # version 3's compare rows are made by version 5, in its layout
        if version == 4:
            _fill_v4(conn)
        if version == 5:
            _fill_v5(conn)
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", (str(version),))
    conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('created_by', ?)", (_rectcli_version(),))


def _fill_v2(conn: sqlite3.Connection) -> None:
    """What schema version 2 adds, computed from a version-1 library's rows."""
    from rectcli.textfold import fold_canonical as fold

    conn.execute("UPDATE notices SET text_chars = (SELECT coalesce(sum(length(p.text)), 0) FROM passages p"
                 " WHERE p.notice_id = notices.notice_id)")
    chars: set[str] = set()
    for (text,) in conn.execute("SELECT text FROM passages"):
        chars.update(_han_chars(fold(text)))
    _insert_chars(conn, chars)
    for (nid,) in conn.execute("SELECT notice_id FROM notices").fetchall():
        rows = conn.execute("SELECT key, value, unit, yuan FROM outcomes WHERE notice_id = ? AND parent_id IS NULL"
                            " AND kind = 'outcome' AND key IS NOT NULL ORDER BY seq", (nid,)).fetchall()
        _insert_headlines(conn, nid, rows, compare_row=False)  # version 5 makes those
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('phrases_indexed',"
                 " (SELECT coalesce(max(phrase_id), 0) FROM phrases))")


def _fill_v5(conn: sqlite3.Connection) -> None:
    """The compare columns (the vocabulary's keys, then the library's others in the order they
    first came), each notice's compare row laid out by them and the columns' totals, from its
    headlines; and the money each notice reports, from its file (schema version 5)."""
    import json

    from rectcli.library.compare import vocabulary_keys
    from rectcli.notice.build import build
    from rectcli.notice.stats import reported_money

    keys = list(vocabulary_keys())
    for (key,) in conn.execute("SELECT key FROM headlines GROUP BY key ORDER BY min(notice_id), min(seq)"):
        if key not in keys:
            keys.append(key)
    conn.executemany("INSERT INTO compare_keys (slot, key) VALUES (?, ?)", list(enumerate(keys)))
    slots = {k: i for i, k in enumerate(keys)}
    cells: dict[int, list[tuple[str, str, int]]] = {}
    for nid, key, value, repeated in conn.execute(
            "SELECT notice_id, key, value, repeated FROM headlines ORDER BY notice_id, seq"):
        cells.setdefault(nid, []).append((key, value, repeated))
    conn.execute("DELETE FROM compare_rows")
    conn.executemany("INSERT INTO compare_rows (notice_id, cells, repeated) VALUES (?, ?, ?)",
                     [(nid, *_compare_row(rows, slots)) for nid, rows in cells.items()])
    _add_to_totals(conn, [(key, value) for rows in cells.values() for key, value, _ in rows], +1)
    conn.executemany("UPDATE notices SET money = ? WHERE notice_id = ?",
                     [(reported_money(build(json.loads(data))), nid)
                      for nid, data in conn.execute("SELECT notice_id, data FROM notices").fetchall()])


def _fill_v4(conn: sqlite3.Connection) -> None:
    """Each passage's head and plainness (schema version 4), from the stored notices; and the
    parent, depth and marker of a heading's passage, which earlier versions left empty."""
    import json

    from rectcli.library.index import plain_text
    from rectcli.notice.build import build

    for nid, data in conn.execute("SELECT notice_id, data FROM notices").fetchall():
        nodes = [(*_node_columns(n), nid, n.id) for n in build(json.loads(data)).nodes()]
        conn.executemany("UPDATE passages SET parent = ?, depth = ?, marker = ?, head = ?"
                         " WHERE notice_id = ? AND passage = ?", nodes)
    conn.executemany("UPDATE passages SET plain = 1 WHERE passage_id = ?",
                     [(pid,) for pid, text in conn.execute("SELECT passage_id, text FROM passages").fetchall()
                      if plain_text(text)])


def _node_columns(node: Any) -> tuple[str | None, int, str, str]:
    """A node's passage's parent, depth, marker and head (columns of ``passages``)."""
    return node.id.rpartition(".")[0] or None, node.depth, node.marker, node.head


def _compare_row(cells: "list[tuple[str, str, int]]", slots: dict[str, int]) -> tuple[str, str | None]:
    """(cells, repeated) of compare_rows from a notice's (key, value, repeated) in seq order:
    its value in each compare column (``slots``: key → column number), empty where it has none."""
    laid = [""] * len(slots)
    for key, value, _ in cells:
        laid[slots[key]] = value
    again = [key for rep, key in sorted((rep, key) for key, _, rep in cells if rep)]
    return CELL_SEP.join(laid), CELL_SEP.join(again) or None


def _add_to_totals(conn: sqlite3.Connection, cells: "list[tuple[str, str]]", sign: int,
                   totals: dict[str, str] | None = None) -> None:
    """Add (sign +1) or take away (-1) compare cells (key, value) to their columns' totals
    (``totals``: the columns' totals as they stand, when the caller has read them)."""
    import json

    from rectcli.library.compare import exact_sum

    by_key: dict[str, list[str]] = {}
    for key, value in cells:
        by_key.setdefault(key, []).append(value if sign > 0 else _negated(value))
    if totals is None:
        totals = dict(conn.execute("SELECT key, total FROM compare_keys WHERE key IN"
                                   " (SELECT value FROM json_each(?))", (json.dumps(list(by_key)),)).fetchall())
    conn.executemany("UPDATE compare_keys SET total = ?, notices = notices + ? WHERE key = ?",
                     [(exact_sum([totals[k], *values]), sign * len(values), k) for k, values in by_key.items()])


def _negated(value: str) -> str:
    return value[1:] if value.startswith("-") else "-" + value


def _compare_columns(conn: sqlite3.Connection, keys: "Iterable[str]") -> tuple[dict[str, int], dict[str, str]]:
    """The library's compare columns — key → number, and key → total — with a new one for each
    of ``keys`` it lacks (one read of the table for both)."""
    slots: dict[str, int] = {}
    totals: dict[str, str] = {}
    for key, slot, total in conn.execute("SELECT key, slot, total FROM compare_keys"):
        slots[key], totals[key] = slot, total
    for key in dict.fromkeys(keys):
        if key not in slots:
            slots[key], totals[key] = len(slots), "0"
            conn.execute("INSERT INTO compare_keys (slot, key) VALUES (?, ?)", (slots[key], key))
    return slots, totals


def _han_chars(folded: str) -> set[str]:
    from rectcli.library.index import _HAN_RUN

    out: set[str] = set()
    for run in _HAN_RUN.findall(folded):
        out.update(run)
    return out


def _insert_chars(conn: sqlite3.Connection, chars: "set[str]") -> None:
    """Record the readings of Han characters not yet in the library (table ``chars``)."""
    import json

    from rectcli.library.index import _readings

    if not chars:
        return
    known = {r[0] for r in conn.execute("SELECT ch FROM chars WHERE ch IN (SELECT value FROM json_each(?))",
                                        (json.dumps(sorted(chars), ensure_ascii=False),))}
    conn.executemany("INSERT INTO chars (ch, readings) VALUES (?, ?)",
                     [(ch, " ".join(_readings(ch))) for ch in chars - known if _readings(ch)])


def _insert_headlines(conn: sqlite3.Connection, notice_id: int, rows: "list[tuple[Any, ...]]", *,
                      compare_row: bool = True) -> None:
    """A notice's compare cells: the first top-level outcome of each key (money in 元), and
    where it is stated a second time (0: once only). ``rows``: (key, value, unit, yuan) in reading order."""
    cells: dict[str, list[Any]] = {}
    for i, (key, value, unit, yuan) in enumerate(rows, 1):
        if key in cells:
            cells[key][3] = cells[key][3] or i  # where it is stated again (the order compare names them in)
            continue
        money = yuan is not None  # money in any of its units (万元, 萬元 …): the model gives its yuan
        cells[key] = [yuan if money and yuan is not None else value, "元" if money else unit, len(cells), 0]
    conn.executemany("INSERT INTO headlines (notice_id, key, value, unit, repeated, seq) VALUES (?,?,?,?,?,?)",
                     [(notice_id, k, v, u, r, seq) for k, (v, u, seq, r) in cells.items()])
    if cells and compare_row:
        slots, totals = _compare_columns(conn, cells)
        conn.execute("INSERT INTO compare_rows (notice_id, cells, repeated) VALUES (?, ?, ?)",
                     (notice_id, *_compare_row([(k, v, r) for k, (v, _, _, r) in cells.items()], slots)))
        _add_to_totals(conn, [(k, v) for k, (v, *_) in cells.items()], +1, totals)


def _statements(script: str) -> Iterator[str]:
    """The statements of a migration script (executescript would COMMIT the transaction)."""
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                yield buf.strip()
            buf = ""


def _rectcli_version() -> str:
    try:
        from rectcli import __version__

        return f"rectcli {__version__}"
    except ImportError:  # pragma: no cover
        return "rectcli"


@lru_cache(maxsize=1)
def _index_fingerprint() -> str:
    try:
        from importlib.metadata import version

        pyp = version("pypinyin")
    except Exception:  # noqa: BLE001 - any failure: an unknown version
        pyp = "unknown"
    return f"{INDEX_VERSION}/pypinyin {pyp}"


@contextmanager
def write_tx(path: Path, timeout: float, conn: sqlite3.Connection | None = None) -> Iterator[sqlite3.Connection]:
    """One BEGIN IMMEDIATE transaction, migrated and with indexes current; rolled back on any
    error. ``conn``: an open writing connection to use (and leave open), else one is opened."""
    own = conn is None
    if conn is None:
        conn = open_write(path, timeout)
    try:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as e:
            raise _describe(path, e, timeout, writing=True) from None
        try:
            migrate(conn, path)
            _ensure_index(conn)
            yield conn
            conn.execute("COMMIT")
        except BaseException as e:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.DatabaseError:
                pass
            if isinstance(e, sqlite3.DatabaseError):
                raise _describe(path, e, timeout, writing=True) from None
            raise
    finally:
        if own:
            conn.close()


@contextmanager
def read_conn(path: Path, timeout: float) -> Iterator[sqlite3.Connection]:
    conn = open_read(path, timeout)
    try:
        yield conn
    except sqlite3.DatabaseError as e:
        raise _describe(path, e, timeout, writing=False) from None
    finally:
        conn.close()


# ---------------------------------------------------------------- identity


def content_hash(notice: Any) -> str:
    """BLAKE2b-256 of the notice's text in reading order, one source paragraph per line."""
    import hashlib

    text = "\n".join(notice.text_lines())
    return hashlib.blake2b(text.encode("utf-8"), digest_size=32).hexdigest()


def resolve(conn: sqlite3.Connection, ident: str) -> tuple[int, str]:
    """(notice_id, hash) of the notice whose hash starts with ``ident`` (4+ hex digits)."""
    prefix = ident.strip().lower()
    if len(prefix) < 4 or any(c not in "0123456789abcdef" for c in prefix):
        raise NotFoundError(f"no notice {ident!r} in the library: ids are hex digits (at least 4), "
                            "as the library listing shows them")
    rows = conn.execute("SELECT notice_id, hash FROM notices WHERE hash >= ? AND hash < ? LIMIT 3",
                        (prefix, prefix + "g")).fetchall()
    if not rows:
        raise NotFoundError(f"no notice {ident!r} in the library; list the notices to see their ids")
    if len(rows) > 1:
        raise NotFoundError(f"notice id {ident!r} is ambiguous ({', '.join(r[1][:12] for r in rows)}…); "
                            "give more of its digits")
    return rows[0][0], rows[0][1]


# ---------------------------------------------------------------- add


def _dated(notice: Any) -> tuple[str | None, str | None]:
    meta = notice.metadata
    if meta.published is not None and meta.published.value:
        return meta.published.value, "published"
    if meta.signature is not None and meta.signature.date is not None and meta.signature.date.value:
        return meta.signature.date.value, "signature"
    return None, None


def _year(date: str | None) -> int | None:
    try:
        return int(date[:4]) if date else None
    except ValueError:
        return None


class _Prepared:
    """Everything an add writes, as plain rows, computed before the transaction starts (a short
    lock) and without the database: the work of :func:`prepare`, which may run in another process
    (it pickles as plain values). Passages are named by their ids; the insert numbers them."""

    def __init__(self, data: dict[str, Any], origin: str | None) -> None:
        import json

        from rectcli.library.index import (
            _HAN_RUN, _readings, phrase_runs, pinyin_token_string, plain_text, text_token_string,
        )
        from rectcli.notice import extract
        from rectcli.notice.build import build
        from rectcli.notice.model import characters
        from rectcli.notice.stats import reported_money
        from rectcli.textfold import fold_canonical as fold

        try:
            self.json = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError) as e:
            raise DataError(f"the notice is not plain format-2 data ({e}); import it first") from None
        try:
            notice = build(data)
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise DataError(f"the notice is not valid format-2 data ({type(e).__name__}: {e}); "
                            "validate it first") from None
        self.hash = content_hash(notice)
        self.origin = origin
        meta = notice.metadata
        insp = meta.inspection
        self.issuer = meta.issuer
        self.title = meta.title or (notice.title_lines[0] if notice.title_lines else None)
        date, date_from = _dated(notice)
        passages = notice.passages()
        self.notice_row = (
            self.hash[:SHORT], self.hash, self.title, meta.issuer, meta.kind, "、".join(meta.special) or None,
            insp.body, insp.level, insp.round, insp.team, insp.inspected, date, date_from, _year(date),
            meta.published.value if meta.published else None,
            meta.signature.date.value if meta.signature and meta.signature.date else None,
            len(notice.sections), len(passages), characters("".join(notice.text_lines())), meta.source.encoding,
            meta.source.url, origin, self.json, sum(len(p.text) for p in passages), reported_money(notice))
        nodes = {n.id: n for n in notice.nodes()}
        self.rows = []
        self.tokens = []
        runs: Counter[str] = Counter()
        self.chars: set[str] = set()
        for p in passages:
            node = nodes.get(p.id)  # a node's passage (kind node or heading) has the node's id
            parent, depth, marker, head = _node_columns(node) if node is not None else (None, 0, None, None)
            self.rows.append((p.id, p.kind, p.label, p.section_id, parent, depth, marker, p.title, p.title_start,
                              p.text, head, int(plain_text(p.text))))
            folded = fold(p.text)
            self.tokens.append((text_token_string(folded), pinyin_token_string(folded)))
            runs.update(phrase_runs(folded))
            for run in _HAN_RUN.findall(folded):
                self.chars.update(run)
        self.syllables = {r for ch in self.chars for r in _readings(ch)}
        self.runs = runs
        # outcomes and their breakdowns in reading order: (own number, parent's number or 0, …)
        self.outcomes: list[tuple[Any, ...]] = []
        for kind, items in (("outcome", notice.outcomes), ("stated", notice.stated)):
            self._outcomes(kind, items, 0)
        self.headlines = [(o.key, o.raw, o.unit, None if o.yuan is None else format(o.yuan, "f"))
                          for o in notice.outcomes if o.key is not None]
        self.documents = [(doc.title, doc.kind, "、".join(doc.marks) or None, doc.years,
                           [ct.passage_id for ct in doc.citations]) for doc in extract.documents(notice)]
        self.figures = [(q.passage_id, seq, q.written, q.number, format(q.value, "f"), q.unit, int(q.chinese),
                         q.approx, None if q.yuan is None else format(q.yuan, "f"), q.context, q.start, q.damaged)
                        for seq, q in enumerate(extract.figures(notice), 1)]

    def _outcomes(self, kind: str, items: Any, parent: int) -> None:
        for seq, o in enumerate(items, 1):
            own = len(self.outcomes) + 1
            self.outcomes.append((own, parent, seq, kind, o.label, o.key, o.raw, o.unit, o.approx,
                                  None if o.yuan is None else format(o.yuan, "f"),
                                  int(o.complete) if o.breakdown else None, int(o.damaged), o.passage, o.start, o.end))
            if o.breakdown:
                self._outcomes(kind, o.breakdown, own)


def prepare(item: "tuple[dict[str, Any], str | None]") -> "_Prepared | RectcliError":
    """What adding ``(data, origin)`` writes, or why it cannot be added (returned, not raised:
    a pool of workers hands it back in its place among the others)."""
    try:
        return _Prepared(*item)
    except RectcliError as e:
        return e


def _insert(conn: sqlite3.Connection, prep: _Prepared) -> int:
    """Write what :class:`_Prepared` computed; rows are numbered after the largest ids, inside
    the write transaction, so that one executemany writes each table."""
    cur = conn.execute(
        "INSERT INTO notices (id, hash, title, issuer, kind, special, body, level, round, team, inspected,"
        " date, date_from, year, published, signature_date, sections, passages, characters, encoding, url,"
        " origin, data, text_chars, money, added) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (*prep.notice_row, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())))
    notice_id = int(cur.lastrowid)  # type: ignore[arg-type]
    conn.executemany(
        "INSERT INTO passages (notice_id, seq, passage, kind, label, section_id, parent, depth, marker,"
        " heading, title_start, text, head, plain) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(notice_id, seq, *row) for seq, row in enumerate(prep.rows, 1)])
    pids: dict[str, int] = dict(conn.execute("SELECT passage, passage_id FROM passages WHERE notice_id = ?",
                                             (notice_id,)).fetchall())
    ordered = [pids[row[0]] for row in prep.rows]
    conn.executemany("INSERT INTO passage_text_index (rowid, tokens) VALUES (?, ?)",
                     [(pid, t) for pid, (t, _) in zip(ordered, prep.tokens)])
    conn.executemany("INSERT INTO passage_pinyin_index (rowid, tokens) VALUES (?, ?)",
                     [(pid, p) for pid, (_, p) in zip(ordered, prep.tokens)])
    (top,) = conn.execute("SELECT coalesce(max(outcome_id), 0) FROM outcomes").fetchone()
    conn.executemany(
        "INSERT INTO outcomes (outcome_id, notice_id, parent_id, seq, kind, label, key, value, unit, approx, yuan,"
        " complete, damaged, passage_id, span_start, span_end) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(top + own, notice_id, top + parent if parent else None, *rest, pids.get(passage) if passage else None,
          start, end) for own, parent, *rest, passage, start, end in prep.outcomes])
    _insert_headlines(conn, notice_id, prep.headlines)
    (top,) = conn.execute("SELECT coalesce(max(document_id), 0) FROM documents").fetchone()
    conn.executemany("INSERT INTO documents (document_id, notice_id, seq, title, kind, marks, years)"
                     " VALUES (?,?,?,?,?,?,?)",
                     [(top + seq, notice_id, seq, *doc[:4]) for seq, doc in enumerate(prep.documents, 1)])
    conn.executemany("INSERT OR IGNORE INTO citations (document_id, passage_id) VALUES (?, ?)",
                     [(top + seq, pids[pid]) for seq, doc in enumerate(prep.documents, 1) for pid in doc[4]
                      if pid in pids])
    conn.executemany("INSERT INTO figures (notice_id, passage_id, seq, written, number, value, unit, chinese,"
                     " approx, yuan, context, start, damaged) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                     [(notice_id, pids[f[0]], *f[1:]) for f in prep.figures if f[0] in pids])
    conn.executemany("INSERT OR IGNORE INTO syllables (syllable) VALUES (?)", [(s,) for s in prep.syllables])
    _insert_chars(conn, prep.chars)
    return notice_id


def _phrase_rows_many(conn: sqlite3.Connection, rows: "list[tuple[int, str]]", *, delete: bool) -> None:
    """Index (or un-index) phrases: their characters and pairs, and their first readings."""
    from rectcli.library.index import first_readings, phrase_tokens

    for table, tokens in (("phrase_text_index", phrase_tokens), ("phrase_pinyin_index", first_readings)):
        if delete:
            conn.executemany(f"INSERT INTO {table} ({table}, rowid, tokens) VALUES ('delete', ?, ?)",
                             ((pid, " ".join(tokens(phrase))) for pid, phrase in rows))
        else:
            conn.executemany(f"INSERT INTO {table} (rowid, tokens) VALUES (?, ?)",
                             ((pid, " ".join(tokens(phrase))) for pid, phrase in rows))


def _count_phrases(conn: sqlite3.Connection, runs: "Counter[str]", sign: int) -> None:
    """Add (sign +1) or take away (-1) a notice's phrase runs. Adding is one UPSERT; the phrase
    indexes are brought up to date by :func:`index_phrases`, once per batch of adds."""
    if not runs:
        return
    if sign > 0:
        conn.executemany("INSERT INTO phrases (phrase, seen) VALUES (?, ?)"
                         " ON CONFLICT (phrase) DO UPDATE SET seen = seen + excluded.seen", runs.items())
        return
    import json

    wanted = json.dumps(list(runs), ensure_ascii=False)
    existing = dict((phrase, (pid, seen)) for pid, phrase, seen in conn.execute(
        "SELECT phrase_id, phrase, seen FROM phrases WHERE phrase IN (SELECT value FROM json_each(?))", (wanted,)))
    gone = [(pid, p) for p, (pid, seen) in existing.items() if seen <= runs[p]]
    conn.executemany("UPDATE phrases SET seen = seen - ? WHERE phrase_id = ?",
                     [(runs[p], pid) for p, (pid, seen) in existing.items() if seen > runs[p]])
    upto = _phrases_indexed(conn)
    _phrase_rows_many(conn, [(pid, p) for pid, p in gone if pid <= upto], delete=True)
    conn.executemany("DELETE FROM phrases WHERE phrase_id = ?", [(pid,) for pid, _ in gone])
    # SQLite numbers a new row after the largest left: bring the mark down to it, so that a new
    # phrase never takes the number of an indexed one that was deleted
    (top,) = conn.execute("SELECT coalesce(max(phrase_id), 0) FROM phrases").fetchone()
    if top < upto:
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('phrases_indexed', ?)", (str(top),))


def _count_batch(conn: sqlite3.Connection, batch: "list[tuple[int, Counter[str]]]") -> None:
    """Count the runs of a batch of added notices — (notice_id, runs) — in one pass, those still
    pending (a notice removed or counted meanwhile is left out)."""
    import json

    ids = json.dumps([nid for nid, _ in batch])
    still = {r[0] for r in conn.execute(
        "SELECT notice_id FROM phrases_pending WHERE notice_id IN (SELECT value FROM json_each(?))", (ids,))}
    conn.execute("DELETE FROM phrases_pending WHERE notice_id IN (SELECT value FROM json_each(?))", (ids,))
    runs: Counter[str] = Counter()
    for nid, mine in batch:
        if nid in still:
            runs.update(mine)
    _count_phrases(conn, runs, +1)


def _count_left_pending(conn: sqlite3.Connection) -> None:
    """Count, from their text, the notices an add_many stored but did not count (it was stopped
    first; a running one finds them counted and leaves them)."""
    from rectcli.library.index import pending_runs

    runs = pending_runs(conn)
    if runs:
        conn.execute("DELETE FROM phrases_pending")
        _count_phrases(conn, runs, +1)


def _phrases_indexed(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = 'phrases_indexed'").fetchone()
    return int(row[0]) if row else 0


def index_phrases(conn: sqlite3.Connection) -> None:
    """Put the phrases added since the last call into the phrase indexes (inside the caller's
    transaction). A phrase is never renumbered, so 'every phrase_id up to N' is the indexed set."""
    upto = _phrases_indexed(conn)
    while True:  # a few thousand at a time: an import of many notices brings hundreds of thousands
        rows = conn.execute("SELECT phrase_id, phrase FROM phrases WHERE phrase_id > ? ORDER BY phrase_id LIMIT ?",
                            (upto, PHRASE_CHUNK)).fetchall()
        if not rows:
            break
        _phrase_rows_many(conn, rows, delete=False)
        upto = rows[-1][0]
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('phrases_indexed', ?)", (str(upto),))


def _delete(conn: sqlite3.Connection, notice_id: int) -> None:
    """Remove a notice and its index rows (contentless FTS5 rows are deleted with their tokens,
    rebuilt from the stored text exactly as they were made)."""
    from rectcli.library.index import phrase_runs, pinyin_token_string, text_token_string
    from rectcli.textfold import fold_canonical as fold

    runs: Counter[str] = Counter()
    for pid, text in conn.execute("SELECT passage_id, text FROM passages WHERE notice_id = ?", (notice_id,)).fetchall():
        folded = fold(text)
        conn.execute("INSERT INTO passage_text_index (passage_text_index, rowid, tokens) VALUES ('delete', ?, ?)",
                     (pid, text_token_string(folded)))
        conn.execute("INSERT INTO passage_pinyin_index (passage_pinyin_index, rowid, tokens) VALUES ('delete', ?, ?)",
                     (pid, pinyin_token_string(folded)))
        runs.update(phrase_runs(folded))
    if conn.execute("DELETE FROM compare_rows WHERE notice_id = ?", (notice_id,)).rowcount:
        _add_to_totals(conn, conn.execute("SELECT key, value FROM headlines WHERE notice_id = ?",
                                          (notice_id,)).fetchall(), -1)
    if not conn.execute("DELETE FROM phrases_pending WHERE notice_id = ?", (notice_id,)).rowcount:
        _count_phrases(conn, runs, -1)  # (a pending notice's runs were never counted)
    conn.execute("DELETE FROM citations WHERE document_id IN (SELECT document_id FROM documents WHERE notice_id = ?)",
                 (notice_id,))
    for table in ("figures", "documents", "headlines", "outcomes", "passages", "notices"):
        conn.execute(f"DELETE FROM {table} WHERE notice_id = ?", (notice_id,))


def _ensure_index(conn: sqlite3.Connection) -> None:
    """Rebuild the FTS5 indexes if they were made by other tokens (an explicit, recorded step)."""
    fingerprint = _index_fingerprint()
    row = conn.execute("SELECT value FROM meta WHERE key = 'index_version'").fetchone()
    if row and row[0] == fingerprint:
        return
    if row is not None:
        reindex(conn)
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('index_version', ?)", (fingerprint,))


def reindex(conn: sqlite3.Connection) -> None:
    """Make every index row again from the stored text (inside the caller's transaction), with
    the token builders an add uses."""
    from rectcli.library.index import _readings, pinyin_token_string, plain_text, text_token_string
    from rectcli.textfold import fold_canonical as fold

    for table in ("passage_text_index", "passage_pinyin_index", "phrase_text_index", "phrase_pinyin_index"):
        conn.execute(f"INSERT INTO {table} ({table}) VALUES ('delete-all')")
    conn.execute("DELETE FROM syllables")
    conn.execute("DELETE FROM chars")
    chars: set[str] = set()
    for pid, text in conn.execute("SELECT passage_id, text FROM passages").fetchall():
        folded = fold(text)
        chars.update(_han_chars(folded))
        conn.execute("INSERT INTO passage_text_index (rowid, tokens) VALUES (?, ?)", (pid, text_token_string(folded)))
        conn.execute("INSERT INTO passage_pinyin_index (rowid, tokens) VALUES (?, ?)", (pid, pinyin_token_string(folded)))
        conn.execute("UPDATE passages SET plain = ? WHERE passage_id = ?", (int(plain_text(text)), pid))
    conn.executemany("INSERT OR IGNORE INTO syllables (syllable) VALUES (?)",
                     [(s,) for s in {r for ch in chars for r in _readings(ch)}])
    _insert_chars(conn, chars)
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('phrases_indexed', '0')")
    index_phrases(conn)


AHEAD = 4  # items per worker prepared ahead of the writer
WAL_PAGES = 8000  # pages (32 MB) the write-ahead log may reach in add_many before a checkpoint
PHRASE_BATCH = 100  # notices of an add_many whose phrase runs are counted together
PHRASE_CHUNK = 5000  # phrases put into the phrase indexes at a time


def _work(job: "tuple[Any, Any]") -> "_Prepared | RectcliError":
    """One item of :func:`add_many`, in a worker or here: read it (``read(item)`` gives
    ``(data, origin)``), then :func:`prepare` it."""
    read, item = job
    if read is not None:
        try:
            item = read(item)
        except RectcliError as e:
            return e
    return prepare(item)


def _worker_start(parent: int) -> None:
    """A preparing worker: Ctrl-C is the parent's to handle, it dies with the parent, and it
    never writes to the terminal (its output streams, and any lock a thread of the parent held
    on them when it was forked, are not used: they are /dev/null here)."""
    import signal
    import sys

    from rectcli.search import _die_with

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with(parent)
    sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")


def _prepared(items: Iterator[Any], read: Any, workers: int) -> Iterator["_Prepared | RectcliError"]:
    """Each item prepared, in order: here, or by ``workers`` forked processes while the caller
    writes. At most ``AHEAD`` items per worker are read or prepared ahead of the writer, so memory
    stays bounded however many items there are (Pool.imap would read them all at once); the pool
    is closed however the caller stops."""
    jobs = ((read, item) for item in items)
    if workers < 1 or not hasattr(os, "fork"):
        yield from map(_work, jobs)
        return
    import multiprocessing
    from collections import deque

    pool = multiprocessing.get_context("fork").Pool(workers, initializer=_worker_start, initargs=(os.getpid(),))
    try:
        ahead: deque[Any] = deque()
        for job in jobs:
            ahead.append(pool.apply_async(_work, (job,)))
            if len(ahead) >= AHEAD * workers:
                yield ahead.popleft().get()
        while ahead:
            yield ahead.popleft().get()
        pool.close()
    finally:
        pool.terminate()
        pool.join()


def add_many(path: Path, items: "Iterator[Any]", *, replace: bool, timeout: float, read: Any = None,
             workers: int = 0) -> Iterator[AddResult]:
    """:func:`add` for many notices over one connection: each is still its own transaction (an
    interrupted import keeps every notice added before), without reopening the file each time.

    Items are ``(data, origin)``, or anything ``read`` turns into that (a source to import).
    Yields one AddResult per item, in order; an item that cannot be read or added is status
    ``failed`` with the reason in ``error`` (the others are added all the same). ``workers``:
    processes that read and prepare items while this one writes (0: all here)."""
    conn = open_write(path, timeout)
    batch: list[tuple[int, Counter[str]]] = []
    try:
        conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_PAGES}")
        with write_tx(path, timeout, conn) as c:
            _count_left_pending(c)
        for prep in _prepared(items, read, workers):
            if isinstance(prep, RectcliError):
                yield AddResult("", "failed", None, None, "", error=" ".join(str(prep).split()))
                continue
            result = _add_prepared(path, prep, replace=replace, timeout=timeout, conn=conn, batch=batch)
            if len(batch) >= PHRASE_BATCH:
                with write_tx(path, timeout, conn) as c:
                    _count_batch(c, batch)
                batch.clear()
            yield result
        with write_tx(path, timeout, conn) as c:
            if batch:
                _count_batch(c, batch)
                batch.clear()
            index_phrases(c)
    except GeneratorExit:  # the caller stopped early: count what was added (indexing can wait)
        if batch:
            with write_tx(path, timeout, conn) as c:
                _count_batch(c, batch)
        raise
    finally:
        try:  # the log back to nothing (unless a reader still needs it: then as it can)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.DatabaseError:
            pass
        conn.close()


def add(path: Path, data: dict[str, Any], *, origin: str | None, replace: bool, timeout: float) -> AddResult:
    """Add one notice in one transaction (its new phrases indexed in the same transaction)."""
    return _add_prepared(path, _Prepared(data, origin), replace=replace, timeout=timeout)


def _add_prepared(path: Path, prep: _Prepared, *, replace: bool, timeout: float,
                  conn: sqlite3.Connection | None = None,
                  batch: "list[tuple[int, Counter[str]]] | None" = None) -> AddResult:
    """Write a prepared notice in one transaction. ``batch``: part of :func:`add_many`, which
    counts the phrase runs of the notices it gathers there and indexes the new phrases once at
    its end (else this add does both, in the same transaction)."""

    def result(status: str, differs: bool = False) -> AddResult:
        return AddResult(prep.hash[:SHORT], status, prep.issuer, prep.title, prep.hash, differs)

    with write_tx(path, timeout, conn) as conn:
        row = conn.execute("SELECT notice_id, data, origin FROM notices WHERE hash = ?", (prep.hash,)).fetchone()
        if row is not None:
            same = row[1] == prep.json and (prep.origin is None or row[2] == prep.origin)
            if not replace or same:
                return result("unchanged", differs=row[1] != prep.json)
            _delete(conn, row[0])
        notice_id = _insert(conn, prep)
        if batch is None:
            _count_left_pending(conn)
            _count_phrases(conn, prep.runs, +1)
            index_phrases(conn)
        else:
            conn.execute("INSERT INTO phrases_pending (notice_id) VALUES (?)", (notice_id,))
            batch.append((notice_id, prep.runs))
        return result("added" if row is None else "replaced")


def remove(path: Path, ident: str, timeout: float) -> NoticeRef:
    with write_tx(path, timeout) as conn:
        notice_id, _ = resolve(conn, ident)
        row = conn.execute("SELECT id, issuer, date, title FROM notices WHERE notice_id = ?", (notice_id,)).fetchone()
        _delete(conn, notice_id)
        return NoticeRef(*row)


def get(path: Path, ident: str, timeout: float) -> Any:
    import json

    from rectcli.notice.build import build

    with read_conn(path, timeout) as conn:
        notice_id, _ = resolve(conn, ident)
        (data,) = conn.execute("SELECT data FROM notices WHERE notice_id = ?", (notice_id,)).fetchone()
    return build(json.loads(data))


# ---------------------------------------------------------------- listing and filters


def year_range(year: Any) -> tuple[int | None, int | None] | None:
    """None, 2022, '2022', '2021-2022', '2021-', '-2022' or (2021, 2022) → (from, to)."""
    if year is None:
        return None
    if isinstance(year, int):
        return year, year
    if isinstance(year, (tuple, list)) and len(year) == 2:
        return (None if year[0] is None else int(year[0])), (None if year[1] is None else int(year[1]))
    text = str(year).strip().replace("–", "-").replace("..", "-")
    try:
        if "-" in text:
            lo, _, hi = text.partition("-")
            return (int(lo) if lo.strip() else None), (int(hi) if hi.strip() else None)
        return int(text), int(text)
    except ValueError:
        from rectcli.errors import QueryError

        raise QueryError(f"year {year!r} is not a year or a range such as 2021-2022") from None


def where(conn: sqlite3.Connection, *, notice: str | None = None, issuer: str | None = None,
          kind: str | None = None, year: Any = None, round: str | None = None) -> tuple[str, list[Any]]:
    """A WHERE clause (on table alias n = notices) for the filters, and its parameters."""
    clauses, params = ["1"], []
    if notice is not None:
        notice_id, _ = resolve(conn, notice)
        clauses.append("n.notice_id = ?")
        params.append(notice_id)
    if issuer:
        clauses.append("instr(n.issuer, ?) > 0")
        params.append(issuer)
    if kind:
        clauses.append("n.kind = ?")
        params.append(kind)
    span = year_range(year)
    if span is not None:
        lo, hi = span
        if lo is not None:
            clauses.append("n.year >= ?")
            params.append(lo)
        if hi is not None:
            clauses.append("n.year <= ?")
            params.append(hi)
    if round:
        clauses.append("instr(n.round, ?) > 0")
        params.append(round)
    return " AND ".join(clauses), params


ORDER = "n.date IS NULL, n.date, n.id, n.hash"


def notices(path: Path, timeout: float, *, headline: bool = True, **filters: Any) -> list[NoticeRow]:
    """The notices the filters select, in listing order, each with its summary (first 立案 and
    党纪处分 from its compare row, the money it reports) and — ``headline`` — every top-level
    outcome (a read of tens of thousands of outcomes at 10,000 notices)."""
    with read_conn(path, timeout) as conn:
        clause, params = where(conn, **filters)
        rows = conn.execute(
            f"SELECT n.notice_id, n.id, n.issuer, n.kind, n.level, n.round, n.date, n.sections, n.title, n.origin,"
            f" n.hash, n.money, c.cells FROM notices n LEFT JOIN compare_rows c ON c.notice_id = n.notice_id"
            f" WHERE {clause} ORDER BY {ORDER}", params).fetchall()
        slots = dict(conn.execute("SELECT key, slot FROM compare_keys WHERE key IN ('cases_filed', 'party_discipline')"))
        heads = _headlines(conn, clause, params) if headline else {}
    filed, discipline = slots.get("cases_filed", -1), slots.get("party_discipline", -1)

    def cell(cells: list[str], slot: int) -> str | None:
        return (cells[slot] or None) if 0 <= slot < len(cells) else None

    out = []
    for r in rows:
        cells = r[12].split(CELL_SEP) if r[12] else []
        out.append(NoticeRow(r[1], r[2], r[3], r[4], r[5], r[6], r[7], tuple(heads.get(r[0], ())), r[8], r[9], r[10],
                             cell(cells, filed), cell(cells, discipline), r[11]))
    return out


def _headlines(conn: sqlite3.Connection, clause: str, params: list[Any]) -> dict[int, list[Headline]]:
    """Every selected notice's top-level outcomes in reading order, by notice_id: tens of
    thousands, made as plain records; their keys, labels, units and values recur across notices
    and are kept once each (a listing of 10,000 notices in well under 100 MB)."""
    heads: dict[int, list[Headline]] = {}
    same: dict[str | None, str | None] = {}
    once = same.setdefault
    new, put = object.__new__, object.__setattr__
    selected = "" if clause == "1" else f" AND o.notice_id IN (SELECT n.notice_id FROM notices n WHERE {clause})"
    for nid, key, label, value, unit, yuan in conn.execute(
            f"SELECT o.notice_id, o.key, o.label, o.value, o.unit, o.yuan FROM outcomes o INDEXED BY outcomes_headline"
            f" WHERE o.parent_id IS NULL AND o.kind = 'outcome'{selected} ORDER BY o.notice_id, o.seq", params):
        head = new(Headline)
        put(head, "__dict__", {"key": once(key, key), "label": once(label, label), "value": once(value, value),
                               "unit": once(unit, unit), "yuan": once(yuan, yuan)})
        heads.setdefault(nid, []).append(head)
    return heads
