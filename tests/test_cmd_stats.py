import json
from decimal import Decimal

from rectcli.loader import load_notice
from tests.conftest import ANSI, run


def records(r, table):
    return [line.split("\t")[1:] for line in r.stdout.splitlines() if line.startswith(table + "\t")]


def test_stats_tables():
    r = run("stats")
    assert r.exit_code == 0, r.output
    facts = dict(records(r, "概况"))
    assert facts["巡视时间"] == "2021-03-31 至 2021-06-18"
    assert facts["巡视组"] == "省委第一巡视组"
    assert facts["反馈问题"] == "4个方面 14个类别 43项具体问题"
    assert facts["整改会议"] == "18次"
    outcomes = {row[0]: row for row in records(r, "整改成效")}
    assert outcomes["立案"][1:3] == ["32", "件"]
    assert outcomes["党纪处分"][3] == "党内警告12人、党内严重警告9人、撤销党内职务1人、开除党籍9人"
    assert outcomes["党纪处分"][4:] == ["31", "✓ 相符"]
    assert outcomes["政务处分"][4:] == ["4", "✓ 相符"]
    money = {row[0]: row[1:] for row in records(r, "款项")}
    assert money == {"清退款项": ["120.747", "1207470"], "直接挽回经济损失": ["618.5622", "6185622"]}
    per_section = records(r, "分项")
    assert len(per_section) == 15
    assert per_section[-1][0] == "合计" and per_section[-1][3] == "32"
    assert sum(int(row[3]) for row in per_section[:-1]) == 32


def test_stats_flags_a_breakdown_that_does_not_add_up(notice_copy):
    text = notice_copy.read_text(encoding="utf-8")
    notice_copy.write_text(text.replace("- label: 党内警告\n      value: '12'", "- label: 党内警告\n      value: '13'"), encoding="utf-8")
    r = run("--data", str(notice_copy), "stats")
    assert r.exit_code == 0, r.output
    row = next(row for row in records(r, "整改成效") if row[0] == "党纪处分")
    assert row[4:] == ["32", "✗ 不符"]


def test_stats_json_is_exact():
    doc = json.loads(run("stats", "--json").stdout)
    data = doc["data"]
    money = {m["label"]: m for m in data["money"]}
    assert money["直接挽回经济损失"] == {"label": "直接挽回经济损失", "wan_yuan": "618.5622", "yuan": "6185622"}
    pd = next(o for o in data["outcomes"] if o["label"] == "党纪处分")
    assert pd["breakdown_total"] == "31" and pd["balanced"] is True
    assert sum(s["measures"] for s in data["sections"]) == 32
    chars = sum(s["characters"] for s in data["sections"])
    notice = load_notice()
    assert chars == sum(len("".join(m.body.split())) for m in notice.measures)


def test_money_arithmetic_is_exact():
    money = json.loads(run("stats", "--json").stdout)["data"]["money"]
    notice = load_notice()
    wan = [o.raw for o in notice.outcomes if o.unit == "万元"]
    assert [m["wan_yuan"] for m in money] == wan
    for m in money:
        assert Decimal(m["yuan"]) == Decimal(m["wan_yuan"]) * 10000
        assert "E" not in m["yuan"] and not m["yuan"].endswith(".0")


def test_rich_stats_tables_fit_a_narrow_terminal_without_cutting_words():
    r = run("--color", "always", "stats", env={"COLUMNS": "50"})
    assert r.exit_code == 0, r.output
    plain = ANSI.sub("", r.stdout)
    assert "…" not in plain
    from rich.cells import cell_len

    assert max(cell_len(line) for line in plain.splitlines()) <= 50
    # the longest problem title is folded inside its cell, not cut: every character is there
    cells = "".join(line.split("│")[3].strip() for line in plain.splitlines() if line.count("│") == 8)
    assert "对宁波市委、市审计部门巡察、审计指出的问题整改不到位问题" in cells
