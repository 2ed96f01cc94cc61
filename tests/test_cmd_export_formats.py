"""Issue 3: every export format parsed back by a real parser."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
import yaml

from tests.conftest import run
from tests.paths import FIXTURES, SOURCE
from tests.test_figures_table import TABLE

# The nodes of tests/fixtures/notice-source.txt in reading order, written by hand: section 一
# has (一)…(三), 二 (一)…(六), 三 (一)…(四), 四 two, 五 none, 六 four, 七 and 八 none, 九 two, 十
# none, 十一 and 十二 two each, 十三 none, 十四 two.
SECTION_IDS = [str(n) for n in range(1, 15)]
NODE_IDS = ["1", "1.1", "1.2", "1.3", "2", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "3", "3.1", "3.2", "3.3",
            "3.4", "4", "4.1", "4.2", "5", "6", "6.1", "6.2", "6.3", "6.4", "7", "8", "9", "9.1", "9.2", "10",
            "11", "11.1", "11.2", "12", "12.1", "12.2", "13", "14", "14.1", "14.2"]
# The nodes with text of their own: the 27 measures and the bodies of the 5 sections without
# subsections (a section without subsections is one node: 5, not 5.1).
TEXT_IDS = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "3.1", "3.2", "3.3", "3.4",
            "4.1", "4.2", "5", "6.1", "6.2", "6.3", "6.4", "7", "8", "9.1", "9.2", "10",
            "11.1", "11.2", "12.1", "12.2", "13", "14.1", "14.2"]


def source_line(n: int) -> str:
    """Line ``n`` (1-based) of the source without its indent and trailing spaces."""
    return SOURCE.read_text(encoding="utf-8").split("\n")[n - 1].strip()


def flatten(nodes: list[dict]) -> list[dict]:
    out = []
    for n in nodes:
        out.append(n)
        out.extend(flatten(n.get("children", [])))
    return out


def test_json_export_parses_and_has_everything():
    r = run("export", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["schema_version"] == 2
    assert [n["id"] for n in flatten(data["sections"])] == NODE_IDS
    assert [n["id"] for n in flatten(data["sections"]) if n.get("paragraphs")] == TEXT_IDS
    assert data["title"] == [source_line(3)]
    assert [p["text"] for p in data["opening"]] == [source_line(n) for n in (7, 9, 11)]
    assert [p["text"] for p in data["closing"]] == [source_line(n) for n in (105, 107)]
    assert data["signature"]["lines"] == [source_line(109), source_line(111)]
    assert len(data["derived"]["documents"]) == 39 and len(data["derived"]["figures"]) == len(TABLE)
    losses = next(o for o in data["outcomes"] if o["label"] == "直接挽回经济损失")
    assert (losses["value"], losses["unit"], losses["yuan"]) == ("618.5622", "万元", "6185622")  # source line 11


def test_json_export_records_the_page_chrome_it_leaves_out():
    data = json.loads(run("export", "--format", "json").stdout)
    # lines 1, 5, 113 and 114 of the source: the site's masthead, date line and share widget
    assert [(c["line"], c["text"]) for c in data["chrome"]] == [(n, source_line(n)) for n in (1, 5, 113, 114)]


def test_json_export_metadata_contract():
    """What a script may rely on in `export --format json`: the notice's metadata, each date an ISO
    string with the text as written beside it (values from the source, by hand)."""
    meta = json.loads(run("export", "--format", "json").stdout)["metadata"]
    iso = re.compile(r"^\d{4}-\d{2}-\d{2}$")
    assert meta["title"] == "中共宁波前湾新区工作委员会关于十四届省委第十二轮巡视整改进展情况的通报"  # line 3
    assert meta["issuer"] == "中共宁波前湾新区工作委员会"  # line 109
    assert meta["kind"] == "巡视"
    insp = meta["inspection"]
    assert insp["team"] == "省委第一巡视组"  # line 7
    period = insp["period"]
    assert (period["start"], period["start_text"]) == ("2021-03-31", "2021年3月31日")  # line 7
    assert (period["end"], period["end_text"]) == ("2021-06-18", "6月18日")
    assert (insp["feedback"], insp["feedback_text"]) == ("2021-08-24", "8月24日")
    assert (meta["signature"]["date"], meta["signature"]["date_text"]) == ("2022-04-08", "202248")  # line 111
    for value in (period["start"], period["end"], insp["feedback"], meta["signature"]["date"]):
        assert isinstance(value, str) and iso.match(value)


# Every command, as a user would ask the re-loaded file (every node and paragraph shown).
COMMANDS = [["sections"], ["sections", "--json"], ["stats"], ["stats", "--json"], ["search", "检查", "--json"],
            ["search", "--regex", "--json", "[\\s\\S]"], ["docs", "--json"], ["figures", "--json"],
            ["export", "--format", "text"], ["export", "--format", "csv"], ["export", "--format", "markdown"],
            ["export", "--format", "json"], ["export", "--format", "yaml"]]
PARAGRAPH_IDS = ["opening.1", "opening.2", "opening.3", "closing.1", "closing.2"]
DEEP = str(FIXTURES / "valid" / "deep.yaml")
DEEP_IDS = ["opening.1", "1", "1.1", "1.1.1", "1.1.2", "1.2", "closing.1"]  # tests/fixtures/valid/deep.yaml


@pytest.mark.parametrize("fmt", ["yaml", "json"])
@pytest.mark.parametrize("source,ids", [(None, PARAGRAPH_IDS + NODE_IDS), (DEEP, DEEP_IDS)], ids=["bundled", "deep"])
def test_export_round_trips_through_data(tmp_path, fmt, source, ids):
    given = ["--data", source] if source else []
    target = tmp_path / f"again.{fmt}"
    r = run(*given, "export", "--format", fmt, "-o", str(target))
    assert r.exit_code == 0 and r.stdout == ""
    assert "derived" in (json.loads if fmt == "json" else yaml.safe_load)(target.read_text(encoding="utf-8"))
    v = run("validate", str(target))
    assert v.exit_code == 0, v.output
    for args in COMMANDS + [["show", ident, "--json"] for ident in ids]:
        first, again = run(*given, *args), run("--data", str(target), *args)
        assert first.exit_code == 0, (args, first.output)
        assert (again.exit_code, again.stdout) == (0, first.stdout), args


def test_yaml_export_is_safe_yaml_with_exact_strings():
    data = yaml.safe_load(run("export", "--format", "yaml").stdout)
    refunded = next(o for o in data["outcomes"] if o["label"] == "清退款项")
    assert (refunded["value"], refunded["yuan"]) == ("120.747", "1207470")  # strings, never floats
    assert len([n for n in flatten(data["sections"]) if n.get("paragraphs")]) == 32
    # what YAML would read as numbers or times stays the text as written
    assert data["signature"]["lines"] == ["中共宁波前湾新区工作委员会", "202248"]
    assert data["metadata"]["signature"]["date_text"] == "202248"
    assert data["metadata"]["published_time"] == "10:00"
    assert data["metadata"]["contacts"]["postcode"] == "315336"
    assert all(isinstance(n["id"], str) for n in flatten(data["sections"]))


CSV_COLUMNS = ["id", "section", "section_heading", "label", "marker", "heading", "text", "characters", "documents",
               "figures"]


def test_csv_one_row_per_node_with_text_properly_quoted():
    r = run("export", "--format", "csv")
    assert r.exit_code == 0, r.output
    reader = csv.DictReader(io.StringIO(r.stdout, newline=""))
    rows = list(reader)
    assert reader.fieldnames == CSV_COLUMNS
    assert [row["id"] for row in rows] == TEXT_IDS
    gongche = next(row for row in rows if row["id"] == "6.4")
    assert {k: gongche[k] for k in ("section", "section_heading", "label", "marker", "heading")} == {
        "section": "6", "section_heading": "关于履行全面从严治党主体责任不到位问题的整改情况", "label": "六(四)",
        "marker": "(四)", "heading": "加强公车管理"}
    assert gongche["documents"] == "《新区公务用车管理规范》" and "198辆" in gongche["figures"]
    assert "," in gongche["text"]  # the notice's commas survive quoting
    # source line 63 without its "(四)": 176 characters that are not white space (counted by a
    # script over the fixture that does not import rectcli)
    assert gongche["characters"] == "176"
    assert gongche["text"] == ("(四)加强公车管理。严格执行有关规定要求,第一时间停止发放异地任职委领导定额交通补贴。坚持立行立改,"
                               "依规对198辆车辆进行分类处置。建立监管平台,完善管理规定,编内车辆已全部纳入浙江省公车平台统一监管,"
                               "应急机要用车全面实行平台派车。完成公务用车定点维修、定点租赁、定点保险、标识化管理。"
                               "制定出台《新区公务用车管理规范》,所有公务用车做到了严格规范管理和使用。")  # source line 63
    assert gongche["text"] == source_line(63)


def test_csv_row_of_a_section_without_subsections_holds_its_heading_and_body():
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(run("export", "-f", "csv").stdout, newline=""))}
    five = rows["5"]
    assert (five["section"], five["label"], five["marker"]) == ("5", "五", "五、")
    assert five["heading"] == five["section_heading"] == "关于落实意识形态工作责任制存在薄弱环节问题的整改情况"
    assert five["text"] == source_line(51) + "\n" + source_line(53)  # a line break inside a quoted field
    # heading without 五、 (26) and body (253), counted by the same script
    assert five["characters"] == "279"
    assert five["documents"] == "《新区意识形态阵地管理办法》；《新区贯彻落实意识形态工作责任制考核细则》"


def test_csv_bom_for_spreadsheets(tmp_path):
    target = tmp_path / "n.csv"
    assert run("export", "-f", "csv", "--bom", "-o", str(target)).exit_code == 0
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0][0] == "id" and len(rows) == 33


def test_markdown_heading_structure():
    md = run("export", "--format", "markdown").stdout
    h1 = re.findall(r"^# (.+)$", md, re.M)
    h2 = re.findall(r"^## (.+)$", md, re.M)
    assert h1 == ["中共宁波前湾新区工作委员会关于十四届省委第十二轮巡视整改进展情况的通报"]
    # the 14 section headings as written (source lines 13 … 99), each an H2
    heads = [line for line in (source_line(n) for n in range(13, 104, 2)) if re.match(r"[一二三四五六七八九十]+、关于", line)]
    assert len(heads) == 14 and [h for h in h2 if h in heads] == heads
    # the body reads as the source: each section heading an H2, every other paragraph as written
    blocks = md.split("\n\n")
    body = [("## " + p if p in heads else p) for p in (source_line(n) for n in range(13, 112, 2))]
    start = blocks.index(body[0])
    assert [b.strip("\n") for b in blocks[start:start + len(body)]] == body
    assert "| 党纪处分 | 31 | 人 |" in md


def test_output_errors_leave_no_file(tmp_path):
    r = run("export", "-f", "json", "-o", str(tmp_path / "no" / "such" / "dir.json"))
    assert r.exit_code == 2 and r.stderr.count("\n") == 1 and "cannot write" in r.stderr
    r = run("export", "-f", "json", "-o", str(tmp_path))
    assert r.exit_code == 2 and "directory" in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_failed_load_does_not_touch_the_target(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("keep me", encoding="utf-8")
    r = run("--data", str(tmp_path / "missing.yaml"), "export", "-f", "json", "-o", str(target))
    assert r.exit_code == 2 and target.read_text(encoding="utf-8") == "keep me"


def test_markdown_of_a_notice_without_facts_has_no_empty_list():
    # deep.yaml says nothing of its publication, round or feedback: no list, no stray blank lines
    md = run("--data", DEEP, "export", "--format", "markdown").stdout
    assert md.startswith("# 中共示范县委关于县委第三轮巡察整改进展情况的通报\n\n根据县委统一部署,")
    assert "\n\n\n" not in md
    assert "### (一)加强监督检查\n\n围绕重点领域开展两轮检查。\n" in md  # a standalone heading at depth 2
