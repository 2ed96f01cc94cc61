"""Numbers in a notice file: only plain decimal integers of at most 18 digits are read as
integers, and every decimal amount is bounded; anything else is one clear error with the
file, the line and the YAML path, never a traceback or a silently reinterpreted value.

Both formats: format 1 (tests/fixtures/notice-v1.yaml, still loaded) has a count of its own,
``metadata.meetings``; format 2 (data/notice.yaml) has integers in the spans of its outcome
figures (``outcomes[0].at.start``, the character where 立案32件 starts in opening.3) and
amounts as decimal strings (``value: '120.747'``). Each tampered line is found by searching the
file's text (the fixture), never taken from the code under test.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import run
from tests.paths import DATA, DATA_V1

NO_CACHE = {"RECTCLI_NO_CACHE": "1"}
MEETINGS_LINE = 26  # `  meetings: 18` in tests/fixtures/notice-v1.yaml (checked below)
# format 2: 立案32件 is characters 16–20 of opening.3 (在巡视整改工作中,对违规违纪的, is 16 characters)
START = "\n    start: 16\n"
START_PATH = "outcomes[0].at.start"


def tampered(directory: Path, old: str, new: str, name: str = "notice.yaml", source: Path = DATA) -> Path:
    text = source.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    target = directory / name
    target.write_text(text.replace(old, new), encoding="utf-8")
    return target


def line_of(path: Path, needle: str) -> int:
    """1-based line on which ``needle`` starts (after any leading newline) in the file."""
    text = path.read_text(encoding="utf-8")
    return text[:text.index(needle) + (1 if needle.startswith("\n") else 0)].count("\n") + 1


def with_meetings(directory: Path, value: str, name: str = "notice-v1.yaml") -> Path:
    return tampered(directory, "\n  meetings: 18\n", f"\n  meetings: {value}\n", name, source=DATA_V1)


def with_start(directory: Path, value: str, name: str = "notice.yaml") -> Path:
    return tampered(directory, START, f"\n    start: {value}\n", name)


START_LINE = line_of(DATA, START)


def one_line_error(r, *needles: str) -> str:
    assert r.exit_code == 2, r.output
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1, r.stderr
    assert r.stderr.startswith("rectcli: error: ")
    assert "Traceback" not in r.stderr
    for needle in needles:
        assert needle in r.stderr, r.stderr
    return r.stderr


def test_meetings_is_on_the_line_the_tests_assume():
    assert DATA_V1.read_text(encoding="utf-8").splitlines()[MEETINGS_LINE - 1] == "  meetings: 18"


def test_the_span_start_is_what_the_tests_assume():
    # the format-2 outcome this file tampers with: 立案, its span in opening.3
    lines = DATA.read_text(encoding="utf-8").splitlines()
    assert lines[START_LINE - 1] == "    start: 16"
    assert [line.strip() for line in lines[START_LINE - 7:START_LINE - 1]] == [
        "- label: 立案", "key: cases_filed", "value: '32'", "unit: 件", "at:", "passage: opening.3"]


# Each of these is an integer to YAML 1.1 (PyYAML's resolver) with another value than the
# digits suggest: 022 is octal 18, 1:00:00 is base 60 (3600), 0x1F is 31, 0b101 is 5,
# 1_000 is 1000, +12 is 12. The notice says 18次会议 and 立案 starts at character 16; none of
# them may pass as a count.
YAML11_INTEGERS = ["022", "1:00:00", "0x1F", "0b101", "1_000", "+12", "!!int 022", "00"]
COMMANDS = ["stats", "sections", "show 6.4"]


@pytest.mark.parametrize("value", YAML11_INTEGERS)
@pytest.mark.parametrize("command", COMMANDS)
def test_yaml11_integer_forms_are_refused_format_1(tmp_path, value, command):
    data = with_meetings(tmp_path, value)
    err = one_line_error(run("--data", str(data), *command.split(), env=NO_CACHE),
                         f"{data}:{MEETINGS_LINE}: metadata.meetings:")
    assert "quote" in err  # tells the user what to do if it is text


@pytest.mark.parametrize("value", YAML11_INTEGERS)
@pytest.mark.parametrize("command", COMMANDS)
def test_yaml11_integer_forms_are_refused_format_2(tmp_path, value, command):
    data = with_start(tmp_path, value)
    err = one_line_error(run("--data", str(data), *command.split(), env=NO_CACHE),
                         f"{data}:{START_LINE}: {START_PATH}:")
    assert "quote" in err


@pytest.mark.parametrize("value", YAML11_INTEGERS)
def test_validate_reports_yaml11_integer_forms(tmp_path, value):
    data = with_meetings(tmp_path, value)
    one_line_error(run("validate", str(data), env=NO_CACHE), f"{data}:{MEETINGS_LINE}: metadata.meetings:")
    data = with_start(tmp_path, value)
    one_line_error(run("validate", str(data), env=NO_CACHE), f"{data}:{START_LINE}: {START_PATH}:")


def test_100000_digit_integer(tmp_path):
    for data, where in ((with_meetings(tmp_path, "1" * 100_000), f"{MEETINGS_LINE}: metadata.meetings"),
                        (with_start(tmp_path, "1" * 100_000), f"{START_LINE}: {START_PATH}")):
        for args in (["--data", str(data), "stats"], ["validate", str(data)]):
            err = one_line_error(run(*args, env=NO_CACHE), f"{data}:{where}: number too long")
            assert "internal error" not in err and len(err) < 400


def test_19_digit_integer_is_too_long_18_is_not(tmp_path):
    data = with_meetings(tmp_path, "1234567890123456789")
    one_line_error(run("--data", str(data), "stats", env=NO_CACHE), f"{data}:{MEETINGS_LINE}:", "number too long")
    data = with_meetings(tmp_path, "123456789012345678", "ok.yaml")
    r = run("--data", str(data), "stats", env=NO_CACHE)
    assert r.exit_code == 0, r.output
    assert "整改会议\t123456789012345678次" in r.stdout


def test_19_digit_span_is_too_long_18_is_read_exactly(tmp_path):
    data = with_start(tmp_path, "1234567890123456789")
    one_line_error(run("--data", str(data), "stats", env=NO_CACHE), f"{data}:{START_LINE}: {START_PATH}:",
                   "number too long")
    data = with_start(tmp_path, "123456789012345678", "ok.yaml")
    r = run("--data", str(data), "stats", "--json", env=NO_CACHE)
    assert r.exit_code == 0, r.output
    first = json.loads(r.stdout)["data"]["outcomes"][0]
    assert first["label"] == "立案" and first["at"]["start"] == 123456789012345678  # not rounded through a float
    # it loads (a number within the bounds), but it points past the paragraph: validate says so, at its line
    r = run("validate", str(data), env=NO_CACHE)
    assert r.exit_code == 1
    assert any(line.startswith(f"{data}:{START_LINE - 1}: outcomes[0].at: ") and "outside opening.3" in line
               for line in r.stdout.splitlines()), r.stdout


def test_an_integer_that_is_text_is_read_when_quoted(tmp_path):
    data = with_meetings(tmp_path, "'022'")
    # quoted, it is text: the schema wants a whole number, and says so (no reinterpretation)
    one_line_error(run("--data", str(data), "stats", env=NO_CACHE), f"{data}:{MEETINGS_LINE}: metadata.meetings:")
    data = with_start(tmp_path, "'022'")
    one_line_error(run("--data", str(data), "stats", env=NO_CACHE), f"{data}:{START_LINE}: {START_PATH}:",
                   "expected a whole number")


@pytest.mark.parametrize("value", ["0o17", "1e5"])
def test_text_that_looks_numeric_is_still_refused(tmp_path, value):
    # not integers to YAML 1.1 at all (text): refused by the schema, with the same place
    data = with_meetings(tmp_path, value)
    one_line_error(run("--data", str(data), "stats", env=NO_CACHE), f"{data}:{MEETINGS_LINE}: metadata.meetings:")
    data = with_start(tmp_path, value)
    one_line_error(run("--data", str(data), "stats", env=NO_CACHE), f"{data}:{START_LINE}: {START_PATH}:")


# Amounts: 清退款项 120.747万元 (source line 11) is a quoted decimal string in both formats:
# format 1 at outcomes.figures[8].value, format 2 at outcomes[8].value; and a part of a
# breakdown, 党内警告 12 (format 2: outcomes[2].breakdown[0].value).
AMOUNTS = [
    pytest.param(DATA_V1, "value: '120.747'", "outcomes.figures[8].value", id="format-1"),
    pytest.param(DATA, "value: '120.747'", "outcomes[8].value", id="format-2"),
]


@pytest.mark.parametrize(("source", "needle", "path"), AMOUNTS)
def test_a_very_long_amount_is_refused_with_its_line(tmp_path, source, needle, path):
    line = line_of(source, needle)
    data = tampered(tmp_path, needle, "value: '" + "3" * 100_000 + ".5'", source=source)
    for args in (["--data", str(data), "stats"], ["--data", str(data), "figures"], ["validate", str(data)]):
        one_line_error(run(*args, env=NO_CACHE), f"{data}:{line}: {path}: ", "number too long")


def test_a_very_long_part_of_a_breakdown_is_refused_with_its_line(tmp_path):
    # format 2: 党内警告 12 is the first part of 党纪处分 (the third outcome); its value is the
    # first "value: '12'" after its label
    text = DATA.read_text(encoding="utf-8")
    assert text.count("label: 党内警告\n") == 1
    at = text.index("value: '12'\n", text.index("label: 党内警告\n"))
    line = text.count("\n", 0, at) + 1
    data = tmp_path / "notice.yaml"
    data.write_text(text[:at] + "value: '" + "1" * 19 + "'\n" + text[at + len("value: '12'\n"):], encoding="utf-8")
    one_line_error(run("--data", str(data), "stats", env=NO_CACHE),
                   f"{data}:{line}: outcomes[2].breakdown[0].value: ", "number too long")


@pytest.mark.parametrize(("source", "needle", "path"), AMOUNTS)
def test_an_amount_with_too_many_decimal_places_is_refused(tmp_path, source, needle, path):
    line = line_of(source, needle)
    data = tampered(tmp_path, needle, "value: '120." + "7" * 40 + "'", source=source)
    one_line_error(run("--data", str(data), "stats", env=NO_CACHE), f"{data}:{line}: {path}: ", "decimal places")


@pytest.mark.parametrize(("source", "needle", "path"), AMOUNTS)
def test_a_long_amount_within_the_bounds_is_exact(tmp_path, source, needle, path):
    # 18 digits before the point, 10 after: still exact in 元 (×10000 for 万元), by hand:
    # 123456789012345678.1234567891 × 10000 = 1234567890123456781234.567891
    data = tampered(tmp_path, needle, "value: '123456789012345678.1234567891'", source=source)
    r = run("--data", str(data), "stats", env=NO_CACHE)
    assert r.exit_code == 0, r.output
    assert "款项\t清退款项\t123456789012345678.1234567891万元\t1234567890123456781234.567891" in r.stdout


_PLAIN = re.compile(r"-?(0|[1-9][0-9]*)")
_WORK = Path(tempfile.mkdtemp(prefix="rectcli-loader-values-"))


def _plain_count(value: str) -> bool:
    return bool(_PLAIN.fullmatch(value)) and len(value.lstrip("-")) <= 18 and int(value) >= 0


def _one_clear_error(r, value: str) -> None:
    assert r.exit_code == 2, (value, r.output)
    assert r.stdout == "" and r.stderr.count("\n") == 1 and r.stderr.startswith("rectcli: error: ")
    assert "internal error" not in r.stderr and "Traceback" not in r.stderr


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="0123456789+-_:xobXOB.e", min_size=1, max_size=24))
def test_any_meetings_value_is_a_plain_count_or_one_clear_error(value):
    # `- ` would start a sequence and `:`/`-` at the start are YAML syntax; quote nothing here:
    # every string is written bare, as a user would type it
    data = with_meetings(_WORK, value, "hypothesis-v1.yaml")
    r = run("--data", str(data), "stats", env=NO_CACHE)
    if _plain_count(value):
        assert r.exit_code == 0, r.output
        assert f"整改会议\t{int(value)}次" in r.stdout
    else:
        _one_clear_error(r, value)


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="0123456789+-_:xobXOB.e", min_size=1, max_size=24))
def test_any_span_start_is_a_plain_count_or_one_clear_error(value):
    data = with_start(_WORK, value, "hypothesis.yaml")
    r = run("--data", str(data), "stats", "--json", env=NO_CACHE)
    if _plain_count(value):
        assert r.exit_code == 0, r.output
        assert json.loads(r.stdout)["data"]["outcomes"][0]["at"]["start"] == int(value)
    else:
        assert r.exit_code == 2, (value, r.output)
        # with --json a failure is JSON on stdout, and the one line on stderr as well
        assert json.loads(r.stdout)["error"]["message"] in r.stderr
        assert r.stderr.count("\n") == 1 and r.stderr.startswith("rectcli: error: ")
        assert "internal error" not in r.stderr and "Traceback" not in r.stderr


def test_text_of_digits_alone_is_text_of_any_length(tmp_path):
    # the bound on amounts is not a bound on text: a heading that is 25 digits (damaged text, a
    # document number on its own) loads as written; the same digits as an amount are refused
    digits = "1234567890123456789012345"
    data = tampered(tmp_path, "heading: 加强公车管理", f"heading: '{digits}'")
    r = run("--data", str(data), "show", "6.4", env=NO_CACHE)
    assert r.exit_code == 0, r.output
    assert digits in r.stdout
    data = tampered(tmp_path, "value: '120.747'", f"value: '{digits}'", name="amount.yaml")
    one_line_error(run("--data", str(data), "stats", env=NO_CACHE), "number too long")


def test_the_amount_keys_are_the_schemas_decimals():
    # the properties the schemas hold to decimal text: format 2's value and yuan (a pattern),
    # format 1's value (its $defs/decimal)
    from rectcli.notice.format import AMOUNT_KEYS, load_schema, load_schema_v1

    def decimals(schema: dict) -> set[str]:
        found: set[str] = set()

        def walk(node):
            if isinstance(node, dict):
                for key, value in (node.get("properties") or {}).items():
                    if isinstance(value, dict) and (value.get("$ref") == "#/$defs/decimal"
                                                    or value.get("pattern") == "^[0-9]+(\\.[0-9]+)?$"):
                        found.add(key)
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(schema)
        return found

    assert decimals(load_schema()) == set(AMOUNT_KEYS) >= decimals(load_schema_v1()) == {"value"}
