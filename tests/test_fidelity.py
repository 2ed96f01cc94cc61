"""The data is the published notice, byte for byte: ``export --format text`` reproduces
tests/fixtures/notice-source.txt, and every passage starts and ends where a paragraph of the
source does.

What the source is (tests/fixtures/notice-source.txt, 114 lines, no newline after the last):

- line 1 the site's masthead, line 3 the title, line 5 the date line, blank lines between;
- lines 7 … 107 (odd) the 51 paragraphs of the notice, each indented by two spaces: opening
  7, 9, 11; the 14 section headings and 32 measures, 13 … 103; closing 105, 107;
- line 109 the issuer and line 111 the date as printed (202248), each followed by two
  trailing spaces;
- lines 112 … 114: a blank line, then the page's share widget (分享到) and back-to-top link (^).

Page chrome is lines 112–114, which are not part of the notice (README: "Page chrome (分享到,
^) … are not part of the notice") and the trailing spaces of lines 109 and 111, which are
layout. The masthead and the date line are kept: the data stores them (metadata.site,
metadata.published) and the text export prints them. So the expected export is: lines 1–111 of
the source, each with trailing white space removed, each ending in a newline.
"""

from __future__ import annotations

import json
import re

from tests.conftest import run
from tests.paths import SOURCE

CHROME = {112: "", 113: "分享到", 114: "^"}  # 1-based line numbers in the source, dropped
LAST_NOTICE_LINE = 111


def source_lines() -> list[str]:
    return SOURCE.read_text(encoding="utf-8").split("\n")


def expected_text() -> str:
    lines = source_lines()
    assert len(lines) == 114 and {n: lines[n - 1] for n in CHROME} == CHROME  # the derivation above holds
    assert lines[108] == "中共宁波前湾新区工作委员会  " and lines[110] == "202248  "  # the trailing spaces
    return "".join(line.rstrip() + "\n" for line in lines[:LAST_NOTICE_LINE])


def source_paragraphs() -> list[str]:
    """The 51 indented lines 7 … 107, without their two-space indent."""
    paragraphs = [line[2:] for line in source_lines()[:LAST_NOTICE_LINE] if line.startswith("  ")]
    assert len(paragraphs) == 51 and not any(p != p.strip() for p in paragraphs)
    return paragraphs


def differences(actual: str, expected: str) -> list[str]:
    """Each line (1-based) where ``actual`` differs from ``expected``; empty when they are equal."""
    if actual == expected:
        return []
    a, e = actual.split("\n"), expected.split("\n")
    out = [f"line {i + 1}: {a[i]!r} != {e[i]!r}" for i in range(min(len(a), len(e))) if a[i] != e[i]]
    if len(a) != len(e):
        out.append(f"{len(a)} lines != {len(e)} lines")
    return out or ["same lines, different bytes"]


def export_text(*data: str) -> str:
    r = run(*data, "export", "--format", "text")
    assert r.exit_code == 0, r.output
    return r.stdout


def passages(*data: str) -> list[str]:
    """Every passage search covers, in notice order, as the source writes it: a section heading
    is its numeral, 、 and its text; a measure or paragraph is its text (a measure's starts with
    its label, "(四)", and has its title run in)."""
    r = run(*data, "search", "--regex", "--json", "[\\s\\S]")  # any character: every passage
    assert r.exit_code == 0, r.output
    hits = json.loads(r.stdout)["data"]["hits"]
    return [f"{h['label']}、{h['text']}" if h["kind"] == "heading" else h["text"] for h in hits]


def passage_differences(got: list[str], expected: list[str]) -> list[str]:
    out = [f"passage {i + 1}: {g[:30]!r} != {e[:30]!r}" for i, (g, e) in enumerate(zip(got, expected)) if g != e]
    if len(got) != len(expected):
        out.append(f"{len(got)} passages != {len(expected)} paragraphs")
    return out


def test_text_export_is_the_source_byte_for_byte():
    assert differences(export_text(), expected_text()) == []


def test_every_passage_is_exactly_one_paragraph_of_the_source():
    assert passage_differences(passages(), source_paragraphs()) == []


# Measures whose title runs into the text with no 。 (source lines 33 and 57): their titles as
# a reader delimits them, written by hand. Every other measure's title is what its paragraph
# has between the label "(一)" and the first 。.
RUN_IN_TITLES = {"2.6": "聚力打造人才集聚强磁场", "6.1": "严格落实第一责任人责任和一岗双责"}


def expected_titles() -> dict[str, str]:
    titles = {}
    section = 0
    for paragraph in source_paragraphs()[3:-2]:  # headings and measures
        if re.fullmatch(r"[一二三四五六七八九十]+、关于.+的整改情况", paragraph):
            section, number = section + 1, 0
            continue
        number += 1
        if not paragraph.startswith("("):  # a section without subsections: its body has no title
            continue
        mid = f"{section}.{number}"
        label_end = paragraph.index(")") + 1
        titles[mid] = RUN_IN_TITLES.get(mid, paragraph[label_end:paragraph.find("。")])
    return titles


def titles(*data: str) -> dict[str, str]:
    r = run(*data, "sections", "--json")
    assert r.exit_code == 0, r.output
    return {m["id"]: m["title"] for s in json.loads(r.stdout)["data"]["sections"] for m in s["measures"]
            if m["title"] is not None}


def test_measure_titles_end_where_the_source_puts_the_full_stop():
    expected = expected_titles()
    assert len(expected) == 27 and expected["6.4"] == "加强公车管理" and expected["1.2"] == "着力推动产业集聚发展"
    assert titles() == expected


# The comparisons above are not blind to small damage: each tampered copy below is caught.


def tamper(copy, old: str, new: str) -> str:
    text = copy.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    copy.write_text(text.replace(old, new), encoding="utf-8")
    assert run("validate", str(copy)).exit_code == 0  # still a valid notice file: only fidelity catches it
    return str(copy)


def test_a_stray_space_inside_a_measure_is_caught(notice_copy):
    data = ("--data", tamper(notice_copy, "严格执行有关规定要求", "严格执行 有关规定要求"))
    found = differences(export_text(*data), expected_text())
    assert len(found) == 1 and found[0].startswith("line 63: ")
    # 6.4 is passage 29: 3 opening paragraphs, then 一 … 五 with their measures (4 + 7 + 5 + 3 + 2),
    # then 六's heading and 6.1 … 6.4
    found = passage_differences(passages(*data), source_paragraphs())
    assert len(found) == 1 and found[0].startswith("passage 29: '(四)加强公车管理。严格执行 有关规定要求")


def test_a_title_cut_short_with_its_last_word_moved_into_the_text_is_caught(notice_copy):
    data = ("--data", tamper(notice_copy, "title: 加强公车管理\n    text: 严格执行", "title: 加强公车\n    text: 管理严格执行"))
    found = differences(export_text(*data), expected_text())
    assert len(found) == 1 and found[0].startswith("line 63: '  (四)加强公车。管理严格执行")
    assert len(passage_differences(passages(*data), source_paragraphs())) == 1


def test_a_title_cut_short_without_a_visible_trace_is_caught_by_the_titles(notice_copy):
    # after_title '' and the 。 moved into the text: the text reads exactly as the source ...
    data = ("--data", tamper(notice_copy, "title: 加强公车管理\n    text: 严格执行",
                             "title: 加强公车\n    after_title: ''\n    text: 管理。严格执行"))
    assert differences(export_text(*data), expected_text()) == []
    # ... but the title no longer ends at the source's full stop
    assert titles(*data)["6.4"] == "加强公车" != expected_titles()["6.4"]


def test_a_stray_space_in_the_masthead_or_a_lost_paragraph_is_caught(notice_copy):
    data = ("--data", tamper(notice_copy, "masthead: 中共浙江省纪律检查委员会 浙江省监察委员会",
                             "masthead: 中共浙江省纪律检查委员会  浙江省监察委员会"))
    assert differences(export_text(*data), expected_text())[0].startswith("line 1: ")
    assert differences(export_text()[:-1], expected_text()) != []  # one byte short
