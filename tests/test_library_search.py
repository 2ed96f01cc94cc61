"""Library search finds exactly what rectcli's single-notice search finds in each notice (same
passages, same spans), for terms drawn from the texts, in simplified and traditional characters
and as pinyin; suggestions come from the phrase index."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rectcli.library import Library
from rectcli.notice.build import build
from rectcli.output.data import where
from rectcli.search import search
from tests.test_library_store import A, B, C, bundled


def traditional(data: dict) -> dict:
    """The bundled notice with some passages in traditional characters (as a Big5 site prints)."""
    table = str.maketrans("车务规发处党纪违资金会议领导组织问题数据单位贯监督学习", "車務規發處黨紀違資金會議領導組織問題數據單位貫監督學習")
    out = json.loads(json.dumps(data))
    out["metadata"]["issuer"] = "中共雲溪縣委"
    for p in out["opening"] + out["closing"]:
        p["text"] = p["text"].translate(table)
    out["outcomes"] = []  # their spans no longer matter for search
    return out


def latin(data: dict) -> dict:
    out = json.loads(json.dumps(data))
    out["opening"][0]["text"] = "公车 gongche 整改 Ｇｏｎｇ ABC-12 office@hzw.gov.cn xi'an 西安 行政 银行"
    return out


CORPUS = [bundled(), traditional(bundled()), latin(A), B, C]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    lib = Library(tmp_path_factory.mktemp("lib") / "lib.db")
    for d in CORPUS:
        lib.add(d)
    return lib


def per_notice(terms: list[str], **opts) -> list[tuple[str, str, tuple]]:
    """What single-notice search finds in each notice of the corpus (issuer, passage id, spans)."""
    out = []
    for d in CORPUS:
        n = build(d)
        for h in search(n, terms, **opts).hits:
            out.append((n.metadata.issuer, h.passage.id, h.spans))
    return sorted(out)


def in_library(lib: Library, terms: list[str], **opts) -> list[tuple[str, str, tuple]]:
    return sorted((h.notice.issuer, h.passage.id, h.spans) for h in lib.search(terms, **opts).hits)


def test_known_hits(library: Library) -> None:
    # 公车 stands in 六(四) of the bundled notice (twice: 加强公车管理, 浙江省公车平台) and in the
    # Latin test paragraph; the traditional copy keeps 六(四) in simplified characters
    found = in_library(library, ["公车"])
    assert ("中共宁波前湾新区工作委员会", "6.4", ((5, 7), (92, 94))) in found
    assert ("中共雲溪縣委", "6.4", ((5, 7), (92, 94))) in found
    assert ("中共甲县委", "opening.1", ((0, 2),)) in found
    assert len(found) == 3


def test_traditional_query_finds_both_scripts(library: Library) -> None:
    # 黨紀處分 in traditional: found as written in the traditional copy's opening.3, and through
    # its simplified form 党纪处分 in the bundled notice (and in A and C)
    found = in_library(library, ["黨紀處分"])
    assert ("中共雲溪縣委", "opening.3", ((30, 34),)) in found
    assert ("中共宁波前湾新区工作委员会", "opening.3", ((30, 34),)) in found
    assert found == per_notice(["黨紀處分"])


def test_pinyin_query(library: Library) -> None:
    found = in_library(library, ["gongche"], pinyin=True)
    assert ("中共宁波前湾新区工作委员会", "6.4", ((5, 7), (92, 94))) in found
    assert found == per_notice(["gongche"], pinyin=True)
    # not pinyin unless asked: the Latin paragraph says gongche in letters
    assert in_library(library, ["gongche"]) == per_notice(["gongche"])


@pytest.mark.parametrize("terms,opts", [
    (["整改", "制度"], {}), (["整改", "制度"], {"match_all": False}), (["xi'an"], {}), (["xian"], {}),
    (["(一)"], {}), (["（一）"], {}), (["、"], {}), (["ＧＯＮＧ"], {}), (["hzw.gov"], {}), (["12"], {}),
    (["hang"], {"pinyin": True}), (["yinhang"], {}), (["公.车"], {"regex": True}), (["[0-9]+万元"], {"regex": True}),
    (["違規", "資金"], {"match_all": False}), (["不存在的词"], {}),
])
def test_same_as_single_notice(library: Library, terms: list[str], opts: dict) -> None:
    assert in_library(library, terms, **opts) == per_notice(terms, **opts)


TEXTS = [p.text for d in CORPUS for p in build(d).passages()]


@st.composite
def drawn_term(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(TEXTS))
    start = draw(st.integers(0, max(0, len(text) - 1)))
    size = draw(st.integers(1, 6))
    term = text[start:start + size]
    if draw(st.booleans()):  # sometimes one character changed: a near miss
        i = draw(st.integers(0, len(term) - 1))
        term = term[:i] + draw(st.sampled_from("的车黨務规a1")) + term[i + 1:]
    return term


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(terms=st.lists(drawn_term(), min_size=1, max_size=3), match_all=st.booleans())
def test_property_same_as_single_notice(library: Library, terms: list[str], match_all: bool) -> None:
    terms = [t for t in terms if t.strip()]
    if not terms:
        return
    assert in_library(library, terms, match_all=match_all) == per_notice(terms, match_all=match_all)
    assert counted(library, terms, match_all=match_all) == counted_per_notice(CORPUS, terms, match_all=match_all)


def test_counts_of_regular_expressions(library: Library) -> None:
    for terms in (["公务.车"], ["[0-9]+万元"]):
        assert counted(library, terms, regex=True) == counted_per_notice(CORPUS, terms, regex=True) != []
        assert library.search(terms, regex=True, count_only=True).hits == ()


def test_filters_and_limit(library: Library) -> None:
    # every notice's section 一 is 关于整改的情况 (A's opening is the Latin test paragraph)
    assert {h.notice.issuer for h in library.search(["整改"], issuer="县委").hits} == {"中共甲县委", "中共乙县委"}
    assert {h.notice.issuer for h in library.search(["整改"], year=2023).hits} == {"中共丙市委"}
    assert {h.notice.issuer for h in library.search(["立案"], kind="巡视").hits} == {
        "中共宁波前湾新区工作委员会", "中共雲溪縣委"}
    assert len(library.search(["整改"], limit=3).hits) == 3
    counts = library.count(["公车"])
    assert sorted((c.notice.issuer, c.passages) for c in counts) == [
        ("中共宁波前湾新区工作委员会", 1), ("中共甲县委", 1), ("中共雲溪縣委", 1)]


def test_one_notice_by_id(library: Library) -> None:
    ident = next(r.id for r in library.notices() if r.issuer == "中共乙县委")
    assert [(h.notice.issuer, h.passage.id) for h in library.search(["立案"], notice=ident).hits] == [
        ("中共乙县委", "opening.1")]


def test_suggestions(library: Library) -> None:
    # 公车管里 → 公车管理 (加强公车管理, a homophone away); 公務車 → its simplified 公务车 is close to 公务用车
    assert library.suggest(["公车管里"])[0] == "公车管理"
    assert "公务用车" in library.suggest(["公務車"])
    assert library.suggest(["公车管里"], limit=1) == ("公车管理",)


@pytest.mark.parametrize("how", ["from the selection's text", "the library's phrases found in the selection"])
def test_suggestions_come_from_the_selected_notices(library: Library, how: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # 公车管理 stands in the bundled notice (宁波) and its traditional copy (雲溪), not in 丙市委's:
    # a search of 丙市委's notice is never told to try it
    from rectcli.library import index

    if how != "from the selection's text":
        monkeypatch.setattr(index, "SELECTION_TEXT", 0)
    assert library.suggest(["公车管里"], issuer="宁波")[0] == "公车管理"
    elsewhere = library.suggest(["公车管里"], issuer="丙市委")
    assert not any("公车" in p for p in elsewhere)
    for filters in ({"issuer": "丙市委"}, {"issuer": "县委"}, {"kind": "巡视"}, {"year": "2021-2023"}):
        for term in ("公车管里", "清退款像", "党纪处份", "qingtui"):
            for phrase in library.suggest([term], **filters):
                assert library.count([phrase], **filters), (term, filters, phrase)


def test_bad_queries_are_one_line_errors(library: Library) -> None:
    from rectcli.errors import QueryError

    for terms, opts in (([""], {}), (["("], {"regex": True}), (["公车"], {"pinyin": True}),
                        (["公车"], {"sort": "random"})):
        with pytest.raises(QueryError) as e:
            library.search(terms, **opts)
        assert "\n" not in str(e.value)


# ---------------------------------------------------------------- the fast paths stay exact


def hits_in_full(lib: Library, terms: list[str], **opts) -> list[tuple]:
    return sorted((h.notice.issuer, h.passage.id, h.spans, h.title_hits, h.body_hits, h.score, h.where)
                  for h in lib.search(terms, **opts).hits)


def per_notice_in_full(corpus: list[dict], terms: list[str], **opts) -> list[tuple]:
    out = []
    for d in corpus:
        n = build(d)
        for h in search(n, terms, **opts).hits:
            out.append((n.metadata.issuer, h.passage.id, h.spans, h.title_hits, h.body_hits, h.score,
                        where(n, h.passage)))
    return sorted(out)


def counted(lib: Library, terms: list[str], **opts) -> list[tuple[str, int]]:
    """What a count-only library search says: passages per notice (never building a hit)."""
    return sorted((c.notice.issuer, c.passages) for c in lib.count(terms, **opts))


def counted_per_notice(corpus: list[dict], terms: list[str], **opts) -> list[tuple[str, int]]:
    out = []
    for d in corpus:
        n = build(d)
        if hits := search(n, terms, **opts).hits:
            out.append((n.metadata.issuer, len(hits)))
    return sorted(out)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(terms=st.lists(drawn_term(), min_size=1, max_size=2), match_all=st.booleans())
def test_property_scores_are_the_single_notice_scores(library: Library, terms: list[str], match_all: bool) -> None:
    # the relevance score of a hit is the one single-notice search gives it in its own notice
    # (averaged over ALL its passages, not only over those the index proposed)
    terms = [t for t in terms if t.strip()]
    if not terms:
        return
    assert hits_in_full(library, terms, match_all=match_all) == per_notice_in_full(CORPUS, terms, match_all=match_all)


def test_scores_of_a_common_word(library: Library) -> None:
    assert hits_in_full(library, ["整改"]) == per_notice_in_full(CORPUS, ["整改"])
    # regular expressions run over a batch of notices at once, and are still scored per notice
    for terms in (["公.车"], ["[0-9]+万元"], ["整改", "制度"]):
        assert hits_in_full(library, terms, regex=True) == per_notice_in_full(CORPUS, terms, regex=True)
    assert hits_in_full(library, ["公车"], sort="relevance") == per_notice_in_full(CORPUS, ["公车"], sort="relevance")


def odd_forms() -> list[dict]:
    """Passages a library matches only after folding them as the matcher does: a compatibility
    ideograph (U+F902 車, which folds to 車), a Kangxi radical (U+2F9E ⾞, also 車), text in
    decomposed form (e + U+0301), full-width letters."""
    d = json.loads(json.dumps(A))
    d["metadata"]["issuer"] = "中共丁县委"
    d["opening"] = [
        {"id": "opening.1", "text": "加强公\uf902管理,公车平台。"},
        {"id": "opening.2", "text": "公\u2f9e改革,Cafe\u0301 公车。"},
        {"id": "opening.3", "text": "ＧＯＮＧ公车;公车公车。"},
    ]
    d["outcomes"] = []
    return d


@pytest.mark.parametrize("terms,opts", [
    (["公车"], {}), (["公車"], {}), (["gongche"], {}), (["gongche"], {"pinyin": True}), (["che"], {"pinyin": True}),
    (["café"], {}), (["gong"], {}), (["公车", "管理"], {}), (["車"], {}),
    # three or more Han characters: a plain passage is checked in SQL (instr), the others in Python
    (["公车管理"], {}), (["加强公車"], {}), (["公车平台"], {}), (["加强公车"], {"match_all": False}),
])
def test_folded_passages_match_as_single_notice(tmp_path: Path, terms: list[str], opts: dict) -> None:
    corpus = [odd_forms(), B]
    lib = Library(tmp_path / "lib.db")
    for d in corpus:
        lib.add(d)
    assert hits_in_full(lib, terms, **opts) == per_notice_in_full(corpus, terms, **opts)
    assert counted(lib, terms, **opts) == counted_per_notice(corpus, terms, **opts)


def test_no_character_outside_the_unsafe_blocks_folds_into_a_han_character() -> None:
    # the library matches a passage as stored when it has none of index._UNSAFE: that is exact
    # only if no other character folds into a Han character and every Han character outside
    # those blocks folds to itself; checked here over every code point
    import sys
    import unicodedata

    from rectcli.library.index import _UNSAFE
    from rectcli.textfold import fold_char, is_han

    wrong = []
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        if unicodedata.is_normalized("NFKC", ch) and ch.lower() == ch:
            continue  # fold_char gives it back unchanged
        folded = fold_char(ch)
        if folded != ch and (is_han(folded) or is_han(ch)) and not _UNSAFE.match(ch):
            wrong.append(hex(cp))
    assert wrong == []


def test_readings_say_how_each_term_was_read(library: Library) -> None:
    # 公車 is found as written in no notice of the corpus, as 公车 in three (in 六(四) and the Latin paragraph)
    result = library.search(["公車"])
    assert [(r.how, r.forms, r.matched) for r in result.readings] == [("simplified", ("公车",), ("公车",))]
    result = library.search(["gongche"], pinyin=True)
    assert [(r.how, r.forms, r.matched) for r in result.readings] == [("pinyin", ("gongche",), ("公车",))]


def test_suggestions_after_remove_and_add(tmp_path: Path) -> None:
    # phrases are put in the phrase index once per batch: one removed and another added after it
    # must not leave the new phrase out (SQLite may give it the number of a deleted phrase)
    lib = Library(tmp_path / "lib.db")
    lib.add(B)
    ident = lib.add(A).id
    lib.remove(ident)
    lib.add(C)
    assert "给予党纪处分20人" in lib.suggest(["给予党纪处分2人"])


def test_suggestions_from_an_import_that_stopped_early(tmp_path: Path) -> None:
    # an add_many not run to its end has not indexed its phrases: they are suggested all the same
    lib = Library(tmp_path / "lib.db")
    adding = lib.add_many([(A, None), (B, None)])
    next(adding)
    adding.close()
    assert [r.issuer for r in lib.notices()] == ["中共甲县委"]
    assert "清退款项1" in lib.suggest(["清退款项"])


# ---------------------------------------------------------------- pinyin.find, start by start


def _spells(chars: str, letters: str, boundaries: frozenset[int], pos: int = 0) -> bool:
    """Do ``chars``, one reading each, spell ``letters[pos:]`` exactly, no reading across a boundary?"""
    from rectcli.pinyin import readings

    if not chars:
        return pos == len(letters)
    return any(letters.startswith(r, pos) and not any(pos < b < pos + len(r) for b in boundaries)
               and _spells(chars[1:], letters, boundaries, pos + len(r)) for r in readings(chars[0]))


def _find_by_brute_force(text: str, letters: str, boundaries: frozenset[int]) -> list[tuple[int, int]]:
    """From the left, at each start the shortest run that spells the letters; then after it."""
    spans, i = [], 0
    while i < len(text):
        stop = next((j for j in range(i + 1, len(text) + 1) if _spells(text[i:j], letters, boundaries)), None)
        if stop is None:
            i += 1
        else:
            spans.append((i, stop))
            i = stop
    return spans


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="公车工长行银绿律重庆中国 a,，", max_size=24),
       st.sampled_from(["gongche", "gong che", "gong'che", "xing", "hang", "lv", "lu", "zhong", "chong",
                        "che", "ju", "zhongguo", "changxing", "xinghang", "a", "yinhang", "gongchang"]))
def test_pinyin_find_is_the_leftmost_shortest_spelling(text: str, query: str) -> None:
    from rectcli.pinyin import find, spelling

    spelled = spelling(query)
    assert spelled is not None
    assert find(text, spelled) == _find_by_brute_force(text, spelled.letters, spelled.boundaries)


def test_pinyin_find_by_hand() -> None:
    from rectcli.pinyin import find, spelling

    # 行 reads xing and hang; 银行 is yin + hang; 长 is chang/zhang; 公车 is gong + che (or ju)
    assert find("银行行长", spelling("hang")) == [(1, 2), (2, 3)]
    assert find("银行行长", spelling("xingchang")) == [(2, 4)]
    assert find("公 车公车", spelling("gongche")) == [(3, 5)]  # 公0 space1 车2 公3 车4
    assert find("公车", spelling("gong'ju")) == [(0, 2)]
