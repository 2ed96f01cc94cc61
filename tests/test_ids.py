"""Ids as readers write them: the hand-written numeral parser matches its regular-expression spec."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from rectcli.query import _numerals, normalize_id

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
