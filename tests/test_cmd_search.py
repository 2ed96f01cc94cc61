import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rectcli.notice.format import load_notice
from rectcli.search import search
from tests.conftest import ANSI, run


def ids(r):
    return [line.split("\t")[0] for line in r.stdout.splitlines()]


def test_gongche_finds_6_4():
    r = run("search", "公车")
    assert r.exit_code == 0, r.output
    assert ids(r) == ["6.4"]
    assert r.stdout.startswith("6.4\t六(四)\t六、履行全面从严治党主体责任不到位问题\t(四)加强公车管理。")


@pytest.mark.parametrize("query,expected", [
    (["住房公积金"], ["8.1"]),
    (["巡察"], ["6.2", "14"]),
    (["审计"], ["6.3", "9.2", "14"]),
    (["立案"], ["opening.3"]),
    (["公务用车"], ["6.4"]),
    (["M0"], ["2.3"]),
    (["m0"], ["2.3"]),
    (["（1+X）"], ["2.5"]),
    (["庵东镇", "纪检"], ["7.1"]),
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
    assert either == ["6.4", "8.1"]


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


def test_full_prints_whole_passage():
    r = run("search", "--full", "公车")
    assert r.stdout.rstrip().endswith("所有公务用车做到了严格规范管理和使用。")
    snip = run("search", "公车")
    assert snip.stdout.rstrip().endswith("…")


def test_results_follow_notice_order():
    r = run("search", "--any", "公积金", "公车", "巡察")
    assert ids(r) == ["6.2", "6.4", "8.1", "14"]


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
