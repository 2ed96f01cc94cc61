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


def test_schema_violation_names_path_and_line(notice_copy):
    text = notice_copy.read_text(encoding="utf-8")
    lines = text.splitlines()
    target = next(i for i, line in enumerate(lines) if line.strip() == "title: 加强公车管理")
    lines[target] = lines[target].replace("加强公车管理", "''")
    notice_copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run("--data", str(notice_copy), "sections")
    assert_one_line_error(r, f"{notice_copy}:{target + 1}: sections[5].measures[3].title: must not be empty")


def test_schema_violations_are_all_counted(notice_copy):
    text = notice_copy.read_text(encoding="utf-8")
    text = text.replace("title: 加强公车管理", "titel: 加强公车管理").replace("meetings: 18", "meetings: many")
    notice_copy.write_text(text, encoding="utf-8")
    r = run("--data", str(notice_copy), "stats")
    assert_one_line_error(r, "metadata.meetings: expected a whole number", "more problems", "rectcli validate")


def test_duplicate_id(notice_copy):
    text = notice_copy.read_text(encoding="utf-8").replace("- id: '6.4'", "- id: '6.3'")
    notice_copy.write_text(text, encoding="utf-8")
    assert_one_line_error(run("--data", str(notice_copy), "show", "6.3"), "duplicate id '6.3'")


def test_unsupported_schema_version(notice_copy):
    text = notice_copy.read_text(encoding="utf-8").replace("schema_version: 1", "schema_version: 7")
    notice_copy.write_text(text, encoding="utf-8")
    assert_one_line_error(run("--data", str(notice_copy), "stats"), "schema_version", "7", "not supported")


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
    listed = [line.split()[1] for line in run("--help").stdout.splitlines()
              if line.startswith("│ ") and len(line.split()) > 2 and line.split()[1].isalpha()
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
