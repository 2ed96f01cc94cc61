"""Search stays correct at its edges and bounded in its work: empty regex matches, interrupted
regex children, and limits on how much a query may ask."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import ANSI, run
from tests.paths import SOURCE


# plain output starts with this header row (SWITCH: format 2); a hit is any other line
HEADER = "编号\t序号\t所在部分\t文本"


def ids(r):
    return [line.split("\t")[0] for line in r.stdout.splitlines() if "\t" in line and line != HEADER]


def source_line(start: str) -> str:
    """The line of the source text that starts with ``start`` (measure 六(四) is one line there)."""
    lines = (line.strip() for line in SOURCE.read_text(encoding="utf-8").splitlines())
    return next(line for line in lines if line.startswith(start))


# ---------------------------------------------------------------- empty (zero-width) regex matches


@pytest.mark.parametrize("pattern", ["(?=公车)", "^(?=.*公车)(?=.*管理)", "(?<=加强)(?=公车)"])
def test_a_zero_width_regex_match_counts(pattern):
    # 公车 occurs only in 六(四) 加强公车管理 (checked against the source text), which also says 管理
    r = run("search", "-e", pattern)
    assert r.exit_code == 0, r.output
    assert ids(r) == ["6.4"]
    assert "加强公车管理" in r.stdout


def test_zero_width_alternatives_find_each_passage():
    r = run("search", "-e", "(?=公车)|(?=住房公积金)")
    assert r.exit_code == 0, r.output
    assert ids(r) == ["6.4", "8"]  # (changed by design: 八 has no subsections; its passage is '8')


def test_empty_spans_point_where_the_lookahead_matched():
    text = source_line("(四)加强公车管理")
    where = [i for i in range(len(text)) if text.startswith("公车", i)]
    assert where[0] == 5  # (四)加强 is five characters
    r = run("search", "--json", "-e", "(?=公车)")
    assert r.exit_code == 0, r.output
    (hit,) = json.loads(r.stdout)["data"]["hits"]
    assert hit["id"] == "6.4" and hit["text"] == text
    assert hit["spans"] == [[i, i] for i in where]
    snip = hit["snippet"]
    assert snip["spans"], snip  # the snippet keeps the empty span, at 公车
    for start, end in snip["spans"]:
        assert start == end and snip["text"][start:start + 2] == "公车"


def test_snippet_is_centred_on_an_empty_match_at_the_end():
    # 六(四) ends 所有公务用车做到了严格规范管理和使用。 and no other passage ends 使用。
    r = run("search", "--json", "-e", "(?<=和使用。)$")
    assert r.exit_code == 0, r.output
    (hit,) = json.loads(r.stdout)["data"]["hits"]
    assert hit["id"] == "6.4"
    assert hit["spans"] == [[len(hit["text"]), len(hit["text"])]]
    snip = hit["snippet"]
    assert snip["text"].startswith("…") and snip["text"].endswith("严格规范管理和使用。")
    assert snip["spans"] == [[len(snip["text"]), len(snip["text"])]]


@pytest.mark.parametrize("extra", [[], ["--full"]])
def test_rich_output_copes_with_an_empty_span(extra):
    r = run("--color", "always", "search", *extra, "-e", "(?=公车)", env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.output
    plain = ANSI.sub("", r.stdout)
    assert "6.4" in plain and "加强公车管理" in plain.replace("\n", "")


# ---------------------------------------------------------------- the regex child dies with its parent

SLOW = "(.+)+#"  # no # in the notice: every passage backtracks for hours


def _stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as fh:
            raw = fh.read()
    except OSError:
        return None
    return raw.rpartition(")")[2].split()  # [state, ppid, ...] after the (command name)


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat(int(entry))
            if fields and int(fields[1]) == pid:
                out.append(int(entry))
    return out


def _running(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def _gone(pid: int, patience: float = 10.0) -> bool:
    """Has ``pid`` stopped running (exited, or a zombie nobody reaped)? Waits up to ``patience``
    seconds as a hang guard: a killed process takes a moment to die."""
    deadline = time.monotonic() + patience
    while _running(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def _slow_search(tmp_path) -> tuple[subprocess.Popen, int]:
    """A real `rectcli search -e SLOW` process and the pid of its regex child, once that exists.

    Its output goes to files, not pipes: a child that outlives it would hold a pipe open."""
    env = {k: v for k, v in os.environ.items() if k not in ("RECTCLI_DATA", "NO_COLOR")}
    with open(tmp_path / "out", "wb") as out, open(tmp_path / "err", "wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "rectcli", "search", "-e", SLOW], env=env,
                                stdin=subprocess.DEVNULL, stdout=out, stderr=err)
    deadline = time.monotonic() + 20  # hang guard
    while time.monotonic() < deadline and proc.poll() is None:
        kids = _children(proc.pid)
        if kids:
            return proc, kids[0]
        time.sleep(0.005)
    proc.kill()
    proc.wait()
    pytest.fail("the regex search never forked its child")


def _kill_quietly(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_interrupting_a_slow_regex_kills_its_child(sig, tmp_path):
    for _ in range(5):  # a run the 2 s guard ended before the signal came proves nothing: again
        proc, child = _slow_search(tmp_path)
        try:
            assert _running(child)
            os.kill(proc.pid, sig)
            proc.wait(timeout=20)
            err = (tmp_path / "err").read_bytes()
            if proc.returncode == 2 and b"longer than" in err:
                continue
            assert proc.returncode == 130, err
            assert err.decode().endswith("rectcli: interrupted\n"), err
            assert b"Traceback" not in err
            assert _gone(child), "the regex child outlived rectcli"
            return
        finally:
            proc.kill()
            _kill_quietly(child)
    pytest.fail("every run ended by its time limit before the signal arrived")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_killing_rectcli_outright_kills_its_regex_child(tmp_path):
    proc, child = _slow_search(tmp_path)
    try:
        os.kill(proc.pid, signal.SIGKILL)  # no handler runs: only the kernel can take the child along
        proc.wait(timeout=20)
        assert _gone(child), "the regex child outlived rectcli"
    finally:
        _kill_quietly(child)


# ---------------------------------------------------------------- how much a query may ask


def test_more_than_32_terms_is_an_error_naming_the_limit():
    terms = [f"词{i}" for i in range(33)]
    for args in (terms, ["--any", *terms], ["-e", *terms]):
        r = run("search", *args)
        assert r.exit_code == 2, r.output
        assert r.stdout == ""
        assert r.stderr.count("\n") == 1 and r.stderr.startswith("rectcli: error: ")
        assert "33" in r.stderr and "at most 32" in r.stderr


def test_too_long_a_query_is_an_error_naming_the_limit():
    r = run("search", "--", "公" * 1001)
    assert r.exit_code == 2, r.output
    assert r.stderr.count("\n") == 1 and "at most 1000 characters" in r.stderr
    r = run("search", "--any", "公" * 600, "车" * 401)  # the limit is for all terms together
    assert r.exit_code == 2 and "at most 1000 characters" in r.stderr
    r = run("search", "--", "公" * 1000)  # at the limit: searched, and found nowhere
    assert r.exit_code == 1 and r.stderr.startswith("rectcli: no passage matches")


def test_32_unmatched_terms_finish():
    terms = [f"没有这个词{chr(0x4e00 + 7 * i)}" for i in range(32)]
    env = {k: v for k, v in os.environ.items() if k not in ("RECTCLI_DATA", "NO_COLOR")}
    r = subprocess.run([sys.executable, "-m", "rectcli", "search", "--any", *terms], env=env,
                       capture_output=True, text=True, timeout=20, stdin=subprocess.DEVNULL)
    assert r.returncode == 1, r.stderr
    assert r.stdout == "" and "no passage matches" in r.stderr.splitlines()[-1]


def test_suggestions_are_ranked_across_all_unmatched_terms():
    # 公卫 is close to nothing (公司, 公务, 公共 … differ by a whole character); 整该 is 整改
    # mistyped by a homophone (该 gai for 改 gai), which must not be crowded out by 公卫's
    r = run("search", "--any", "公卫", "整该")
    assert r.exit_code == 1
    line = r.stderr.splitlines()[-1]
    assert "closest phrases in the notice: " in line
    assert line.split(": ")[-1].split("、")[0] == "整改"
