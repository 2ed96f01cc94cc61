import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rectcli.notice.format import load_notice
from rectcli.search import search
from tests.conftest import ANSI, run


# plain output starts with this header row (SWITCH: format 2); a hit is any other line
HEADER = "编号\t序号\t所在部分\t文本"


def rows(r):
    return [line for line in r.stdout.splitlines() if line != HEADER]


def ids(r):
    return [line.split("\t")[0] for line in rows(r)]


def test_gongche_finds_6_4():
    r = run("search", "公车")
    assert r.exit_code == 0, r.output
    assert ids(r) == ["6.4"]
    # (changed by design: 所在部分 is the section's head as written, marker included)
    (row,) = rows(r)
    assert row.startswith("6.4\t六(四)\t六、关于履行全面从严治党主体责任不到位问题的整改情况\t(四)加强公车管理。")


@pytest.mark.parametrize("query,expected", [
    (["住房公积金"], ["8"]),  # (changed by design: 八 has no subsections, its one passage is '8')
    (["巡察"], ["6.2", "14"]),
    (["审计"], ["6.3", "9.2", "14"]),
    (["立案"], ["opening.3"]),
    (["公务用车"], ["6.4"]),
    (["M0"], ["2.3"]),
    (["m0"], ["2.3"]),
    (["（1+X）"], ["2.5"]),
    (["庵东镇", "纪检"], ["7"]),  # (changed by design: 七 is one passage, '7')
    (["山海协作"], ["4.1"]),
])
def test_search_hits(query, expected):
    r = run("search", *query)
    assert r.exit_code == 0, r.output
    assert ids(r) == expected


def test_all_terms_must_match_unless_any():
    both = ids(run("search", "公车", "审计"))
    assert both == []
    either = ids(run("search", "--any", "公车", "住房公积金"))
    assert either == ["6.4", "8"]


def test_count_and_exit_codes():
    r = run("search", "--count", "巡视整改")
    assert r.exit_code == 0
    n = int(r.stdout)
    assert n == len(ids(run("search", "巡视整改"))) == 5
    none = run("search", "不存在的词")
    assert none.exit_code == 1 and none.stdout == ""
    assert "no passage matches" in none.stderr


def test_count_zero_prints_zero_and_exits_1():
    r = run("search", "--count", "不存在的词")
    assert r.exit_code == 1 and r.stdout == "0\n"


def test_regex_and_section_filter():
    r = run("search", "--regex", r"\d+\.\d+万元")
    assert ids(r) == ["opening.3", "3.3", "14.1"]
    r = run("search", "--section", "六", "管理")
    assert all(i.startswith("6") for i in ids(r)) and "6.4" in ids(r)
    r = run("search", "--section", "6.4", "管理")
    assert all(i.startswith("6") for i in ids(r))


def test_where_column_is_the_section_head_as_written():
    # the heads as the source text writes them (lines 51, 55 and 99 of notice-source.txt)
    r = run("search", "--any", "意识形态", "巡察")
    assert r.exit_code == 0, r.output
    where = {line.split("\t")[0]: line.split("\t")[2] for line in rows(r)}
    assert where == {
        "5": "五、关于落实意识形态工作责任制存在薄弱环节问题的整改情况",
        "6.2": "六、关于履行全面从严治党主体责任不到位问题的整改情况",
        "14": "十四、关于对宁波市委、市审计部门巡察、审计指出的问题整改不到位问题的整改情况",
    }


def test_full_prints_whole_passage():
    r = run("search", "--full", "公车")
    assert r.stdout.rstrip().endswith("所有公务用车做到了严格规范管理和使用。")
    snip = run("search", "公车")
    assert snip.stdout.rstrip().endswith("…")


def test_results_follow_notice_order():
    r = run("search", "--any", "公积金", "公车", "巡察")
    assert ids(r) == ["6.2", "6.4", "8", "14"]


@pytest.mark.parametrize("args,needle", [
    (["search", ""], "empty search term"),
    (["search", "   "], "empty search term"),
    (["search", "--regex", "([a-z"], "invalid regex"),
    (["search", "--section", "99", "x"], "no section or measure"),
])
def test_bad_queries_exit_2_with_one_line(args, needle):
    r = run(*args)
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1 and needle in r.stderr


def test_search_json_shape():
    r = run("search", "公车", "--json")
    doc = json.loads(r.stdout)
    assert doc["command"] == "search"
    data = doc["data"]
    assert data["count"] == 1 and data["mode"] == "all" and data["terms"] == ["公车"]
    hit = data["hits"][0]
    assert hit["id"] == "6.4" and hit["title"] == "加强公车管理"
    for start, end in hit["spans"]:
        assert hit["text"][start:end] == "公车"
    for start, end in hit["snippet"]["spans"]:
        assert hit["snippet"]["text"][start:end] == "公车"


def test_rich_output_highlights_terms():
    r = run("--color", "always", "search", "公车", env={"COLUMNS": "60"})
    assert r.exit_code == 0, r.output
    assert ANSI.search(r.stdout)
    plain = ANSI.sub("", r.stdout)
    assert "6.4" in plain and "加强公车管理" in plain
    assert max(len(line) for line in plain.splitlines()) <= 60


NOTICE = load_notice()


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([p.text for p in NOTICE.passages()]), st.data())
def test_any_substring_of_a_passage_finds_it(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, min(len(text), start + 10)))
    term = text[start:end]
    if not term.strip():
        return
    assert any(h.passage.text == text for h in search(NOTICE, [term]).hits)
