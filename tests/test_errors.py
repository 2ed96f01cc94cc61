"""Bad input of every kind: one clear line on stderr, exit 2, nothing on stdout, no traceback."""

from __future__ import annotations

import os

import pytest

from tests.conftest import run
from tests.paths import DATA


def assert_one_line_error(r, *needles):
    assert r.exit_code == 2, r.output
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1, r.stderr
    assert r.stderr.startswith("rectcli: error: ")
    assert "Traceback" not in r.stderr
    for needle in needles:
        assert needle in r.stderr, r.stderr


def test_missing_data_file(tmp_path):
    missing = tmp_path / "nope.yaml"
    assert_one_line_error(run("--data", str(missing), "stats"), str(missing), "no such file")


def test_missing_data_file_from_environment(tmp_path):
    missing = tmp_path / "env.yaml"
    assert_one_line_error(run("stats", env={"RECTCLI_DATA": str(missing)}), str(missing))


def test_data_option_beats_environment(tmp_path):
    r = run("--data", str(DATA), "stats", env={"RECTCLI_DATA": str(tmp_path / "missing.yaml")})
    assert r.exit_code == 0, r.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_data_file(notice_copy):
    notice_copy.chmod(0)
    assert_one_line_error(run("--data", str(notice_copy), "stats"), "cannot read")


def test_directory(tmp_path):
    assert_one_line_error(run("--data", str(tmp_path), "stats"), "is a directory")


def test_malformed_yaml_names_line_and_column(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 1\nmetadata:\n  title: [unclosed\n  issuer: x\n", encoding="utf-8")
    r = run("--data", str(bad), "sections")
    assert_one_line_error(r, f"{bad}:", "malformed YAML")
    line_col = r.stderr.split(f"{bad}:")[1].split(":")[:2]
    assert all(part.isdigit() for part in line_col)


# One damaged value in each format: (fixture, the line as it stands, the damage, path, message).
# Format 1 (tests/fixtures/notice-v1.yaml) is still read; format 2 is data/notice.yaml.
EMPTY_VALUES = [
    pytest.param("notice_v1_copy", "    title: 加强公车管理", "    title: ''",
                 "sections[5].measures[3].title", "must not be empty", id="format-1 measure title"),
    pytest.param("notice_copy", "    - 严格执行有关规定要求,", "    - ''\n    - 严格执行有关规定要求,",
                 "sections[5].children[3].paragraphs[0]", "must not be empty", id="format-2 paragraph"),
    pytest.param("notice_copy", "    heading: 加强公车管理", "    heading: ''",
                 "sections[5].children[3].heading", "must not be empty", id="format-2 heading"),
]


@pytest.mark.parametrize(("fixture", "old", "new", "path", "message"), EMPTY_VALUES)
def test_schema_violation_names_path_and_line(request, fixture, old, new, path, message):
    copy = request.getfixturevalue(fixture)
    text = copy.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    text = text.replace(old, new)
    copy.write_text(text, encoding="utf-8")
    target = text.splitlines().index(new.split("\n")[0]) + 1  # the damaged line, found in the copy
    r = run("--data", str(copy), "sections")
    assert_one_line_error(r, f"{copy}:{target}: {path}: {message}")


def test_schema_violations_are_all_counted(notice_copy, notice_v1_copy):
    # format 1: a misspelt key (unknown, and the key it should be is missing) and a count that is not one
    text = notice_v1_copy.read_text(encoding="utf-8")
    text = text.replace("title: 加强公车管理", "titel: 加强公车管理").replace("meetings: 18", "meetings: many")
    notice_v1_copy.write_text(text, encoding="utf-8")
    r = run("--data", str(notice_v1_copy), "stats")
    assert_one_line_error(r, "metadata.meetings: expected a whole number", "(and 2 more problems;",
                          "rectcli validate")
    # format 2: a misspelt key (heading is optional, so one problem) and a span start that is not a number
    text = notice_copy.read_text(encoding="utf-8")
    assert text.count("    heading: 加强公车管理\n") == 1 and text.count("    start: 16\n") == 1
    text = text.replace("    heading: 加强公车管理\n", "    headng: 加强公车管理\n").replace(
        "    start: 16\n", "    start: many\n")
    notice_copy.write_text(text, encoding="utf-8")
    r = run("--data", str(notice_copy), "stats")
    assert_one_line_error(r, "sections[5].children[3].headng: unknown key 'headng'", "(and 1 more problem;",
                          "rectcli validate")


def test_duplicate_id(notice_copy, notice_v1_copy):
    # format 1 ids were a flat list: a repeated one is a duplicate
    text = notice_v1_copy.read_text(encoding="utf-8").replace("- id: '6.4'", "- id: '6.3'")
    notice_v1_copy.write_text(text, encoding="utf-8")
    assert_one_line_error(run("--data", str(notice_v1_copy), "show", "6.3"), "duplicate id '6.3'")
    # format 2 ids are paths in the tree: the fourth child of section 6 can only be 6.4
    text = notice_copy.read_text(encoding="utf-8").replace("- id: '6.4'", "- id: '6.3'")
    notice_copy.write_text(text, encoding="utf-8")
    assert_one_line_error(run("--data", str(notice_copy), "show", "6.3"),
                          "sections[5].children[3].id: id '6.3' out of place in the tree; expected '6.4'")


def test_a_format_1_file_is_refused_in_its_own_terms(notice_v1_copy):
    """A format-1 file that cannot be read says so with its own paths and lines (measures, not the
    children of the format-2 tree it is read as)."""
    text = notice_v1_copy.read_text(encoding="utf-8")
    assert text.count("- id: '6.4'") == 1
    notice_v1_copy.write_text(text.replace("- id: '6.4'", "- id: '6.5'"), encoding="utf-8")
    line = notice_v1_copy.read_text(encoding="utf-8").splitlines().index("  - id: '6.5'") + 1
    assert_one_line_error(run("--data", str(notice_v1_copy), "show", "6.5"),
                          f"{notice_v1_copy}:{line}: sections[5].measures[3].id: id '6.5' out of order; expected '6.4'")


def test_a_format_1_section_mixing_numbered_and_bare_measures_is_refused(notice_v1_copy):
    """Format 1: a section of several measures numbers each ((一) and a title). One without a
    numeral cannot be read as a node of the tree: one clear error, not an internal error."""
    text = notice_v1_copy.read_text(encoding="utf-8")
    old = "  - id: '6.4'\n    numeral: 四\n    title: 加强公车管理\n"
    assert text.count(old) == 1
    notice_v1_copy.write_text(text.replace(old, "  - id: '6.4'\n"), encoding="utf-8")
    # section 6's measures: the sequence starts at its first item
    line = notice_v1_copy.read_text(encoding="utf-8").splitlines().index("  - id: '6.1'") + 1
    assert_one_line_error(run("--data", str(notice_v1_copy), "show", "6.4"),
                          f"{notice_v1_copy}:{line}: sections[5].measures: a section with several measures "
                          "needs a numeral and title on each")


@pytest.mark.parametrize(("fixture", "version"), [("notice_v1_copy", 1), ("notice_copy", 2)])
def test_unsupported_schema_version(request, fixture, version):
    copy = request.getfixturevalue(fixture)
    text = copy.read_text(encoding="utf-8")
    assert f"\nschema_version: {version}\n" in text
    copy.write_text(text.replace(f"schema_version: {version}", "schema_version: 7"), encoding="utf-8")
    assert_one_line_error(run("--data", str(copy), "stats"), "schema_version", "7", "not supported")


def test_empty_file(tmp_path):
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    assert_one_line_error(run("--data", str(empty), "stats"), "empty file")


def test_usage_errors_are_one_line():
    assert_one_line_error(run("show"), "Missing argument", "rectcli show --help")
    assert_one_line_error(run("frobnicate"), "No such command")
    assert_one_line_error(run("search", "--nope", "x"), "No such option")
    assert_one_line_error(run("--color", "purple", "stats"), "--color")


def test_no_arguments_prints_help():
    r = run()
    assert r.exit_code == 0
    assert "Usage" in r.stdout and "search" in r.stdout and "stats" in r.stdout


def test_mistyped_command_suggests_the_right_one():
    # commands load lazily; a wrong name must still be compared with every command
    r = run("serch", "公车")
    assert r.exit_code == 2 and "Did you mean 'search'?" in r.stderr


def test_help_lists_every_command_in_order():
    # a command's row starts right after the box's edge ("│ sections  The …"); a continuation
    # line of a description is indented (and may mention a command's name: "figures pointing at")
    listed = [line.split()[1] for line in run("--help").stdout.splitlines()
              if line.startswith("│ ") and line[2:3] != " " and len(line.split()) > 2
              and line.split()[1] in ("sections", "show", "search", "stats", "export", "docs", "figures", "validate")]
    assert listed == ["sections", "show", "search", "stats", "export", "docs", "figures", "validate"]


@pytest.mark.parametrize("command", ["sections", "show", "search", "stats", "export", "docs", "figures", "validate"])
def test_every_command_has_help_with_an_example(command):
    r = run(command, "--help")
    assert r.exit_code == 0, r.output
    assert "Example: rectcli" in r.stdout


def test_unreadable_file_even_as_root(notice_copy, monkeypatch):
    """Root can read any file, so also simulate the permission error the OS gives a user."""
    import pathlib

    def denied(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(pathlib.Path, "read_bytes", denied)
    assert_one_line_error(run("--data", str(notice_copy), "stats"), "cannot read", "Permission denied")
