"""Every example a reader is shown runs as typed: the README's ``$ rectcli …`` lines and the
``Example: rectcli …`` line of every command's --help (and of the top-level help).

Each is checked with ``bash -n`` and then run by bash in an empty temporary directory, with the
word ``rectcli`` in command position replaced by ``<this interpreter> -m rectcli`` (never the
rectcli on PATH). It must exit 0, or 1 where the README shows it finding nothing. Where the
README shows output under an example, each line shown must be in what the example prints (a
line ending in …… stands for any line that starts with what comes before the ……), and the lines
shown from stdout in the order stdout prints them.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field

import pytest

from tests.paths import ROOT

README = ROOT / "README.md"
PYTHON_M = f"{shlex.quote(sys.executable)} -m rectcli"
NOTHING_FOUND = "no passage matches"  # the note the README shows for a search that finds nothing


@dataclass
class Example:
    where: str
    command: str
    shown: list[str] = field(default_factory=list)  # output the README shows under it


def strip_comment(line: str) -> str:
    """The line without a trailing ``# comment`` (a # outside quotes, after white space)."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip()
    return line.rstrip()


def readme_examples() -> list[Example]:
    examples: list[Example] = []
    in_block = False
    current: Example | None = None
    for number, line in enumerate(README.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("```"):
            in_block, current = not in_block, None
        elif in_block and line.startswith("$ "):
            current = None
            if re.match(r"\$ rectcli\b", line):
                current = Example(f"README.md:{number}", strip_comment(line[2:]))
                examples.append(current)
        elif in_block and current is not None and line.strip():
            current.shown.append(line)
    return examples


def help_text(*args: str) -> str:
    env = {**os.environ, "COLUMNS": "300", "NO_COLOR": "1"}  # wide: no example is wrapped
    r = subprocess.run([sys.executable, "-m", "rectcli", *args, "--help"], capture_output=True, text=True,
                       encoding="utf-8", env=env, timeout=60, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r.stderr
    return r.stdout


def listed_commands(top_help: str) -> list[str]:
    """The command names in the Commands panel of the top-level help."""
    names: list[str] = []
    in_panel = False
    for line in top_help.splitlines():
        if "Commands" in line and "─" in line:
            in_panel = True
        elif in_panel and line.startswith("╰"):
            break
        elif in_panel and (m := re.match(r"^│ ([a-z][a-z-]*)\s{2,}", line)):
            names.append(m.group(1))
    return names


def help_examples() -> list[Example]:
    top = help_text()
    commands = listed_commands(top)
    examples = []
    for name, text in [("rectcli --help", top), *((f"rectcli {c} --help", help_text(c)) for c in commands)]:
        for line in text.splitlines():
            if m := re.search(r"Example:\s+(rectcli\b.*?)\s*│?\s*$", line):
                examples.append(Example(name, strip_comment(m.group(1))))
    return examples


README_EXAMPLES = readme_examples()
HELP_EXAMPLES = help_examples()


def test_the_examples_were_found():
    """Guards the extraction itself: the README's sections each show one, and every command
    listed by --help has a help example."""
    readme_commands = re.findall(r"^### `rectcli (\w[\w-]*)", README.read_text(encoding="utf-8"), re.M)
    listed = listed_commands(help_text())
    assert readme_commands and set(readme_commands) <= set(listed), (readme_commands, listed)
    shown = {word for e in README_EXAMPLES for word in re.findall(r"\brectcli (\w[\w-]*)", e.command)}
    assert shown >= set(readme_commands)
    with_example = {e.where.split()[1] for e in HELP_EXAMPLES if e.where != "rectcli --help"}
    assert with_example == set(listed), set(listed) - with_example
    assert any(e.where == "rectcli --help" for e in HELP_EXAMPLES)


def in_bash(command: str) -> str:
    """The example with rectcli, wherever it is a command word, run by this interpreter."""
    return re.sub(r"(^|[|;&(]\s*|\$\(\s*)rectcli\b", lambda m: m.group(1) + PYTHON_M, command)


def run_example(example: Example, tmp_path) -> subprocess.CompletedProcess[str]:
    syntax = subprocess.run(["bash", "-n", "-c", example.command], capture_output=True, text=True, timeout=30)
    assert syntax.returncode == 0, f"{example.where}: bash cannot parse {example.command!r}: {syntax.stderr}"
    env = {k: v for k, v in os.environ.items() if k not in ("RECTCLI_DATA", "NO_COLOR")}
    env["RECTCLI_LIBRARY"] = str(tmp_path / "library.sqlite")  # each example its own library, never the user's
    return subprocess.run(["bash", "-c", "set -o pipefail\n" + in_bash(example.command)], capture_output=True,
                          text=True, encoding="utf-8", cwd=tmp_path, env=env, timeout=120, stdin=subprocess.DEVNULL)


def test_in_bash_replaces_only_the_command_word():
    assert in_bash("rectcli search rectcli | head -2") == f"{PYTHON_M} search rectcli | head -2"
    assert in_bash("x=$(rectcli stats) && rectcli show 6") == f"x=$({PYTHON_M} stats) && {PYTHON_M} show 6"


def test_strip_comment():
    assert strip_comment("rectcli show '六(四)'   # one measure") == "rectcli show '六(四)'"
    assert strip_comment("rectcli stats | grep ^款项") == "rectcli stats | grep ^款项"
    assert strip_comment("rectcli search 'a # b'") == "rectcli search 'a # b'"


@pytest.mark.parametrize("example", README_EXAMPLES, ids=[f"{e.where} {e.command}" for e in README_EXAMPLES])
def test_readme_example_runs_as_shown(example, tmp_path):
    r = run_example(example, tmp_path)
    finds_nothing = any(NOTHING_FOUND in line for line in example.shown)
    assert r.returncode == (1 if finds_nothing else 0), f"{example.where}: {example.command}\n{r.stderr}"
    assert "Traceback" not in r.stderr
    printed = r.stdout.splitlines() + r.stderr.splitlines()
    for line in example.shown:
        if line.endswith("……"):
            assert any(p.startswith(line[:-2]) for p in printed), f"{example.where}: no line starts {line[:-2]!r}"
        else:
            assert line in printed, f"{example.where}: {line!r} is not printed; got:\n{r.stdout}{r.stderr}"
    # the lines shown that stdout prints (a header row, then records) are shown in the order printed
    out = r.stdout.splitlines()
    at = [next((k for k, p in enumerate(out) if (p.startswith(line[:-2]) if line.endswith("……") else p == line)), None)
          for line in example.shown]
    on_stdout = [k for k in at if k is not None]
    assert on_stdout == sorted(on_stdout), f"{example.where}: shown out of order; got:\n{r.stdout}"


@pytest.mark.parametrize("example", HELP_EXAMPLES, ids=[f"{e.where}: {e.command}" for e in HELP_EXAMPLES])
def test_help_example_runs(example, tmp_path):
    r = run_example(example, tmp_path)
    assert r.returncode == 0, f"{example.where}: {example.command}\n{r.stderr}"
    assert "Traceback" not in r.stderr and "error" not in r.stderr
    assert r.stdout or any(tmp_path.iterdir()), f"{example.where}: {example.command} printed and wrote nothing"
