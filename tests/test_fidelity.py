"""The data is the published notice, byte for byte: ``export --format text`` reproduces
tests/fixtures/notice-source.txt without its page chrome, and every passage starts and ends
where a paragraph of the source does.

What the source is (tests/fixtures/notice-source.txt, 114 lines, no newline after the last):

- line 1 the site's masthead, line 3 the title, line 5 the date line, blank lines between;
- lines 7 … 107 (odd) the 51 paragraphs of the notice, each indented by two spaces: opening
  7, 9, 11; the 14 section headings and the 27 measures and 5 section bodies, 13 … 103;
  closing 105, 107;
- line 109 the issuer and line 111 the date as printed (202248), each followed by two
  trailing spaces;
- lines 112 … 114: a blank line, then the page's share widget (分享到) and back-to-top link (^).

Page chrome is the page's, not the notice's: the masthead (line 1), the date line (line 5) and
the share widget (lines 113–114), each with the blank line that separates it from the notice
(lines 2, 6 and 112); and the trailing spaces of lines 109 and 111, which are layout. The data
records the chrome (``chrome``) and the text export leaves it out. So the expected export is
lines 3, 4 and 7–111 of the source, each with trailing white space removed, each ending in a
newline.
"""

from __future__ import annotations

import json
import re

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import run
from tests.paths import DATA, DATA_V1, SOURCE

CHROME = {1: "中共浙江省纪律检查委员会 浙江省监察委员会", 5: "2022-04-08 10:00 浙江省纪委省监委网站",
          113: "分享到", 114: "^"}  # 1-based line numbers in the source
SEPARATORS = (2, 6, 112)  # the blank line between each piece of chrome and the notice


def source_lines() -> list[str]:
    return SOURCE.read_text(encoding="utf-8").split("\n")


def expected_lines() -> list[tuple[int, str]]:
    """(source line number, line) of every line the text export has, in order."""
    lines = source_lines()
    assert len(lines) == 114 and {n: lines[n - 1] for n in CHROME} == CHROME  # the derivation above holds
    assert all(lines[n - 1] == "" for n in SEPARATORS)
    assert lines[108] == "中共宁波前湾新区工作委员会  " and lines[110] == "202248  "  # the trailing spaces
    return [(n, line.rstrip()) for n, line in enumerate(lines, 1) if n not in CHROME and n not in SEPARATORS]


def expected_text() -> str:
    return "".join(line + "\n" for _, line in expected_lines())


def source_paragraphs() -> list[str]:
    """The 51 indented lines 7 … 107, without their two-space indent."""
    paragraphs = [line[2:] for line in source_lines()[:111] if line.startswith("  ")]
    assert len(paragraphs) == 51 and not any(p != p.strip() for p in paragraphs)
    return paragraphs


def differences(actual: str, expected: str) -> list[str]:
    """Each line where ``actual`` differs from ``expected``, named by its line number in the
    source; empty when they are equal."""
    if actual == expected:
        return []
    numbers = [n for n, _ in expected_lines()] + [None]  # the empty string after the last newline
    a, e = actual.split("\n"), expected.split("\n")
    out = [f"line {numbers[i]}: {a[i]!r} != {e[i]!r}" for i in range(min(len(a), len(e))) if a[i] != e[i]]
    if len(a) != len(e):
        out.append(f"{len(a)} lines != {len(e)} lines")
    return out or ["same lines, different bytes"]


def export_text(*data: str) -> str:
    r = run(*data, "export", "--format", "text")
    assert r.exit_code == 0, r.output
    return r.stdout


def passages(*data: str) -> list[tuple[str, str]]:
    """Every passage search covers, in notice order: (id, text as the notice writes it). A section
    heading starts with its marker (六、); a measure with its label ((四)) and has its heading run
    in; a section without subsections is its heading and its body, one paragraph per line."""
    r = run(*data, "search", "--regex", "--json", "[\\s\\S]")  # any character: every passage
    assert r.exit_code == 0, r.output
    return [(h["id"], h["text"]) for h in json.loads(r.stdout)["data"]["hits"]]


def passage_differences(got: list[tuple[str, str]], paragraphs: list[str]) -> list[str]:
    """Where a passage does not start and end with whole paragraphs of the source, in order."""
    out, at = [], 0
    for n, (_, text) in enumerate(got, 1):
        lines = text.split("\n")
        if lines != paragraphs[at:at + len(lines)]:
            here = paragraphs[at][:30] if at < len(paragraphs) else "(past the last paragraph)"
            out.append(f"passage {n}: {text[:30]!r} != {here!r}")
        at += len(lines)
    if at != len(paragraphs):
        out.append(f"{len(got)} passages cover {at} paragraphs != {len(paragraphs)}")
    return out


def test_text_export_is_the_source_byte_for_byte():
    assert differences(export_text(), expected_text()) == []


def test_the_format_1_file_still_reads_as_the_source_byte_for_byte():
    assert differences(export_text("--data", str(DATA_V1)), expected_text()) == []


def test_every_passage_is_whole_paragraphs_of_the_source():
    got = passages()
    assert passage_differences(got, source_paragraphs()) == []
    # one paragraph each, but for the sections without subsections: heading and body (五 七 八 十 十三)
    assert [ident for ident, text in got if "\n" in text] == ["5", "7", "8", "10", "13"]
    assert len(got) == 46


def test_the_chrome_is_recorded_as_the_source_has_it():
    data = json.loads(run("export", "--format", "json").stdout)
    assert {c["line"]: c["text"] for c in data["chrome"]} == CHROME
    # chrome and text together are every non-blank line of the source, once each, in order
    recorded = {c["line"]: c["text"] for c in data["chrome"]}
    text = iter(line for line in export_text().split("\n") if line)
    rebuilt = [recorded[n] if n in recorded else next(text) for n, line in enumerate(source_lines(), 1)
               if line.strip()]
    assert rebuilt == [line.rstrip() for line in source_lines() if line.strip()]
    assert next(text, None) is None


# Measures whose heading runs into the text with no 。 (source lines 33 and 57): their headings
# as a reader delimits them, written by hand. Every other measure's heading is what its
# paragraph has between the label "(一)" and the first 。; a section's is its line after "X、".
RUN_IN_TITLES = {"2.6": "聚力打造人才集聚强磁场", "6.1": "严格落实第一责任人责任和一岗双责"}


def expected_titles() -> dict[str, str]:
    titles = {}
    section = 0
    for paragraph in source_paragraphs()[3:-2]:  # headings, measures and bodies
        heading = re.fullmatch(r"[一二三四五六七八九十]+、(关于.+的整改情况)", paragraph)
        if heading:
            section, number = section + 1, 0
            titles[str(section)] = heading.group(1)
            continue
        if not paragraph.startswith("("):  # the body of a section without subsections
            continue
        number += 1
        mid = f"{section}.{number}"
        label_end = paragraph.index(")") + 1
        titles[mid] = RUN_IN_TITLES.get(mid, paragraph[label_end:paragraph.find("。")])
    return titles


def titles(*data: str) -> dict[str, str]:
    r = run(*data, "sections", "--json")
    assert r.exit_code == 0, r.output

    def walk(nodes: list[dict]):
        for n in nodes:
            yield n["id"], n["heading"]
            yield from walk(n["children"])

    return dict(walk(json.loads(r.stdout)["data"]["sections"]))


def test_headings_end_where_the_source_puts_the_full_stop():
    expected = expected_titles()
    assert len(expected) == 14 + 27 and expected["6.4"] == "加强公车管理" and expected["1.2"] == "着力推动产业集聚发展"
    assert expected["5"] == "关于落实意识形态工作责任制存在薄弱环节问题的整改情况"
    assert titles() == expected


# The comparisons above are not blind to small damage: each tampered copy below is caught.


def tamper(copy, old: str, new: str, count: int = 1) -> str:
    text = copy.read_text(encoding="utf-8")
    assert text.count(old) == count, old
    copy.write_text(text.replace(old, new), encoding="utf-8")
    assert run("validate", str(copy)).exit_code == 0  # still a valid notice file: only fidelity catches it
    return str(copy)


GONGCHE = "heading: 加强公车管理\n    runin: true\n    after_heading: 。\n    paragraphs:\n    - 严格执行"


def test_a_stray_space_inside_a_measure_is_caught(notice_copy):
    data = ("--data", tamper(notice_copy, "严格执行有关规定要求", "严格执行 有关规定要求"))
    found = differences(export_text(*data), expected_text())
    assert len(found) == 1 and found[0].startswith("line 63: ")
    # 6.4 is passage 28: 3 opening paragraphs, then 一 … 四 with their measures (4 + 7 + 5 + 3),
    # 五 (one passage), then 六's heading and 6.1 … 6.4
    found = passage_differences(passages(*data), source_paragraphs())
    assert len(found) == 1 and found[0].startswith("passage 28: '(四)加强公车管理。严格执行 有关规定要求")


def test_a_heading_cut_short_with_its_last_word_moved_into_the_text_is_caught(notice_copy):
    data = ("--data", tamper(notice_copy, GONGCHE, GONGCHE.replace("加强公车管理", "加强公车").replace("- 严格执行", "- 管理严格执行")))
    found = differences(export_text(*data), expected_text())
    assert len(found) == 1 and found[0].startswith("line 63: '  (四)加强公车。管理严格执行")
    assert len(passage_differences(passages(*data), source_paragraphs())) == 1


def test_a_heading_cut_short_without_a_visible_trace_is_caught_by_the_headings(notice_copy):
    # after_heading '' and the 。 moved into the text: the text reads exactly as the source ...
    data = ("--data", tamper(notice_copy, GONGCHE, GONGCHE.replace("加强公车管理", "加强公车")
                             .replace("after_heading: 。", "after_heading: ''").replace("- 严格执行", "- 管理。严格执行")))
    assert differences(export_text(*data), expected_text()) == []
    # ... but the heading no longer ends at the source's full stop
    assert titles(*data)["6.4"] == "加强公车" != expected_titles()["6.4"]


def test_a_stray_space_in_the_title_or_a_lost_paragraph_is_caught(notice_copy):
    # the title line and metadata.title alike (validate holds them to each other)
    title = "中共宁波前湾新区工作委员会关于十四届省委第十二轮巡视整改进展情况的通报"
    data = ("--data", tamper(notice_copy, title, title.replace("工作委员会关于", "工作委员会 关于"), count=2))
    assert differences(export_text(*data), expected_text())[0].startswith("line 3: ")
    assert differences(export_text()[:-1], expected_text()) != []  # one byte short
    lost = "".join(line + "\n" for n, line in expected_lines() if n not in (63, 64))  # 6.4 and the blank after it
    assert differences(lost, expected_text()) != []


def _text_nodes(nodes: list[dict]) -> list[dict]:
    out = []
    for n in nodes:
        if n.get("paragraphs"):
            out.append(n)
        out.extend(_text_nodes(n.get("children", [])))
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_any_character_slipped_into_a_paragraph_is_caught_on_its_line(tmp_path, data):
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    node = data.draw(st.sampled_from(_text_nodes(raw["sections"])), label="node")
    paragraph = node["paragraphs"][0]
    # where the paragraph stands in the source: a measure's line starts with its label and heading
    head = node["marker"] + node["heading"] + node.get("after_heading", "") if node.get("runin") else ""
    line = next(n for n, text in expected_lines() if text == "  " + head + paragraph)
    at = data.draw(st.integers(0, len(paragraph)), label="at")
    node["paragraphs"][0] = paragraph[:at] + data.draw(st.sampled_from("x1。的,《"), label="char") + paragraph[at:]
    copy = tmp_path / "tampered.json"
    copy.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    found = differences(export_text("--data", str(copy)), expected_text())
    assert len(found) == 1 and found[0].startswith(f"line {line}: ")
