"""The command line keeps its word: exit codes that do not depend on stderr, write failures named,
output options where users type them, completion, no raw control characters, narrow widths."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ANSI, run
from tests.paths import DATA

PY = [sys.executable, "-m", "rectcli"]


def proc(*args: str, env: dict[str, str] | None = None, **kw) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k not in ("RECTCLI_DATA", "NO_COLOR", "COLUMNS")}
    full.update(env or {})
    return subprocess.run([*PY, *args], capture_output=True, text=True, encoding="utf-8", env=full,
                          timeout=60, stdin=subprocess.DEVNULL, **kw)


def shell(cmd: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import shlex

    full = {k: v for k, v in os.environ.items() if k not in ("RECTCLI_DATA", "NO_COLOR", "COLUMNS")}
    full.update(env or {})
    line = cmd.replace("RECTCLI", " ".join(shlex.quote(p) for p in PY))
    return subprocess.run(line, shell=True, executable="/bin/bash", capture_output=True, text=True,
                          encoding="utf-8", env=full, timeout=60, stdin=subprocess.DEVNULL)


# ------------------------------------------------------------------ exit codes and stderr


@pytest.mark.parametrize("redirect", ["2>&-", "2>/dev/full"])
def test_a_match_is_a_match_whatever_stderr_is(redirect):
    r = shell(f"RECTCLI search 公车 {redirect}")
    assert r.returncode == 0
    assert r.stdout.count("\t六(四)\t") == 1  # the one measure about 公车


@pytest.mark.parametrize("redirect", ["2>&-", "2>/dev/full"])
def test_no_match_and_usage_errors_keep_their_codes_without_stderr(redirect):
    assert shell(f"RECTCLI search 没有这个词组 {redirect}").returncode == 1
    assert shell(f"RECTCLI search --no-such-option 公车 {redirect}").returncode == 2
    assert shell(f"RECTCLI show 99 {redirect}").returncode == 2


def test_a_full_disk_is_a_one_line_error_naming_the_cause():
    r = shell("RECTCLI stats >/dev/full")
    assert r.returncode == 2
    assert r.stderr == "rectcli: error: cannot write output: No space left on device\n"


def test_a_full_disk_in_rich_and_json_mode_too():
    for args in ("--color always sections", "--json stats", "export --format yaml"):
        r = shell(f"RECTCLI {args} >/dev/full")
        assert r.returncode == 2, args
        assert r.stderr.startswith("rectcli: error: cannot write output: No space left on device"), r.stderr
        assert r.stderr.count("\n") == 1 and "internal error" not in r.stderr


# ------------------------------------------------------------------ output options in both places


def test_json_before_the_command_name():
    r = run("--json", "stats")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["command"] == "stats" and "outcomes" in doc["data"]


def test_json_before_the_command_name_also_for_errors():
    r = run("--json", "show", "99")
    assert r.exit_code == 2
    assert json.loads(r.stdout)["error"]["message"].startswith("no section or measure '99'")


def test_color_after_the_command_name():
    r = run("sections", "--color", "always", env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.output
    assert ANSI.search(r.stdout)
    r = run("search", "公车", "--color=never")
    assert r.exit_code == 0 and not ANSI.search(r.stdout)


def test_color_after_double_dash_is_a_search_term():
    r = run("search", "--", "--color")
    assert r.exit_code == 1  # searched for the text "--color": not in the notice


def test_global_value_options_before_the_command_are_not_taken_for_it(tmp_path):
    copy = tmp_path / "n.yaml"
    copy.write_text(DATA.read_text(encoding="utf-8"), encoding="utf-8")
    r = run("--data", str(copy), "--color", "never", "search", "公车", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["data"]["count"] == 1


# ------------------------------------------------------------------ one context per run


def test_a_second_run_in_one_process_reads_its_own_data(tmp_path):
    first = run("validate")
    assert first.exit_code == 0, first.output
    missing = tmp_path / "nonexistent.yaml"
    second = run("--data", str(missing), "validate")
    assert second.exit_code == 2
    assert str(missing) in second.stderr and "ok" not in second.stdout


def test_a_second_run_does_not_keep_the_first_runs_json_choice():
    assert run("--json", "stats").stdout.startswith("{")
    assert not run("stats").stdout.startswith("{")


# ------------------------------------------------------------------ completion


@pytest.mark.parametrize("shell_name", ["bash", "zsh", "fish"])
def test_completion_scripts_for_each_shell(shell_name):
    r = proc("--show-completion", shell_name, env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert r.returncode == 0, r.stderr
    assert "_RECTCLI_COMPLETE" in r.stdout


def _complete(shell_name: str, words: str, cword: int) -> subprocess.CompletedProcess[str]:
    env = {"_RECTCLI_COMPLETE": f"complete_{shell_name}", "COMP_WORDS": words, "COMP_CWORD": str(cword),
           "_TYPER_COMPLETE_ARGS": words, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    return proc(env=env)


def test_bash_completes_command_names():
    r = _complete("bash", "rectcli se", 1)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["sections", "search"]  # in the order help lists them


def test_bash_completes_measure_ids():
    r = _complete("bash", "rectcli show 6.", 2)
    assert r.stdout.split() == ["6.1", "6.2", "6.3", "6.4"]


def test_bash_completes_options():
    r = _complete("bash", "rectcli search --so", 2)
    assert r.stdout.split() == ["--sort"]


@pytest.mark.parametrize("shell_name", ["zsh", "fish"])
def test_zsh_and_fish_complete_ids_with_their_labels(shell_name):
    r = _complete(shell_name, "rectcli show 6.", 2)
    assert r.returncode == 0, r.stderr
    assert "6.4" in r.stdout and "加强公车管理" in r.stdout


def test_completion_is_no_longer_refused():
    r = _complete("bash", "rectcli ", 1)
    assert "not supported" not in r.stderr
    assert {"sections", "show", "search", "stats"} <= set(r.stdout.split())


# ------------------------------------------------------------------ control characters


def test_control_characters_in_data_are_a_validation_problem(notice_copy):
    text = notice_copy.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if line.startswith("  title: 中共宁波前湾新区"))
    lines[n] = lines[n].replace("title: 中共", 'title: "\\e[31m中共').rstrip("\n") + '\\a"\n'
    notice_copy.write_text("".join(lines), encoding="utf-8")
    r = run("validate", str(notice_copy))
    assert r.exit_code == 1
    assert f"{notice_copy}:{n + 1}: metadata.title: control character \\x1b at character 1" in r.stdout
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout
    loaded = run("--data", str(notice_copy), "sections")
    assert loaded.exit_code == 2 and "\x1b" not in loaded.stderr + loaded.stdout


@pytest.mark.parametrize("evil", ["\x1b[31mred", "bell\x07", "\u202eoverride", "c1\x9bx"])
def test_control_characters_from_the_user_never_reach_the_terminal_raw(evil):
    for args in (["show", evil], ["search", evil], ["--json", "show", evil], ["docs", "--kind", evil]):
        r = run(*args)
        everything = r.stdout + r.stderr
        assert r.exit_code in (1, 2), args
        for ch in "\x1b\x07\u202e\x9b":
            assert ch not in everything, (args, everything)


def test_rich_output_escapes_control_characters_in_error_paths(tmp_path):
    evil = tmp_path / "no\x1b[2Jsuch.yaml"
    r = run("--color", "always", "--data", str(evil), "stats")
    assert r.exit_code == 2
    assert "\x1b[2J" not in r.stderr and "\\x1b[2J" in r.stderr


# ------------------------------------------------------------------ narrow widths


@pytest.mark.parametrize("columns", ["0", "1", "5"])
def test_a_width_too_small_falls_back_and_loses_nothing(columns):
    r = run("--color", "always", "sections", env={"COLUMNS": columns})
    assert r.exit_code == 0, r.output
    plain = ANSI.sub("", r.stdout)
    joined = "".join(ch for ch in plain if ch not in " │├└─\n")
    assert "健全完善学习贯彻习近平总书记重要讲话和指示精神制度机制" in joined
    assert "加强公车管理" in joined
    stats = ANSI.sub("", run("--color", "always", "stats", env={"COLUMNS": columns}).stdout)
    assert "宁波前湾新区党工委" in "".join(ch for ch in stats if ch not in " │┃\n")
