"""The library store (rectcli.library): round trip, identity, replace, remove, filters, compare,
and the file itself readable with sqlite3 by its documented table names."""

from __future__ import annotations

import json
import shutil
import os
import sqlite3
import subprocess
import uuid
from decimal import Decimal, localcontext
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rectcli.errors import DataError, NotFoundError
from rectcli.library import Library, LibraryError
from rectcli.notice.build import build

BUNDLED = Path(__file__).resolve().parents[1] / "data" / "notice.yaml"  # format 2


def bundled() -> dict:
    return yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))


def small(issuer: str, text: str, outcomes: list[dict], *, published: str | None, kind: str = "巡察",
          round_: str | None = None, signature: str | None = None) -> dict:
    """A minimal format-2 notice with one opening paragraph and one section."""
    meta: dict = {"issuer": issuer, "kind": kind, "inspection": {"round": round_, "level": "县"}}
    if published:
        meta["published"] = published
        meta["published_text"] = published
    if signature:
        meta["signature"] = {"signer": issuer, "date": signature, "date_text": signature}
    return {
        "schema_version": 2,
        "metadata": meta,
        "title": [f"{issuer}关于巡察整改进展情况的通报"],
        "opening": [{"id": "opening.1", "text": text}],
        "sections": [{"id": "1", "marker": "一、", "heading": "关于整改的情况", "runin": False,
                      "paragraphs": ["坚持立行立改。"]}],
        "closing": [],
        "outcomes": outcomes,
    }


def outcome(label: str, key: str, value: str, unit: str) -> dict:
    return {"label": label, "key": key, "value": value, "unit": unit}


# Three small notices whose outcomes are written out by hand (the sums below are done by hand).
A = small("中共甲县委", "立案12件,给予党纪处分7人,清退款项1.5万元。", [
    outcome("立案", "cases_filed", "12", "件"), outcome("党纪处分", "party_discipline", "7", "人"),
    outcome("清退款项", "funds_refunded", "1.5", "万元")], published="2021-05-06", round_="十届县委第三轮巡察")
B = small("中共乙县委", "立案3件,清退款项2000元。", [
    outcome("立案", "cases_filed", "3", "件"), outcome("清退款项", "funds_refunded", "2000", "元")],
    published=None, signature="2022-11-30", round_="十届县委第五轮巡察")
C = small("中共丙市委", "给予党纪处分20人,清退款项0.25亿元。", [
    outcome("党纪处分", "party_discipline", "20", "人"), outcome("清退款项", "funds_refunded", "0.25", "亿元")],
    published="2023-01-09", kind="巡视", round_="十二届市委第一轮巡视")


def snapshot(path: Path) -> list:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [con.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
                for t in ("notices", "passages", "outcomes", "phrases")]
    finally:
        con.close()


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    return Library(tmp_path / "lib.db")


def test_round_trip_gives_back_the_same_notice(lib: Library) -> None:
    data = bundled()
    added = lib.add(data, origin="notice.yaml")
    assert added.status == "added"
    # the short id: 8 hex digits
    assert len(added.id) == 8 and all(c in "0123456789abcdef" for c in added.id)
    assert lib.get(added.id) == build(data)
    assert lib.data(added.id) == data


def test_adding_the_same_notice_again_changes_nothing(lib: Library, tmp_path: Path) -> None:
    data = bundled()
    first = lib.add(data)
    before = snapshot(lib.path)
    again = lib.add(json.loads(json.dumps(data)))  # the same notice, as if from another file
    assert again.status == "unchanged" and again.id == first.id
    assert snapshot(lib.path) == before
    # metadata changed but the same text: still the same notice; unchanged without replace
    edited = json.loads(json.dumps(data))
    edited["metadata"]["issuer"] = "中共宁波前湾新区党工委"
    same = lib.add(edited)
    assert same.status == "unchanged" and same.differs
    assert lib.notices()[0].issuer == "中共宁波前湾新区工作委员会"
    assert snapshot(lib.path) == before


def test_replace_updates_the_stored_notice(lib: Library) -> None:
    data = bundled()
    lib.add(data)
    edited = json.loads(json.dumps(data))
    edited["metadata"]["issuer"] = "中共宁波前湾新区党工委"
    result = lib.add(edited, replace=True)
    assert result.status == "replaced"
    rows = lib.notices()
    assert [r.issuer for r in rows] == ["中共宁波前湾新区党工委"]
    # the text is the same notice: the search index still finds 公车 exactly once (六(四))
    hits = lib.search(["公车"]).hits
    assert [(h.passage.id, h.spans) for h in hits] == [("6.4", ((5, 7), (92, 94)))]


def test_a_different_text_is_a_different_notice(lib: Library) -> None:
    data = bundled()
    lib.add(data)
    other = json.loads(json.dumps(data))
    other["closing"][0]["text"] += "另加一句。"
    assert lib.add(other).status == "added"
    assert len(lib.notices()) == 2


def test_remove(lib: Library) -> None:
    a = lib.add(A)
    b = lib.add(B)
    removed = lib.remove(a.id)
    assert removed.issuer == "中共甲县委"
    assert [r.issuer for r in lib.notices()] == ["中共乙县委"]
    assert lib.search(["立案"]).hits[0].notice.id == b.id
    assert lib.search(["党纪处分"]).hits == ()
    with pytest.raises(NotFoundError):
        lib.remove(a.id)
    with pytest.raises(NotFoundError):
        lib.get(a.id)


def test_listing_and_filters(lib: Library) -> None:
    for d in (C, A, B):
        lib.add(d)
    rows = lib.notices()
    # oldest first; B has no published date: its signature date stands in
    assert [(r.issuer, r.date) for r in rows] == [
        ("中共甲县委", "2021-05-06"), ("中共乙县委", "2022-11-30"), ("中共丙市委", "2023-01-09")]
    assert [r.sections for r in rows] == [1, 1, 1]
    assert [(h.key, h.value, h.unit) for h in rows[0].headline] == [
        ("cases_filed", "12", "件"), ("party_discipline", "7", "人"), ("funds_refunded", "1.5", "万元")]
    assert [r.issuer for r in lib.notices(issuer="县委")] == ["中共甲县委", "中共乙县委"]
    assert [r.issuer for r in lib.notices(kind="巡视")] == ["中共丙市委"]
    assert [r.issuer for r in lib.notices(year=2022)] == ["中共乙县委"]
    assert [r.issuer for r in lib.notices(year="2022-2023")] == ["中共乙县委", "中共丙市委"]
    assert [r.issuer for r in lib.notices(year=(None, 2021))] == ["中共甲县委"]
    assert [r.issuer for r in lib.notices(round="第五轮")] == ["中共乙县委"]
    assert lib.notices(issuer="不存在") == []


def test_compare_totals_by_hand(lib: Library) -> None:
    for d in (A, B, C):
        lib.add(d)
    table = lib.compare()
    assert [c.key for c in table.columns] == ["cases_filed", "party_discipline", "funds_refunded"]
    assert [c.unit for c in table.columns] == ["件", "人", "元"]
    assert [(r.notice.issuer, r.values) for r in table.rows] == [
        ("中共甲县委", ("12", "7", "15000")),
        ("中共乙县委", ("3", None, "2000")),
        ("中共丙市委", (None, "20", "25000000")),
    ]
    # 12+3 = 15; 7+20 = 27; 15000+2000+25000000 = 25017000
    assert table.totals == ("15", "27", "25017000")
    by_money = lib.compare(sort_by="funds_refunded")
    assert [r.notice.issuer for r in by_money.rows] == ["中共丙市委", "中共甲县委", "中共乙县委"]
    assert lib.compare(kind="巡察").totals == ("15", "7", "17000")


def test_compare_the_bundled_notice_in_yuan(lib: Library) -> None:
    lib.add(bundled())
    table = lib.compare()
    values = dict(zip((c.key for c in table.columns), table.rows[0].values))
    # from the source: 清退款项120.747万元, 直接挽回经济损失618.5622万元, 给予党纪处分31人
    assert values["funds_refunded"] == "1207470"
    assert values["losses_recovered"] == "6185622"
    assert values["party_discipline"] == "31"


def test_tables_readable_by_python_sqlite3_with_documented_names(lib: Library) -> None:
    lib.add(bundled())
    con = sqlite3.connect(f"file:{lib.path}?mode=ro", uri=True)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("5",)
    assert con.execute("SELECT issuer, date, kind FROM notices").fetchall() == [
        ("中共宁波前湾新区工作委员会", "2022-04-08", "巡视")]
    assert con.execute("SELECT label, heading FROM passages WHERE passage = '6.4'").fetchone() == ("六(四)", "加强公车管理")
    # the head of 6.4's section as the source writes it (line 55), and 6.4's text is plain (NFC,
    # nothing that folds into a Han character)
    assert con.execute("SELECT s.head, p.plain FROM passages p JOIN passages s ON s.notice_id = p.notice_id"
                       " AND s.passage = p.section_id WHERE p.passage = '6.4'").fetchone() == (
        "六、关于履行全面从严治党主体责任不到位问题的整改情况", 1)
    assert con.execute("SELECT passage, kind, parent, depth, marker FROM passages WHERE passage IN ('6', '6.4')"
                       " ORDER BY seq").fetchall() == [("6", "heading", None, 1, "六、"), ("6.4", "node", "6", 2, "(四)")]
    assert con.execute("SELECT value, unit, yuan FROM outcomes WHERE key = 'funds_refunded'").fetchone() == (
        "120.747", "万元", "1207470")
    # 党纪处分31人 has four parts: 党内警告12, 党内严重警告9, 撤销党内职务1, 开除党籍9
    assert con.execute("SELECT count(*) FROM outcomes o JOIN outcomes p ON o.parent_id = p.outcome_id"
                       " WHERE p.key = 'party_discipline'").fetchone() == (4,)
    assert con.execute("SELECT d.title FROM documents d JOIN citations c USING (document_id)"
                       " JOIN passages p USING (passage_id) WHERE p.passage = '6.4'").fetchall() == [("新区公务用车管理规范",)]
    assert con.execute("SELECT count(*) FROM figures WHERE written = '198辆'").fetchone() == (1,)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="the sqlite3 command is not installed")
def test_the_sqlite3_command_reads_it(lib: Library) -> None:
    lib.add(bundled())
    out = subprocess.run(["sqlite3", "-readonly", str(lib.path),
                          "SELECT issuer FROM notices; SELECT count(*) FROM passages WHERE text LIKE '%公车%';"],
                         capture_output=True, text=True, check=True).stdout
    assert out.split() == ["中共宁波前湾新区工作委员会", "1"]


def test_add_many_adds_each_and_reports_each(lib: Library) -> None:
    results = list(lib.add_many([(A, "a.txt"), (B, "b.txt"), (A, "a-again.txt")]))
    assert [r.status for r in results] == ["added", "added", "unchanged"]
    assert [(r.issuer, r.origin) for r in lib.notices()] == [("中共甲县委", "a.txt"), ("中共乙县委", "b.txt")]


# what schema version 5 added taken away again: the compare columns, each notice's money (and
# compare_rows as key, value, key, value …, as versions 3 and 4 wrote them)
WITHOUT_V5 = ("DROP TABLE compare_keys; DROP INDEX notices_order; ALTER TABLE notices DROP COLUMN money;"
              " CREATE INDEX notices_order ON notices (date IS NULL, date, id, hash, issuer, title);"
              " UPDATE compare_rows SET cells = (SELECT group_concat(key || char(31) || value, char(31))"
              " FROM (SELECT key, value FROM headlines h WHERE h.notice_id = compare_rows.notice_id ORDER BY seq));")
# what schema version 4 added taken away again (and a heading's passage as versions 1-3 wrote it:
# without its marker and depth)
WITHOUT_V4 = WITHOUT_V5 + ("DROP INDEX outcomes_headline; DROP TABLE phrases_pending;"
              " ALTER TABLE passages DROP COLUMN head; ALTER TABLE passages DROP COLUMN plain;"
              " UPDATE passages SET depth = 0, marker = NULL, parent = NULL WHERE kind = 'heading';")


def test_a_version_1_library_is_upgraded_by_the_next_add(lib: Library) -> None:
    # a library as the first version of the store wrote it: no text_chars, chars or headlines
    lib.add(A)
    lib.add(C)
    con = sqlite3.connect(str(lib.path))
    con.executescript(WITHOUT_V4 + "DROP TABLE compare_rows; DROP INDEX notices_order;"
                      " DROP TABLE chars; DROP TABLE headlines; ALTER TABLE notices DROP COLUMN text_chars;"
                      " UPDATE meta SET value = '1' WHERE key = 'schema_version';"
                      " DELETE FROM meta WHERE key = 'phrases_indexed';")
    con.close()
    lib.add(B)
    con = sqlite3.connect(f"file:{lib.path}?mode=ro", uri=True)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("5",)
    # A's two passages: 立案12件,给予党纪处分7人,清退款项1.5万元。 (25 characters) and section 一 as
    # one node, 一、关于整改的情况 + line break + 坚持立行立改。 (9 + 1 + 7)
    assert con.execute("SELECT text_chars, passages FROM notices WHERE issuer = '中共甲县委'").fetchone() == (42, 2)
    con.close()
    table = lib.compare()
    by_issuer = {r.notice.issuer: r.values for r in table.rows}
    keys = [c.key for c in table.columns]
    assert by_issuer["中共甲县委"][keys.index("funds_refunded")] == "15000"
    assert by_issuer["中共丙市委"][keys.index("funds_refunded")] == "25000000"
    assert by_issuer["中共乙县委"][keys.index("funds_refunded")] == "2000"
    # pinyin needs the readings of the characters of the notices added before the upgrade
    assert {h.notice.issuer for h in lib.search(["dangji"], pinyin=True).hits} == {"中共甲县委", "中共丙市委"}
    assert "给予党纪处分20人" in lib.suggest(["给予党纪处分2人"])


# 立案4件,清退款项3万元,清退款项1万元,立案5件: each key stated twice; the second 清退款项 comes
# before the second 立案, so compare names funds_refunded first. The first statement is the cell.
D = small("中共丁县委", "立案4件,清退款项3万元,清退款项1万元,立案5件,处分2名。", [
    outcome("立案", "cases_filed", "4", "件"), outcome("清退款项", "funds_refunded", "3", "万元"),
    outcome("清退款项", "funds_refunded", "1", "万元"), outcome("立案", "cases_filed", "5", "件"),
    outcome("处分", "party_discipline", "2", "名")], published="2020-03-01")


def test_compare_names_restated_keys_and_mixed_units(lib: Library) -> None:
    for d in (A, D):
        lib.add(d)
    table = lib.compare()
    assert [(c.key, c.unit, c.notices) for c in table.columns] == [
        ("cases_filed", "件", 2), ("party_discipline", "人/名", 2), ("funds_refunded", "元", 2)]
    assert [(r.notice.issuer, r.values, r.repeated) for r in table.rows] == [
        ("中共丁县委", ("4", "2", "30000"), ("funds_refunded", "cases_filed")),
        ("中共甲县委", ("12", "7", "15000"), ()),
    ]
    # units in the order the notices were added (甲 first: 人/名); 4+12 = 16; 2名 and 7人 have
    # no total; 30000+15000 = 45000
    assert table.totals == ("16", None, "45000")
    assert [r.notice.issuer for r in lib.compare(sort_by="party_discipline").rows] == ["中共甲县委", "中共丁县委"]
    assert lib.compare(issuer="丁").totals == ("4", "2", "30000")


def _as_version_2(lib: Library) -> None:
    """Make the library what schema version 2 wrote: no compare_rows, no covering indexes."""
    con = sqlite3.connect(str(lib.path))
    con.executescript(WITHOUT_V4 + "DROP TABLE compare_rows; DROP INDEX notices_order; DROP INDEX headlines_units;"
                      " UPDATE meta SET value = '2' WHERE key = 'schema_version';")
    con.close()


def test_a_version_2_library_read_only_says_how_to_upgrade(lib: Library, monkeypatch) -> None:
    lib.add(A)
    _as_version_2(lib)
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, *a, **k: False if mode == os.W_OK else real(p, mode, *a, **k))
    with pytest.raises(LibraryError, match="schema version 2 and cannot be upgraded here"):
        lib.compare()


def test_a_version_2_library_is_upgraded_when_it_is_opened(lib: Library) -> None:
    lib.add(A)
    lib.add(D)
    _as_version_2(lib)
    table = lib.compare()  # reading upgrades it (one transaction): a library of an older rectcli still answers
    assert len(table.rows) == 2
    lib.add(B)
    table = lib.compare()
    assert [(r.notice.issuer, r.values, r.repeated) for r in table.rows] == [
        ("中共丁县委", ("4", "2", "30000"), ("funds_refunded", "cases_filed")),
        ("中共甲县委", ("12", "7", "15000"), ()),
        ("中共乙县委", ("3", None, "2000"), ()),
    ]
    assert table.totals == ("19", None, "47000")
    con = sqlite3.connect(f"file:{lib.path}?mode=ro", uri=True)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("5",)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()


def test_a_version_4_library_gets_compare_columns_when_it_is_opened(lib: Library) -> None:
    lib.add(A)
    lib.add(D)
    con = sqlite3.connect(str(lib.path))
    con.executescript(WITHOUT_V5 + "UPDATE meta SET value = '4' WHERE key = 'schema_version';")
    assert con.execute("SELECT cells FROM compare_rows c JOIN notices n USING (notice_id)"
                       " WHERE n.issuer = '中共丁县委'").fetchone() == (
        "cases_filed\x1f4\x1ffunds_refunded\x1f30000\x1fparty_discipline\x1f2",)
    con.close()
    table = lib.compare()
    assert [(r.notice.issuer, r.values, r.repeated) for r in table.rows] == [
        ("中共丁县委", ("4", "2", "30000"), ("funds_refunded", "cases_filed")),
        ("中共甲县委", ("12", "7", "15000"), ()),
    ]
    con = sqlite3.connect(f"file:{lib.path}?mode=ro", uri=True)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("5",)
    # the vocabulary's keys own the first columns, in its order (立案 first, 了结 second …)
    assert con.execute("SELECT slot, key FROM compare_keys ORDER BY slot LIMIT 2").fetchall() == [
        (0, "cases_filed"), (1, "cases_closed")]
    con.close()
    # each notice's summary: 丁 清退款项3万元 then 1万元 (another amount, not the same one told again)
    assert [(n.issuer, n.cases_filed, n.party_discipline, n.money_yuan) for n in lib.notices(headline=False)] == [
        ("中共丁县委", "4", "2", "40000"), ("中共甲县委", "12", "7", "15000")]


def test_a_version_3_library_gets_section_heads_when_it_is_opened(lib: Library) -> None:
    lib.add(bundled())
    con = sqlite3.connect(str(lib.path))
    # what schema version 3 wrote: no head or plain columns, a heading's passage without its
    # marker and depth
    con.executescript(WITHOUT_V4 + "UPDATE meta SET value = '3' WHERE key = 'schema_version';")
    con.close()
    hit = next(h for h in lib.search(["公车"]).hits if h.passage.id == "6.4")
    assert hit.where == "六、关于履行全面从严治党主体责任不到位问题的整改情况"
    con = sqlite3.connect(f"file:{lib.path}?mode=ro", uri=True)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("5",)
    assert con.execute("SELECT depth, marker, plain FROM passages WHERE passage = '6'").fetchone() == (1, "六、", 1)


def _item(name: str) -> tuple[dict, str]:
    """What a reader of sources gives add_many: (data, origin); "bad" is data that is no notice."""
    if name == "bad":
        return {"schema_version": 2, "metadata": "not a mapping"}, name
    if name == "unreadable":
        raise DataError("unreadable: no such source")
    return {"A": A, "B": B, "C": C}[name], name


@pytest.mark.parametrize("workers", [0, 1])
def test_add_many_reports_every_item_in_order_and_goes_on_after_a_failure(lib: Library, workers: int) -> None:
    results = list(lib.add_many(["A", "bad", "B", "unreadable", "C", "A"], read=_item, workers=workers))
    assert [r.status for r in results] == ["added", "failed", "added", "failed", "added", "unchanged"]
    assert results[1].error.startswith("the notice is not valid format-2 data")
    assert results[3].error == "unreadable: no such source"
    assert [r.issuer for r in results if r.status == "added"] == ["中共甲县委", "中共乙县委", "中共丙市委"]
    assert sorted(r.origin for r in lib.notices()) == ["A", "B", "C"]


def test_add_many_with_workers_reads_only_a_few_items_ahead(lib: Library) -> None:
    # 40 items, one worker: when the first result comes back, at most a handful have been read
    # from the iterator (a pool's imap would have taken all 40 at once)
    pulled = []

    def items():
        for i in range(40):
            pulled.append(i)
            yield "bad" if i % 2 else "A"

    results = lib.add_many(items(), read=_item, workers=1)
    first = next(results)
    assert first.status == "added" and len(pulled) <= 6
    rest = list(results)
    assert len(rest) == 39 and len(pulled) == 40
    assert [r.status for r in rest[:3]] == ["failed", "unchanged", "failed"]


def test_documents_and_figures_from_the_tables_are_what_each_notice_gives(lib: Library) -> None:
    from rectcli.notice.query import find_documents, find_figures

    corpus = [bundled(), A, B, C]
    for d in corpus:
        lib.add(d)
    notices = {n.metadata.issuer: n for n in map(build, corpus)}
    assert [ref.issuer for ref, _ in lib.documents()] == [r.issuer for r in lib.notices()]
    for ref, docs in lib.documents():
        assert docs == find_documents(notices[ref.issuer])
    for ref, docs in lib.documents(title="公务用车", kind="规范"):
        assert docs == find_documents(notices[ref.issuer], title="公务用车", kind="规范")
    for ref, quantities in lib.figures():
        assert quantities == find_figures(notices[ref.issuer])
    for ref, quantities in lib.figures(unit="万元", issuer="宁波"):
        assert quantities == find_figures(notices[ref.issuer], unit="万元")
    # by hand: the bundled notice cites 39 documents (issue #3), 《新区公务用车管理规范》 once, in
    # 六(四) (notice-source.txt line 63); its money in 万元 includes 120.747 and 618.5622
    (ref, docs), = [(r, d) for r, d in lib.documents() if r.issuer == "中共宁波前湾新区工作委员会"]
    assert len(docs) == 39
    assert [(d.title, [(c.passage_id, c.label) for c in d.citations]) for d in docs if "公务用车" in d.title] == [
        ("新区公务用车管理规范", [("6.4", "六(四)")])]
    (_, money), = lib.figures(unit="万元", issuer="宁波")
    assert {"120.747万元", "618.5622万元"} <= {q.written for q in money}


def _phrases(path: Path) -> list[tuple[str, int]]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return sorted(con.execute("SELECT phrase, seen FROM phrases").fetchall())
    finally:
        con.close()


def _pending(path: Path) -> int:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT count(*) FROM phrases_pending").fetchone()[0]
    finally:
        con.close()


def test_phrases_counted_in_batches_are_those_counted_one_by_one(tmp_path: Path, monkeypatch) -> None:
    from rectcli.library import store

    monkeypatch.setattr(store, "PHRASE_BATCH", 2)  # batches of two: counted mid-way and at the end
    one_by_one = Library(tmp_path / "one.db")
    for d in (A, B, C, D):
        one_by_one.add(d)
    one_by_one.remove(next(r.id for r in one_by_one.notices() if r.issuer == "中共乙县委"))
    batched = Library(tmp_path / "batched.db")
    results = list(batched.add_many([(A, None), (B, None), (C, None), (D, None), (A, "again")], replace=True))
    assert [r.status for r in results] == ["added", "added", "added", "added", "replaced"]
    batched.remove(next(r.id for r in batched.notices() if r.issuer == "中共乙县委"))
    assert _phrases(batched.path) == _phrases(one_by_one.path) != []
    assert _pending(batched.path) == 0


def test_phrases_of_an_add_many_killed_before_counting_them(tmp_path: Path) -> None:
    from rectcli.library import store

    reference = Library(tmp_path / "ref.db")
    for d in (A, B, C):
        reference.add(d)
    lib = Library(tmp_path / "lib.db")
    lib.add(A)
    # what an add_many killed before it counted leaves: B stored and pending, its runs not counted
    store._add_prepared(lib.path, store._Prepared(B, None), replace=False, timeout=5.0, batch=[])
    assert _pending(lib.path) == 1 and ("清退款项2000元", 1) not in _phrases(lib.path)
    # a reader suggests its phrases all the same (from its text) …
    assert "清退款项2000元" in lib.suggest(["清退款项200元"])
    # … and the next add counts them
    lib.add(C)
    assert _pending(lib.path) == 0
    assert _phrases(lib.path) == _phrases(reference.path)


def test_every_table_of_a_library_is_documented_in_the_readme(lib: Library) -> None:
    from tests.paths import ROOT

    lib.add(bundled())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### The library file"):readme.index("## Output modes")]
    con = sqlite3.connect(f"file:{lib.path}?mode=ro", uri=True)
    rows = con.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall()
    con.close()
    fts = {"passage_text_index", "passage_pinyin_index", "phrase_text_index", "phrase_pinyin_index"}
    shadow = {f"{t}_{s}" for t in fts for s in ("data", "idx", "docsize", "config", "content")}
    tables = [name for kind, name in rows if kind == "table" and name not in shadow]
    assert "phrases_pending" in tables and set(fts) <= set(tables)
    assert [t for t in tables if f"`{t}`" not in section and f"`{t}(" not in section] == []
    # the indexes the README names exist
    indexes = {name for kind, name in rows if kind == "index"}
    assert {"notices_order", "headlines_units", "outcomes_headline"} <= indexes


@pytest.mark.parametrize("how", ["read", "add"])
@pytest.mark.parametrize("damage", ["newer", "no meta table"])
def test_a_refused_library_is_closed_at_once(tmp_path: Path, damage: str, how: str) -> None:
    # The refusal's traceback is kept (as pytest's excinfo keeps it, as a caller logging it would).
    # A connection left open in one of its frames shows as a -wal file that outlives the next
    # writer: SQLite removes the log when the last connection to the library closes.
    path = tmp_path / "lib.db"
    Library(path).add(A)
    con = sqlite3.connect(str(path))
    if damage == "newer":
        con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    else:
        con.execute("DROP TABLE meta")
    con.commit()
    con.close()
    assert not (tmp_path / "lib.db-wal").exists()
    with pytest.raises(LibraryError) as excinfo:
        Library(path).notices() if how == "read" else Library(path).add(B)
    assert ("newer rectcli" if damage == "newer" else "no meta table") in str(excinfo.value)
    con = sqlite3.connect(str(path))
    con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    con.close()
    assert not (tmp_path / "lib.db-wal").exists(), "a connection of the refused open is still open"


# 戊 reports two outcomes the vocabulary does not know, 收到举报 (zeta_reports) before 约谈 (alpha_talks)
E = small("中共戊县委", "立案2件,收到举报9件,约谈5次。", [
    outcome("立案", "cases_filed", "2", "件"), outcome("收到举报", "zeta_reports", "9", "件"),
    outcome("约谈", "alpha_talks", "5", "次")], published="2019-01-01")


def test_compare_keys_outside_the_vocabulary_and_notices_added_before_them(lib: Library) -> None:
    lib.add(A)  # added before the library had columns for 戊's two keys
    lib.add(E)
    lib.add(B)
    con = sqlite3.connect(f"file:{lib.path}?mode=ro", uri=True)
    slots = dict(con.execute("SELECT key, slot FROM compare_keys").fetchall())
    con.close()
    # new keys get the next columns, in the order they came
    assert slots["alpha_talks"] == slots["zeta_reports"] + 1 > slots["cases_filed"]
    table = lib.compare()
    # the vocabulary's columns first, in its order; the others after them, sorted
    assert [(c.key, c.unit, c.notices) for c in table.columns] == [
        ("cases_filed", "件", 3), ("party_discipline", "人", 1), ("funds_refunded", "元", 2),
        ("alpha_talks", "次", 1), ("zeta_reports", "件", 1)]
    # by date: 戊 2019-01-01, 甲 2021-05-06, 乙 signed 2022-11-30
    assert [(r.notice.issuer, r.values) for r in table.rows] == [
        ("中共戊县委", ("2", None, None, "5", "9")),
        ("中共甲县委", ("12", "7", "15000", None, None)),
        ("中共乙县委", ("3", None, "2000", None, None)),
    ]
    assert table.totals == ("17", "7", "17000", "5", "9")
    # the rows are a sequence of CompareRow
    rows = list(table.rows)
    assert len(table.rows) == 3 and table.rows[-1] == rows[2] and table.rows[1:] == tuple(rows[1:])
    assert table == lib.compare() and hash(table) == hash(lib.compare())
    assert [r.notice.issuer for r in lib.compare(sort_by="zeta_reports").rows] == ["中共戊县委", "中共甲县委",
                                                                                 "中共乙县委"]
    # a selection shows the columns its notices have, with their units
    only = lib.compare(issuer="乙")
    assert [(c.key, c.unit) for c in only.columns] == [("cases_filed", "件"), ("funds_refunded", "元")]
    assert [r.values for r in only.rows] == [("3", "2000")] and only.totals == ("3", "2000")
    assert lib.compare(issuer="没有这个").columns == ()


def test_compare_on_the_command_line_writes_every_cell(lib: Library) -> None:
    from rectcli.cli.app import app
    from typer.testing import CliRunner

    for d in (A, E, B):
        lib.add(d)
    ids = {n.issuer: n.id for n in lib.notices()}
    r = CliRunner().invoke(app, ["--library", str(lib.path), "stats", "--compare"])
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == [
        "通报\t单位\t日期\t立案(件)\t党纪处分(人)\t清退款项(元)\talpha_talks(次)\tzeta_reports(件)",
        f"{ids['中共戊县委']}\t中共戊县委\t2019-01-01\t2\t\t\t5\t9",
        f"{ids['中共甲县委']}\t中共甲县委\t2021-05-06\t12\t7\t15000\t\t",
        f"{ids['中共乙县委']}\t中共乙县委\t2022-11-30\t3\t\t2000\t\t",
        "合计\t\t\t17\t7\t17000\t5\t9",
    ]
    r = CliRunner().invoke(app, ["--library", str(lib.path), "stats", "--compare", "--issuer", "戊", "--csv"])
    assert r.stdout_bytes.decode("utf-8").split("\r\n") == ["通报,单位,日期,立案(件),alpha_talks(次),zeta_reports(件)",
                                      f"{ids['中共戊县委']},中共戊县委,2019-01-01,2,5,9", "合计,,,2,5,9", ""]


# ------------------------------------------------------------------ the library's column totals

KINDS = [("立案", "cases_filed", "件"), ("党纪处分", "party_discipline", "人"), ("清退款项", "funds_refunded", "元"),
         ("约谈", "zz_talks", "次")]
VALUE = st.one_of(st.integers(0, 10**6).map(str),
                  st.tuples(st.integers(0, 10**4), st.integers(0, 99)).map(lambda t: f"{t[0]}.{t[1]:02d}"),
                  st.just("123456789012345678901234567890"))  # 30 digits: beyond a default Decimal context
STATED = st.lists(st.tuples(st.sampled_from(range(len(KINDS))), VALUE), min_size=1, max_size=5)
OPS = st.lists(st.one_of(st.tuples(st.just("add"), st.integers(0, 3), STATED),
                         st.tuples(st.just("remove"), st.integers(0, 3), st.just([]))), min_size=1, max_size=7)


def numbered(i: int, stated: list[tuple[int, str]]) -> dict:
    """Notice i, its outcomes ``stated`` (kind, value) in that order; its text is the same
    whatever it states, so adding it again with other outcomes replaces it."""
    return small(f"中共{'甲乙丙丁'[i]}县委", "坚持立行立改。",
                 [outcome(KINDS[k][0], KINDS[k][1], v, KINDS[k][2]) for k, v in stated], published=f"202{i}-01-01")


def plain(d: Decimal) -> str:
    text = f"{d:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(OPS)
def test_the_library_keeps_each_columns_total_through_adds_replaces_and_removes(tmp_path: Path, ops) -> None:
    lib = Library(tmp_path / f"totals-{uuid.uuid4().hex}.db")
    lib.add(small("中共戊县委", "坚持立行立改。", [], published="2019-01-01"))  # a notice without outcomes
    held: dict[int, list[tuple[int, str]]] = {}
    for op, i, stated in ops:
        if op == "add":
            lib.add(numbered(i, stated), replace=True)
            held[i] = stated
        elif i in held:
            ident = next(n.id for n in lib.notices() if n.issuer == f"中共{'甲乙丙丁'[i]}县委")
            lib.remove(ident)
            del held[i]
    # the reference: each notice's first statement of each kind, summed exactly
    cells: dict[str, list[Decimal]] = {}
    for stated in held.values():
        first: dict[int, str] = {}
        for k, v in stated:
            first.setdefault(k, v)
        for k, v in first.items():
            cells.setdefault(KINDS[k][1], []).append(Decimal(v))
    with localcontext() as ctx:
        ctx.prec = 100
        expected = {key: (plain(sum(values, Decimal(0))), len(values)) for key, values in cells.items()}
    for table in (lib.compare(), lib.compare(issuer="中共")):  # the kept totals, and a selection's sums
        assert {c.key: (t, c.notices) for c, t in zip(table.columns, table.totals)} == expected
    assert lib.compare() == lib.compare(issuer="中共")


def test_an_older_library_is_upgraded_once_with_a_note_first(lib: Library) -> None:
    from typer.testing import CliRunner

    from rectcli.cli.app import app

    lib.add(A)
    con = sqlite3.connect(str(lib.path))
    con.executescript(WITHOUT_V5 + "UPDATE meta SET value = '4' WHERE key = 'schema_version';")
    con.close()
    r = CliRunner().invoke(app, ["--library", str(lib.path), "notices"])
    assert r.exit_code == 0, r.output
    assert r.stderr == f"rectcli: upgrading the library {lib.path} from schema version 4 to 5 (once; a large " \
                       "library takes a while)\n"
    assert "中共甲县委" in r.stdout
    r = CliRunner().invoke(app, ["--library", str(lib.path), "notices"])
    assert (r.exit_code, r.stderr) == (0, "")
    assert lib.upgrade() is None
    con = sqlite3.connect(str(lib.path))
    con.executescript(WITHOUT_V5 + "UPDATE meta SET value = '4' WHERE key = 'schema_version';")
    con.close()
    seen = []
    assert lib.upgrade(lambda old, new: seen.append((old, new))) == 4 and seen == [(4, 5)]
