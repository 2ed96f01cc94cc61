"""data/notice.yaml (format 2) is complete and faithful to the published source.

Expectations are written by hand from tests/fixtures/notice-source.txt (line numbers below are
that file's); the file is read with plain ``yaml.safe_load`` where the property is about the
file itself, and through the loader where it is about what rectcli makes of it.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rectcli.notice.format import load_notice
from rectcli.notice.model import characters
from rectcli.output.export import to_text
from tests.paths import DATA, SCHEMA

# Page chrome of the source, by hand: the masthead (line 1), the date line (5) and the share
# widget (113, 114). Every other non-blank line is the notice: the title (3), the paragraphs
# (7 … 107, indented by two spaces) and the signature (109, 111, with trailing spaces).
CHROME_LINES = {1, 5, 113, 114}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def source_lines(source: str) -> list[str]:
    """The notice's own lines, in order, without chrome, indent or trailing spaces."""
    return [line.strip() for number, line in enumerate(source.splitlines(), 1)
            if line.strip() and number not in CHROME_LINES]


def source_paragraphs(source: str) -> list[str]:
    """The notice's indented paragraphs (lines 7, 9, …, 107), without the indent."""
    return [line.strip() for line in source.splitlines() if line.startswith("  ")]


def stored_lines(raw: dict) -> list[str]:
    """The file's text parts as the source's lines, read by the rules of format 2 (FORMAT2.md):
    title lines, opening, the tree depth first (a standalone heading is a line of its own; a
    run-in heading starts its node's first paragraph), closing, signature lines."""
    out = list(raw["title"]) + [p["text"] for p in raw["opening"]]

    def walk(node: dict) -> None:
        head = node["marker"] + (node.get("heading") or "")
        paragraphs = list(node.get("paragraphs", []))
        if node.get("runin") or node.get("heading") is None:
            after = node.get("after_heading", "") if node.get("runin") else ""
            out.append(head + after + (paragraphs.pop(0) if paragraphs else ""))
        else:
            out.append(head)
        out.extend(paragraphs)
        for child in node.get("children", []):
            walk(child)

    for section in raw["sections"]:
        walk(section)
    out += [p["text"] for p in raw["closing"]] + list(raw["signature"]["lines"])
    return out


def test_the_source_has_the_lines_the_tests_assume(source_text):
    lines = source_text.splitlines()
    assert lines[0] == "中共浙江省纪律检查委员会 浙江省监察委员会"
    assert lines[4] == "2022-04-08 10:00 浙江省纪委省监委网站"
    assert lines[112:114] == ["分享到", "^"]
    # 1 title + 3 opening + 14 headings + 32 measures + 2 closing + 2 signature lines
    assert len(source_lines(source_text)) == 54
    assert len(source_paragraphs(source_text)) == 51


def test_every_word_is_stored_once_in_reading_order(raw_notice, source_text):
    """The text parts of the file are the source's lines, each once, in order, exactly as written."""
    assert stored_lines(raw_notice) == source_lines(source_text)


def test_no_passage_is_stored_twice(raw_notice):
    lines = stored_lines(raw_notice)
    long_ones = [line for line in lines if len(line) > 30]
    assert len(long_ones) == len(set(long_ones))


def test_the_longest_piece_of_each_paragraph_occurs_once_in_the_file(source_text):
    yaml_text = DATA.read_text(encoding="utf-8")
    for para in source_paragraphs(source_text):
        para = re.sub(r"^[一二三四五六七八九十]+、", "", para)  # a section's marker is stored apart from its heading
        piece = max(re.split(r"。|[一二三]是", para), key=len)
        assert yaml_text.count(piece[-20:]) == 1, piece  # the tail: a run-in heading may precede it


def test_chrome_is_recorded_not_mixed_into_the_text(raw_notice, source_text):
    lines = source_text.splitlines()
    assert [(c["line"], c["text"]) for c in raw_notice["chrome"]] == [(n, lines[n - 1]) for n in sorted(CHROME_LINES)]


def test_export_has_no_page_chrome():
    text = to_text(load_notice())
    assert "分享到" not in text and "^" not in text and "浙江省纪委省监委网站" not in text


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


# The structure, counted in the source: 14 sections 一 … 十四; 五 七 八 十 十三 have no
# subsections (their body follows the heading); the others have (一)(二)… : 一 3, 二 6, 三 4,
# 四 2, 六 4, 九 2, 十一 2, 十二 2, 十四 2 = 27 measures; 27 + 5 bodies = 32 measures in all.
SUBSECTIONS = {"一": 3, "二": 6, "三": 4, "四": 2, "五": 0, "六": 4, "七": 0, "八": 0, "九": 2, "十": 0,
               "十一": 2, "十二": 2, "十三": 0, "十四": 2}


def test_structure_counts():
    notice = load_notice()
    assert [s.id for s in notice.sections] == [str(i) for i in range(1, 15)]
    assert [s.marker for s in notice.sections] == [f"{n}、" for n in SUBSECTIONS]
    assert {s.label: len(s.children) for s in notice.sections} == SUBSECTIONS
    assert sum(len(s.children) for s in notice.sections) == 27
    assert [s.label for s in notice.sections if not s.children] == ["五", "七", "八", "十", "十三"]
    assert all(len(s.paragraphs) == 1 for s in notice.sections if not s.children)  # the body, one paragraph
    assert all(not s.paragraphs for s in notice.sections if s.children)
    assert notice.depth == 2
    assert sum(1 for n in notice.nodes() if n.paragraphs) == 32
    six = notice.section("6")
    assert [(c.id, c.label, c.marker) for c in six.children] == [
        ("6.1", "六(一)", "(一)"), ("6.2", "六(二)", "(二)"), ("6.3", "六(三)", "(三)"), ("6.4", "六(四)", "(四)")]
    assert notice.node("5.1") is None  # a section without subsections is one node


def test_headings_are_as_written(source_text):
    notice = load_notice()
    lines = source_text.splitlines()
    # section headings are lines of their own: 一、关于…问题的整改情况 (lines 13, 21, …, 99)
    for s in notice.sections:
        assert s.heading.startswith("关于") and s.heading.endswith("的整改情况")
        assert "  " + s.marker + s.heading in lines
    # a measure's heading starts its paragraph; 。 follows it except where the source lost it
    # (二(六) line 33 and 六(一) line 57: the heading runs into the text)
    for s in notice.sections:
        for c in s.children:
            assert c.runin
            assert any(line.startswith("  " + c.marker + c.heading + c.after_heading) for line in lines), c.id
    assert {c.id for s in notice.sections for c in s.children if c.after_heading != "。"} == {"2.6", "6.1"}
    assert notice.node("6.4").heading == "加强公车管理"


def test_metadata():
    notice = load_notice()
    meta = notice.metadata
    assert meta.title == "中共宁波前湾新区工作委员会关于十四届省委第十二轮巡视整改进展情况的通报"  # line 3
    assert notice.title_lines == (meta.title,) and meta.title_from == "body"
    assert meta.issuer == "中共宁波前湾新区工作委员会"
    assert (meta.kind, meta.special) == ("巡视", ())
    # line 5 (chrome): 2022-04-08 10:00
    assert (meta.published.value, meta.published.precision, meta.published_time) == ("2022-04-08", "day", "10:00")
    insp = meta.inspection
    # line 7: 根据省委统一部署,2021年3月31日至6月18日,省委第一巡视组对宁波前湾新区党工委(原宁波杭州湾新区党工委)…
    assert (insp.body, insp.level) == ("省委", "省")
    assert (insp.round, insp.team, insp.inspected, insp.former_name) == (
        "十四届省委第十二轮巡视", "省委第一巡视组", "宁波前湾新区党工委", "宁波杭州湾新区党工委")
    assert insp.period.text == "2021年3月31日至6月18日"
    assert (insp.period.start.text, insp.period.start.value, insp.period.start.year_inferred) == (
        "2021年3月31日", "2021-03-31", False)
    assert (insp.period.end.text, insp.period.end.value, insp.period.end.year_inferred) == ("6月18日", "2021-06-18", True)
    # 8月24日,省委巡视组向…反馈了巡视意见 (no year: the period's)
    assert (insp.feedback.text, insp.feedback.value, insp.feedback.year_inferred) == ("8月24日", "2021-08-24", True)
    # the signature, lines 109 and 111 (202248: 年月日 lost)
    assert notice.signature_lines == ("中共宁波前湾新区工作委员会", "202248")
    assert (meta.signature.signer, meta.signature.date.text, meta.signature.date.value) == (
        "中共宁波前湾新区工作委员会", "202248", "2022-04-08")
    # line 107
    contacts = dict(meta.contacts)
    assert contacts["phone"] == "0574-82355637" and contacts["postcode"] == "315336"
    assert contacts["email"] == "office@hzw.gov.cn" and contacts["address"] == "宁波前湾新区兴慈一路1号管委办"
    # lines 9 and 105: 一是 … 二是 … 三是
    assert [ordinal for ordinal, _ in notice.opening[1].items] == ["一是", "二是", "三是"]
    assert [ordinal for ordinal, _ in notice.closing[0].items] == ["一是", "二是", "三是"]


# Line 9: 针对巡视反馈的4个方面14个类别43项具体问题 … 先后召开18次会议
STATED = [("方面", "4", "个"), ("类别", "14", "个"), ("具体问题", "43", "项"), ("会议", "18", "次")]


def test_stated_counts():
    notice = load_notice()
    assert [(s.label, s.raw, s.unit) for s in notice.stated] == STATED
    text = notice.paragraph("opening.2").text
    assert "4个方面14个类别43项具体问题" in text and "召开18次会议" in text


# The outcomes of source line 11, read by hand: (label, key, value as written, unit, breakdown).
# 党内警告12 has lost its 人 in the source (an erratum); its unit is the 人 of its siblings.
# Keys: the shared vocabulary (SWITCH.md); 解除劳动合同 has none there.
OUTCOMES = [
    ("立案", "cases_filed", "32", "件", []),
    ("了结", "cases_closed", "31", "件", []),
    ("党纪处分", "party_discipline", "31", "人", [
        ("党内警告", "party_warning", "12", "人"), ("党内严重警告", "party_serious_warning", "9", "人"),
        ("撤销党内职务", "party_removal_from_post", "1", "人"), ("开除党籍", "party_expulsion", "9", "人")]),
    ("政务处分", "government_sanctions", "4", "人", [
        ("撤职", "gov_dismissal_from_post", "1", "人"), ("开除", "gov_expulsion", "1", "人"),
        ("警告", "gov_warning", "2", "人")]),
    ("组织处理", "organisational_handling", "4", "人", [("解除劳动合同", None, "4", "人")]),
    ("诫勉", "admonished", "6", "人", []),
    ("教育提醒", "reminded", "15", "人", []),
    ("建立完善制度", "rules_established", "46", "项", []),
    ("清退款项", "funds_refunded", "120.747", "万元", []),
    ("直接挽回经济损失", "losses_recovered", "618.5622", "万元", []),
]
# each figure as source line 11 has it (label, value, unit), in the same order, parts included
PHRASES = ["立案32件", "了结31件", "党纪处分31人", "党内警告12", "党内严重警告9人", "撤销党内职务1人", "开除党籍9人",
           "政务处分4人", "撤职1人", "开除1人", "警告2人", "组织处理4人", "解除劳动合同4人", "诫勉6人", "教育提醒15人",
           "建立完善制度46项", "清退款项120.747万元", "直接挽回经济损失618.5622万元"]
# the same, as whole phrases of source line 11 (checked against the fixture below)
OUTCOME_PHRASES = ["立案32件", "了结31件", "给予党纪处分31人(党内警告12党内严重警告9人,撤销党内职务1人,开除党籍9人)",
                   "政务处分4人(撤职1人,开除1人,警告2人)", "组织处理4人(解除劳动合同4人)", "诫勉6人", "教育提醒15人",
                   "建立完善制度46项", "清退款项120.747万元", "直接挽回经济损失618.5622万元"]


def test_outcome_phrases_are_the_sources(source_text):
    """The hand-written expectations above are really in the source's line 11."""
    line_11 = source_text.splitlines()[10]
    assert line_11.startswith("  在巡视整改工作中")
    for phrase in OUTCOME_PHRASES:
        assert phrase in line_11, phrase
    # PHRASES are these phrases taken apart: without 给予, the brackets and the commas
    assert "".join(PHRASES) == re.sub(r"给予|[(),]", "", "".join(OUTCOME_PHRASES))


def _opening_3(notice):
    return [o for o in notice.outcomes if o.passage == "opening.3"]


def test_the_outcomes_of_line_11_are_exact():
    notice = load_notice()
    got = [(o.label, o.key, o.raw, o.unit, [(b.label, b.key, b.raw, b.unit) for b in o.breakdown])
           for o in _opening_3(notice)]
    assert got == OUTCOMES
    # the three parenthesised lists are complete and add up: 12+9+1+9 = 31, 1+1+2 = 4, 4 = 4
    assert [(o.label, o.complete, o.balanced) for o in notice.outcomes if o.breakdown] == [
        ("党纪处分", True, True), ("政务处分", True, True), ("组织处理", True, True)]
    assert not any(o.approx for o in _opening_3(notice))


def test_each_outcome_points_at_its_words_in_line_11(source_text):
    """Each figure's span in opening.3 holds its label and value as written (and may take the unit)."""
    notice = load_notice()
    text = notice.paragraph("opening.3").text
    assert "  " + text == source_text.splitlines()[10]
    figures = [f for o in _opening_3(notice) for f in (o, *o.breakdown)]
    assert len(figures) == len(PHRASES)
    for figure, phrase in zip(figures, PHRASES):
        span = text[figure.start:figure.end]
        assert span.startswith(figure.label + figure.raw) and phrase.startswith(span), (figure.label, span, phrase)


def test_outcomes_elsewhere_point_at_their_passage():
    notice = load_notice()
    texts = {p.id: p.text for p in notice.passages()}
    for o in notice.outcomes:
        assert o.passage in texts, o
        assert o.raw in texts[o.passage][o.start:o.end], o


def test_money_is_exact():
    notice = load_notice()
    money = {o.label: o for o in _opening_3(notice) if o.unit == "万元"}
    # 120.747万元 = 1 207 470 元; 618.5622万元 = 6 185 622 元 (by hand)
    assert money["清退款项"].value == Decimal("120.747") and money["清退款项"].yuan == Decimal("1207470")
    assert money["直接挽回经济损失"].value == Decimal("618.5622")
    assert money["直接挽回经济损失"].yuan == Decimal("6185622")
    assert all(isinstance(o.value, Decimal) for o in notice.outcomes)


def test_money_is_never_a_float_in_the_yaml(raw_notice):
    def figures(items):
        for f in items:
            yield f
            yield from figures(f.get("breakdown", []))

    for f in figures(raw_notice["outcomes"] + raw_notice["stated_counts"]):
        assert isinstance(f["value"], str), f
        assert "yuan" not in f or isinstance(f["yuan"], str), f
    yaml_text = DATA.read_text(encoding="utf-8")
    assert "value: '120.747'" in yaml_text and "value: '618.5622'" in yaml_text  # quoted, as written
    stored_yuan = {f["label"]: f["yuan"] for f in figures(raw_notice["outcomes"]) if "yuan" in f}
    assert stored_yuan.get("清退款项", "1207470") == "1207470"
    assert stored_yuan.get("直接挽回经济损失", "6185622") == "6185622"


def _errata_holders(raw):
    """(text an erratum annotates, its errata) in the file, read by the rules of format 2: a
    paragraph's text; a node's marker + heading (+ after_heading when run in) + paragraphs; the
    signature's lines."""
    for part in ("opening", "closing"):
        for p in raw[part]:
            yield p["id"], p["text"], p.get("errata", [])

    def walk(node):
        head = node["marker"] + (node.get("heading") or "") + (node.get("after_heading", "") if node.get("runin") else "")
        yield node["id"], head + "".join(node.get("paragraphs", [])), node.get("errata", [])
        for child in node.get("children", []):
            yield from walk(child)

    for s in raw["sections"]:
        yield from walk(s)
    yield "signature", "".join(raw["signature"]["lines"]), raw["signature"].get("errata", [])


def test_errata_point_at_text_that_is_really_there(raw_notice):
    found = 0
    for where, text, errata in _errata_holders(raw_notice):
        for e in errata:
            assert e["found"] in text, (where, e["found"])
            found += 1
    assert found >= 20


# Damage seen in the source by hand, and where it is: each has an erratum there.
DAMAGE = [("opening.2", "后半篇文章"), ("opening.3", "党内警告12党内严重警告9人"), ("2.6", "聚力打造人才集聚强磁场"),
          ("6.1", "严格落实第一责任人责任和一岗双责"), ("8", "对20222月"), ("signature", "202248")]


@pytest.mark.parametrize(("where", "damaged"), DAMAGE)
def test_known_damage_has_an_erratum(raw_notice, where, damaged):
    errata = {w: [e["found"] for e in errs] for w, _, errs in _errata_holders(raw_notice)}
    assert any(damaged in found or found in damaged for found in errata[where]), errata[where]


@pytest.mark.parametrize("damaged", ["20222月", "202248", "党内警告12党内严重警告9人", "后半篇文章二是"])
def test_source_damage_is_kept_not_repaired(damaged):
    assert damaged in squeeze(to_text(load_notice()))


def test_bundled_notice_satisfies_the_shipped_schema(raw_notice):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(raw_notice)
    assert raw_notice["schema_version"] == 2


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
