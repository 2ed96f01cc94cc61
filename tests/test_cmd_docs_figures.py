"""Issue 3: documents and figures as queryable data."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from rectcli.extract import cn_value, figures
from rectcli.loader import load_notice
from tests.conftest import run


def test_exactly_the_39_documents_as_in_the_source(source_text):
    import re

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


def test_docs_filters():
    banfa = run("docs", "--kind", "办法").stdout.splitlines()
    assert len(banfa) == 8 and all("办法" in line.split("\t")[1] for line in banfa)
    sec6 = run("docs", "--section", "六").stdout.splitlines()
    assert [line.split("\t")[3] for line in sec6] == ["6.1", "6.2", "6.2", "6.4"]
    assert len(run("docs", "巡察").stdout.splitlines()) == 2
    none = run("docs", "--kind", "法律")
    assert none.exit_code == 1 and none.stdout == ""


def test_same_title_cited_twice_counts_once_with_both_places(notice_copy):
    text = notice_copy.read_text(encoding="utf-8").replace(
        "制定出台《新区公务用车管理规范》", "制定出台《新区公务用车管理规范》").replace(
        "严格执行民主集中制,", "严格执行民主集中制,落实《新区公务用车管理规范》,")
    notice_copy.write_text(text, encoding="utf-8")
    docs = json.loads(run("--data", str(notice_copy), "docs", "--json", "公务用车").stdout)["data"]["documents"]
    assert len(docs) == 1 and [c["id"] for c in docs[0]["cited_in"]] == ["6.4", "10.1"]


# (written, unit, passage id): checked by hand against the notice text
HAND_CHECKED = [
    ("4个", "个", "opening.2"), ("14个", "个", "opening.2"), ("43项", "项", "opening.2"), ("四张", "张", "opening.2"),
    ("18次", "次", "opening.2"), ("32件", "件", "opening.3"), ("31件", "件", "opening.3"), ("31人", "人", "opening.3"),
    ("120.747万元", "万元", "opening.3"), ("618.5622万元", "万元", "opening.3"), ("15人", "人", "opening.3"),
    ("46项", "项", "opening.3"), ("218个", "个", "2.1"), ("4项", "项", "2.1"), ("7个", "个", "2.1"),
    ("10公里", "公里", "2.4"), ("4家", "家", "2.4"), ("十项", "项", "2.6"), ("8000名", "名", "2.6"),
    ("14个", "个", "2.6"), ("25家", "家", "3.1"), ("32家", "家", "3.1"), ("50%", "%", "3.1"),
    ("64.1%", "%", "3.2"), ("20亿元", "亿元", "3.2"), ("37家", "家", "3.2"), ("618.5622万元", "万元", "3.3"),
    ("6650吨", "吨", "3.4"), ("25个", "个", "3.4"), ("18家", "家", "3.4"), ("12家", "家", "4.2"),
    ("30.3%", "%", "4.2"), ("45.3%", "%", "4.2"), ("198辆", "辆", "6.4"), ("6大", "大", "6.3"),
    ("6家", "家", "9.1"), ("4个", "个", "9.2"), ("9名", "名", "11.1"), ("217次", "次", "11.1"),
    ("365人次", "人次", "11.1"), ("两期", "期", "11.1"), ("10名", "名", "11.2"), ("16个", "个", "12.1"),
    ("140余名", "名", "12.2"), ("233名", "名", "12.2"), ("210名", "名", "12.2"), ("33项", "项", "13.1"),
    ("40余条", "条", "13.1"), ("119.35万元", "万元", "14.1"), ("57.08亿元", "亿元", "14.2"), ("5家", "家", "14.2"),
    ("两件", "件", "closing.1"),
]


def test_figures_match_the_hand_checked_table():
    found = {(q.written, q.unit, q.passage_id) for q in figures(load_notice())}
    assert len(HAND_CHECKED) >= 40
    missing = [row for row in HAND_CHECKED if row not in found]
    assert missing == []


@pytest.mark.parametrize("not_a_quantity", ["2021", "2020", "2022", "2025", "2024", "0574", "315336", "1", "2.0", "0"])
def test_dates_years_and_codes_are_not_quantities(not_a_quantity):
    assert all(q.number != not_a_quantity or q.unit for q in figures(load_notice()))
    assert not any(q.written.startswith(("2021", "2022", "2020")) for q in figures(load_notice()))


def test_phases_are_not_counts_but_two_trainings_are():
    chinese = [q.written for q in figures(load_notice()) if q.chinese]
    assert "二期" not in chinese and "三期" not in chinese and "两期" in chinese


def test_approximate_and_chinese_are_flags():
    qs = {q.written: q for q in figures(load_notice())}
    assert qs["140余名"].approx == "余" and qs["140余名"].value == 140
    assert qs["四张"].chinese and qs["四张"].value == 4
    assert not qs["8000名"].chinese and qs["8000名"].approx is None


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
    values = [Decimal(line.split("\t")[2]) if line.split("\t")[2].isdigit() else cn_value(line.split("\t")[2])
              for line in r.stdout.splitlines()]
    assert values == sorted(values) and values[-1] == 8000
    sec = run("figures", "--section", "3").stdout.splitlines()
    assert sec and all(line.startswith("3.") for line in sec)
    assert run("figures", "--unit", "光年").exit_code == 1


def test_stats_provenance_and_columns():
    data = json.loads(run("stats", "--json").stdout)["data"]
    prov = {p["label"]: p["measures"] for p in data["provenance"]}
    assert prov["直接挽回经济损失"] == ["3.3"] and prov["立案"] == []
    assert sum(s["documents"] for s in data["sections"]) == 39
    assert all(s["figures"] >= 0 for s in data["sections"])
