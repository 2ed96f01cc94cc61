"""Issue 3: documents and figures as queryable data."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from tests.conftest import run


def test_exactly_the_39_documents_as_in_the_source(source_text):
    expected = re.findall(r"《([^》]*)》", source_text)
    r = run("docs", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)["data"]
    assert data["count"] == 39
    assert [d["title"] for d in data["documents"]] == expected


def test_docs_kinds_marks_and_places():
    docs = {d["title"]: d for d in json.loads(run("docs", "--json").stdout)["data"]["documents"]}
    m0 = docs["前湾新区创新型产业(M0)用地管理办法(试行)"]
    assert m0["kind"] == "管理办法" and m0["marks"] == ["试行"] and m0["cited_in"][0]["id"] == "2.3"
    xuncha = docs["宁波前湾新区党工委三年巡察工作实施方案(2022—2024)"]
    assert xuncha["kind"] == "实施方案" and xuncha["years"] == "2022-2024"
    assert docs["新区党工委理论学习中心组学习实施细则"]["kind"] == "实施细则"
    assert docs["关于高质量发展商贸服务业的实施意见"]["kind"] == "实施意见"
    assert docs["新区党工委班子成员落实一岗双责责任清单"]["kind"] == "责任清单"
    assert docs["新区党工委、管委会议事规则"]["kind"] == "议事规则"
    assert docs["新区接轨上海工作情况评估报告"]["kind"] == "评估报告"


def doc_rows(stdout: str) -> list[list[str]]:
    """The records of plain `docs` output, found by their content (a title in 《》)."""
    return [line.split("\t") for line in stdout.splitlines() if line.startswith("《")]


def test_docs_filters():
    banfa = run("docs", "--kind", "办法")
    assert banfa.exit_code == 0, banfa.output
    assert [row[0] for row in doc_rows(banfa.stdout)] == [
        "《前湾新区创新型产业(M0)用地管理办法(试行)》",
        "《进一步建立健全新区环境污染问题发现机制的实施办法》",
        "《新区意识形态阵地管理办法》",
        "《新区党工委巡察工作实施办法》",
        "《新区政府投资项目概算协审单位考评管理办法》",
        "《新区落实三重一大集体决策制度实施办法》",
        "《新区党的规范性文件管理办法》",
        "《新区预算单位银行账户和公款存放管理暂行办法》",
    ]
    sec6 = doc_rows(run("docs", "--section", "六").stdout)
    assert [(row[0], row[3]) for row in sec6] == [
        ("《新区党工委班子成员落实一岗双责责任清单》", "6.1"), ("《新区党工委巡察工作实施办法》", "6.2"),
        ("《宁波前湾新区党工委三年巡察工作实施方案(2022—2024)》", "6.2"), ("《新区公务用车管理规范》", "6.4")]
    assert [row[0] for row in doc_rows(run("docs", "巡察").stdout)] == [
        "《新区党工委巡察工作实施办法》", "《宁波前湾新区党工委三年巡察工作实施方案(2022—2024)》"]
    none = run("docs", "--kind", "法律")
    assert none.exit_code == 1 and none.stdout == ""


# In order of first citation, from the titles' endings, read by hand off the source.
KINDS_IN_THE_NOTICE = ("规定、实施细则、发展规划、行动方案、途径、实施意见、实施方案、评估报告、工作方案、总报告、"
                       "行动规划、管理办法、专题、城市设计、规划研究、布局研究、指导意见、实施办法、考核细则、"
                       "责任清单、管理规范、要求、议事规则、工作规定、意见、暂行办法")


@pytest.mark.parametrize("args,why", [
    (["--kind", "不存在"], f"no documents of kind 不存在; kinds in the notice: {KINDS_IN_THE_NOTICE}"),
    (["--section", "7"], "no documents cited in section 七; sections citing documents: "
                         "一、二、三、四、五、六、九、十、十一、十二、十四"),
    (["--section", "13"], "no documents cited in section 十三; sections citing documents: "
                          "一、二、三、四、五、六、九、十、十一、十二、十四"),
    (["--section", "6", "--kind", "意见"],
     "no documents of kind 意见 in section 六; kinds in section 六: 责任清单、实施办法、实施方案、管理规范"),
    (["公车"], "no title among the 39 documents contains '公车'; `rectcli docs` lists every title"),
    (["--kind", "办法", "巡视"],
     "no title among the 8 documents of kind 办法 contains '巡视'; `rectcli docs` lists every title"),
])
def test_docs_with_nothing_left_say_why_on_stderr(args, why):
    r = run("docs", *args)
    assert (r.exit_code, r.stdout, r.stderr) == (1, "", f"rectcli: {why}\n")
    j = run("docs", "--json", *args)
    assert j.exit_code == 1 and json.loads(j.stdout)["data"] == {"count": 0, "documents": []}
    assert j.stderr == f"rectcli: {why}\n"


def test_same_title_cited_twice_counts_once_with_both_places(notice_copy):
    text = notice_copy.read_text(encoding="utf-8").replace(
        "制定出台《新区公务用车管理规范》", "制定出台《新区公务用车管理规范》").replace(
        "严格执行民主集中制,", "严格执行民主集中制,落实《新区公务用车管理规范》,")
    notice_copy.write_text(text, encoding="utf-8")
    docs = json.loads(run("--data", str(notice_copy), "docs", "--json", "公务用车").stdout)["data"]["documents"]
    # 十 has no subsections: its body is the node 10 itself
    assert len(docs) == 1 and [c["id"] for c in docs[0]["cited_in"]] == ["6.4", "10"]


# Every figure is checked against a hand-written table in tests/test_figures_table.py.


def figures_json(*args: str) -> list[dict]:
    r = run("figures", "--json", *args)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)["data"]["figures"]


def figure_rows(stdout: str) -> list[list[str]]:
    """The records of plain `figures` output, found by their first field (a passage id)."""
    ident = re.compile(r"^(?:(?:opening|closing)\.\d+|\d+(?:\.\d+)?)$")
    return [row for row in (line.split("\t") for line in stdout.splitlines()) if ident.match(row[0])]


@pytest.mark.parametrize("where,written", [
    ("opening.1", "2021"), ("opening.1", "3"), ("opening.1", "31"), ("opening.1", "8"), ("opening.1", "24"),
    ("1.2", "2021"), ("1.2", "2025"), ("1.3", "2022"), ("2.1", "2020"), ("2.1", "2021"), ("2.3", "0"),
    ("2.5", "1"), ("2.6", "2.0"), ("2.6", "2"), ("2.6", "2021"), ("4.2", "4"), ("4.2", "10"), ("4.2", "8"),
    ("6.2", "2022"), ("6.3", "2022"), ("8.1", "20222"), ("closing.2", "0574"), ("closing.2", "82355637"),
    ("closing.2", "1"), ("closing.2", "315336"),
])
def test_dates_years_and_codes_are_not_quantities(where, written):
    # each of these numbers stands in that passage only as a date, year, range, code or address
    assert [f for f in figures_json() if f["id"] == where and f["number"] == written] == []


def test_phases_are_not_counts_but_two_trainings_are():
    chinese = [(f["id"], f["written"]) for f in figures_json() if f["chinese_numeral"]]
    assert ("1.2", "二期") not in chinese and ("1.2", "三期") not in chinese and ("11.1", "两期") in chinese


def test_approximate_and_chinese_are_flags():
    qs = {f["written"]: f for f in figures_json()}
    assert qs["140余名"]["approx"] == "余" and qs["140余名"]["value"] == "140"
    assert qs["四张"]["chinese_numeral"] and qs["四张"]["value"] == "4"
    assert not qs["8000名"]["chinese_numeral"] and qs["8000名"]["approx"] is None
def test_money_is_normalised_to_yuan_exactly():
    r = run("figures", "--unit", "万元", "--json")
    figs = json.loads(r.stdout)["data"]["figures"]
    yuan = {f["written"]: f["yuan"] for f in figs}
    assert yuan == {"120.747万元": "1207470", "618.5622万元": "6185622", "119.35万元": "1193500"}
    big = json.loads(run("figures", "--unit", "亿元", "--json").stdout)["data"]["figures"]
    assert {f["written"]: Decimal(f["yuan"]) for f in big} == {"20亿元": Decimal("2000000000"),
                                                               "57.08亿元": Decimal("5708000000")}


def test_figures_sort_by_value_and_filter_by_section():
    r = run("figures", "--sort", "value", "--unit", "名")
    assert r.exit_code == 0, r.output
    # by value; equal values keep the notice's order
    assert [(row[0], row[1]) for row in figure_rows(r.stdout)] == [
        ("5", "一名"), ("5", "一名"), ("6.1", "一名"), ("7", "一名"), ("11.2", "一名"), ("11.2", "一名"),
        ("14.1", "一名"), ("12.2", "2名"), ("12.2", "2名"), ("11.1", "9名"), ("11.2", "10名"), ("12.2", "23名"),
        ("12.2", "140余名"), ("12.2", "210名"), ("12.2", "233名"), ("2.6", "8000名")]
    sec = run("figures", "--section", "3")
    assert sec.exit_code == 0, sec.output
    assert [(row[0], row[1]) for row in figure_rows(sec.stdout)] == [
        ("3.1", "2大"), ("3.1", "25家"), ("3.1", "32家"), ("3.1", "50%"), ("3.2", "37家"), ("3.2", "64.1%"),
        ("3.2", "20亿元"), ("3.3", "618.5622万元"), ("3.4", "25个"), ("3.4", "6650吨"), ("3.4", "18家")]
    none = run("figures", "--unit", "光年")
    assert (none.exit_code, none.stdout) == (1, "")
    assert none.stderr.startswith("rectcli: no figures in unit 光年; units in the notice: 个、项、张、")


def test_stats_provenance_and_columns():
    data = json.loads(run("stats", "--json").stdout)["data"]
    prov = {p["label"]: p["measures"] for p in data["provenance"]}
    assert prov["直接挽回经济损失"] == ["3.3"] and prov["立案"] == []
    # per section, counted by hand in the source: documents cited in its measures, and figures
    # in its measures (names such as 先锋八条 in 2.6 and 三个不直接分管 in 十 are not figures)
    assert [(s["id"], s["documents"], s["figures"]) for s in data["sections"]] == [
        ("1", 10, 0), ("2", 12, 12), ("3", 1, 11), ("4", 1, 4), ("5", 2, 2), ("6", 4, 3), ("7", 0, 4),
        ("8", 0, 0), ("9", 2, 2), ("10", 4, 0), ("11", 1, 7), ("12", 1, 11), ("13", 0, 2), ("14", 1, 4)]
