"""Output modes: plain when piped, Rich on a terminal, JSON for scripts."""

import json
import re

import pytest

from tests.conftest import ANSI, run

# an SGR sequence that sets a foreground or background colour
COLOUR = re.compile(r"\x1b\[(?:[0-9]+;)*(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;[0-9]+)*m")

COMMANDS = [["sections"], ["show", "6.4"], ["search", "公车"], ["stats"], ["docs"], ["figures"], ["validate"]]


@pytest.mark.parametrize("args", COMMANDS + [["export"]])
def test_piped_output_has_no_escape_codes_or_boxes(args):
    r = run(*args)
    assert r.exit_code == 0, r.output
    assert not ANSI.search(r.stdout)
    assert not any(ch in r.stdout for ch in "┏━│└")


@pytest.mark.parametrize("args", COMMANDS)
def test_json_envelope_contract(args):
    r = run(*args, "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert list(doc) == ["rectcli_json_version", "command", "data"]
    assert doc["rectcli_json_version"] == 1 and doc["command"] == args[0]
    assert "\\u" not in r.stdout  # Chinese is not \\u-escaped


@pytest.mark.parametrize("args", COMMANDS)
def test_color_always_gives_rich_and_no_color_strips_colour(args):
    rich = run("--color", "always", *args, env={"COLUMNS": "80"})
    assert rich.exit_code == 0 and ANSI.search(rich.stdout)
    assert COLOUR.search(rich.stdout)
    nocolor = run("--color", "always", *args, env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert nocolor.exit_code == 0
    assert ANSI.search(nocolor.stdout)  # bold and dim stay: structure without colour
    assert not COLOUR.search(nocolor.stdout)


def test_rich_tree_folds_long_titles_instead_of_cutting(monkeypatch):
    r = run("--color", "always", "sections", env={"COLUMNS": "40"})
    plain = ANSI.sub("", r.stdout)
    assert "…" not in plain
    from rich.cells import cell_len

    assert max(cell_len(line) for line in plain.splitlines()) <= 40
    joined = "".join(ch for ch in plain if ch not in " │├└─\n")
    assert "健全完善学习贯彻习近平总书记重要讲话和指示精神制度机制" in joined


def test_color_never_forces_plain():
    r = run("--color", "never", "search", "公车")
    assert r.stdout.startswith("6.4\t")


def test_version():
    r = run("--version")
    assert r.exit_code == 0 and r.stdout.startswith("rectcli ")
