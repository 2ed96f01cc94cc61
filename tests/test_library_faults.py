"""The library file under stress: two processes adding at once, an add killed mid-transaction,
and files that cannot be used (not SQLite, from a newer rectcli, read-only, locked, cut short):
each is one clear error, and nothing is written."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from rectcli.library import Library, LibraryError
from tests.test_library_store import A, B, C, bundled


def variant(i: int, tag: str) -> dict:
    """A distinct small notice (its text differs, so its content hash does)."""
    d = json.loads(json.dumps(A))
    d["opening"][0]["text"] = f"{tag}第{i}号:立案{i}件。"
    d["metadata"]["issuer"] = f"中共{tag}县委"
    return d


ADDER = textwrap.dedent("""
    import json, sys
    from rectcli.library import Library
    lib = Library(sys.argv[1], timeout=60)
    for line in sys.stdin:
        r = lib.add(json.loads(line))
        print(r.hash, flush=True)
""")


def spawn(db: Path, notices: list[dict]) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", ADDER, str(db)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdin is not None
    proc.stdin.write("".join(json.dumps(n, ensure_ascii=False) + "\n" for n in notices))
    proc.stdin.close()
    proc.stdin = None  # written and closed: communicate() must not touch it
    return proc


def stored_hashes(db: Path) -> set[str]:
    con = sqlite3.connect(str(db))
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return {r[0] for r in con.execute("SELECT hash FROM notices")}
    finally:
        con.close()


def test_two_processes_adding_at_once(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    one = spawn(db, [variant(i, "甲") for i in range(15)])
    two = spawn(db, [variant(i, "乙") for i in range(15)])
    out1, err1 = one.communicate(timeout=120)
    out2, err2 = two.communicate(timeout=120)
    assert one.returncode == 0, err1
    assert two.returncode == 0, err2
    reported = set(out1.split()) | set(out2.split())
    assert len(reported) == 30
    assert stored_hashes(db) == reported
    lib = Library(db)
    assert len(lib.notices(issuer="甲")) == 15 and len(lib.notices(issuer="乙")) == 15
    # the index holds both writers' rows: each notice's 第N号 is found in it alone
    assert [h.notice.issuer for h in lib.search(["乙第7号"]).hits] == ["中共乙县委"]
    # the column totals both writers kept are the sums of the rows (a selection of every notice
    # sums its rows; the whole library's are the kept ones)
    kept = lib.compare()
    assert kept.totals and kept.columns and kept == lib.compare(issuer="中共")


def test_killed_mid_add_keeps_exactly_the_committed_notices(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    first = Library(db).add(bundled()).hash
    big = bundled()
    notices = []
    for i in range(200):  # large notices: each add takes a while, so the kill lands inside one
        d = json.loads(json.dumps(big))
        d["closing"][0]["text"] += f"(第{i}份)"
        notices.append(d)
    proc = spawn(db, notices)
    assert proc.stdout is not None
    lines = [proc.stdout.readline() for _ in range(3)]
    proc.send_signal(signal.SIGKILL)
    lines += proc.stdout.read().splitlines(keepends=True)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    # a line cut short by the kill is not a report of a commit
    committed = [ln.strip() for ln in lines if ln.endswith("\n")]
    stored = stored_hashes(db) - {first}
    assert len(stored) < len(notices)  # the kill landed before the last add
    # every add that reported its commit is there; at most one more committed before the kill
    # without having printed it, and nothing half-written
    assert set(committed) <= stored
    assert len(stored - set(committed)) <= 1
    lib = Library(db)
    assert len(lib.notices()) == 1 + len(stored)
    assert len(lib.search(["公车"]).hits) == 1 + len(stored)
    # the kept column totals are those of the notices there (the killed add's are not in them)
    kept = lib.compare()
    assert kept.columns and kept == lib.compare(issuer="中共")
    # the next add works
    assert lib.add(C).status == "added"


def _bytes(path: Path) -> bytes:
    return path.read_bytes() if path.exists() else b""


def test_not_an_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("这不是数据库\n" * 50, encoding="utf-8")
    before = _bytes(path)
    for action in (lambda lib: lib.notices(), lambda lib: lib.add(A), lambda lib: lib.search(["公车"])):
        with pytest.raises(LibraryError, match="not a rectcli library \\(not an SQLite database\\)") as e:
            action(Library(path))
        assert "\n" not in str(e.value)
    assert _bytes(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_sqlite_but_not_a_library(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    con = sqlite3.connect(str(path))
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    before = _bytes(path)
    with pytest.raises(LibraryError, match="not a rectcli library"):
        Library(path).add(A)
    with pytest.raises(LibraryError, match="not a rectcli library"):
        Library(path).notices()
    assert _bytes(path) == before


def test_from_a_newer_rectcli(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    Library(path).add(A)
    con = sqlite3.connect(str(path))
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    for action in (lambda lib: lib.notices(), lambda lib: lib.add(B)):
        with pytest.raises(LibraryError, match="newer rectcli \\(library schema version 99; this rectcli reads "
                                               "versions up to 5\\)") as e:
            action(Library(path))
        assert "\n" not in str(e.value)
    con = sqlite3.connect(str(path))
    assert con.execute("SELECT count(*) FROM notices").fetchone() == (1,)
    con.close()


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_file_reads_but_refuses_add(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    Library(path).add(A)
    path.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        lib = Library(path)
        assert [r.issuer for r in lib.notices()] == ["中共甲县委"]
        with pytest.raises(LibraryError, match="read-only"):
            lib.add(B)
    finally:
        tmp_path.chmod(0o755)
        path.chmod(0o644)


def test_read_only_folder_refuses_add_before_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # (as root, chmod does not stop writes: make os.access report what a user would see)
    path = tmp_path / "lib.db"
    Library(path).add(A)
    before = _bytes(path)
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if mode & os.W_OK else real(p, mode, **kw))
    with pytest.raises(LibraryError, match="read-only") as e:
        Library(path).add(B)
    assert "reading it still works" in str(e.value)
    monkeypatch.setattr(os, "access", real)
    assert _bytes(path) == before
    assert [r.issuer for r in Library(path).notices()] == ["中共甲县委"]


def test_locked_past_the_timeout(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    Library(path).add(A)
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sqlite3, sys, time
        con = sqlite3.connect({str(path)!r}, isolation_level=None)
        con.execute("BEGIN IMMEDIATE")
        print("locked", flush=True)
        sys.stdin.read()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(LibraryError, match="locked by another process \\(waited 0.3 s\\)") as e:
            Library(path, timeout=0.3).add(B)
        assert "\n" not in str(e.value)
        # reading still works while another process writes (WAL)
        assert [r.issuer for r in Library(path, timeout=0.3).notices()] == ["中共甲县委"]
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=10)
    assert [r.issuer for r in Library(path).notices()] == ["中共甲县委"]


def test_cut_short(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    lib = Library(path)
    lib.add(bundled())
    con = sqlite3.connect(str(path))
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = path.read_bytes()
    for name in ("-wal", "-shm"):
        Path(str(path) + name).unlink(missing_ok=True)
    for cut in (len(data) // 2, 4096 + 100, 60):
        path.write_bytes(data[:cut])
        for action in (lambda lib: lib.notices(), lambda lib: lib.add(A), lambda lib: lib.search(["公车"])):
            with pytest.raises(LibraryError, match="damaged \\(cut short") as e:
                action(Library(path))
            assert "\n" not in str(e.value)
        assert path.read_bytes() == data[:cut]


def test_missing_library_is_not_created_by_reading(tmp_path: Path) -> None:
    path = tmp_path / "none.db"
    with pytest.raises(LibraryError, match="no library at"):
        Library(path).notices()
    assert not path.exists()
    with pytest.raises(LibraryError, match="folder .* does not exist"):
        Library(tmp_path / "no" / "lib.db").add(A)


def test_failed_add_leaves_the_library_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    lib = Library(path)
    lib.add(A)
    bad = json.loads(json.dumps(B))
    bad["outcomes"][0]["at"] = {"passage": "opening.1", "start": "x", "end": None}
    bad["outcomes"].append({"label": "立案", "value": "3"})  # no unit: not valid format-2 data
    from rectcli.errors import DataError

    with pytest.raises(DataError):
        lib.add(bad)
    assert [r.issuer for r in lib.notices()] == ["中共甲县委"]
