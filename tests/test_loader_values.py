"""Numbers in a notice file: only plain decimal integers of at most 18 digits are read as
integers, and every decimal amount is bounded; anything else is one clear error with the
file, the line and the YAML path, never a traceback or a silently reinterpreted value."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import run
from tests.paths import DATA

NO_CACHE = {"RECTCLI_NO_CACHE": "1"}
MEETINGS_LINE = 26  # `  meetings: 18` in data/notice.yaml (checked below)


def tampered(directory: Path, old: str, new: str, name: str = "notice.yaml") -> Path:
    text = DATA.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    target = directory / name
    target.write_text(text.replace(old, new), encoding="utf-8")
    return target


def with_meetings(directory: Path, value: str, name: str = "notice.yaml") -> Path:
    return tampered(directory, "\n  meetings: 18\n", f"\n  meetings: {value}\n", name)


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
    assert DATA.read_text(encoding="utf-8").splitlines()[MEETINGS_LINE - 1] == "  meetings: 18"


# Each of these is an integer to YAML 1.1 (PyYAML's resolver) with another value than the
# digits suggest: 022 is octal 18, 1:00:00 is base 60 (3600), 0x1F is 31, 0b101 is 5,
# 1_000 is 1000, +12 is 12. The notice says 18次会议; none of them may pass as a count.
YAML11_INTEGERS = ["022", "1:00:00", "0x1F", "0b101", "1_000", "+12", "!!int 022", "00"]


@pytest.mark.parametrize("value", YAML11_INTEGERS)
@pytest.mark.parametrize("command", ["stats", "sections", "show 6.4"])
def test_yaml11_integer_forms_are_refused(tmp_path, value, command):
    data = with_meetings(tmp_path, value)
    err = one_line_error(run("--data", str(data), *command.split(), env=NO_CACHE),
                         f"{data}:{MEETINGS_LINE}: metadata.meetings:")
    assert "quote" in err  # tells the user what to do if it is text


@pytest.mark.parametrize("value", YAML11_INTEGERS)
def test_validate_reports_yaml11_integer_forms(tmp_path, value):
    data = with_meetings(tmp_path, value)
    one_line_error(run("validate", str(data), env=NO_CACHE), f"{data}:{MEETINGS_LINE}: metadata.meetings:")


def test_100000_digit_integer(tmp_path):
    data = with_meetings(tmp_path, "1" * 100_000)
    for args in (["--data", str(data), "stats"], ["validate", str(data)]):
        err = one_line_error(run(*args, env=NO_CACHE), f"{data}:{MEETINGS_LINE}: metadata.meetings: number too long")
        assert "internal error" not in err and len(err) < 400


def test_19_digit_integer_is_too_long_18_is_not(tmp_path):
    data = with_meetings(tmp_path, "1234567890123456789")
    one_line_error(run("--data", str(data), "stats", env=NO_CACHE), f"{data}:{MEETINGS_LINE}:", "number too long")
    data = with_meetings(tmp_path, "123456789012345678", "ok.yaml")
    r = run("--data", str(data), "stats", env=NO_CACHE)
    assert r.exit_code == 0, r.output
    assert "整改会议\t123456789012345678次" in r.stdout


def test_an_integer_that_is_text_is_read_when_quoted(tmp_path):
    data = with_meetings(tmp_path, "'022'")
    # quoted, it is text: the schema wants a whole number, and says so (no reinterpretation)
    one_line_error(run("--data", str(data), "stats", env=NO_CACHE), f"{data}:{MEETINGS_LINE}: metadata.meetings:")


@pytest.mark.parametrize("value", ["0o17", "1e5"])
def test_text_that_looks_numeric_is_still_refused(tmp_path, value):
    # not integers to YAML 1.1 at all (text): refused by the schema, with the same place
    data = with_meetings(tmp_path, value)
    one_line_error(run("--data", str(data), "stats", env=NO_CACHE), f"{data}:{MEETINGS_LINE}: metadata.meetings:")


def test_a_very_long_amount_is_refused_with_its_line(tmp_path):
    # 清退款项 120.747万元 (opening.3); an amount is a quoted decimal string
    text = DATA.read_text(encoding="utf-8")
    line = text[:text.index("value: '120.747'")].count("\n") + 1
    data = tampered(tmp_path, "value: '120.747'", "value: '" + "3" * 100_000 + ".5'")
    for args in (["--data", str(data), "stats"], ["--data", str(data), "figures"], ["validate", str(data)]):
        one_line_error(run(*args, env=NO_CACHE), f"{data}:{line}: outcomes.figures[", "number too long")


def test_an_amount_with_too_many_decimal_places_is_refused(tmp_path):
    text = DATA.read_text(encoding="utf-8")
    line = text[:text.index("value: '120.747'")].count("\n") + 1
    data = tampered(tmp_path, "value: '120.747'", "value: '120." + "7" * 40 + "'")
    one_line_error(run("--data", str(data), "stats", env=NO_CACHE), f"{data}:{line}:", "decimal places")


def test_a_long_amount_within_the_bounds_is_exact(tmp_path):
    # 18 digits before the point, 10 after: still exact in 元 (×10000 for 万元)
    data = tampered(tmp_path, "value: '120.747'", "value: '123456789012345678.1234567891'")
    r = run("--data", str(data), "stats", env=NO_CACHE)
    assert r.exit_code == 0, r.output
    assert "款项\t清退款项\t123456789012345678.1234567891\t1234567890123456781234.567891" in r.stdout


_PLAIN = re.compile(r"-?(0|[1-9][0-9]*)")
_WORK = Path(tempfile.mkdtemp(prefix="rectcli-loader-values-"))


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="0123456789+-_:xobXOB.e", min_size=1, max_size=24))
def test_any_meetings_value_is_a_plain_count_or_one_clear_error(value):
    # `- ` would start a sequence and `:`/`-` at the start are YAML syntax; quote nothing here:
    # every string is written bare, as a user would type it
    data = with_meetings(_WORK, value, "hypothesis.yaml")
    r = run("--data", str(data), "stats", env=NO_CACHE)
    digits = value.lstrip("-")
    if _PLAIN.fullmatch(value) and len(digits) <= 18 and int(value) >= 0:
        assert r.exit_code == 0, r.output
        assert f"整改会议\t{int(value)}次" in r.stdout
    else:
        assert r.exit_code == 2, (value, r.output)
        assert r.stdout == "" and r.stderr.count("\n") == 1 and r.stderr.startswith("rectcli: error: ")
        assert "internal error" not in r.stderr and "Traceback" not in r.stderr
