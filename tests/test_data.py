"""data/notice.yaml is complete and faithful to the published source."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rectcli.export import to_text
from rectcli.loader import load_notice
from rectcli.model import characters
from tests.conftest import run
from tests.paths import DATA, SCHEMA

TITLE = "中共宁波前湾新区工作委员会关于十四届省委第十二轮巡视整改进展情况的通报"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def source_body(source: str) -> str:
    """The notice from its (last) title through its closing date, without page chrome."""
    start = source.rindex(TITLE)
    end = source.index("202248", start) + len("202248")
    return source[start:end]


def source_paragraphs(source: str) -> list[str]:
    return [line.strip() for line in source_body(source).splitlines() if line.strip()]


def test_text_export_contains_the_source_character_for_character(source_text):
    r = run("export", "--format", "text")
    assert r.exit_code == 0, r.output
    assert squeeze(source_body(source_text)) in squeeze(r.stdout)


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
    body = [line.strip() for line in source_body(source_text).splitlines() if line.startswith("  ")]
    assert len(body) == 51 - 14 + 14  # 3 opening + 14 headings + 32 measures + 2 closing
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


def test_outcomes_are_exact_and_appear_in_their_paragraph():
    notice = load_notice()
    source = next(p for p in notice.opening if p.id == notice.outcomes_source)
    by_label = {o.label: o for o in notice.outcomes}
    assert by_label["清退款项"].value == Decimal("120.747")
    assert by_label["直接挽回经济损失"].value == Decimal("618.5622")
    assert [b.value for b in by_label["党纪处分"].breakdown] == [12, 9, 1, 9]
    for o in notice.outcomes:
        assert o.label + o.raw in source.text or o.label + "4" in source.text
        assert isinstance(o.value, Decimal)
        for b in o.breakdown:
            assert b.label + b.raw in source.text


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


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_characters_counts_everything_but_white_space(text):
    assert characters(text) == sum(1 for ch in text if not ch.isspace())
