import json

import pytest

from tests.conftest import run


@pytest.mark.parametrize("ident", ["6.4", "六(四)", "六（四）", " 6.4 ", "６.４", "6-4"])
def test_show_measure_in_any_written_form(ident):
    r = run("show", ident)
    assert r.exit_code == 0, r.output
    first = r.stdout.splitlines()[0]
    assert first == "6.4\t六(四) 加强公车管理\t六、履行全面从严治党主体责任不到位问题"
    assert "(四)加强公车管理。严格执行有关规定要求" in r.stdout
    assert r.stdout.rstrip().endswith("所有公务用车做到了严格规范管理和使用。")


def test_show_section_prints_all_its_measures():
    r = run("show", "六")
    assert r.exit_code == 0, r.output
    for mid in ("6.1", "6.2", "6.3", "6.4"):
        assert f"\n{mid}\t" in r.stdout
    assert r.stdout.startswith("6\t六、关于履行全面从严治党主体责任不到位问题的整改情况\t4项措施")


def test_show_notes_errata_beside_the_text():
    r = run("show", "8.1")
    assert r.exit_code == 0, r.output
    assert "对20222月新区在职行政事业人员" in r.stdout
    assert "勘误\t对20222月\t对2022年2月\t" in r.stdout


def test_show_paragraph_and_json():
    r = run("show", "closing.2", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)["data"]
    assert data["kind"] == "paragraph"
    assert data["contacts"]["email"] == "office@hzw.gov.cn"


def test_show_measure_json():
    data = json.loads(run("show", "3.3", "--json").stdout)["data"]
    assert data["title"] == "狠抓土地集约利用" and data["section_id"] == "3"
    assert "618.5622万元" in data["text"]


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
