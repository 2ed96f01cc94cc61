"""Every quantity `rectcli figures` lists, checked against a table written by hand.

The table was made by reading tests/fixtures/notice-source.txt passage by passage, not from
rectcli's output. What is left out, and why:

- dates and years (2021年3月31日, 2020年, 2022年度, 4-10月, the damaged 20222月), ranges and
  codes in titles ((2021-2025), (1+X), M0, 2.0“2+X”), the phone number, the postcode, the house
  number 1号, the signature date;
- ordinals (第一, 二期 and 三期 of an industrial park, 十二轮, the markers 十四、 and (一) …), 十三五/十四五,
  三星级;
- names that are not counts: 先锋八条, 五个湾区 (2.6), 中央八项规定 (heading 八), 三个不直接分管
  (十), and others the extractor never took (一岗双责, 三重一大, 一案五必须, 两新组织 …);
- words that are not numbers (一批, 一体化, 一线, 千方百计, 举一反三, 一是 …).

Three figures stand without a unit because the published text lost it (the data records each as
an erratum): 党内警告12党内严重警告9人 (opening.3), 首批15最佳实践 (2.2), 等5专项小组 (2.5). They are
listed with an empty unit and named on stderr as damaged.
"""

from __future__ import annotations

import json
import os
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import run
from tests.paths import ROOT

# (passage id, written, number, value, unit, yuan, Chinese numeral, approx). A section without
# subsections (五 七 八 十 十三) is one passage, its heading and body, with the section's id (5, not 5.1).
TABLE = [
    # opening.2, 二是 and 三是
    ("opening.2", "4个", "4", "4", "个", None, False, None),
    ("opening.2", "14个", "14", "14", "个", None, False, None),
    ("opening.2", "43项", "43", "43", "项", None, False, None),
    ("opening.2", "四张", "四", "4", "张", None, True, None),
    ("opening.2", "18次", "18", "18", "次", None, False, None),
    # opening.3, the outcomes
    ("opening.3", "32件", "32", "32", "件", None, False, None),
    ("opening.3", "31件", "31", "31", "件", None, False, None),
    ("opening.3", "31人", "31", "31", "人", None, False, None),
    ("opening.3", "12", "12", "12", "", None, False, None),  # 党内警告12党内严重警告9人: damaged
    ("opening.3", "9人", "9", "9", "人", None, False, None),
    ("opening.3", "1人", "1", "1", "人", None, False, None),
    ("opening.3", "9人", "9", "9", "人", None, False, None),
    ("opening.3", "4人", "4", "4", "人", None, False, None),
    ("opening.3", "1人", "1", "1", "人", None, False, None),
    ("opening.3", "1人", "1", "1", "人", None, False, None),
    ("opening.3", "2人", "2", "2", "人", None, False, None),
    ("opening.3", "4人", "4", "4", "人", None, False, None),
    ("opening.3", "4人", "4", "4", "人", None, False, None),
    ("opening.3", "6人", "6", "6", "人", None, False, None),
    ("opening.3", "15人", "15", "15", "人", None, False, None),
    ("opening.3", "46项", "46", "46", "项", None, False, None),
    ("opening.3", "120.747万元", "120.747", "120.747", "万元", "1207470", False, None),
    ("opening.3", "618.5622万元", "618.5622", "618.5622", "万元", "6185622", False, None),
    # 二
    ("2.1", "218个", "218", "218", "个", None, False, None),
    ("2.1", "4项", "4", "4", "项", None, False, None),
    ("2.1", "7个", "7", "7", "个", None, False, None),
    ("2.2", "15", "15", "15", "", None, False, None),  # 首批15最佳实践: damaged
    ("2.4", "3个", "3", "3", "个", None, False, None),
    ("2.4", "4家", "4", "4", "家", None, False, None),
    ("2.4", "10公里", "10", "10", "公里", None, False, None),
    ("2.5", "4个", "4", "4", "个", None, False, None),
    ("2.5", "5", "5", "5", "", None, False, None),  # 等5专项小组: damaged
    ("2.6", "14个", "14", "14", "个", None, False, None),
    ("2.6", "十项", "十", "10", "项", None, True, None),
    ("2.6", "8000名", "8000", "8000", "名", None, False, None),
    # 三
    ("3.1", "2大", "2", "2", "大", None, False, None),
    ("3.1", "25家", "25", "25", "家", None, False, None),
    ("3.1", "32家", "32", "32", "家", None, False, None),
    ("3.1", "50%", "50", "50", "%", None, False, None),
    ("3.2", "37家", "37", "37", "家", None, False, None),
    ("3.2", "64.1%", "64.1", "64.1", "%", None, False, None),
    ("3.2", "20亿元", "20", "20", "亿元", "2000000000", False, None),
    ("3.3", "618.5622万元", "618.5622", "618.5622", "万元", "6185622", False, None),
    ("3.4", "25个", "25", "25", "个", None, False, None),
    ("3.4", "6650吨", "6650", "6650", "吨", None, False, None),
    ("3.4", "18家", "18", "18", "家", None, False, None),
    # 四
    ("4.1", "2个", "2", "2", "个", None, False, None),
    ("4.2", "12家", "12", "12", "家", None, False, None),
    ("4.2", "30.3%", "30.3", "30.3", "%", None, False, None),
    ("4.2", "45.3%", "45.3", "45.3", "%", None, False, None),
    # 五
    ("5", "一名", "一", "1", "名", None, True, None),
    ("5", "一名", "一", "1", "名", None, True, None),
    # 六
    ("6.1", "一名", "一", "1", "名", None, True, None),
    ("6.3", "6大", "6", "6", "大", None, False, None),
    ("6.4", "198辆", "198", "198", "辆", None, False, None),
    # 七
    ("7", "2人", "2", "2", "人", None, False, None),
    ("7", "2人", "2", "2", "人", None, False, None),
    ("7", "2人", "2", "2", "人", None, False, None),
    ("7", "一名", "一", "1", "名", None, True, None),
    # 九
    ("9.1", "6家", "6", "6", "家", None, False, None),
    ("9.2", "4个", "4", "4", "个", None, False, None),
    # 十一
    ("11.1", "9名", "9", "9", "名", None, False, None),
    ("11.1", "217次", "217", "217", "次", None, False, None),
    ("11.1", "365人次", "365", "365", "人次", None, False, None),
    ("11.1", "两期", "两", "2", "期", None, True, None),
    ("11.2", "一名", "一", "1", "名", None, True, None),
    ("11.2", "一名", "一", "1", "名", None, True, None),
    ("11.2", "10名", "10", "10", "名", None, False, None),
    # 十二
    ("12.1", "5个", "5", "5", "个", None, False, None),
    ("12.1", "9个", "9", "9", "个", None, False, None),
    ("12.1", "16个", "16", "16", "个", None, False, None),
    ("12.2", "9家", "9", "9", "家", None, False, None),
    ("12.2", "140余名", "140", "140", "名", None, False, "余"),
    ("12.2", "7家", "7", "7", "家", None, False, None),
    ("12.2", "233名", "233", "233", "名", None, False, None),
    ("12.2", "2名", "2", "2", "名", None, False, None),
    ("12.2", "210名", "210", "210", "名", None, False, None),
    ("12.2", "23名", "23", "23", "名", None, False, None),
    ("12.2", "2名", "2", "2", "名", None, False, None),
    # 十三
    ("13", "33项", "33", "33", "项", None, False, None),
    ("13", "40余条", "40", "40", "条", None, False, "余"),
    # 十四
    ("14.1", "119.35万元", "119.35", "119.35", "万元", "1193500", False, None),
    ("14.1", "一名", "一", "1", "名", None, True, None),
    ("14.2", "57.08亿元", "57.08", "57.08", "亿元", "5708000000", False, None),
    ("14.2", "5家", "5", "5", "家", None, False, None),
    # closing.1, 二是
    ("closing.1", "两件", "两", "2", "件", None, True, None),
]

# The figures the text lost a unit for: (passage id, written, the damaged text, the likely reading
# recorded as an erratum in data/notice.yaml).
DAMAGED = [
    ("opening.3", "12", "党内警告12党内严重警告9人", "党内警告12人,党内严重警告9人"),
    ("2.2", "15", "首批15最佳实践", "首批15个“最佳实践”。"),
    ("2.5", "5", "等5专项小组", "等5个专项小组"),
]

_PASSAGE_ID = re.compile(r"^(?:(?:opening|closing)\.\d+|\d+(?:\.\d+)?)$")


def figures_json(*args: str) -> list[dict]:
    r = run("figures", "--json", *args)
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)["data"]
    assert data["count"] == len(data["figures"])
    return data["figures"]


def as_row(f: dict) -> tuple:
    return (f["id"], f["written"], f["number"], f["value"], f["unit"], f["yuan"], f["chinese_numeral"],
            f["approx"])


def plain_rows(stdout: str) -> list[list[str]]:
    """The records of plain output, found by their first field (a passage id), not by position."""
    rows = [line.split("\t") for line in stdout.splitlines()]
    return [row for row in rows if _PASSAGE_ID.match(row[0])]


def test_json_lists_exactly_the_hand_table_in_reading_order():
    assert [as_row(f) for f in figures_json()] == TABLE


def test_plain_output_lists_the_same_figures():
    r = run("figures")
    assert r.exit_code == 0, r.output
    assert [(row[0], row[1], row[2], row[3]) for row in plain_rows(r.stdout)] == \
        [(row[0], row[1], row[2], row[4]) for row in TABLE]


@pytest.mark.parametrize("passage,name", [
    ("2.6", "先锋八条"), ("2.6", "五个湾区"), ("8", "中央八项规定"), ("10", "三个不直接分管"),
])
def test_names_in_the_notice_are_not_quantities(passage, name):
    r = run("--color", "never", "show", passage)
    assert name in r.stdout  # the name is in the passage ...
    listed = [f["written"] for f in figures_json() if f["id"] == passage]
    assert not [w for w in listed if w in name]  # ... and none of it is listed as a figure


def _with_inserted(notice_copy, phrase: str) -> str:
    text = notice_copy.read_text(encoding="utf-8")
    anchor = "对主题教育检视问题整改工作涉及的33项问题"
    assert text.count(anchor) == 1
    notice_copy.write_text(text.replace(anchor, f"{anchor},{phrase}"), encoding="utf-8")
    return str(notice_copy)


@pytest.mark.parametrize("name", ["两个维护", "四个意识", "四个自信", "两个确立", "八项规定", "四个全面"])
def test_names_that_look_like_counts_are_not_listed(notice_copy, name):
    data = _with_inserted(notice_copy, f"增强{name}")
    r = run("--data", data, "figures", "--json", "--section", "13")
    assert r.exit_code == 0, r.output
    assert [f["written"] for f in json.loads(r.stdout)["data"]["figures"]] == ["33项", "40余条"]


def test_a_count_beside_a_name_is_still_a_count(notice_copy):
    data = _with_inserted(notice_copy, "增强两个维护,新建两个中心")
    r = run("--data", data, "figures", "--json", "--section", "13")
    assert r.exit_code == 0, r.output
    assert [(f["written"], f["value"]) for f in json.loads(r.stdout)["data"]["figures"]] == \
        [("33项", "33"), ("两个", "2"), ("40余条", "40")]


def test_damaged_figures_are_named_on_stderr_with_the_likely_reading():
    r = run("figures")
    assert r.exit_code == 0, r.output
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("rectcli: 3 figures have no unit")
    for passage, written, found, likely in DAMAGED:
        assert f"{passage} {written}: {found} → {likely}" in lines[0]
    # exactly the rows of the table without a unit
    assert [(p, w) for p, w, *_ in DAMAGED] == [(row[0], row[1]) for row in TABLE if row[4] == ""]


def test_damage_note_only_when_a_damaged_figure_is_listed():
    r = run("figures", "--unit", "人")
    assert r.exit_code == 0 and r.stderr == ""
    r = run("figures", "--section", "2")
    assert r.stderr.splitlines() == [
        "rectcli: 2 figures have no unit where the text is damaged (listed with an empty unit): "
        "2.2 15: 首批15最佳实践 → 首批15个“最佳实践”。; 2.5 5: 等5专项小组 → 等5个专项小组"]


def test_a_missing_unit_without_an_erratum_is_still_flagged(notice_copy):
    data = _with_inserted(notice_copy, "新增8专班,")
    r = run("--data", data, "figures", "--section", "13")
    assert r.exit_code == 0, r.output
    assert [(row[0], row[1], row[3]) for row in plain_rows(r.stdout)] == \
        [("13", "33项", "项"), ("13", "8", ""), ("13", "40余条", "条")]
    assert r.stderr.splitlines() == [
        "rectcli: 1 figure has no unit where the text is damaged (listed with an empty unit): "
        "13 8: 新增8专班 (no unit follows the number)"]


# ---------------------------------------------------------------- empty filter results

# Sections and the units their figures are in, in reading order, from the table above.
SECTIONS_WITH_FIGURES = "二、三、四、五、六、七、九、十一、十二、十三、十四"
UNITS = "个、项、张、次、件、人、万元、家、公里、名、大、%、亿元、吨、辆、人次、期、条"


# 1.2 is a measure of 一: --section narrows to the section it stands in
@pytest.mark.parametrize("section,numeral", [("1", "一"), ("八", "八"), ("10", "十"), ("1.2", "一"), ("一(二)", "一")])
def test_a_section_without_figures_says_which_sections_have_some(section, numeral):
    r = run("figures", "--section", section)
    assert (r.exit_code, r.stdout) == (1, "")
    assert r.stderr == f"rectcli: no figures in section {numeral}; sections with figures: {SECTIONS_WITH_FIGURES}\n"


def test_a_section_without_figures_in_json_keeps_the_envelope():
    r = run("figures", "--section", "1", "--json")
    assert r.exit_code == 1
    assert json.loads(r.stdout)["data"] == {"count": 0, "figures": []}
    assert r.stderr == f"rectcli: no figures in section 一; sections with figures: {SECTIONS_WITH_FIGURES}\n"


def test_a_unit_not_in_the_notice_lists_the_units_and_the_nearest():
    r = run("figures", "--unit", "亿")
    assert (r.exit_code, r.stdout) == (1, "")
    assert r.stderr == f"rectcli: no figures in unit 亿 (did you mean 亿元?); units in the notice: {UNITS}\n"


def test_a_unit_not_in_a_section_lists_that_sections_units():
    r = run("figures", "--unit", "人", "--section", "3")
    assert (r.exit_code, r.stdout) == (1, "")
    assert r.stderr == "rectcli: no figures in unit 人 in section 三; units in section 三: 大、家、%、亿元、万元、个、吨\n"


def test_every_section_either_lists_its_figures_or_says_why_not():
    expected = {}
    for row in TABLE:
        if not row[0].startswith(("opening", "closing")):
            expected.setdefault(row[0].split(".")[0], []).append((row[0], row[1]))
    for n in range(1, 15):
        r = run("figures", "--section", str(n))
        if str(n) in expected:
            assert r.exit_code == 0, r.output
            assert [(row[0], row[1]) for row in plain_rows(r.stdout)] == expected[str(n)]
        else:
            assert (r.exit_code, r.stdout) == (1, "")
            assert r.stderr.startswith("rectcli: no figures in section ")


_UNIT_LIST = UNITS.split("、")


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(whitelist_categories=("Lo", "Ll", "Lu", "Nd")), min_size=1, max_size=4)
       .filter(lambda u: u not in _UNIT_LIST))
def test_any_unit_not_in_the_notice_exits_1_with_one_line_naming_the_units(unit):
    r = run("figures", f"--unit={unit}")
    assert (r.exit_code, r.stdout) == (1, "")
    lines = r.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"rectcli: no figures in unit {unit}")
    assert lines[0].endswith(f"; units in the notice: {UNITS}")


def test_the_vocabulary_is_data_not_code(tmp_path):
    """Units, dates that are not quantities and document kinds come from vocab/quantities.txt:
    a copy of the package whose data file lacks 辆 no longer lists 198辆 with its unit."""
    import shutil
    import subprocess
    import sys

    import rectcli

    package = tmp_path / "rectcli"
    shutil.copytree(os.path.dirname(rectcli.__file__), package,
                    ignore=shutil.ignore_patterns("__pycache__"))
    if not (package / "data" / "notice.yaml").exists():  # a source checkout: the data lives at the top
        (package / "data").mkdir(exist_ok=True)
        shutil.copy(ROOT / "data" / "notice.yaml", package / "data" / "notice.yaml")
        shutil.copy(ROOT / "data" / "notice.schema.json", package / "data" / "notice.schema.json")
    vocab = package / "vocab" / "quantities.txt"
    vocab.write_text(vocab.read_text(encoding="utf-8").replace("unit\t辆\n", ""), encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "rectcli", "figures", "--section", "6", "--json"], cwd=tmp_path,
                       capture_output=True, text=True, encoding="utf-8", timeout=60,
                       env={**os.environ, "PYTHONPATH": str(tmp_path), "RECTCLI_NO_CACHE": "1"})
    written = [f["written"] for f in json.loads(r.stdout)["data"]["figures"]]
    assert "198" in written and "198辆" not in written  # the unit comes from the data file
