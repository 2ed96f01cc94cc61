import json

import pytest

from tests.conftest import run
from tests.paths import FIXTURES, SOURCE

DEEP = str(FIXTURES / "valid" / "deep.yaml")


def source_line(n: int) -> str:
    """Line ``n`` (1-based) of tests/fixtures/notice-source.txt without its two-space indent."""
    line = SOURCE.read_text(encoding="utf-8").split("\n")[n - 1]
    assert line.startswith("  ") and line[2:] == line[2:].strip()
    return line[2:]


def records(stdout: str) -> dict[str, list[str]]:
    """The record lines of plain `show` output (id, title, where) by id; text lines have no tab."""
    return {line.split("\t")[0]: line.split("\t")[1:] for line in stdout.splitlines()
            if "\t" in line and not line.startswith("勘误\t")}


# 六(四) is source line 63, under the heading of line 55 (六、关于履行全面从严治党主体责任不到位问题的整改情况).
@pytest.mark.parametrize("ident", ["6.4", "六(四)", "六（四）", "六、(四)", " 6.4 ", "６.４", "６．４", "6-4", "006.04"])
def test_show_measure_in_any_written_form(ident):
    r = run("show", ident)
    assert r.exit_code == 0, r.output
    first = r.stdout.splitlines()[0]
    assert first == "6.4\t六(四) 加强公车管理\t六、关于履行全面从严治党主体责任不到位问题的整改情况"
    assert r.stdout.splitlines()[1] == source_line(63)
    assert r.stdout.rstrip().endswith("所有公务用车做到了严格规范管理和使用。")


def test_show_section_prints_the_section_then_each_measure_in_full():
    r = run("show", "六")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0].split("\t")[:2] == ["6", "六 关于履行全面从严治党主体责任不到位问题的整改情况"]
    assert lines[1] == source_line(55)
    recs = records(r.stdout)
    assert [i for i in recs] == ["6", "6.1", "6.2", "6.3", "6.4"]
    assert recs["6.2"] == ["六(二) 加强巡察工作", "六、关于履行全面从严治党主体责任不到位问题的整改情况"]
    # each measure's whole paragraph follows its record, in the source's order
    text_lines = [line for line in lines if line and "\t" not in line]
    assert text_lines == [source_line(n) for n in (55, 57, 59, 61, 63)]
    assert run("show", "6").stdout == r.stdout


def test_show_section_without_subsections_prints_its_heading_and_body():
    r = run("show", "8")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0].split("\t")[:2] == ["8", "八 关于执行中央八项规定精神不够严格问题的整改情况"]
    assert lines[1:3] == [source_line(69), source_line(71)]  # heading, then the body under it
    assert run("show", "8.1").exit_code == 2  # there is no measure 8.1: the body is the section's


def test_show_notes_errata_beside_the_text():
    r = run("show", "8")
    assert r.exit_code == 0, r.output
    assert "对20222月新区在职行政事业人员" in r.stdout
    assert "勘误\t对20222月\t对2022年2月\t" in r.stdout


def test_show_paragraph_and_json():
    r = run("show", "closing.2", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)["data"]
    assert data["kind"] == "paragraph"
    assert data["text"] == source_line(107)
    assert data["contacts"]["email"] == "office@hzw.gov.cn"


def test_show_measure_json():
    data = json.loads(run("show", "3.3", "--json").stdout)["data"]
    assert data["kind"] == "node" and data["id"] == "3.3" and data["label"] == "三(三)"
    assert data["marker"] == "(三)" and data["heading"] == "狠抓土地集约利用" and data["runin"] is True
    assert data["section"] == {"id": "3", "label": "三", "heading": "关于践行新发展理念、推动高质量发展存在短板问题的整改情况"}
    assert data["text"] == source_line(41)
    assert data["paragraphs"] == [source_line(41)[len("(三)狠抓土地集约利用。"):]]
    assert "618.5622万元" in data["text"]
    assert data["characters"] == 169 and data["children"] == [] and data["errata"] == []


def test_show_section_json_has_its_measures_in_full():
    data = json.loads(run("show", "六", "--json").stdout)["data"]
    assert (data["id"], data["section"], data["text"]) == ("6", None, source_line(55))
    assert [c["id"] for c in data["children"]] == ["6.1", "6.2", "6.3", "6.4"]
    assert [c["text"] for c in data["children"]] == [source_line(n) for n in (57, 59, 61, 63)]


@pytest.mark.parametrize("ident,suggest", [("6.9", "6.4"), ("15", ""), ("六(九)", "6."), ("abc", "")])
def test_unknown_id_suggests_and_exits_2(ident, suggest):
    r = run("show", ident)
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1
    assert r.stderr.startswith(f"rectcli: error: no section or measure {ident!r}")
    assert suggest in r.stderr
    assert "rectcli sections" in r.stderr


def test_unknown_id_with_json_reports_json_error():
    r = run("show", "99", "--json")
    assert r.exit_code == 2
    doc = json.loads(r.stdout)
    assert doc["command"] == "show" and "no section or measure" in doc["error"]["message"]


# ---------------------------------------------------------------- labels of deeper nodes

# tests/fixtures/valid/deep.yaml (written by hand): 一、 → (一) → 1. 2.; the measure 2. under (一)
# is 一(一)2 in the notice's own words and 1.1.2 by path.
DEEP_112 = ["1.1.2\t一(一)2 督促问题整改\t一、关于落实主体责任不到位问题的整改情况",
            "2.督促问题整改。已整改问题5个,完善制度2项,约谈3人。"]


@pytest.mark.parametrize("ident", ["一(一)2", "一（一）2", " 一(一)2 ", "1.1.2", "１．１．２", "1-1-2", "01.01.02"])
def test_a_deeper_node_by_its_label_or_path(ident):
    r = run("--data", DEEP, "show", ident)
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[:2] == DEEP_112


def test_a_middle_node_by_its_label_shows_its_lead_paragraph_and_children():
    r = run("--data", DEEP, "show", "一(一)")
    assert r.exit_code == 0, r.output
    assert [line for line in r.stdout.splitlines() if line and "\t" not in line] == [
        "(一)加强监督检查", "围绕重点领域开展两轮检查。", "1.开展专项检查。检查村社12个,发现问题5个。",
        "2.督促问题整改。已整改问题5个,完善制度2项,约谈3人。"]
    assert list(records(r.stdout)) == ["1.1", "1.1.1", "1.1.2"]


def test_a_deeper_node_in_json():
    data = json.loads(run("--data", DEEP, "show", "一(一)2", "--json").stdout)["data"]
    assert (data["id"], data["label"], data["marker"], data["heading"]) == ("1.1.2", "一(一)2", "2.", "督促问题整改")
    assert data["section"] == {"id": "1", "label": "一", "heading": "关于落实主体责任不到位问题的整改情况"}


@pytest.mark.parametrize("ident", ["一(一)3", "1.1.3", "一(三)2"])
def test_a_deeper_label_that_is_not_there_exits_2(ident):
    r = run("--data", DEEP, "show", ident)
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.startswith(f"rectcli: error: no section or measure {ident!r}") and r.stderr.count("\n") == 1
