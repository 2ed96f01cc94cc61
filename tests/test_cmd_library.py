"""The library on the command line: `add`, `notices`, `remove`, and search, show, sections, docs,
figures, stats --compare and export --format sqlite reading a library.

Every test uses its own library file in a temporary folder (RECTCLI_LIBRARY or --library), never
the user's. Expected values are written by hand from the notices' texts (the genre fixtures and
their hand-written .expect.yaml files, and tests/fixtures/notice-source.txt for the bundled
notice), never computed by rectcli.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import yaml

from tests.conftest import ANSI, run
from tests.paths import FIXTURES, ROOT

GENRE = FIXTURES / "genre"
SOURCES = sorted(str(p) for p in GENRE.iterdir() if p.suffix in (".txt", ".html"))
SHIMEN = str(GENRE / "01-shimen-town-county-xuncha.txt")
AGRI = str(GENRE / "07-dongling-agri-dept-province.html")

# By hand, from the texts:
BUNDLED_ISSUER = "中共宁波前湾新区工作委员会"  # notice-source.txt, title line
SHIMEN_ISSUER = "中共云溪县石门镇委员会"          # 01, title and signature
AGRI_ISSUER = "中共东岭省农业农村厅党组"          # 07, <h1> and signature


def env(library: Path) -> dict[str, str]:
    return {"RECTCLI_LIBRARY": str(library)}


def lib_run(library: Path, *args: str):
    return run(*args, env=env(library))


def records(stdout: str) -> list[list[str]]:
    return [line.split("\t") for line in stdout.splitlines()]


def by_first(stdout: str) -> dict[str, list[str]]:
    """Plain rows keyed by their first field (the header row is keyed by its first column name)."""
    return {row[0]: row for row in records(stdout)}


def data(result) -> dict:
    body = json.loads(result.stdout)
    assert body["rectcli_json_version"] == 1
    return body["data"]


def ids_by_issuer(library: Path) -> dict[str | None, str]:
    r = lib_run(library, "notices", "--json")
    assert r.exit_code == 0, r.output
    return {n["issuer"]: n["id"] for n in data(r)["notices"]}


@pytest.fixture(scope="module")
def genre(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library of the bundled notice and the twelve genre notices, made with `rectcli add`
    (read-only for the tests that use it)."""
    library = tmp_path_factory.mktemp("genre") / "library.sqlite"
    r = lib_run(library, "add", *SOURCES)
    assert r.exit_code == 0, r.output
    assert r.stdout == ""
    assert "rectcli: added 12, unchanged 0, replaced 0, failed 0" in r.stderr.splitlines()
    assert "with the bundled notice" in r.stderr
    return library


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return tmp_path / "library.sqlite"


# ------------------------------------------------------------------ add and notices


def test_notices_lists_the_bundled_notice_and_each_added_one(genre: Path) -> None:
    r = lib_run(genre, "notices", "--json")
    assert r.exit_code == 0, r.output
    notices = data(r)["notices"]
    assert len(notices) == 13
    shimen = next(n for n in notices if n["issuer"] == SHIMEN_ISSUER)
    assert (shimen["kind"], shimen["level"], shimen["round"], shimen["date"], shimen["sections"]) == \
        ("巡察", "县", "十五届县委第三轮巡察", "2022-12-20", 3)
    # 立案7件, 给予党纪处分6人; money: 收回清退违规资金3.26万元 + 追缴资金8450元 = 32600 + 8450 元
    assert (shimen["cases_filed"], shimen["party_discipline"], shimen["money_yuan"]) == ("7", "6", "41050")
    bundled = next(n for n in notices if n["issuer"] == BUNDLED_ISSUER)
    # 立案32件 … 党纪处分31人 … 清退款项120.747万元, 直接挽回经济损失618.5622万元
    assert (bundled["cases_filed"], bundled["party_discipline"], bundled["money_yuan"]) == ("32", "31", "7393092")
    assert bundled["kind"] == "巡视" and bundled["date"] == "2022-04-08"
    assert len({n["id"] for n in notices}) == 13


def test_notices_plain_has_a_header_and_a_row_per_notice(genre: Path) -> None:
    r = lib_run(genre, "notices")
    assert r.exit_code == 0, r.output
    rows = by_first(r.stdout)
    assert rows["编号"] == ["编号", "单位", "类别", "层级", "轮次", "日期", "部分", "立案", "党纪处分", "款项(元)"]
    shimen = next(row for row in rows.values() if row[1] == SHIMEN_ISSUER)
    assert shimen[2:] == ["巡察", "县", "十五届县委第三轮巡察", "2022-12-20", "3", "7", "6", "41050"]
    assert len(rows) == 14
    # the table reads each notice's summary without its outcomes; --json reads them all: the same
    # figures for every notice, and the JSON's agree with its outcomes (first 立案, first 党纪处分)
    listed = data(lib_run(genre, "notices", "--json"))["notices"]
    for n in listed:
        assert rows[n["id"]][7:] == [n["cases_filed"] or "", n["party_discipline"] or "", n["money_yuan"] or ""]
        firsts = {}
        for h in n["headline"]:
            firsts.setdefault(h["key"], h["value"])
        assert (n["cases_filed"], n["party_discipline"]) == (firsts.get("cases_filed"), firsts.get("party_discipline"))


def test_notices_filters(genre: Path) -> None:
    # published in 2022 and 巡察 (the .expect.yaml files): 06 (2022-02-15), 09 (04-20), 10 (10-31),
    # 08 (11-10), 01 (12-20); oldest first
    r = lib_run(genre, "notices", "--kind", "巡察", "--year", "2022", "--json")
    assert r.exit_code == 0, r.output
    assert [n["issuer"] for n in data(r)["notices"]] == [
        "中共雲溪縣水利局黨組", "中共云溪县龙潭乡委员会", "中共临江市委巡察工作领导小组办公室",
        "中共南屏区卫生健康局党组", SHIMEN_ISSUER]
    r = lib_run(genre, "notices", "--issuer", "东岭省", "--json")
    assert sorted(n["issuer"] for n in data(r)["notices"]) == sorted([AGRI_ISSUER, "中共东岭省水利厅党组"])
    r = lib_run(genre, "notices", "--year", "2019-2020", "--json")  # 05: 2019年11月26日
    assert [n["round"] for n in data(r)["notices"]] == ["巡视“回头看”"]
    r = lib_run(genre, "notices", "--issuer", "不存在的单位")
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr.startswith("rectcli: no notice in the library")


def test_bad_filters_are_one_line_errors(genre: Path) -> None:
    for args in (("notices", "--kind", "巡查"), ("notices", "--year", "去年"), ("search", "公车", "--notice", "xyz")):
        r = lib_run(genre, *args)
        assert r.exit_code == 2, (args, r.output)
        assert r.stdout == ""
        assert r.stderr.startswith("rectcli: error: ") and r.stderr.count("\n") == 1


def test_add_again_is_unchanged(library: Path) -> None:
    r = lib_run(library, "add", SHIMEN)
    assert r.exit_code == 0, r.output
    assert r.stderr.splitlines()[-1] == "rectcli: added 1, unchanged 0, replaced 0, failed 0"
    r = lib_run(library, "add", SHIMEN)
    assert r.exit_code == 0, r.output
    assert r.stderr.splitlines() == ["rectcli: added 0, unchanged 1, replaced 0, failed 0"]
    assert sorted(ids_by_issuer(library)) == sorted([BUNDLED_ISSUER, SHIMEN_ISSUER])


def test_add_json_reports_each_source(library: Path) -> None:
    r = lib_run(library, "add", SHIMEN, AGRI, "--json")
    assert r.exit_code == 0, r.output
    d = data(r)
    assert (d["added"], d["unchanged"], d["replaced"], d["failed"]) == (2, 0, 0, 0)
    assert [(s["source"], s["status"], s["issuer"]) for s in d["sources"]] == [
        (SHIMEN, "added", SHIMEN_ISSUER), (AGRI, "added", AGRI_ISSUER)]
    assert d["created_with"] == ids_by_issuer(library)[BUNDLED_ISSUER]


def test_add_with_failures_exits_1_and_names_each(library: Path, tmp_path: Path) -> None:
    not_notice = tmp_path / "recipe.txt"
    not_notice.write_text("红烧肉的做法：五花肉切块，焯水，炒糖色。\n", encoding="utf-8")
    missing = str(tmp_path / "missing.txt")
    r = lib_run(library, "add", str(not_notice), missing)  # nothing could be read: no library is made
    assert r.exit_code == 2 and not library.exists()
    r = lib_run(library, "add", SHIMEN, str(not_notice), missing)
    assert r.exit_code == 1, r.output
    lines = r.stderr.splitlines()
    assert lines[-1] == "rectcli: added 1, unchanged 0, replaced 0, failed 2"
    assert any(line.startswith(f"rectcli: failed {not_notice}: ") and "整改" in line for line in lines)
    assert any(line.startswith(f"rectcli: failed {missing}: ") for line in lines)
    r = lib_run(library, "add", str(not_notice))
    assert r.exit_code == 2, r.output
    assert r.stderr.splitlines()[-1] == "rectcli: added 0, unchanged 0, replaced 0, failed 1"


def test_add_notice_file_and_replace(library: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy-of-shimen.txt"
    shutil.copyfile(SHIMEN, copy)
    assert lib_run(library, "add", SHIMEN).exit_code == 0
    # the same text from another file: unchanged without --replace, replaced with it
    r = lib_run(library, "add", str(copy))
    assert r.stderr.splitlines()[-1] == "rectcli: added 0, unchanged 1, replaced 0, failed 0"
    r = lib_run(library, "add", "--replace", str(copy))
    assert r.exit_code == 0, r.output
    assert r.stderr.splitlines()[-1] == "rectcli: added 0, unchanged 0, replaced 1, failed 0"
    notices = data(lib_run(library, "notices", "--json"))["notices"]
    assert len(notices) == 2
    assert next(n for n in notices if n["issuer"] == SHIMEN_ISSUER)["origin"] == str(copy)
    # a notice file (format 2, as `rectcli import` writes it) of the same notice: unchanged
    yaml_file = tmp_path / "shimen.yaml"
    assert run("import", SHIMEN, "-o", str(yaml_file)).exit_code == 0
    r = lib_run(library, "add", str(yaml_file))
    assert r.exit_code == 0, r.output
    assert r.stderr.splitlines()[-1] == "rectcli: added 0, unchanged 1, replaced 0, failed 0"
    # and the bundled notice file itself is the notice the library was created with
    r = lib_run(library, "add", str(ROOT / "data" / "notice.yaml"))
    assert r.stderr.splitlines()[-1] == "rectcli: added 0, unchanged 1, replaced 0, failed 0"


def test_remove(library: Path) -> None:
    assert lib_run(library, "add", SHIMEN, AGRI).exit_code == 0
    ids = ids_by_issuer(library)
    r = lib_run(library, "remove", ids[SHIMEN_ISSUER])
    assert r.exit_code == 0, r.output
    assert r.stderr.startswith(f"rectcli: removed {ids[SHIMEN_ISSUER]} ({SHIMEN_ISSUER}, 2022-12-20)")
    assert sorted(ids_by_issuer(library)) == sorted([BUNDLED_ISSUER, AGRI_ISSUER])
    assert lib_run(library, "search", "茶产业").exit_code == 1
    # the bundled notice stays; an unknown id is an error
    r = lib_run(library, "remove", ids[BUNDLED_ISSUER])
    assert r.exit_code == 2 and "bundled notice" in r.stderr and r.stderr.count("\n") == 1
    r = lib_run(library, "remove", "ffff0000")
    assert r.exit_code == 2 and r.stderr.startswith("rectcli: error: no notice 'ffff0000'")
    assert sorted(ids_by_issuer(library)) == sorted([BUNDLED_ISSUER, AGRI_ISSUER])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG_DATA_HOME names the folder on Linux")
def test_default_library_is_in_the_user_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --library or RECTCLI_LIBRARY: library.sqlite in the user data folder (the one
    platformdirs names: $XDG_DATA_HOME/rectcli on Linux), created, folder and all, by `add`."""
    import platformdirs

    home = tmp_path / "data-home"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.delenv("RECTCLI_LIBRARY", raising=False)
    expected = home / "rectcli" / "library.sqlite"
    assert Path(platformdirs.user_data_dir("rectcli", appauthor=False)) / "library.sqlite" == expected
    environ = {"RECTCLI_LIBRARY": None}
    r = run("notices", env=environ)  # reading creates nothing
    assert r.exit_code == 0 and not home.exists()
    r = run("add", SHIMEN, env=environ)
    assert r.exit_code == 0, r.output
    assert expected.is_file()
    r = run("notices", "--json", env=environ)
    assert data(r)["library"] == str(expected)
    assert len(data(r)["notices"]) == 2


def test_remove_without_a_library_creates_none(library: Path) -> None:
    r = lib_run(library, "remove", "4453")
    assert r.exit_code == 2 and r.stderr.startswith("rectcli: error: nothing to remove")
    assert not library.exists()


# ------------------------------------------------------------------ search


def test_search_finds_the_one_notice_with_the_word(genre: Path) -> None:
    # 茶产业 is written only in 01, in （二）推进乡村振兴落地见效 (a grep of every fixture and the
    # bundled notice's source, decoded from GBK and Big5 where needed, finds it there alone)
    r = lib_run(genre, "search", "茶产业")
    assert r.exit_code == 0, r.output
    rows = records(r.stdout)
    assert rows[0] == ["通报", "单位", "日期", "编号", "序号", "所在部分", "文本"]
    assert len(rows) == 2
    hit = rows[1]
    assert hit[0] == ids_by_issuer(genre)[SHIMEN_ISSUER]
    assert hit[1:6] == [SHIMEN_ISSUER, "2022-12-20", "1.2", "一(二)",
                        "一、关于贯彻落实党的路线方针政策和上级决策部署不到位问题的整改情况"]
    assert "茶产业" in hit[6]
    # --full: the passage's whole text, as --json gives it (the plain row is written from the hit)
    whole = data(lib_run(genre, "search", "茶产业", "--json"))["hits"][0]
    full = records(lib_run(genre, "search", "茶产业", "--full").stdout)[1]
    assert full[:6] == hit[:6] and full[6] == whole["text"] and len(full[6]) > len(hit[6])
    assert hit[6] == whole["snippet"]["text"]
    r = lib_run(genre, "search", "茶产业", "--count")
    assert (r.exit_code, r.stdout) == (0, "1\n")


def test_search_names_each_notice_and_filters(genre: Path) -> None:
    # 公车 in the bundled notice (六(四) 加强公车管理) and in 01 (（二）… 公车使用)
    r = lib_run(genre, "search", "公车", "--json")
    assert r.exit_code == 0, r.output
    hits = data(r)["hits"]
    found = {(h["notice"]["issuer"], h["id"]) for h in hits}
    assert {(BUNDLED_ISSUER, "6.4"), (SHIMEN_ISSUER, "2.2")} <= found
    assert all("公车" in h["text"] for h in hits)
    r = lib_run(genre, "search", "公车", "--kind", "巡察", "--year", "2022", "--json")
    assert {(h["notice"]["issuer"], h["id"]) for h in data(r)["hits"]} == {(SHIMEN_ISSUER, "2.2")}
    bundled = ids_by_issuer(genre)[BUNDLED_ISSUER]
    r = lib_run(genre, "search", "公车", "--notice", bundled)
    assert [row[3] for row in records(r.stdout)[1:]] == ["6.4"]
    r = lib_run(genre, "search", "公车", "--notice", bundled, "--section", "6", "--count")
    assert r.stdout == "1\n"


def test_search_count_counts_passages_per_notice_without_hits(genre: Path) -> None:
    full = data(lib_run(genre, "search", "公车", "--json"))
    r = lib_run(genre, "search", "公车", "--count", "--json")
    counted = data(r)
    assert r.exit_code == 0 and "hits" not in counted
    per_notice = {n["notice"]["issuer"]: n["passages"] for n in counted["notices"]}
    # the bundled notice says 公车 in 六(四) alone (notice-source.txt line 63); 01 in 二(二) alone
    assert per_notice[BUNDLED_ISSUER] == 1 and per_notice[SHIMEN_ISSUER] == 1
    assert counted["count"] == sum(per_notice.values()) == len(full["hits"])
    assert lib_run(genre, "search", "公车", "--count").stdout == f"{counted['count']}\n"
    r = lib_run(genre, "search", "公车管里", "--count")  # nothing: 0, exit 1, the suggestion on stderr
    assert (r.exit_code, r.stdout) == (1, "0\n") and "公车管理" in r.stderr


def test_search_traditional_and_pinyin_across_the_library(genre: Path) -> None:
    r = lib_run(genre, "search", "茶產業", "--json")  # traditional: read as 茶产业
    assert [(h["notice"]["issuer"], h["id"]) for h in data(r)["hits"]] == [(SHIMEN_ISSUER, "1.2")]
    r = lib_run(genre, "search", "--pinyin", "chachanye", "--json")
    assert [(h["notice"]["issuer"], h["id"]) for h in data(r)["hits"]] == [(SHIMEN_ISSUER, "1.2")]


def test_search_nothing_found_suggests_from_the_library(genre: Path) -> None:
    r = lib_run(genre, "search", "茶产叶")  # a typo of 茶产业 (01)
    assert r.exit_code == 1 and r.stdout == ""
    assert "closest phrases in the library: 茶产业" in r.stderr


def test_search_nothing_found_with_a_filter_suggests_from_the_selected_notices(genre: Path) -> None:
    r = lib_run(genre, "search", "茶产叶", "--issuer", "石门")  # 茶产业 stands in 01 (石门镇)
    assert r.exit_code == 1
    assert "closest phrases in the selected notices: 茶产业" in r.stderr
    r = lib_run(genre, "search", "茶产叶", "--issuer", "宁波")  # not in the bundled notice
    assert r.exit_code == 1
    assert "茶产业" not in r.stderr and "rectcli: no passage matches '茶产叶'" in r.stderr


def test_single_notice_mode_when_no_library_exists(tmp_path: Path) -> None:
    """A fresh install: the library file does not exist, and `search 公车` answers from the
    bundled notice exactly as before (六(四) of notice-source.txt, snippet of its first 72
    characters), in a real process; reading creates no library."""
    missing = tmp_path / "none" / "library.sqlite"
    expected = (
        "编号\t序号\t所在部分\t文本\n"
        "6.4\t六(四)\t六、关于履行全面从严治党主体责任不到位问题的整改情况\t"
        "(四)加强公车管理。严格执行有关规定要求,第一时间停止发放异地任职委领导定额交通补贴。"
        "坚持立行立改,依规对198辆车辆进行分类处置。建立监管平台…\n"
    )
    environ = {k: v for k, v in os.environ.items() if k != "RECTCLI_DATA"}
    environ["RECTCLI_LIBRARY"] = str(missing)
    p = subprocess.run([sys.executable, "-m", "rectcli", "search", "公车"], capture_output=True, text=True,
                       env=environ, cwd=str(tmp_path), timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout == expected
    assert p.stderr == ""
    assert not missing.parent.exists()
    # and with --data the library is not read even when it exists
    r = lib_run(tmp_path / "lib.sqlite", "add", SHIMEN)
    assert r.exit_code == 0, r.output
    r = run("--data", str(ROOT / "data" / "notice.yaml"), "search", "公车", env=env(tmp_path / "lib.sqlite"))
    assert r.stdout == expected


def test_filters_without_a_library_select_among_the_one_notice(library: Path) -> None:
    """No library: the bundled notice is a library of one (巡视, published 2022-04-08, issued by
    中共宁波前湾新区工作委员会, by notice-source.txt); filters keep it or leave it out."""
    r = lib_run(library, "search", "公车", "--issuer", "宁波", "--kind", "巡视", "--year", "2022")
    assert r.exit_code == 0, r.output
    assert [row[0] for row in records(r.stdout)[1:]] == ["6.4"]
    r = lib_run(library, "search", "公车", "--kind", "巡察")
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr.startswith("rectcli: the one notice read (") and "--kind" in r.stderr
    r = lib_run(library, "search", "公车", "--year", "2023-", "--count")
    assert (r.exit_code, r.stdout) == (1, "0\n")
    r = lib_run(library, "notices", "--year", "2021")
    assert r.exit_code == 1 and r.stdout == ""
    r = lib_run(library, "sections", "--notice", "ffff")  # another notice: as in a library, an error
    assert r.exit_code == 2 and r.stderr.startswith("rectcli: error: no notice 'ffff'")
    bundled = data(lib_run(library, "notices", "--json"))["notices"][0]["id"]
    r = lib_run(library, "show", f"{bundled}:6.4")
    assert r.exit_code == 0 and r.stdout.startswith("6.4\t六(四) 加强公车管理\t")
    r = lib_run(library, "stats", "--compare", "--json")  # compared as a library of one notice
    assert r.exit_code == 0, r.output
    assert data(r)["totals"]["cases_filed"] == "32"
    assert not library.exists()


def test_notices_without_a_library_lists_the_bundled_notice(library: Path) -> None:
    r = lib_run(library, "notices")
    assert r.exit_code == 0, r.output
    rows = records(r.stdout)
    assert len(rows) == 2 and rows[1][1:] == [BUNDLED_ISSUER, "巡视", "省", "十四届省委第十二轮巡视",
                                              "2022-04-08", "14", "32", "31", "7393092"]
    assert not library.exists()


# ------------------------------------------------------------------ one notice of the library


def test_show_sections_stats_of_one_notice(genre: Path) -> None:
    shimen = ids_by_issuer(genre)[SHIMEN_ISSUER]
    r = lib_run(genre, "show", f"{shimen}:2.2", "--json")
    assert r.exit_code == 0, r.output
    d = data(r)
    assert d["notice"]["issuer"] == SHIMEN_ISSUER
    assert (d["id"], d["heading"]) == ("2.2", "严格执行中央八项规定精神")
    r = lib_run(genre, "show", "2.2", "--notice", shimen)
    assert r.exit_code == 0 and r.stdout.startswith("2.2\t二(二) 严格执行中央八项规定精神\t")
    r = lib_run(genre, "show", "2.2")  # which notice? one line naming the fix, with a real example
    first = records(lib_run(genre, "notices").stdout)[1][0]
    assert r.exit_code == 2 and f"NOTICE:2.2` (e.g. {first}:2.2)" in r.stderr and r.stderr.count("\n") == 1
    r = lib_run(genre, "stats", "--notice", shimen, "--kind", "巡视")  # 01 is a 巡察 notice
    assert r.exit_code == 2 and "is not among the notices" in r.stderr and r.stderr.count("\n") == 1
    r = lib_run(genre, "sections", "--notice", shimen, "--depth", "1")
    assert r.exit_code == 0, r.output
    rows = by_first(r.stdout)
    assert rows["3"][:3] == ["3", "三", "关于基层党组织建设薄弱问题的整改情况"]
    assert set(rows) == {"编号", "1", "2", "3"}
    r = lib_run(genre, "stats", "--notice", shimen)
    assert r.exit_code == 0, r.output
    outcome = {row[1]: row for row in records(r.stdout) if row[0] == "整改成效"}
    assert outcome["立案"][2:4] == ["7", "件"] and outcome["党纪处分"][2:4] == ["6", "人"]


def test_docs_across_the_library_names_the_notices(genre: Path) -> None:
    shimen = ids_by_issuer(genre)[SHIMEN_ISSUER]
    # 《石门镇村级财务管理办法》 is cited in 01's （三）规范村级财务管理 only
    r = lib_run(genre, "docs", "村级财务管理办法")
    assert r.exit_code == 0, r.output
    rows = by_first(r.stdout)
    assert rows["文件"] == ["文件", "类别", "标注", "通报数", "通报", "出处"]
    row = rows["《石门镇村级财务管理办法》"]
    assert row[3:] == ["1", shimen, f"{shimen}:2.3"]
    r = lib_run(genre, "docs", "--notice", shimen, "--json")
    titles = [d["title"] for d in data(r)["documents"]]
    assert titles == ["石门镇落实县委第二巡察组反馈意见整改方案", "石门镇党委理论学习中心组学习制度",
                      "石门镇茶产业发展三年行动计划（2023—2025年）", "石门镇防汛防台应急预案",
                      "石门镇村级财务管理办法"]


def test_figures_across_and_of_one_notice(genre: Path) -> None:
    shimen = ids_by_issuer(genre)[SHIMEN_ISSUER]
    r = lib_run(genre, "figures", "--notice", shimen, "--unit", "万元")
    assert r.exit_code == 0, r.output
    assert [row[1] for row in records(r.stdout)[1:]] == ["3.26万元"]  # 收回清退违规资金3.26万元
    r = lib_run(genre, "figures", "--unit", "万元", "--issuer", "石门镇")
    rows = records(r.stdout)
    assert rows[0][:3] == ["通报", "出处", "原文"]
    assert [(row[0], row[2], row[5]) for row in rows[1:]] == [(shimen, "3.26万元", "32600")]


# ------------------------------------------------------------------ stats --compare


def compare_rows(stdout: str) -> tuple[list[str], dict[str, dict[str, str]]]:
    rows = records(stdout)
    header = rows[0]
    return header, {row[1] or row[0]: dict(zip(header, row)) for row in rows[1:]}


def test_compare_row_per_notice_with_vocabulary_columns(genre: Path) -> None:
    r = lib_run(genre, "stats", "--compare")
    assert r.exit_code == 0, r.output
    header, rows = compare_rows(r.stdout)
    assert header[:3] == ["通报", "单位", "日期"]
    shimen = rows[SHIMEN_ISSUER]

    def cell(row: dict[str, str], name: str) -> str:
        """The value under the column named ``name`` (the header adds the unit: 立案(件))."""
        (column,) = [c for c in header if c.split("(")[0] == name]
        return row[column]

    # 01: 立案7件, 党纪处分6人, 诫勉0人, 教育提醒9人, 收回清退违规资金3.26万元 (= 32600 元)
    assert header.count("立案(件)") == 1 and header.count("党纪处分(人)") == 1
    assert shimen["立案(件)"] == "7" and shimen["党纪处分(人)"] == "6"
    assert cell(shimen, "诫勉") == "0" and cell(shimen, "教育提醒") == "9"
    assert "32600" in shimen.values()
    assert rows[BUNDLED_ISSUER]["立案(件)"] == "32" and rows[BUNDLED_ISSUER]["党纪处分(人)"] == "31"
    assert "合计" in rows
    assert len(rows) == 14


def test_compare_totals_sort_csv_json(library: Path) -> None:
    assert lib_run(library, "add", SHIMEN, AGRI).exit_code == 0
    # bundled 立案32 党纪处分31; 01 立案7 党纪处分6; 07 立案9件 给予党纪处分5人 (its opening)
    r = lib_run(library, "stats", "--compare", "--sort", "党纪处分", "--json")
    assert r.exit_code == 0, r.output
    d = data(r)
    assert [row["notice"]["issuer"] for row in d["rows"]] == [BUNDLED_ISSUER, SHIMEN_ISSUER, AGRI_ISSUER]
    assert [row["values"]["party_discipline"] for row in d["rows"]] == ["31", "6", "5"]
    assert d["totals"]["cases_filed"] == "48" and d["totals"]["party_discipline"] == "42"
    names = {c["key"]: c["name"] for c in d["columns"]}
    assert names["cases_filed"] == "立案" and names["party_discipline"] == "党纪处分"
    r = lib_run(library, "stats", "--compare", "--csv", "--sort", "cases_filed")
    assert r.exit_code == 0, r.output
    text = r.stdout_bytes.decode("utf-8")
    assert text.count("\r\n") == text.count("\n") == 5  # RFC 4180: CRLF after each of the 5 records
    table = list(csv.reader(io.StringIO(text, newline="")))
    head = table[0]
    col = head.index("立案(件)")
    assert [(row[1], row[col]) for row in table[1:]] == [
        (BUNDLED_ISSUER, "32"), (AGRI_ISSUER, "9"), (SHIMEN_ISSUER, "7"), ("", "48")]
    assert table[-1][0] == "合计"
    r = lib_run(library, "stats", "--compare", "--sort", "no_such_key")
    assert r.exit_code == 2 and r.stderr.count("\n") == 1 and "cases_filed (立案)" in r.stderr


def test_compare_chart_on_a_terminal(library: Path) -> None:
    assert lib_run(library, "add", SHIMEN).exit_code == 0
    r = run("--color", "always", "stats", "--compare", "--chart", "立案",
            env={**env(library), "COLUMNS": "100"})
    assert r.exit_code == 0, r.output
    lines = [line for line in r.stdout.splitlines() if "█" in line]
    bars = {next(n for n in (BUNDLED_ISSUER, SHIMEN_ISSUER) if n in line): line.count("█") for line in lines}
    assert bars[BUNDLED_ISSUER] > bars[SHIMEN_ISSUER] > 0  # 32 against 7
    r = lib_run(library, "stats", "--chart", "立案")
    assert r.exit_code == 2 and "--chart goes with --compare" in r.stderr


# ------------------------------------------------------------------ export --format sqlite


def test_export_sqlite_opens_in_sqlite3_sqlite_utils_and_datasette(genre: Path, tmp_path: Path) -> None:
    target = tmp_path / "xuncha.sqlite"
    r = lib_run(genre, "export", "--format", "sqlite", "--kind", "巡察", "-o", str(target))
    assert r.exit_code == 0, r.output
    # 巡察 (the .expect.yaml files): 01 02 04 06 08 09 10 12
    expected = 8
    assert sorted(p.name for p in tmp_path.iterdir()) == ["xuncha.sqlite"]  # one self-contained file
    con = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    try:
        assert con.execute("SELECT count(*) FROM notices").fetchone() == (expected,)
        assert con.execute("SELECT count(*) FROM notices WHERE kind != '巡察'").fetchone() == (0,)
        assert con.execute("SELECT value FROM outcomes o JOIN notices n USING (notice_id) "
                           "WHERE n.issuer = ? AND o.key = 'cases_filed'", (SHIMEN_ISSUER,)).fetchone() == ("7",)
    finally:
        con.close()
    if shutil.which("sqlite3"):
        p = subprocess.run(["sqlite3", str(target), "SELECT count(*) FROM notices WHERE issuer LIKE '%石门镇%';"],
                           capture_output=True, text=True, timeout=60)
        assert p.returncode == 0 and p.stdout.strip() == "1", p.stderr
    import sqlite_utils

    db = sqlite_utils.Database(str(target))
    assert db["notices"].count == expected
    assert [row["issuer"] for row in db["notices"].rows_where("issuer LIKE ?", ["%石门镇%"])] == [SHIMEN_ISSUER]
    from datasette.app import Datasette

    async def ask() -> tuple[int, list[str]]:
        ds = Datasette([str(target)])
        count = (await ds.execute("xuncha", "select count(*) from notices")).rows[0][0]
        rows = await ds.execute("xuncha", "select n.issuer from figures f join notices n using (notice_id) "
                                          "where f.written = :w", {"w": "3.26万元"})
        return count, [row[0] for row in rows.rows]

    assert asyncio.run(ask()) == (expected, [SHIMEN_ISSUER])
    # and rectcli reads it as a library
    r = run("--library", str(target), "notices", "--json")
    assert r.exit_code == 0 and len(data(r)["notices"]) == expected


def test_export_sqlite_without_a_library_holds_the_notice_read(library: Path, tmp_path: Path) -> None:
    target = tmp_path / "one.sqlite"
    r = lib_run(library, "export", "--format", "sqlite", "-o", str(target))
    assert r.exit_code == 0, r.output
    assert not library.exists()
    con = sqlite3.connect(str(target))
    assert con.execute("SELECT issuer FROM notices").fetchall() == [(BUNDLED_ISSUER,)]
    con.close()


def test_export_sqlite_refusals(genre: Path, tmp_path: Path) -> None:
    r = lib_run(genre, "export", "--format", "sqlite")
    assert r.exit_code == 2 and "-o FILE" in r.stderr
    before = genre.read_bytes()
    r = lib_run(genre, "export", "--format", "sqlite", "-o", str(genre))
    assert r.exit_code == 2 and "library being read" in r.stderr
    assert genre.read_bytes() == before
    r = lib_run(genre, "export", "--format", "sqlite", "--issuer", "不存在", "-o", str(tmp_path / "x.sqlite"))
    assert r.exit_code == 2 and not (tmp_path / "x.sqlite").exists()
    r = lib_run(genre, "export", "--format", "text")  # several notices: which one?
    assert r.exit_code == 2 and "--notice" in r.stderr


# ------------------------------------------------------------------ found in review


def test_notices_money_counts_a_restated_amount_once_and_traditional_units(tmp_path):
    """notices' 款项(元) follows the rule of stats: the bundled notice's 三(三) restates
    618.5622万元 (counted once: 1207470 + 6185622 = 7393092); fixture 06 writes 萬元."""
    lib = tmp_path / "l.sqlite"
    r = run("--library", str(lib), "add", str(GENRE / "06-yunxi-water-bureau-traditional.big5.txt"))
    assert r.exit_code == 0, r.output
    rows = {row["issuer"]: row for row in json.loads(run("--library", str(lib), "notices", "--json").stdout)["data"]["notices"]}
    assert rows["中共宁波前湾新区工作委员会"]["money_yuan"] == "7393092"
    six = yaml.safe_load((GENRE / "06-yunxi-water-bureau-traditional.expect.yaml").read_text(encoding="utf-8"))
    from decimal import Decimal

    want = sum(Decimal(o["yuan"]) for o in six["outcomes"] if o.get("yuan"))
    (got,) = [row["money_yuan"] for name, row in rows.items() if name != "中共宁波前湾新区工作委员会"]
    assert Decimal(got) == want and want > 0


def test_a_unit_that_looks_like_rich_markup_is_text(tmp_path):
    data = (ROOT / "data" / "notice.yaml").read_text(encoding="utf-8")
    assert data.count("unit: 件\n") >= 1
    bad = tmp_path / "n.yaml"
    bad.write_text(data.replace("unit: 件\n", "unit: '[/]'\n", 1), encoding="utf-8")
    r = run("--data", str(bad), "--color", "always", "stats", "--compare", env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "[/]" in ANSI.sub("", r.stdout)


def test_export_sqlite_to_an_unwritable_place_is_one_line(tmp_path):
    r = run("export", "--format", "sqlite", "-o", "/proc/rectcli-test.sqlite")
    assert r.exit_code == 2
    assert r.stderr.startswith("rectcli: error: cannot write /proc/rectcli-test.sqlite") and "internal" not in r.stderr


@pytest.mark.parametrize("typed", ["茶产叶", "茶产曳"])
def test_suggestions_across_the_library_parse_no_pinyin_dictionary(genre: Path, typed: str) -> None:
    # homophones weigh in the ranking (茶产叶 → 茶产业); the readings come from the library itself,
    # and those of a character in no notice (曳) from one look into pypinyin's file, not a parse
    probe = ("import sys\nfrom rectcli.cli import app\nsys.argv = ['rectcli', 'search', sys.argv[1]]\n"
             "try:\n    app()\nexcept SystemExit:\n    pass\n"
             "p = sys.modules.get('rectcli.pinyin')\n"
             "sys.stderr.write(('pinyin dictionary' if p and p._dictionary.cache_info().currsize else 'none') + '\\n')\n")
    r = subprocess.run([sys.executable, "-c", probe, typed], capture_output=True, text=True, timeout=60,
                       env={**os.environ, "RECTCLI_LIBRARY": str(genre)})
    lines = r.stderr.splitlines()
    assert "closest phrases in the library: 茶产业" in lines[-2]
    assert lines[-1] == "none"


def test_stats_compare_reads_its_column_names_without_a_yaml_parser(genre: Path) -> None:
    # nor decimal arithmetic: the whole library's totals are the ones it keeps
    probe = ("import sys\nfrom rectcli.cli import app\nsys.argv = ['rectcli', 'stats', '--compare']\n"
             "try:\n    app()\nexcept SystemExit:\n    pass\n"
             "sys.stderr.write(' '.join(m for m in ('yaml', 'decimal') if m in sys.modules) or 'none')\n")
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                       env={**os.environ, "RECTCLI_LIBRARY": str(genre)})
    header = r.stdout.splitlines()[0].split("\t")
    assert header[:5] == ["通报", "单位", "日期", "立案(件)", "了结(件)"], header
    assert r.stderr.splitlines()[-1] == "none"
