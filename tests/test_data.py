"""data/notice.yaml is complete and faithful to the published source."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rectcli.output.export import to_text
from rectcli.notice.format import load_notice
from rectcli.model import characters
from tests.paths import DATA, SCHEMA


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def source_paragraphs(source: str) -> list[str]:
    """The notice's paragraphs: the source's indented lines (7, 9, …, 107), without the indent.
    The byte-for-byte comparison of the whole text is in test_fidelity.py."""
    return [line.strip() for line in source.splitlines() if line.startswith("  ")]


def test_export_has_no_page_chrome():
    text = to_text(load_notice())
    assert "分享到" not in text and "^" not in text


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def test_no_string_is_longer_than_a_paragraph(raw_notice, source_text):
    longest = max(len(p) for p in source_paragraphs(source_text))
    strings = list(_strings(raw_notice))
    assert max(len(s) for s in strings) <= longest
    assert not any("\n" in s for s in strings)


def test_every_source_paragraph_is_stored_once(raw_notice, source_text):
    """Paragraph pieces appear once: no paragraph's text is stored twice in the YAML."""
    texts = [s for s in _strings(raw_notice) if len(s) > 30]
    assert len(texts) == len(set(texts))
    yaml_text = DATA.read_text(encoding="utf-8")
    body = source_paragraphs(source_text)
    # counted in the source: lines 7, 9, 11 (opening), 14 headings and 32 measures (lines 13-103),
    # lines 105, 107 (closing): 3 + 14 + 32 + 2
    assert len(body) == 51
    headings = re.compile(r"^[一二三四五六七八九十]+、关于.+的整改情况$")  # derived from `problem`
    for para in (p for p in body if not headings.match(p)):
        # the longest piece of each paragraph occurs exactly once in the file
        piece = max(re.split(r"。|[一二三]是", para), key=len)
        assert yaml_text.count(piece[-20:]) == 1, piece  # the tail: a title split off may precede it


def test_structure_counts():
    notice = load_notice()
    assert len(notice.sections) == 14 == notice.metadata.categories
    assert sum(1 for m in notice.measures if m.numeral) == 27
    assert [s.numeral for s in notice.sections if not s.has_subsections] == ["五", "七", "八", "十", "十三"]
    assert len(notice.measures) == 32
    assert [s.id for s in notice.sections] == [str(i) for i in range(1, 15)]


def test_headings_derive_exactly_from_problems(source_text):
    notice = load_notice()
    for s in notice.sections:
        assert "  " + s.full_heading + "\n" in source_text


def test_metadata(raw_notice):
    notice = load_notice()
    meta = notice.metadata
    assert meta.issuer == "中共宁波前湾新区工作委员会"
    assert meta.published.isoformat() == "2022-04-08T10:00:00+08:00"
    insp = meta.inspection
    assert (insp.round, insp.team, insp.former_name) == ("十四届省委第十二轮巡视", "省委第一巡视组", "宁波杭州湾新区党工委")
    assert (str(insp.period_start), str(insp.period_end), str(insp.feedback)) == ("2021-03-31", "2021-06-18", "2021-08-24")
    assert (meta.aspects, meta.categories, meta.problem_items, meta.meetings) == (4, 14, 43, 18)
    assert [i.ordinal for i in notice.opening[1].items] == ["一是", "二是", "三是"]
    assert [i.ordinal for i in notice.closing[0].items] == ["一是", "二是", "三是"]
    contacts = notice.closing[1].contacts
    assert contacts.phone == "0574-82355637" and contacts.postcode == "315336"
    assert contacts.email == "office@hzw.gov.cn"
    assert notice.signature.date_text == "202248" and str(notice.signature.date) == "2022-04-08"


# The outcomes of source line 11, read by hand: (label, value as written, unit, breakdown).
# 党内警告12 has lost its 人 in the source (an erratum); its unit is the 人 of its siblings.
OUTCOMES = [
    ("立案", "32", "件", []),
    ("了结", "31", "件", []),
    ("党纪处分", "31", "人", [("党内警告", "12", "人"), ("党内严重警告", "9", "人"), ("撤销党内职务", "1", "人"),
                          ("开除党籍", "9", "人")]),
    ("政务处分", "4", "人", [("撤职", "1", "人"), ("开除", "1", "人"), ("警告", "2", "人")]),
    ("组织处理", "4", "人", [("解除劳动合同", "4", "人")]),
    ("诫勉", "6", "人", []),
    ("教育提醒", "15", "人", []),
    ("建立完善制度", "46", "项", []),
    ("清退款项", "120.747", "万元", []),
    ("直接挽回经济损失", "618.5622", "万元", []),
]
# the same, as the phrases source line 11 has them (checked against the fixture below)
OUTCOME_PHRASES = ["立案32件", "了结31件", "给予党纪处分31人(党内警告12党内严重警告9人,撤销党内职务1人,开除党籍9人)",
                   "政务处分4人(撤职1人,开除1人,警告2人)", "组织处理4人(解除劳动合同4人)", "诫勉6人", "教育提醒15人",
                   "建立完善制度46项", "清退款项120.747万元", "直接挽回经济损失618.5622万元"]


def test_outcome_phrases_are_the_sources(source_text):
    """The hand-written expectations above are really in the source's line 11."""
    line_11 = source_text.splitlines()[10]
    assert line_11.startswith("  在巡视整改工作中")
    for phrase in OUTCOME_PHRASES:
        assert phrase in line_11, phrase


def test_outcomes_are_exact_and_appear_in_their_paragraph():
    notice = load_notice()
    got = [(o.label, o.raw, o.unit, [(b.label, b.raw, b.unit) for b in o.breakdown]) for o in notice.outcomes]
    assert got == OUTCOMES
    by_label = {o.label: o for o in notice.outcomes}
    assert by_label["清退款项"].value == Decimal("120.747")
    assert by_label["直接挽回经济损失"].value == Decimal("618.5622")
    assert all(isinstance(o.value, Decimal) for o in notice.outcomes)
    assert notice.outcomes_source == "opening.3"
    source = next(p for p in notice.opening if p.id == "opening.3")
    for phrase in OUTCOME_PHRASES:  # the structured figures sit beside the text they come from
        assert phrase in source.text, phrase


def test_money_is_never_a_float_in_the_yaml(raw_notice):
    for o in raw_notice["outcomes"]["figures"]:
        assert isinstance(o["value"], str)


def test_errata_point_at_text_that_is_really_there():
    notice = load_notice()
    holders = [(m.full_text, m.errata) for m in notice.measures]
    holders += [(p.full_text, p.all_errata) for p in notice.opening + notice.closing]
    holders.append((notice.signature.date_text, notice.signature.errata))
    found = 0
    for text, errata in holders:
        for e in errata:
            assert e.found in text
            found += 1
    assert found >= 20


@pytest.mark.parametrize("damaged", ["20222月", "202248", "党内警告12党内严重警告9人", "后半篇文章二是"])
def test_source_damage_is_kept_not_repaired(damaged):
    assert damaged in squeeze(to_text(load_notice()))


def test_bundled_notice_satisfies_the_shipped_schema(raw_notice):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(raw_notice)


def test_yaml_points_editors_at_the_schema():
    assert DATA.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=notice.schema.json")


def test_characters_examples():
    # counted by hand: 加强公车管理 is 6; ASCII, ideographic (U+3000) and line-break spaces do not count
    assert characters("加强 公车\u3000管理\n") == 6
    assert characters("(四)加强公车管理。") == 10
    assert characters(" \t\u3000\n") == 0


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_characters_counts_everything_but_white_space(text):
    assert characters(text) == sum(1 for ch in text if not ch.isspace())
