"""The parse cache in a hostile cache directory: it never writes through a link, never hangs
or fills memory on a strange entry, cleans up after itself, stays small, and an entry that
does not build a well-typed notice is ignored (the file is parsed again)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run
from tests.paths import DATA, ROOT

# What the commands print for the bundled notice, written from the notice's text
# (tests/fixtures/notice-source.txt): a row that starts with the first string and contains
# the others (rows are found by content, so a header row or new columns do not matter).
EXPECTED = {
    # source line 63 under the heading of line 55 (the section's head as written)
    ("search", "公车"): [("6.4\t", "加强公车管理", "六、关于履行全面从严治党主体责任不到位问题的整改情况")],
    ("show", "6.4"): [("", "加强公车管理。严格执行有关规定要求,第一时间停止发放异地任职委领导定额交通补贴。")],
    ("sections",): [("6.4\t", "加强公车管理")],
    # 清退款项120.747万元 and 召开18次会议 (source lines 11 and 9)
    ("stats",): [("款项\t", "清退款项", "120.747", "1207470"), ("概况\t", "整改会议", "18次")],
    ("figures",): [("3.2\t", "20亿元", "2000000000", "组建20亿元数字经济产业基金")],
    ("docs",): [("《新区党工委巡察工作实施办法》", "6.2")],
    ("export",): [("中共宁波前湾新区工作委员会关于十四届省委第十二轮巡视整改进展情况的通报",)],
}
# Whole lines the plain text export has (source lines 3 and 51, indent as in the source): a
# heading without subsections stands on its own line, and the title is one line.
EXPORT_LINES = ["中共宁波前湾新区工作委员会关于十四届省委第十二轮巡视整改进展情况的通报",
                "  五、关于落实意识形态工作责任制存在薄弱环节问题的整改情况"]


def assert_answers(r, args: tuple[str, ...]) -> None:
    out = r.stdout if isinstance(r.stdout, str) else r.stdout.decode()
    err = r.stderr if isinstance(r.stderr, str) else r.stderr.decode()
    code = r.exit_code if hasattr(r, "exit_code") else r.returncode
    assert code == 0, (args, out, err)
    for prefix, *needles in EXPECTED[args]:
        assert any(line.startswith(prefix) and all(n in line for n in needles) for line in out.splitlines()), \
            (args, prefix, out)
    if args == ("export",):
        assert all(line in out.splitlines() for line in EXPORT_LINES), out[:2000]
    assert "rectcli: error" not in err and "Traceback" not in err, (args, err)


def cli(cache: Path, *args: str, data: Path | None = None):
    """The real app, in-process, with this cache directory."""
    more = ("--data", str(data)) if data else ()
    return run(*more, *args, env={"RECTCLI_CACHE_DIR": str(cache), "RECTCLI_NO_CACHE": None})


def subprocess_cli(cache: Path, *args: str, data: Path | None = None, **kw):
    env = {k: v for k, v in os.environ.items() if k not in ("RECTCLI_DATA", "NO_COLOR", "RECTCLI_NO_CACHE")}
    env["RECTCLI_CACHE_DIR"] = str(cache)
    env["PYTHONPATH"] = str(ROOT / "src")
    more = ["--data", str(data)] if data else []
    return subprocess.run([sys.executable, "-m", "rectcli", *more, *args], capture_output=True, env=env,
                          stdin=subprocess.DEVNULL, **kw)


def entries(cache: Path) -> list[Path]:
    return sorted(p for p in cache.iterdir() if p.name.startswith("notice-"))


def only_entry(cache: Path) -> Path:
    found = entries(cache)
    assert len(found) == 1, found
    return found[0]


def copy_of_notice(directory: Path, name: str = "notice.yaml", extra: str = "") -> Path:
    path = directory / name
    path.write_text(DATA.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return path


def forge(entry: Path, change) -> None:
    """Rewrite an entry's data as a forger would: changed, with a matching data digest."""
    from rectcli.notice.cache import digest

    header_line, body = entry.read_bytes().split(b"\n", 1)
    header, data = json.loads(header_line), json.loads(body)
    change(data)
    body = json.dumps(data, ensure_ascii=False).encode()
    header["data_blake2b"] = digest(body)
    entry.write_bytes(json.dumps(header).encode() + b"\n" + body)


def node(data: dict, ident: str) -> dict:
    """The node with this id in format-2 plain data (what the cache stores), at any depth."""
    todo = list(data["sections"])
    while todo:
        item = todo.pop(0)
        if item["id"] == ident:
            return item
        todo.extend(item.get("children", ()))
    raise KeyError(ident)


# ---------------------------------------------------------------- 1. links and the directory


def test_a_link_at_a_temporary_name_is_not_written_through(tmp_path):
    cache = tmp_path / "cache"
    data = copy_of_notice(tmp_path)
    assert_answers(cli(cache, "stats", data=data), ("stats",))
    entry = only_entry(cache)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    # another user plants links where a writer might put its temporary file: the name earlier
    # versions used (.<entry>.<pid>.tmp, pid of this process for an in-process run) and more
    for name in (f".{entry.name}.{os.getpid()}.tmp", f".{entry.name}.tmp", f"{entry.name}.tmp"):
        (cache / name).symlink_to(victim)
    data.write_text(DATA.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # a cache miss: write
    assert_answers(cli(cache, "stats", data=data), ("stats",))
    assert victim.read_text(encoding="utf-8") == "precious"
    assert stat.S_ISREG(os.lstat(entry).st_mode)


def test_an_entry_that_is_a_link_is_replaced_not_written_through(tmp_path):
    cache = tmp_path / "cache"
    data = copy_of_notice(tmp_path)
    assert_answers(cli(cache, "search", "公车", data=data), ("search", "公车"))
    entry = only_entry(cache)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    entry.unlink()
    entry.symlink_to(victim)
    assert_answers(cli(cache, "search", "公车", data=data), ("search", "公车"))
    assert victim.read_text(encoding="utf-8") == "precious"
    assert stat.S_ISREG(os.lstat(entry).st_mode)  # the link itself was replaced by an entry


def test_a_cache_directory_that_is_a_link_is_not_used(tmp_path):
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    link = tmp_path / "link"
    link.symlink_to(real)
    assert_answers(cli(link, "stats"), ("stats",))
    assert list(real.iterdir()) == []


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o707])
def test_a_cache_directory_others_can_write_is_not_used(tmp_path, mode):
    cache = tmp_path / "shared"
    cache.mkdir()
    cache.chmod(mode)
    assert_answers(cli(cache, "stats"), ("stats",))
    assert list(cache.iterdir()) == []


def test_a_shared_directory_with_the_sticky_bit_is_used(tmp_path):
    cache = tmp_path / "sticky"
    cache.mkdir()
    cache.chmod(0o1777)
    assert_answers(cli(cache, "stats"), ("stats",))
    assert stat.S_IMODE(only_entry(cache).stat().st_mode) == 0o600


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a directory to another user")
def test_a_cache_directory_owned_by_another_user_is_not_used(tmp_path):
    cache = tmp_path / "theirs"
    cache.mkdir(mode=0o755)
    os.chown(cache, 54321, 54321)
    assert_answers(cli(cache, "stats"), ("stats",))
    assert list(cache.iterdir()) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_an_entry_owned_by_another_user_is_not_used(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o1777)
    cache.chmod(0o1777)
    assert_answers(cli(cache, "show", "6.4"), ("show", "6.4"))
    entry = only_entry(cache)
    forge(entry, lambda d: node(d, "6.4").update(heading="FORGED"))
    os.chown(entry, 54321, 54321)
    r = cli(cache, "show", "6.4")
    assert_answers(r, ("show", "6.4"))
    assert "FORGED" not in r.stdout


# ---------------------------------------------------------------- 2. what an entry may be


def test_an_entry_that_is_a_fifo_does_not_hang(tmp_path):
    cache = tmp_path / "cache"
    data = copy_of_notice(tmp_path)
    assert_answers(cli(cache, "search", "公车", data=data), ("search", "公车"))
    entry = only_entry(cache)
    entry.unlink()
    os.mkfifo(entry)
    # a reader that opened the FIFO would wait for a writer forever: the timeout is a hang guard
    try:
        r = subprocess_cli(cache, "search", "公车", data=data, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("rectcli hung on a cache entry that is a FIFO")
    assert_answers(r, ("search", "公车"))
    assert stat.S_ISREG(os.lstat(entry).st_mode)


def _limit_memory() -> None:  # in the child: a safety net, so a regression cannot eat the machine
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def test_an_entry_linked_to_dev_zero_is_not_read(tmp_path):
    cache = tmp_path / "cache"
    data = copy_of_notice(tmp_path)
    assert_answers(cli(cache, "stats", data=data), ("stats",))
    entry = only_entry(cache)
    entry.unlink()
    entry.symlink_to("/dev/zero")
    try:
        r = subprocess_cli(cache, "stats", data=data, timeout=60, preexec_fn=_limit_memory)
    except subprocess.TimeoutExpired:
        pytest.fail("rectcli kept reading a cache entry linked to /dev/zero")
    assert_answers(r, ("stats",))
    assert os.path.realpath("/dev/zero") == "/dev/zero" and stat.S_ISCHR(os.stat("/dev/zero").st_mode)


def test_an_oversized_entry_is_not_read(tmp_path):
    cache = tmp_path / "cache"
    data = copy_of_notice(tmp_path)
    assert_answers(cli(cache, "show", "6.4", data=data), ("show", "6.4"))
    entry = only_entry(cache)
    from rectcli.notice.cache import digest

    # a valid, forged entry padded past any sensible size (JSON allows trailing white space):
    # if it were read, show would print the forged title
    header_line, body = entry.read_bytes().split(b"\n", 1)
    header, raw = json.loads(header_line), json.loads(body)
    node(raw, "6.4")["heading"] = "FORGED"
    body = json.dumps(raw, ensure_ascii=False).encode() + b" " * (40 * 1024 * 1024)
    header["data_blake2b"] = digest(body)
    entry.write_bytes(json.dumps(header).encode() + b"\n" + body)
    r = cli(cache, "show", "6.4", data=data)
    assert_answers(r, ("show", "6.4"))
    assert "FORGED" not in r.stdout


# ---------------------------------------------------------------- 3. clean-up and pruning


def test_a_failed_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)

    def refuse(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    assert_answers(cli(cache, "stats"), ("stats",))
    assert list(cache.iterdir()) == []


def test_entries_of_deleted_files_are_pruned(tmp_path):
    cache = tmp_path / "cache"
    a, b, c = (copy_of_notice(tmp_path, f"{n}.yaml", extra=f"# {n}\n") for n in "abc")
    assert_answers(cli(cache, "stats", data=a), ("stats",))
    entry_a = only_entry(cache)
    assert_answers(cli(cache, "stats", data=b), ("stats",))
    (entry_b,) = set(entries(cache)) - {entry_a}
    a.unlink()
    assert_answers(cli(cache, "stats", data=c), ("stats",))  # writing c's entry prunes a's
    left = entries(cache)
    assert entry_a not in left and entry_b in left and len(left) == 2


def test_the_cache_keeps_a_bounded_number_of_entries_oldest_go(tmp_path, monkeypatch):
    import rectcli.notice.cache

    monkeypatch.setattr(rectcli.notice.cache, "MAX_ENTRIES", 3)
    cache = tmp_path / "cache"
    made = []
    for i in range(5):
        data = copy_of_notice(tmp_path, f"n{i}.yaml", extra=f"# {i}\n")
        assert_answers(cli(cache, "stats", data=data), ("stats",))
        (new,) = set(entries(cache)) - set(made)
        os.utime(new, ns=(i * 10**9, i * 10**9))  # a clear order, whatever the clock's resolution
        made.append(new)
        assert len(entries(cache)) <= 3
    assert entries(cache) == sorted(made[2:])


def test_the_cache_keeps_under_a_size_cap(tmp_path, monkeypatch):
    import rectcli.notice.cache

    cache = tmp_path / "cache"
    first = copy_of_notice(tmp_path, "n0.yaml", extra="# 0\n")
    assert_answers(cli(cache, "stats", data=first), ("stats",))
    size = only_entry(cache).stat().st_size
    monkeypatch.setattr(rectcli.notice.cache, "MAX_TOTAL_BYTES", size * 2 + size // 2)  # room for two
    for i in range(1, 4):
        assert_answers(cli(cache, "stats", data=copy_of_notice(tmp_path, f"n{i}.yaml", extra=f"# {i}\n")),
                       ("stats",))
        assert len(entries(cache)) <= 2
        assert sum(p.stat().st_size for p in entries(cache)) <= size * 2 + size // 2


def test_pruning_touches_only_the_caches_own_files(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    mine = [cache / "notes.txt", cache / "notice.json", cache / "notice-x.json"]
    for p in mine:
        p.write_text("user's", encoding="utf-8")
    a = copy_of_notice(tmp_path, "a.yaml")
    assert_answers(cli(cache, "stats", data=a), ("stats",))
    a.unlink()
    assert_answers(cli(cache, "stats", data=copy_of_notice(tmp_path, "b.yaml", extra="#\n")), ("stats",))
    assert all(p.read_text(encoding="utf-8") == "user's" for p in mine)


# ---------------------------------------------------------------- 4. entries that do not build cleanly

# Each breaks a command on a version that used a matching entry as it was: a crash
# ("internal error: TypeError" on every run until the cache was deleted) or a wrong answer.
# The entry holds format-2 plain data (a format-1 file is cached as its upgrade).
FORGERIES = {
    "a heading is a list": lambda d: node(d, "6.4").update(heading=["加强公车管理"]),
    "a paragraph is a number": lambda d: node(d, "6.4").update(paragraphs=[6]),
    "paragraphs are one string": lambda d: node(d, "6.4").update(paragraphs="严格执行有关规定要求"),
    "the notice title is a number": lambda d: d["metadata"].update(title=5),
    "the title lines are one string": lambda d: d.update(title=d["title"][0]),
    "a run-in flag is text": lambda d: node(d, "5").update(runin="no"),
    "a stated count is a bool": lambda d: d["stated_counts"][3].update(value=True),  # 会议 18次
    "a section heading is a number": lambda d: d["sections"][5].update(heading=6),
    "an amount is not a number": lambda d: d["outcomes"][8].update(value="十二万"),  # 清退款项
    "an amount is a float": lambda d: d["outcomes"][8].update(value=120.747),
    "a section id is not a number": lambda d: d["sections"][5].update(id="six"),
    "a span start is text": lambda d: d["outcomes"][0]["at"].update(start="16"),
}


@pytest.mark.parametrize("forgery", list(FORGERIES))
def test_an_entry_with_wrong_leaf_types_is_ignored(tmp_path, forgery):
    cache = tmp_path / "cache"
    assert_answers(cli(cache, "stats"), ("stats",))
    entry = only_entry(cache)
    for args in EXPECTED:
        forge(entry, FORGERIES[forgery])  # each run rewrites the entry it had to ignore
        assert_answers(cli(cache, *args), args)


def test_a_valid_entry_is_used(tmp_path, monkeypatch):
    """The checks on an entry must not refuse a good one (or the cache would never help)."""
    import rectcli.notice.format

    cache = tmp_path / "cache"
    assert_answers(cli(cache, "stats"), ("stats",))

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed the file although a valid cache entry exists")

    monkeypatch.setattr(rectcli.notice.format, "parse_yaml", no_parsing)
    for args in EXPECTED:
        assert_answers(cli(cache, *args), args)


def test_a_format_1_file_is_cached_as_format_2(tmp_path, monkeypatch):
    """A format-1 file is read as format 2 once; its entry holds the format-2 data, used as is."""
    import rectcli.notice.format

    from tests.paths import DATA_V1

    cache = tmp_path / "cache"
    old = tmp_path / "notice-v1.yaml"
    old.write_text(DATA_V1.read_text(encoding="utf-8"), encoding="utf-8")
    assert_answers(cli(cache, "stats", data=old), ("stats",))
    header_line, body = only_entry(cache).read_bytes().split(b"\n", 1)
    data = json.loads(body)
    assert data["schema_version"] == 2
    assert node(data, "6.4")["heading"] == "加强公车管理" and "measures" not in data["sections"][5]

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed the file although a valid cache entry exists")

    monkeypatch.setattr(rectcli.notice.format, "parse_yaml", no_parsing)
    for args in EXPECTED:
        assert_answers(cli(cache, *args, data=old), args)
