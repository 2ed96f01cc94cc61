"""Ids as readers write them: the hand-written numeral parser matches its regular-expression spec."""

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from rectcli.notice.query import _numerals, normalize_id
from tests.conftest import run

CN = "一二三四五六七八九十"
SPEC = re.compile(rf"^([{CN}]+)[、.]?(?:\(([{CN}]+)\))?$")


@settings(max_examples=3000)
@given(st.text(alphabet=CN + "、.()（）x1 ", max_size=8))
def test_numeral_parser_matches_the_regex_it_replaces(text):
    m = SPEC.match(text)
    assert _numerals(text) == ((m.group(1), m.group(2)) if m else None)


def test_written_forms():
    for written in ("六(四)", "六（四）", "六、(四)", " 6.4 ", "６．４", "6-4"):
        assert normalize_id(written) == "6.4", written
    assert normalize_id("十四") == normalize_id("十四、") == "14"


def test_leading_zeros_and_long_digit_runs():
    assert normalize_id("006.04") == "6.4"
    assert normalize_id("６．０４") == "6.4"
    # no integer conversion: Python refuses int() of more than 4300 digits
    assert normalize_id("7" * 5000) == "7" * 5000
    assert normalize_id("0" * 5000 + "6") == "6"


@settings(max_examples=300)
@given(st.integers(0, 10**6), st.integers(0, 40), st.integers(0, 99), st.integers(0, 40))
def test_zeros_before_a_number_change_nothing(sec, zeros, sub, sub_zeros):
    assume(sec > 0)
    written = "0" * zeros + str(sec) + "." + "0" * sub_zeros + str(sub)
    assert normalize_id(written) == f"{sec}.{sub}"
    assert normalize_id("0" * zeros + str(sec)) == str(sec)


DIGITS = "1" * 5000


@pytest.mark.parametrize("args", [
    ["show", DIGITS],
    ["show", "6." + "0" * 4999 + "4"],
    ["show", "六" * 5000],                  # a Chinese numeral far too long to be a section
    ["show", "六(" + "四" * 5000 + ")"],
    ["show", "x" * 5000],
    ["search", "公车", "--section", DIGITS],
    ["figures", "--section", DIGITS],
    ["docs", "--section", DIGITS],
], ids=["show digits", "show zeros", "show numeral", "show sub-numeral", "show letters",
        "search --section", "figures --section", "docs --section"])
def test_absurdly_long_ids_are_a_short_clear_error(args):
    r = run(*args)
    assert r.exit_code == 2, r.output
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("rectcli: error: no section or measure "), r.stderr
    assert "internal error" not in r.stderr
    assert "too long" in r.stderr and "rectcli sections" in r.stderr
    assert len(r.stderr) < 200  # the message quotes the start of the id, not 5000 characters of it


@settings(max_examples=300)
@given(st.lists(st.tuples(st.integers(1, 10**6), st.integers(0, 5)), min_size=1, max_size=5),
       st.lists(st.sampled_from(".-"), min_size=4, max_size=4))
def test_a_path_of_any_depth_reads_the_same_in_every_written_form(parts, separators):
    # 1.1.2, 1-1-2, 01.01.02 and 1-01.2 all name the node at path 1.1.2 (a notice may be any depth)
    written = "0" * parts[0][1] + str(parts[0][0])
    for sep, (n, zeros) in zip(separators, parts[1:]):
        written += sep + "0" * zeros + str(n)
    assert normalize_id(written) == ".".join(str(n) for n, _ in parts)
    assert normalize_id(f" {written} ") == normalize_id(written.translate(str.maketrans("0123456789.", "０１２３４５６７８９．")))
