"""Hostile and broken input: each ends promptly with a clear message and exit 2, or works."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import run
from tests.paths import DATA


def rectcli(*args: str, env: dict[str, str] | None = None, **kw):
    """A real process of the rectcli these tests import (never the one on PATH)."""
    full = {k: v for k, v in os.environ.items() if k not in ("RECTCLI_DATA", "NO_COLOR")}
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "rectcli", *args], capture_output=True, timeout=20, env=full,
                          stdin=subprocess.DEVNULL, **kw)


def one_line_error(r, needle: str) -> None:
    err = r.stderr if isinstance(r.stderr, str) else r.stderr.decode()
    assert r.returncode == 2 if hasattr(r, "returncode") else r.exit_code == 2
    assert err.count("\n") == 1 and err.startswith("rectcli: error:") and needle in err, err


def hit_rows(out: str) -> list[str]:
    """The rows of plain search output that are hits on 6.4 (加强公车管理, source line 63),
    found by content: a header row may come first."""
    return [line for line in out.splitlines() if line.startswith("6.4\t六(四)\t") and "公车" in line]


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_billion_laughs(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9))
    one_line_error(rectcli("--data", write(tmp_path, "bomb.yaml", bomb.encode()), "stats"), "aliases")


def test_deeply_nested_yaml_does_not_crash_the_parser(tmp_path):
    # rectcli stops at depth 32 ("nested more than"); newer libyaml builds stop earlier
    # themselves ("exceeded maximum nesting depth"): either way one clear line, exit 2
    r = rectcli("--data", write(tmp_path, "deep.yaml", b"[" * 100_000), "stats")
    one_line_error(r, "nest")
    r = rectcli("--data", write(tmp_path, "deep2.yaml", b"- " * 50_000 + b"x"), "stats")
    one_line_error(r, "nest")


def test_50_mb_file(tmp_path):
    path = tmp_path / "big.yaml"
    with open(path, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    one_line_error(rectcli("--data", str(path), "stats"), "too large")


def test_binary_garbage(tmp_path):
    garbage = bytes(range(256)) * 64
    one_line_error(rectcli("--data", write(tmp_path, "bin.yaml", garbage), "stats"), "binary")
    noisy = bytes((i * 37 + 11) % 256 for i in range(1, 5000) if (i * 37 + 11) % 256)
    r = rectcli("--data", write(tmp_path, "noise.yaml", noisy), "stats")
    assert r.returncode == 2 and r.stderr.decode().count("\n") == 1 and b"Traceback" not in r.stderr


def test_python_tags_are_refused(tmp_path):
    evil = b"!!python/object/apply:os.system ['echo pwned']\n"
    r = rectcli("--data", write(tmp_path, "evil.yaml", evil), "stats")
    one_line_error(r, "not allowed")
    assert b"pwned" not in r.stdout


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_notice_in_gbk_is_decoded(tmp_path, encoding):
    text = DATA.read_text(encoding="utf-8")
    r = rectcli("--data", write(tmp_path, f"{encoding}.yaml", text.encode(encoding)), "search", "公车")
    assert r.returncode == 0, r.stderr
    assert len(hit_rows(r.stdout.decode())) == 1, r.stdout.decode()


def test_bom_and_crlf(tmp_path):
    text = DATA.read_text(encoding="utf-8").replace("\n", "\r\n")
    r = rectcli("--data", write(tmp_path, "crlf.yaml", b"\xef\xbb\xbf" + text.encode()), "search", "公车")
    assert r.returncode == 0, r.stderr
    assert len(hit_rows(r.stdout.decode())) == 1, r.stdout.decode()


HARD_QUERIES = {
    "100k plain": "公" * 100_000,
    "100k traditional (OpenCC)": "車" * 100_000,
    "100k pinyin letters": "gong" * 25_000,
    "17 common characters, no match (suggestions)": "开管行和化人部项展的发委一建实整改",
    "long pinyin, no match": "zhongguogongchandangweiyuanhui",
}


@pytest.mark.parametrize("query", list(HARD_QUERIES.values()), ids=list(HARD_QUERIES))
def test_huge_or_hard_queries_are_refused_or_answered(query):
    # in-process: a 100 000-character argument is over Linux's 128 KiB limit for one argv string
    r = run("search", "--", query)
    assert r.stdout == "" and "Traceback" not in r.stderr
    if len(query) > 1000:  # the query bound: one clear line, exit 2
        assert r.exit_code == 2
        assert r.stderr.count("\n") == 1 and "at most 1000 characters" in r.stderr
    else:
        assert r.exit_code == 1


@pytest.mark.parametrize("env", [{"LANG": "C", "LC_ALL": "C"}, {"TERM": "dumb"}, {"COLUMNS": "20"},
                                 {"LC_ALL": "C", "PYTHONIOENCODING": ""}])
def test_hostile_environments(env):
    r = rectcli("stats", env=env)
    assert r.returncode == 0, r.stderr
    assert b"Traceback" not in r.stderr and "清退款项".encode() in r.stdout


def test_narrow_terminal_in_rich_mode():
    r = rectcli("--color", "always", "sections", env={"COLUMNS": "20"})
    assert r.returncode == 0 and b"Traceback" not in r.stderr


def test_stdout_closed():
    r = subprocess.run(f"{shlex.quote(sys.executable)} -m rectcli stats >&-", shell=True, executable="/bin/bash",
                       capture_output=True, timeout=20)
    assert b"Traceback" not in r.stderr
    assert r.returncode in (0, 2)
    assert r.stderr.decode().count("\n") <= 1


def test_corrupt_cache_is_ignored(tmp_path):
    cache = tmp_path / "cache"
    env = {"RECTCLI_CACHE_DIR": str(cache)}
    first = rectcli("search", "公车", env=env)
    assert first.returncode == 0
    entries = list(cache.iterdir())
    assert len(entries) == 1
    for poison in (b"{not json", b"[]", entries[0].read_bytes().replace("加强公车管理".encode(), b"X")):
        entries[0].write_bytes(poison)
        again = rectcli("search", "公车", env=env)
        assert again.stdout == first.stdout and again.returncode == 0


def test_forged_cache_entry_with_valid_digests_is_ignored(tmp_path):
    import json

    cache = tmp_path / "cache"
    env = {"RECTCLI_CACHE_DIR": str(cache)}
    assert rectcli("stats", env=env).returncode == 0
    entry = next(cache.iterdir())
    header_line, body = entry.read_bytes().split(b"\n", 1)
    header, data = json.loads(header_line), json.loads(body)
    data["sections"] = "not a list"  # and a matching checksum, as a forger would write
    from rectcli.notice.cache import digest

    body = json.dumps(data).encode()
    header["data_blake2b"] = digest(body)
    entry.write_bytes(json.dumps(header).encode() + b"\n" + body)
    r = rectcli("stats", env=env)
    assert r.returncode == 0 and "清退款项".encode() in r.stdout


def test_catastrophic_regex_is_stopped(notice_copy):
    # section 八's body (source line 71) is the one paragraph of node 8 in format 2
    old = "  - 坚持立行立改,严格按照规定执行住房公积金"
    text = notice_copy.read_text(encoding="utf-8")
    assert text.count(old) == 1
    notice_copy.write_text(text.replace(old, "  - " + "a" * 40 + "!坚持立行立改,严格按照规定执行住房公积金"),
                           encoding="utf-8")
    r = run("--data", str(notice_copy), "search", "--regex", "(a+)+$")
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and "backtrack" in r.stderr


def test_regex_still_finds_through_the_guard():
    r = run("search", "--regex", "公.管理")
    assert r.exit_code == 0 and len(hit_rows(r.stdout)) == 1, r.stdout


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_cache_reader_parses_what_json_writes(value):
    import json

    from rectcli.notice.cache import loads

    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    assert loads(text) == json.loads(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30) | st.sampled_from(["{not json", "[1,", "1 2", " [] ", "NaN", "\"\\ud800\"", ""]))
def test_cache_reader_agrees_with_json_on_any_text(text):
    import json

    from rectcli.notice.cache import loads

    try:
        expected = json.loads(text)
    except ValueError:
        with pytest.raises(ValueError):
            loads(text)
    else:
        got = loads(text)
        assert got == expected or (got != got and expected != expected)  # NaN


def test_cache_reader_without_json_loaded():
    """In a real run json is not imported; bad input must still be a ValueError, good input
    must not import json."""
    probe = (
        "import sys\nfrom rectcli.notice.cache import loads\n"
        "assert loads('{\"a\":[1,2.5,null,true]}') == {'a': [1, 2.5, None, True]}\n"
        "assert 'json' not in sys.modules, 'parsing valid JSON imported json'\n"
        "for bad in ('{not json', '[1,', '1 2', ''):\n"
        "    try:\n        loads(bad)\n    except ValueError:\n        continue\n"
        "    raise SystemExit('accepted ' + repr(bad))\n"
        "print('ok')\n"
    )
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert r.stdout == "ok\n", r.stderr
