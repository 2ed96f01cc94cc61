import json

from tests.conftest import ANSI, run

# Per section of tests/fixtures/notice-source.txt, counted once with a script over the fixture
# that does not import rectcli: (measures, characters, documents cited). Measures are the
# paragraphs under each "X、关于…的整改情况" heading (a section without "(一)" subsections has its
# body as its one measure); characters are every character but white space of those paragraphs
# without their "(一)" labels (the section's own heading is not counted); documents the distinct
# 《…》 titles in them.
PER_SECTION = {
    "1": (3, 592, 10), "2": (6, 1191, 12), "3": (4, 650, 1), "4": (2, 364, 1), "5": (1, 253, 2),
    "6": (4, 731, 4), "7": (1, 329, 0), "8": (1, 146, 0), "9": (2, 323, 2), "10": (1, 218, 4),
    "11": (2, 319, 1), "12": (2, 398, 1), "13": (1, 69, 0), "14": (2, 299, 1),
}
TOTAL_MEASURES, TOTAL_CHARACTERS, TOTAL_DOCUMENTS = 32, 5882, 39


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
    money = {row[0]: row[1:] for row in records(r, "款项") if row[0] != "项目"}  # not the header row
    # as written with its unit (source line 11), and in 元; 三(三) (line 41) restates the same
    # 618.5622万元 as 合计挽回经济损失: the same amount told again, listed once
    assert money == {"清退款项": ["120.747万元", "1207470"], "直接挽回经济损失": ["618.5622万元", "6185622"]}
    per_section = {row[0]: row for row in records(r, "分项")}
    got = {sid: tuple(int(v) for v in per_section[sid][3:6]) for sid in PER_SECTION}
    assert got == PER_SECTION
    assert per_section["6"][1:3] == ["六", "关于履行全面从严治党主体责任不到位问题的整改情况"]  # line 55, as written
    total = per_section["合计"]
    assert [int(v) for v in total[3:6]] == [TOTAL_MEASURES, TOTAL_CHARACTERS, TOTAL_DOCUMENTS]


def test_stats_flags_a_breakdown_that_does_not_add_up(notice_copy):
    text = notice_copy.read_text(encoding="utf-8")
    old = "- label: 党内警告\n    key: party_warning\n    value: '12'"
    assert text.count(old) == 1
    notice_copy.write_text(text.replace(old, old.replace("'12'", "'13'")), encoding="utf-8")
    r = run("--data", str(notice_copy), "stats")
    assert r.exit_code == 0, r.output
    row = next(row for row in records(r, "整改成效") if row[0] == "党纪处分")
    assert row[4:] == ["32", "✗ 不符"]


def test_stats_json_is_exact():
    doc = json.loads(run("stats", "--json").stdout)
    data = doc["data"]
    money = {m["label"]: m for m in data["money"]}
    assert money["直接挽回经济损失"] == {"label": "直接挽回经济损失", "value": "618.5622", "unit": "万元", "yuan": "6185622"}
    pd = next(o for o in data["outcomes"] if o["label"] == "党纪处分")
    assert pd["breakdown_total"] == "31" and pd["balanced"] is True
    got = {s["id"]: (s["measures"], s["characters"], s["documents"]) for s in data["sections"]}
    assert got == PER_SECTION


def test_money_arithmetic_is_exact():
    money = json.loads(run("stats", "--json").stdout)["data"]["money"]
    # source line 11: 清退款项120.747万元, 直接挽回经济损失618.5622万元, × 10 000 by hand; line 41
    # (三(三)) restates 618.5622万元 as 合计挽回经济损失: one amount, listed once
    assert money == [{"label": "清退款项", "value": "120.747", "unit": "万元", "yuan": "1207470"},
                     {"label": "直接挽回经济损失", "value": "618.5622", "unit": "万元", "yuan": "6185622"}]


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
