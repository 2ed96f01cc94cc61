"""The installed console script, as a user runs it in a shell."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path


from tests.paths import ROOT

RECTCLI = shutil.which("rectcli")


def sh(cmd: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k not in ("RECTCLI_DATA", "NO_COLOR")}
    full_env.update(env or {})
    return subprocess.run(cmd, shell=True, executable="/bin/bash", capture_output=True, text=True, encoding="utf-8",
                          cwd=cwd, env=full_env, timeout=120, stdin=subprocess.DEVNULL)


def test_console_script_is_installed():
    assert RECTCLI, "rectcli is not on PATH: run the README's install command"


def test_console_script_search(tmp_path):
    r = sh("rectcli search 公车", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("6.4\t六(四)\t")
    assert "\x1b[" not in r.stdout


def test_console_script_exit_codes(tmp_path):
    assert sh("rectcli search 不存在的词", cwd=tmp_path).returncode == 1
    bad = sh("rectcli show 99", cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_python_dash_m(tmp_path):
    r = sh(f"{sys.executable} -m rectcli --help", cwd=tmp_path)
    assert r.returncode == 0 and "search" in r.stdout


def test_closed_pipe_ends_quietly(tmp_path):
    r = sh("set -o pipefail; rectcli export --format text | head -1", cwd=tmp_path)
    assert r.stdout == "中共浙江省纪律检查委员会 浙江省监察委员会\n"
    assert r.stderr == ""
    assert r.returncode == 0


def test_closed_pipe_in_rich_mode_ends_quietly(tmp_path):
    r = sh("rectcli --color always sections | head -c 10 >/dev/null", cwd=tmp_path)
    assert r.stderr == "" and r.returncode == 0


def test_wheel_ships_the_notice_and_runs_from_anywhere(tmp_path):
    """Build the wheel, install it (not editable) into a fresh venv, run it from another directory."""
    wheels = tmp_path / "wheels"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                            "-q", "-w", str(wheels), str(ROOT)], capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    wheel = next(wheels.glob("rectcli-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    install = subprocess.run([str(py), "-m", "pip", "install", "--no-deps", "-q", "--force-reinstall", str(wheel)],
                             capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = sh(f"{py} -c 'import rectcli.loader as l; print(l.bundled_path())'", cwd=elsewhere)
    assert str(env_dir) in where.stdout, where.stdout + where.stderr
    r = sh(f"{env_dir / 'bin' / 'rectcli'} sections --depth 1", cwd=elsewhere)
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.splitlines()) == 14
    stats = sh(f"{env_dir / 'bin' / 'rectcli'} stats", cwd=elsewhere)
    assert stats.returncode == 0 and "款项\t清退款项\t120.747\t1207470" in stats.stdout


def test_output_is_complete_when_the_process_skips_teardown(tmp_path):
    """main() leaves with os._exit after flushing: every byte must still reach a file or a pipe."""
    from tests.conftest import run

    for args in (["export", "--format", "text"], ["--color", "always", "sections"], ["stats", "--json"]):
        r = sh("rectcli " + " ".join(args) + f" > {tmp_path / 'out'}", cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        expected = run(*args).stdout
        if args[0] != "--color":  # CliRunner is not a terminal; Rich output is compared by size only
            assert (tmp_path / "out").read_text(encoding="utf-8") == expected
        else:
            assert len((tmp_path / "out").read_text(encoding="utf-8")) > 1000
    piped = sh("rectcli export --format yaml | wc -c", cwd=tmp_path)
    assert int(piped.stdout) == len(run("export", "--format", "yaml").stdout.encode("utf-8"))
