"""`export -o FILE` writes where the user points without wrecking what is there: a new file
gets the permissions the umask gives, an existing one keeps its mode, owner and hard links,
a symlink stays a link, a device or FIFO is written to, never replaced, and the notice being
read is never overwritten."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run
from tests.paths import DATA, ROOT

# The first line of `export --format text` is the notice's title, as published
# (tests/fixtures/notice-source.txt); 加强公车管理 is measure 六(四).
TITLE = "中共宁波前湾新区工作委员会关于十四届省委第十二轮巡视整改进展情况的通报"


def export(target: Path | str, *global_opts: str, env: dict[str, str] | None = None):
    return run(*global_opts, "export", "-f", "text", "-o", str(target), env=env)


def assert_exported(r, path: Path | str) -> None:
    assert r.exit_code == 0, r.output
    assert r.stdout == ""
    text = Path(path).read_text(encoding="utf-8")
    assert_is_the_notice(text)


def assert_is_the_notice(text: str) -> None:
    assert TITLE in text.splitlines()[:5], text[:300]
    assert "加强公车管理" in text


def one_line_error(r, *needles: str) -> None:
    assert r.exit_code == 2, r.output
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("rectcli: error: "), r.stderr
    assert "Traceback" not in r.stderr
    for needle in needles:
        assert needle in r.stderr, r.stderr


@pytest.fixture
def umask():
    old = os.umask(0o022)
    try:
        yield os.umask
    finally:
        os.umask(old)


# ---------------------------------------------------------------- regular files


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600), (0o027, 0o640)])
def test_a_new_file_gets_the_permissions_the_umask_gives(tmp_path, umask, mask, mode):
    umask(mask)
    target = tmp_path / "notice.txt"
    assert_exported(export(target), target)
    assert stat.S_IMODE(target.stat().st_mode) == mode


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o666, 0o600])
def test_an_existing_file_keeps_its_mode(tmp_path, umask, mode):
    target = tmp_path / "notice.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(mode)
    assert_exported(export(target), target)
    assert stat.S_IMODE(target.stat().st_mode) == mode


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write any file")
def test_a_file_the_user_may_not_write_is_refused(tmp_path):
    target = tmp_path / "notice.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o444)
    one_line_error(export(target), str(target), "Permission denied")
    assert target.read_text(encoding="utf-8") == "old" and stat.S_IMODE(target.stat().st_mode) == 0o444


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_an_existing_file_keeps_its_owner_and_group(tmp_path):
    target = tmp_path / "notice.txt"
    target.write_text("old", encoding="utf-8")
    os.chown(target, 54321, 54322)
    assert_exported(export(target), target)
    st = target.stat()
    assert (st.st_uid, st.st_gid) == (54321, 54322)


def test_a_file_with_hard_links_is_written_in_place(tmp_path):
    target = tmp_path / "notice.txt"
    target.write_text("old " * 50_000, encoding="utf-8")  # longer than the export: truncated
    other = tmp_path / "other-name.txt"
    os.link(target, other)
    inode = target.stat().st_ino
    assert_exported(export(target), target)
    assert target.stat().st_ino == inode and target.stat().st_nlink == 2
    assert other.read_text(encoding="utf-8") == target.read_text(encoding="utf-8")
    assert "old old" not in target.read_text(encoding="utf-8")


def test_no_temporary_file_is_left_beside_the_target(tmp_path):
    target = tmp_path / "notice.txt"
    assert_exported(export(target), target)
    target.write_text("old", encoding="utf-8")
    assert_exported(export(target), target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notice.txt"]


# ---------------------------------------------------------------- symlinks


def test_a_symlink_stays_a_link_and_its_target_gets_the_content(tmp_path):
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    real = real_dir / "notice.txt"
    real.write_text("old", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(Path("real") / "notice.txt")  # relative, resolved from the link's directory
    assert_exported(export(link), real)
    assert link.is_symlink() and os.readlink(link) == os.path.join("real", "notice.txt")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.txt", "real"]
    assert sorted(p.name for p in real_dir.iterdir()) == ["notice.txt"]


def test_a_chain_of_symlinks_is_followed_to_the_file(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old", encoding="utf-8")
    (tmp_path / "one").symlink_to("real.txt")
    (tmp_path / "two").symlink_to("one")
    assert_exported(export(tmp_path / "two"), real)
    assert os.readlink(tmp_path / "two") == "one" and os.readlink(tmp_path / "one") == "real.txt"


def test_a_dangling_symlink_creates_the_file_it_names(tmp_path, umask):
    link = tmp_path / "link.txt"
    link.symlink_to("new.txt")
    assert_exported(export(link), tmp_path / "new.txt")
    assert link.is_symlink()
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o644


def test_a_symlink_loop_is_one_clear_error(tmp_path):
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    one_line_error(export(tmp_path / "a"), "cannot write")
    assert os.readlink(tmp_path / "a") == "b" and os.readlink(tmp_path / "b") == "a"


# ---------------------------------------------------------------- devices and FIFOs


def test_a_fifo_gets_the_content_and_stays_a_fifo(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    # the reader waits for a writer; a run that replaced the FIFO would leave it waiting, so
    # the timeout is a hang guard, not a measurement
    reader = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdout.buffer.write(open(sys.argv[1], 'rb').read())",
                               str(fifo)], stdout=subprocess.PIPE)
    try:
        r = export(fifo)
        out, _ = reader.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        reader.kill()
        reader.communicate()
        pytest.fail("the FIFO was never written to")
    assert r.exit_code == 0, r.output
    assert_is_the_notice(out.decode("utf-8"))
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_dev_null_stays_a_character_device(umask):
    before = os.stat("/dev/null")
    r = export("/dev/null")
    assert r.exit_code == 0, r.output
    after = os.lstat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev and after.st_ino == before.st_ino


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can make device nodes")
def test_a_character_device_is_written_not_replaced(tmp_path):
    # a private copy of /dev/null (same device numbers), so a regression cannot harm the system's
    device = tmp_path / "null"
    null = os.stat("/dev/null").st_rdev
    os.mknod(device, stat.S_IFCHR | 0o666, null)
    assert_exported_to_device(export(device), device, null)


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can make device nodes")
def test_a_symlink_to_a_character_device_is_written_through(tmp_path):
    device = tmp_path / "null"
    null = os.stat("/dev/null").st_rdev
    os.mknod(device, stat.S_IFCHR | 0o666, null)
    link = tmp_path / "out"
    link.symlink_to(device)
    assert_exported_to_device(export(link), device, null)
    assert link.is_symlink()


def assert_exported_to_device(r, device: Path, rdev: int) -> None:
    assert r.exit_code == 0, r.output
    st = os.lstat(device)
    assert stat.S_ISCHR(st.st_mode) and st.st_rdev == rdev


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can make device nodes")
def test_a_block_device_is_refused(tmp_path):
    device = tmp_path / "disk"
    os.mknod(device, stat.S_IFBLK | 0o600, os.makedev(7, 250))  # a loop device number; never opened
    one_line_error(export(device), str(device), "block device")
    assert stat.S_ISBLK(os.lstat(device).st_mode)


def test_dev_stdout_writes_to_standard_output():
    env = {k: v for k, v in os.environ.items() if k not in ("RECTCLI_DATA", "NO_COLOR")}
    env["PYTHONPATH"] = str(ROOT / "src")
    r = subprocess.run([sys.executable, "-m", "rectcli", "export", "-o", "/dev/stdout"], capture_output=True,
                       env=env, timeout=60, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r.stderr
    assert_is_the_notice(r.stdout.decode("utf-8"))
    assert os.path.islink("/dev/stdout") or stat.S_ISCHR(os.lstat("/dev/stdout").st_mode)


def test_dev_stdout_appended_to_a_file_keeps_what_was_there(tmp_path):
    log = tmp_path / "log.txt"
    log.write_text("earlier line\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("RECTCLI_DATA", "NO_COLOR")}
    env["PYTHONPATH"] = str(ROOT / "src")
    with open(log, "ab") as sink:  # the shell's `>> log.txt`
        r = subprocess.run([sys.executable, "-m", "rectcli", "export", "-o", "/dev/stdout"], stdout=sink,
                           stderr=subprocess.PIPE, env=env, timeout=60, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r.stderr
    text = log.read_text(encoding="utf-8")
    assert text.startswith("earlier line\n")
    assert_is_the_notice(text[len("earlier line\n"):])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.txt"]


# ---------------------------------------------------------------- never the notice being read


@pytest.fixture
def notice_file(tmp_path):
    path = tmp_path / "in.yaml"
    path.write_bytes(DATA.read_bytes())
    return path


@pytest.mark.parametrize("fmt", ["yaml", "text", "json"])
def test_the_notice_being_read_is_not_overwritten(notice_file, fmt):
    r = run("--data", str(notice_file), "export", "-f", fmt, "-o", str(notice_file))
    one_line_error(r, str(notice_file), "notice")
    assert notice_file.read_bytes() == DATA.read_bytes()


def test_the_notice_is_recognised_by_another_name(notice_file, monkeypatch):
    monkeypatch.chdir(notice_file.parent)
    link = notice_file.parent / "link.yaml"
    link.symlink_to(notice_file.name)
    hard = notice_file.parent / "hard.yaml"
    os.link(notice_file, hard)
    sub = notice_file.parent / "sub"
    sub.mkdir()
    for data, target in [("in.yaml", "./in.yaml"), ("./in.yaml", str(notice_file)), ("in.yaml", "link.yaml"),
                         ("link.yaml", "in.yaml"), ("in.yaml", "hard.yaml"), ("in.yaml", "sub/../in.yaml")]:
        r = run("--data", data, "export", "-f", "yaml", "-o", target)
        one_line_error(r, target)
        assert notice_file.read_bytes() == DATA.read_bytes(), (data, target)
        assert link.is_symlink() and hard.stat().st_ino == notice_file.stat().st_ino


def test_the_notice_named_by_the_environment_is_not_overwritten(notice_file):
    r = run("export", "-f", "yaml", "-o", str(notice_file), env={"RECTCLI_DATA": str(notice_file)})
    one_line_error(r, str(notice_file))
    assert notice_file.read_bytes() == DATA.read_bytes()


def test_another_file_beside_the_notice_is_fine(notice_file):
    out = notice_file.parent / "out.yaml"
    r = run("--data", str(notice_file), "export", "-f", "yaml", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert TITLE in out.read_text(encoding="utf-8")
