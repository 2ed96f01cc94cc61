"""The tool as a user runs it in a shell: ``python -m rectcli``, the installed console script, a wheel.

Nothing here looks rectcli up on PATH: a test run with the virtualenv not activated (or under
CI, or a system Python) must test the rectcli of the interpreter running the tests, and nothing
else. ``python -m rectcli`` is run with ``sys.executable``; the console script is the one pip
wrote beside that interpreter.
"""

from __future__ import annotations

import os
import shlex
import site
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.paths import DATA_V1, ROOT

PYTHON_M = f"{shlex.quote(sys.executable)} -m rectcli"


def console_script() -> Path | None:
    """The ``rectcli`` script installed for the running interpreter, or None.

    pip writes it into the interpreter's scripts directory (a virtualenv's ``bin``), or the user
    scheme's with ``pip install --user``; never looked up on PATH."""
    candidates = [Path(sys.executable).parent / "rectcli", Path(sysconfig.get_path("scripts")) / "rectcli"]
    if site.ENABLE_USER_SITE:
        candidates.append(Path(sysconfig.get_path("scripts", f"{os.name}_user")) / "rectcli")
    return next((c for c in candidates if c.is_file() and os.access(c, os.X_OK)), None)


SCRIPT = console_script()
needs_script = pytest.mark.skipif(
    SCRIPT is None, reason=f"no rectcli console script installed for {sys.executable} (run: pip install -e .)")

# the same behaviour through both ways of starting the tool; each test names how it ran
LAUNCHERS = [pytest.param(PYTHON_M, id="python-m"),
             pytest.param(shlex.quote(str(SCRIPT)) if SCRIPT else "", id="console-script", marks=needs_script)]


def sh(cmd: str, cwd: Path | None = None, env: dict[str, str] | None = None,
       inherit: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``cmd`` in bash; ``env`` is added to this process's environment, or with
    ``inherit=False`` replaces it."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("RECTCLI_DATA", "NO_COLOR")} if inherit else {}
    full_env.update(env or {})
    return subprocess.run(cmd, shell=True, executable="/bin/bash", capture_output=True, text=True, encoding="utf-8",
                          cwd=cwd, env=full_env, timeout=120, stdin=subprocess.DEVNULL)


@needs_script
def test_console_script_runs_this_checkout():
    """The script beside the interpreter imports the rectcli these tests import."""
    import rectcli

    r = sh(f"{shlex.quote(str(SCRIPT))} --version")
    assert r.returncode == 0, r.stderr
    assert rectcli.__version__ in r.stdout


@pytest.mark.parametrize("launcher", LAUNCHERS)
def test_search(tmp_path, launcher):
    r = sh(f"{launcher} search 公车", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    hit = next(line for line in r.stdout.splitlines() if line.startswith("6.4\t"))
    assert hit.startswith("6.4\t六(四)\t")
    assert "\x1b[" not in r.stdout


@pytest.mark.parametrize("launcher", LAUNCHERS)
def test_exit_codes(tmp_path, launcher):
    assert sh(f"{launcher} search 不存在的词", cwd=tmp_path).returncode == 1
    bad = sh(f"{launcher} show 99", cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_python_dash_m_help(tmp_path):
    r = sh(f"{PYTHON_M} --help", cwd=tmp_path)
    assert r.returncode == 0 and "search" in r.stdout


@pytest.mark.parametrize("launcher", LAUNCHERS)
def test_closed_pipe_ends_quietly(tmp_path, launcher):
    r = sh(f"set -o pipefail; {launcher} export --format text | head -1", cwd=tmp_path)
    # the notice's title, line 3 of tests/fixtures/notice-source.txt: the masthead (line 1) is page
    # chrome, which the text export leaves out
    assert r.stdout == "中共宁波前湾新区工作委员会关于十四届省委第十二轮巡视整改进展情况的通报\n"
    assert r.stderr == ""
    assert r.returncode == 0


@pytest.mark.parametrize("launcher", LAUNCHERS)
def test_closed_pipe_in_rich_mode_ends_quietly(tmp_path, launcher):
    r = sh(f"set -o pipefail; {launcher} --color always sections | head -c 10 >/dev/null", cwd=tmp_path)
    assert r.stderr == "" and r.returncode == 0


def dependency_dirs() -> list[str]:
    """Where the running interpreter finds rectcli's dependencies (typer, rich, pyyaml, …): its
    site-packages directories (sysconfig's purelib/platlib, site's, the user's) and any other
    sys.path entry (PYTHONPATH), without the standard library, which the new venv has itself."""
    paths = sysconfig.get_paths()
    dirs = [paths["purelib"], paths["platlib"], *site.getsitepackages()]
    if site.ENABLE_USER_SITE:
        dirs.append(site.getusersitepackages())
    dirs += sys.path
    stdlib = {os.path.realpath(paths["stdlib"]), os.path.realpath(paths["platstdlib"])}
    seen: list[str] = []
    for d in dirs:
        real = os.path.realpath(d) if d else ""
        if not d or not os.path.isdir(d) or d in seen:
            continue
        if any(real == s or (real.startswith(s + os.sep) and "-packages" not in real) for s in stdlib):
            continue
        seen.append(d)
    return seen


def test_wheel_ships_the_notice_and_runs_from_anywhere(tmp_path):
    """Build the wheel, install it (not editable) into a fresh venv, run it from another directory.

    Offline: the venv has no site packages of its own beyond the wheel; the dependencies are
    made visible afterwards by a .pth file listing the running interpreter's site-packages (a
    venv's ``system_site_packages`` would show the *base* interpreter's, which lacks them when
    the tests run in a virtualenv). The venv's own site-packages comes first on sys.path, so
    ``import rectcli`` finds the wheel's copy, not this checkout."""
    pytest.importorskip("pip", reason=f"building and installing the wheel needs pip for {sys.executable}")
    pytest.importorskip("hatchling", reason="building the wheel offline needs hatchling (pip install -e '.[test]')")
    wheels = tmp_path / "wheels"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                            "-q", "-w", str(wheels), str(ROOT)], capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    wheel = next(wheels.glob("rectcli-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=False, with_pip=False, symlinks=os.name != "nt").create(env_dir)
    py = env_dir / "bin" / "python"
    # the running interpreter's pip installs into the new venv (which has no pip of its own);
    # done before the .pth exists and without PYTHONPATH, so pip sees an empty environment
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "--no-index",
                              "-q", str(wheel)], capture_output=True, text=True, timeout=300, env=clean)
    assert install.returncode == 0, install.stderr
    purelib = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, timeout=60, check=True).stdout.strip()
    (Path(purelib) / "_rectcli_test_deps.pth").write_text("\n".join(dependency_dirs()) + "\n", encoding="utf-8")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = env_dir / "bin" / "rectcli"
    assert script.is_file(), sorted(p.name for p in (env_dir / "bin").iterdir())
    # a clean environment: no RECTCLI_DATA, no PYTHONPATH, no activated venv on PATH
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8", "RECTCLI_NO_CACHE": "1"}
    where = sh(f"{shlex.quote(str(py))} -c 'import rectcli.notice.format as l; print(l.bundled_path())'", cwd=elsewhere,
               env=env, inherit=False)
    assert where.stdout.startswith(purelib), where.stdout + where.stderr  # the notice comes from the wheel
    r = sh(f"{shlex.quote(str(script))} sections --depth 1", cwd=elsewhere, env=env, inherit=False)
    assert r.returncode == 0, r.stderr
    # the 14 sections 一 … 十四 of the source (its lines 13, 21, …, 99)
    assert sum(1 for line in r.stdout.splitlines() if line.split("\t")[0] in {str(i) for i in range(1, 15)}) == 14
    stats = sh(f"{shlex.quote(str(script))} stats", cwd=elsewhere, env=env, inherit=False)
    # 清退款项120.747万元 (source line 11) = 1 207 470 元
    assert stats.returncode == 0 and "款项\t清退款项\t120.747万元\t1207470" in stats.stdout.splitlines(), stats.stderr
    # the schemas ship too: validate checks the bundled notice (format 2), and a format-1 file
    # (rectcli 1.x) is still read and checked by its own schema
    check = sh(f"{shlex.quote(str(script))} validate", cwd=elsewhere, env=env, inherit=False)
    assert check.returncode == 0 and check.stdout.endswith(": ok\n"), check.stdout + check.stderr
    old = elsewhere / "old.yaml"
    old.write_text(DATA_V1.read_text(encoding="utf-8"), encoding="utf-8")
    for args in ("validate old.yaml", "--data old.yaml stats"):
        r = sh(f"{shlex.quote(str(script))} {args}", cwd=elsewhere, env=env, inherit=False)
        assert r.returncode == 0, (args, r.stdout, r.stderr)
    assert "款项\t清退款项\t120.747万元\t1207470" in r.stdout.splitlines()


@pytest.mark.parametrize("launcher", LAUNCHERS)
def test_output_is_complete_when_the_process_skips_teardown(tmp_path, launcher):
    """main() leaves with os._exit after flushing: every byte must still reach a file or a pipe."""
    from tests.conftest import run

    for args in (["export", "--format", "text"], ["--color", "always", "sections"], ["stats", "--json"]):
        r = sh(f"{launcher} {' '.join(args)} > {shlex.quote(str(tmp_path / 'out'))}", cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        expected = run(*args).stdout
        if args[0] != "--color":  # CliRunner is not a terminal; Rich output is compared by size only
            assert (tmp_path / "out").read_text(encoding="utf-8") == expected
        else:
            assert len((tmp_path / "out").read_text(encoding="utf-8")) > 1000
    piped = sh(f"{launcher} export --format yaml | wc -c", cwd=tmp_path)
    assert int(piped.stdout) == len(run("export", "--format", "yaml").stdout.encode("utf-8"))
