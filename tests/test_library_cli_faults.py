"""Library files that cannot be used, through the command line: not SQLite, from a newer rectcli,
read-only, locked by another process, cut short — each one clear line on stderr, exit 2, nothing
on stdout and nothing written; and `rectcli add` killed mid-way leaves a library that opens with
exactly the notices whose add completed."""

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

from tests.conftest import run
from tests.paths import FIXTURES

SHIMEN = FIXTURES / "genre" / "01-shimen-town-county-xuncha.txt"
READERS = (("notices",), ("search", "公车"), ("stats", "--compare"), ("notices", "--json"))


def env(library: Path) -> dict[str, str]:
    return {"RECTCLI_LIBRARY": str(library)}


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def assert_one_line_error(r, *, contains: str) -> None:
    assert r.exit_code == 2, r.output
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("rectcli: error: "), r.stderr
    assert contains in lines[0], lines[0]
    assert "Traceback" not in r.output


def make_library(path: Path) -> None:
    r = run("add", str(SHIMEN), env=env(path))
    assert r.exit_code == 0, r.output
    con = sqlite3.connect(str(path))  # fold the WAL into the file: the file alone is the library
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def test_not_an_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("这不是数据库\n" * 50, encoding="utf-8")
    before = files(tmp_path)
    for args in (*READERS, ("add", str(SHIMEN)), ("remove", "4453")):
        r = run(*args, env=env(path))
        if "--json" in args:
            assert r.exit_code == 2 and json.loads(r.stdout)["error"]["message"].endswith(
                "give the path of a library, or a new file name to create one")
        else:
            assert r.stdout == ""
            assert_one_line_error(r, contains="not a rectcli library (not an SQLite database)")
    assert files(tmp_path) == before


def test_from_a_newer_rectcli(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite"
    make_library(path)
    con = sqlite3.connect(str(path))
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    before = files(tmp_path)
    for args in (("notices",), ("search", "公车"), ("add", str(FIXTURES / "genre" / "03-lan-city-central-split-title.txt"))):
        r = run(*args, env=env(path))
        assert r.stdout == ""
        assert_one_line_error(r, contains="was written by a newer rectcli (library schema version 99")
    assert {k: v for k, v in files(tmp_path).items() if not k.endswith("-shm")} == before


def test_read_only_library_reads_but_refuses_add(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "lib.sqlite"
    make_library(path)
    before = path.read_bytes()
    path.chmod(0o444)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # root writes through chmod: make os.access answer as it would for a user
        real = os.access
        monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if mode & os.W_OK else real(p, mode, **kw))
    try:
        r = run("add", str(FIXTURES / "genre" / "03-lan-city-central-split-title.txt"), env=env(path))
        assert r.stdout == ""
        assert_one_line_error(r, contains="is read-only")
        r = run("notices", "--json", env=env(path))
        assert r.exit_code == 0, r.output
        assert len(json.loads(r.stdout)["data"]["notices"]) == 2
    finally:
        path.chmod(0o644)
    assert path.read_bytes() == before


def test_locked_by_another_process(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite"
    make_library(path)
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sqlite3, sys
        con = sqlite3.connect({str(path)!r}, isolation_level=None)
        con.execute("BEGIN EXCLUSIVE")
        print("locked", flush=True)
        sys.stdin.read()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        before = path.read_bytes()
        r = run("add", str(FIXTURES / "genre" / "03-lan-city-central-split-title.txt"), env=env(path))
        assert r.stdout == ""
        assert_one_line_error(r, contains="is locked by another process")
        assert path.read_bytes() == before
        # reading still works while another process holds the write lock (WAL)
        r = run("notices", "--json", env=env(path))
        assert r.exit_code == 0, r.output
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
        if holder.stdout is not None:
            holder.stdout.close()
    assert len(json.loads(run("notices", "--json", env=env(path)).stdout)["data"]["notices"]) == 2


def test_cut_short(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite"
    make_library(path)
    data = path.read_bytes()
    for cut in (len(data) // 2, 4096 + 100, 60):
        path.write_bytes(data[:cut])
        for args in (("notices",), ("search", "公车"), ("add", str(SHIMEN))):
            r = run(*args, env=env(path))
            assert r.stdout == ""
            assert_one_line_error(r, contains="is damaged (cut short")
        assert path.read_bytes() == data[:cut]


def test_add_killed_midway_keeps_exactly_the_completed_adds(tmp_path: Path) -> None:
    """Many distinct notices (01 with a numbered sentence in its opening) added by one `rectcli
    add` in a real process, killed with SIGKILL while adding: the library opens, lists the
    notices of the sources added before the kill (a prefix of the sources, each whole: its
    number is found in it), and adding them all again finds exactly those unchanged."""
    sources = _numbered_copies(tmp_path, 80, "测试副本")
    library = tmp_path / "lib.sqlite"
    proc = _adding(library, sources, stderr=subprocess.DEVNULL)
    try:
        # 80 sources: worker processes import them while the command writes
        workers = _once_a_few_are_added(proc, library)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert workers, "the add had no worker processes"
    assert _all_gone(workers)  # the workers died with it
    listed, copies = _listed(library)
    assert len(listed) == 1 + len(copies)  # the bundled notice and the copies, nothing else
    assert 3 <= len(copies) < len(sources)
    assert copies == list(range(len(copies)))  # each source in its own transaction, in order
    # the library's indexes hold exactly those notices
    for i in (0, len(copies) - 1, len(copies), len(copies) + 1):
        r = run("search", f"第{i}号测试副本", "--count", env=env(library))
        assert r.stdout == ("1\n" if i < len(copies) else "0\n")
    con = sqlite3.connect(str(library))
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert {row[0] for row in con.execute("SELECT id FROM notices")} == {n["id"] for n in listed}
    con.close()
    # adding all again: those are unchanged, the rest added
    r = run("add", *sources, env=env(library))
    assert r.exit_code == 0, r.output
    assert r.stderr.splitlines()[-1] == (f"rectcli: added {len(sources) - len(copies)}, unchanged {len(copies)}, "
                                         "replaced 0, failed 0")


def _numbered_copies(tmp_path: Path, count: int, name: str) -> list[str]:
    """``count`` distinct notices: 01 with 本通报为第N号{name}。 in its opening, as src/nNNN.txt."""
    text = SHIMEN.read_text(encoding="utf-8")
    anchor = "进行了常规巡察。"
    assert anchor in text
    sources = []
    for i in range(count):
        p = tmp_path / "src" / f"n{i:03d}.txt"
        p.parent.mkdir(exist_ok=True)
        p.write_text(text.replace(anchor, f"{anchor}本通报为第{i}号{name}。", 1), encoding="utf-8")
        sources.append(str(p))
    return sources


def _adding(library: Path, sources: list[str], **popen: object) -> subprocess.Popen:
    """`rectcli add SOURCES` into ``library`` in a real process."""
    environ = {k: v for k, v in os.environ.items() if k != "RECTCLI_DATA"}
    environ["RECTCLI_LIBRARY"] = str(library)
    return subprocess.Popen([sys.executable, "-m", "rectcli", "add", *sources], env=environ,
                            stdout=subprocess.DEVNULL, **popen)  # type: ignore[call-overload]


def _once_a_few_are_added(proc: subprocess.Popen, library: Path) -> list[int]:
    """Wait until 4 notices (the bundled one and 3 sources) are committed and the add has its
    worker processes; return the workers."""
    workers: list[int] = []
    while proc.poll() is None:
        try:
            con = sqlite3.connect(f"file:{library}?mode=ro", uri=True, timeout=1)
            try:
                n = con.execute("SELECT count(*) FROM notices").fetchone()[0]
            finally:
                con.close()
        except sqlite3.Error:
            n = 0
        workers = workers or _children(proc.pid)
        if n >= 4 and workers:
            break
        time.sleep(0.05)
    return workers


def _all_gone(pids: list[int], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while any(_running(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not any(_running(p) for p in pids)


def _listed(library: Path) -> tuple[list[dict], list[int]]:
    """What `rectcli notices --json` lists, and the numbers of the copies among them, in order."""
    r = run("notices", "--json", env={"RECTCLI_LIBRARY": str(library)})
    assert r.exit_code == 0, r.output
    listed = json.loads(r.stdout)["data"]["notices"]
    return listed, sorted(int(Path(n["origin"]).stem[1:]) for n in listed if n["origin"] and "/src/" in n["origin"])


def _children(pid: int) -> list[int]:
    """The child processes of ``pid`` (Linux /proc)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _running(pid: int) -> bool:
    """Whether ``pid`` is alive (a zombie waiting to be reaped is not)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


def test_add_interrupted_with_ctrl_c_stops_cleanly_with_its_workers(tmp_path: Path) -> None:
    """Ctrl-C reaches the whole foreground process group (the command and its workers): the
    command says `interrupted` and exits 130, no traceback from it or a worker, the workers are
    gone, and the library holds the notices whose add completed."""
    sources = _numbered_copies(tmp_path, 60, "中断测试副本")
    library = tmp_path / "lib.sqlite"
    with (tmp_path / "err").open("wb") as err:
        proc = _adding(library, sources, stderr=err, start_new_session=True)
        try:
            workers = _once_a_few_are_added(proc, library)
            os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
            proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
    err_text = (tmp_path / "err").read_text(encoding="utf-8", errors="replace")
    assert proc.returncode == 130, err_text
    assert err_text.endswith("rectcli: interrupted\n") and "Traceback" not in err_text
    assert workers and _all_gone(workers)
    _, copies = _listed(library)
    assert copies == list(range(len(copies))) and 3 <= len(copies) < len(sources)  # (4 with the bundled one)
