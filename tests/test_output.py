"""Output modes: plain when piped, Rich on a terminal, JSON for scripts."""

import json
import os
import re
import shlex
import subprocess
import sys

import pytest

from tests.conftest import ANSI, run

# an SGR sequence that sets a foreground or background colour
COLOUR = re.compile(r"\x1b\[(?:[0-9]+;)*(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;[0-9]+)*m")

COMMANDS = [["sections"], ["show", "6.4"], ["search", "公车"], ["stats"], ["docs"], ["figures"], ["validate"]]


@pytest.mark.parametrize("args", COMMANDS + [["export"]])
def test_piped_output_has_no_escape_codes_or_boxes(args):
    r = run(*args)
    assert r.exit_code == 0, r.output
    assert not ANSI.search(r.stdout)
    assert not any(ch in r.stdout for ch in "┏━│└")


@pytest.mark.parametrize("args", COMMANDS)
def test_json_envelope_contract(args):
    r = run(*args, "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert list(doc) == ["rectcli_json_version", "command", "data"]
    assert doc["rectcli_json_version"] == 1 and doc["command"] == args[0]
    assert "\\u" not in r.stdout  # Chinese is not \\u-escaped


@pytest.mark.parametrize("args", COMMANDS)
def test_color_always_gives_rich_and_no_color_strips_colour(args):
    rich = run("--color", "always", *args, env={"COLUMNS": "80"})
    assert rich.exit_code == 0 and ANSI.search(rich.stdout)
    assert COLOUR.search(rich.stdout)
    nocolor = run("--color", "always", *args, env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert nocolor.exit_code == 0
    assert ANSI.search(nocolor.stdout)  # bold and dim stay: structure without colour
    assert not COLOUR.search(nocolor.stdout)


def test_rich_tree_folds_long_titles_instead_of_cutting(monkeypatch):
    r = run("--color", "always", "sections", env={"COLUMNS": "40"})
    plain = ANSI.sub("", r.stdout)
    assert "…" not in plain
    from rich.cells import cell_len

    assert max(cell_len(line) for line in plain.splitlines()) <= 40
    joined = "".join(ch for ch in plain if ch not in " │├└─\n")
    assert "健全完善学习贯彻习近平总书记重要讲话和指示精神制度机制" in joined


def test_color_never_forces_plain():
    r = run("--color", "never", "search", "公车")
    assert r.exit_code == 0, r.output
    assert not ANSI.search(r.stdout)
    # (changed by design: plain output now starts with a header row; then the one hit, 六(四))
    header, *rows = r.stdout.splitlines()
    assert header == "编号\t序号\t所在部分\t文本"
    assert len(rows) == 1 and rows[0].startswith("6.4\t六(四)\t")


# ---------------------------------------------------------------- plain header rows (the contract)

# the column names, written from SWITCH.md (format 2): the first line of each command's plain output
HEADERS = {
    "sections": ["编号", "序号", "标题", "篇幅"],
    "search": ["编号", "序号", "所在部分", "文本"],
    "docs": ["文件", "类别", "标注", "出处"],
    "figures": ["出处", "原文", "数值", "单位", "折合元", "标记", "上下文"],
}
COMMAND_ARGS = {"sections": ["sections"], "search": ["search", "管理"], "docs": ["docs"], "figures": ["figures"]}


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_plain_table_starts_with_its_header_row(name):
    r = run(*COMMAND_ARGS[name])
    assert r.exit_code == 0, r.output
    header, *rows = r.stdout.splitlines()
    assert header.split("\t") == HEADERS[name]
    assert rows and "\t".join(HEADERS[name]) not in rows  # once, at the top
    assert all(len(row.split("\t")) == len(HEADERS[name]) for row in rows)  # every row fills the columns


@pytest.mark.parametrize("args", [["sections", "--depth", "1"], ["search", "--any", "公车", "巡察"],
                                  ["docs", "--section", "六"], ["figures", "--unit", "亿元"]])
def test_filtered_plain_tables_keep_the_header_row(args):
    r = run(*args)
    assert r.exit_code == 0, r.output
    header, *rows = r.stdout.splitlines()
    assert header.split("\t") == HEADERS[args[0]] and rows


def test_nothing_found_prints_no_header_row():
    r = run("search", "不存在的词")
    assert r.exit_code == 1 and r.stdout == ""


# stats: each table's header row is led by the table's name, then its rows, each led by that name
STATS_HEADERS = {
    "概况": ["项目", "内容"],
    "整改成效": ["项目", "数量", "单位", "细分", "细分合计", "核对"],
    "款项": ["项目", "数额", "元"],
    "分项": ["编号", "序号", "标题", "措施数", "字数", "文件", "数字"],
    "出处": ["项目", "数额", "出现于正文"],
}


def test_stats_tables_each_start_with_a_header_row_led_by_the_table_name():
    r = run("stats")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == sorted(
        (line.split("\t")[0] for line in lines), key=list(STATS_HEADERS).index)  # whole tables, in order
    for table, columns in STATS_HEADERS.items():
        header, *rows = [line.split("\t") for line in lines if line.startswith(table + "\t")]
        assert header == [table, *columns], table
        assert rows, table
        assert all(len(row) == len(header) for row in rows), table
    assert lines[0].split("\t") == ["概况", *STATS_HEADERS["概况"]]


def test_stats_grep_one_table_gives_its_header_then_its_rows(source_text):
    """`rectcli stats | grep ^分项`: the header row, one row per section (id, numeral and head as the
    source text writes them, read here from tests/fixtures/notice-source.txt), then the totals."""
    r = subprocess.run(["bash", "-c", f"set -o pipefail; {shlex.quote(sys.executable)} -m rectcli stats | grep ^分项"],
                       capture_output=True, text=True, encoding="utf-8", timeout=120, stdin=subprocess.DEVNULL,
                       env={k: v for k, v in os.environ.items() if k not in ("RECTCLI_DATA", "NO_COLOR")})
    assert r.returncode == 0, r.stderr
    header, *rows = [line.split("\t") for line in r.stdout.splitlines()]
    assert header == ["分项", "编号", "序号", "标题", "措施数", "字数", "文件", "数字"]
    heads = re.findall(r"^\s*([一二三四五六七八九十]+)、(关于.+的整改情况)\s*$", source_text, re.M)
    assert len(heads) == 14
    assert [row[:4] for row in rows[:14]] == [["分项", str(i), numeral, head]
                                               for i, (numeral, head) in enumerate(heads, 1)]
    assert all(field.isdigit() for row in rows[:14] for field in row[4:])
    (total,) = rows[14:]
    assert total[:4] == ["分项", "合计", "", ""]
    assert [int(v) for v in total[4:]] == [sum(int(row[k]) for row in rows[:14]) for k in range(4, 8)]


def test_version():
    r = run("--version")
    assert r.exit_code == 0 and r.stdout.startswith("rectcli ")


@pytest.mark.parametrize("fields,line", [
    (("a", "b", "c"), "a\tb\tc\n"),
    (("a\tb", None, 3, "x\ny"), "a b\t\t3\tx y\n"),        # a tab or line break inside a field is a space
    (("\t", "\n", ""), " \t \t\n"),
    (("一\t", "二"), "一 \t二\n"),
    (("bell\x07",), "bell\\x07\n"),                         # control characters shown, never sent
])
def test_a_plain_record_is_one_line_of_tab_separated_fields(capsys, fields, line):
    from rectcli.output.render import Mode, Out

    Out(Mode.PLAIN, "search").record(*fields)
    assert capsys.readouterr().out == line


def test_many_plain_records_are_the_records_one_by_one(capsys):
    from rectcli.output.render import Mode, Out

    rows = [("a\tb", None, 3, "x\ny"), ("一", "二\x07", ""), ()]
    out = Out(Mode.PLAIN, "search")
    for row in rows:
        out.record(*row)
    one_by_one = capsys.readouterr().out
    out.records(rows)
    assert capsys.readouterr().out == one_by_one == "a b\t\t3\tx y\n一\t二\\x07\t\n\n"


def test_outcome_names_read_from_the_lines_are_the_parsed_vocabulary_s() -> None:
    from rectcli.output.data import outcome_names, outcome_names_parsed

    names = outcome_names()
    assert names == outcome_names_parsed()
    assert (names["cases_filed"], names["admonished"], names["funds_refunded"]) == ("立案", "诫勉", "清退款项")


def test_an_outcome_without_a_name_line_is_named_by_the_parsed_vocabulary(monkeypatch) -> None:
    import rectcli.vocab
    from rectcli.output.data import outcome_names

    real = rectcli.vocab.text
    shipped = real("outcomes.yaml")
    assert "    name: 诫勉\n" in shipped
    edited = shipped.replace("    name: 诫勉\n", "")  # 诫勉 is then named by its shortest label
    monkeypatch.setattr(rectcli.vocab, "text", lambda name: edited if name == "outcomes.yaml" else real(name))
    names = outcome_names()
    assert names["admonished"] == "诫勉"
    assert names["cases_filed"] == "立案"
