"""Issue 3: every export format parsed back by a real parser."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
import yaml

from tests.conftest import run

# The measures of tests/fixtures/notice-source.txt in reading order, written by hand: section 一
# has (一)…(三), 二 (一)…(六), 三 (一)…(四), 四 two, 五 none (its body is one measure), 六 four,
# 七 and 八 none, 九 two, 十 none, 十一 and 十二 two each, 十三 none, 十四 two.
MEASURE_IDS = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "3.1", "3.2", "3.3", "3.4",
               "4.1", "4.2", "5.1", "6.1", "6.2", "6.3", "6.4", "7.1", "8.1", "9.1", "9.2", "10.1",
               "11.1", "11.2", "12.1", "12.2", "13.1", "14.1", "14.2"]


def test_json_export_parses_and_has_everything():
    r = run("export", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert [m["id"] for s in data["sections"] for m in s["measures"]] == MEASURE_IDS
    assert len(data["derived"]["documents"]) == 39 and len(data["derived"]["figures"]) >= 40
    assert data["outcomes"]["figures"][-1]["value"] == "618.5622"


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_round_trips_through_data(tmp_path, fmt):
    target = tmp_path / f"again.{fmt}"
    r = run("export", "--format", fmt, "-o", str(target))
    assert r.exit_code == 0 and r.stdout == ""
    for args in (["sections", "--json"], ["stats", "--json"], ["search", "公车", "--json"], ["show", "6", "--json"],
                 ["docs", "--json"], ["figures", "--json"], ["export", "--format", "text"]):
        assert run("--data", str(target), *args).stdout == run(*args).stdout, args
    assert run("validate", str(target)).exit_code == 0


def test_yaml_export_is_safe_yaml_with_exact_strings():
    data = yaml.safe_load(run("export", "--format", "yaml").stdout)
    assert data["outcomes"]["figures"][-2]["value"] == "120.747"
    assert len([m for s in data["sections"] for m in s["measures"]]) == 32


def test_csv_one_row_per_measure_properly_quoted():
    r = run("export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout, newline="")))
    assert [row["id"] for row in rows] == MEASURE_IDS
    gongche = next(row for row in rows if row["id"] == "6.4")
    assert gongche["title"] == "加强公车管理" and gongche["section_problem"] == "履行全面从严治党主体责任不到位问题"
    assert gongche["documents"] == "《新区公务用车管理规范》" and "198辆" in gongche["figures"]
    assert "," in gongche["text"]  # the notice's commas survive quoting
    # source line 63 without its "(四)": 176 characters that are not white space (counted by a
    # script over the fixture that does not import rectcli)
    assert gongche["characters"] == "176"
    assert gongche["text"] == ("(四)加强公车管理。严格执行有关规定要求,第一时间停止发放异地任职委领导定额交通补贴。坚持立行立改,"
                               "依规对198辆车辆进行分类处置。建立监管平台,完善管理规定,编内车辆已全部纳入浙江省公车平台统一监管,"
                               "应急机要用车全面实行平台派车。完成公务用车定点维修、定点租赁、定点保险、标识化管理。"
                               "制定出台《新区公务用车管理规范》,所有公务用车做到了严格规范管理和使用。")  # source line 63


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
    h3 = re.findall(r"^### (\S+)", md, re.M)
    assert h1 == ["中共宁波前湾新区工作委员会关于十四届省委第十二轮巡视整改进展情况的通报"]
    assert sum(1 for h in h2 if re.match(r"[一二三四五六七八九十]+、关于", h)) == 14
    assert h3 == MEASURE_IDS
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
