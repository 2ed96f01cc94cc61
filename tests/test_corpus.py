"""benchmarks/corpus.py: the synthetic notices are deterministic, varied, in the genre, and say what
the manifest says they say.

The checks read the generated text with their own patterns (written here from GENRE.md and the
composed fixtures in tests/fixtures/genre), not with the generator's code.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from tests.paths import ROOT

CORPUS = ROOT / "benchmarks" / "corpus.py"
_spec = importlib.util.spec_from_file_location("rectcli_bench_corpus", CORPUS)
corpus = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = corpus
_spec.loader.exec_module(corpus)

N = 200
HEAD = re.compile(r"^[ \u3000]*(?P<m>[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+\.|[（(]\d+[）)])", re.M)
TERMS = ["八项规定", "形式主义", "公车", "招标", "住房公积金", "违规发放津补贴", "高尔夫"]


@pytest.fixture(scope="module")
def sample() -> list[tuple[str, str, dict]]:
    return list(corpus.generate(N, 1))


def texts(sample):
    return [t for _, t, _ in sample]


def count(sample, pred) -> int:
    return sum(1 for t in texts(sample) if pred(t))


def test_same_seed_same_bytes_in_another_process(tmp_path):
    # a fresh interpreter (another hash seed) writes exactly what this one generates
    out = tmp_path / "c"
    r = subprocess.run([sys.executable, str(CORPUS), "--count", "12", "--seed", "5", "--out", str(out),
                        "--encodings", "utf-8:1,gb18030:1,bom-crlf:1", "--html-share", "0.25", "--quiet"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    here = list(corpus.generate(12, 5, encodings="utf-8:1,gb18030:1,bom-crlf:1", html_share=0.25))
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([n for n, _, _ in here] + ["manifest.json"])
    for name, text, facts in here:
        assert (out / name).read_bytes() == corpus.encode(text, facts), name
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == 5 and manifest["count"] == 12
    assert manifest["files"] == [f for _, _, f in here]
    # a second run in this process gives the same again
    assert [(n, t) for n, t, _ in corpus.generate(12, 5)] == [(n, t) for n, t, _ in corpus.generate(12, 5)]


def test_written_forms_decode_back_to_the_text(tmp_path):
    forms = Counter()
    for name, text, facts in corpus.generate(40, 2, encodings="utf-8:1,gb18030:1,bom-crlf:1", html_share=0.2):
        data = corpus.encode(text, facts)
        forms[(facts["form"], facts["encoding"])] += 1
        if facts["form"] == "html":
            assert name.endswith(".html") and data.startswith(b"<!DOCTYPE html>")
            assert "<p>" in text and "</html>" in text
        elif facts["encoding"] == "gb18030":
            assert data.decode("gb18030") == text
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
        elif facts["encoding"] == "bom-crlf":
            assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
            assert b"\n" not in data.replace(b"\r\n", b"")
            assert data[3:].decode("utf-8").replace("\r\n", "\n") == text
        else:
            assert data.decode("utf-8") == text and not data.startswith(b"\xef\xbb\xbf")
    assert {("txt", "utf-8"), ("txt", "gb18030"), ("txt", "bom-crlf"), ("html", "utf-8")} <= set(forms)


def test_default_is_all_utf8_txt_and_the_text_does_not_depend_on_the_form():
    plain = list(corpus.generate(30, 9))
    assert {f["form"] for _, _, f in plain} == {"txt"} and {f["encoding"] for _, _, f in plain} == {"utf-8"}
    mixed = list(corpus.generate(30, 9, encodings="mixed"))
    assert [t for _, t, _ in plain] == [t for _, t, _ in mixed]


def test_different_seeds_differ():
    a = [t for _, t, _ in corpus.generate(20, 1)]
    b = [t for _, t, _ in corpus.generate(20, 2)]
    assert all(x != y for x, y in zip(a, b))
    assert len(set(a)) == 20


def test_lengths(sample):
    lens = [len(t) for t in texts(sample)]
    assert min(lens) >= 2000 and max(lens) <= 8000
    assert max(lens) - min(lens) > 4000  # spread over the range, not one size


def test_kinds_levels_and_special_rounds(sample):
    assert count(sample, lambda t: "巡视组" in t) >= 20
    assert count(sample, lambda t: "巡察组" in t) >= 20
    assert count(sample, lambda t: re.search(r"中央第[一二三四五六七八九十]+巡视组", t)) >= 5
    assert count(sample, lambda t: re.search(r"省委第[一二三四五六七八九十]+巡视组", t)) >= 5
    assert count(sample, lambda t: re.search(r"市委第[一二三四五六七八九十]+巡察组", t)) >= 5
    assert count(sample, lambda t: re.search(r"[县区]委第[一二三四五六七八九十]+巡察组", t)) >= 5
    assert count(sample, lambda t: "专项巡" in t) >= 3
    assert count(sample, lambda t: "“回头看”整改" in t or "巡视“回头看”" in t or "巡察“回头看”" in t) >= 3
    assert count(sample, lambda t: "交叉巡察" in t) >= 3
    assert count(sample, lambda t: re.search(r"[十一二三四五六七八九]+届(中央|省委|市委|县委|区委)第[一二三四五六七八九十]+轮", t)) >= 20


def test_titles_present_absent_split_twice(sample):
    def title_lines(t):
        return [line for line in t.splitlines() if line.endswith("的通报") and not line.startswith(("文件名称", "<"))]
    with_title = count(sample, lambda t: title_lines(t))
    assert 20 <= with_title <= N - 40  # absent from the body in many
    assert count(sample, lambda t: re.search(r"^中共\S+关于\n\S+的通报$", t, re.M)) >= 3  # split over two lines
    assert count(sample, lambda t: len(title_lines(t)) == 2 and title_lines(t)[0] == title_lines(t)[1]) >= 2
    assert count(sample, lambda t: re.search(r"^关于“\S+”专项巡察整改情况的通报$", t, re.M)) >= 1  # no issuer


def test_dates(sample):
    assert count(sample, lambda t: re.search(r"\d{4}年\d{1,2}月至\d{1,2}月，", t)) >= 10  # month range
    assert count(sample, lambda t: re.search(r"\d{4}年\d{1,2}月\d{1,2}日至\d{1,2}月\d{1,2}日", t)) >= 10
    assert count(sample, lambda t: re.search(r"(^|[^\d年])\d{1,2}月\d{1,2}日[，,]\S+组向", t, re.M)) >= 10  # year-less
    assert count(sample, lambda t: re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", t)) >= 10  # ISO in chrome
    # damaged feedback dates (202248 for 2022年4月8日, 75日 for 7月5日), each as the manifest says
    damaged = [(t, d) for _, t, f in sample for d in f["damage"]]
    assert len(damaged) >= 2
    for t, d in damaged:
        assert re.fullmatch(r"\d{5,8}|\d{2,4}日", d["found"]) and f"{d['found']}，" in t.replace(",", "，")


def test_issuer_only_as_we(sample):
    assert count(sample, lambda t: re.search(r"[向对]我[局县厅委镇乡市省]", t)) >= 5


def test_structure_varies(sample):
    def markers(t):
        return [m.group("m") for m in HEAD.finditer(t)]
    top = lambda t: any(m.endswith("、") for m in markers(t))  # noqa: E731
    paren_cn = lambda t: any(re.fullmatch(r"[（(][一二三四五六七八九十]+[）)]", m) for m in markers(t))  # noqa: E731
    arabic = lambda t: any(re.fullmatch(r"\d+\.", m) for m in markers(t))  # noqa: E731
    paren_ar = lambda t: any(re.fullmatch(r"[（(]\d+[）)]", m) for m in markers(t))  # noqa: E731
    assert count(sample, lambda t: top(t) and paren_cn(t) and arabic(t)) >= 20  # depth ≥ 3
    assert count(sample, lambda t: top(t) and paren_cn(t) and arabic(t) and paren_ar(t)) >= 5  # depth 4
    assert count(sample, lambda t: top(t) and not paren_cn(t)) >= 5  # depth 1
    assert count(sample, lambda t: not top(t) and paren_cn(t)) >= 10  # no 一、 level
    # run-in headings (text after the heading's 。 in the same paragraph) and standalone ones
    runin = re.compile(r"^[ \u3000]*[（(][一二三四五六七八九十]+[）)][^。\n]{2,40}。[^\n]+", re.M)
    standalone = re.compile(r"^[ \u3000]*[一二三四五六七八九十]+、[^。\n]+$", re.M)
    assert count(sample, lambda t: runin.search(t)) >= 30
    assert count(sample, lambda t: standalone.search(t)) >= 30
    assert count(sample, lambda t: re.search(r"^[ \u3000]*[一二三四五六七八九十]+、关于“\S+”\S*问题的整改情况$", t, re.M)) >= 3
    assert count(sample, lambda t: re.search(r"^[ \u3000]*整改情况[：:]", t, re.M)) >= 10
    # organisation: 一是 inline, 一是 at the start of a paragraph, (一) under 一、
    assert count(sample, lambda t: re.search(r"^[ \u3000]*\S+。一是", t, re.M)) >= 20
    assert count(sample, lambda t: re.search(r"^[ \u3000]*一是", t, re.M)) >= 20
    assert count(sample, lambda t: re.search(r"^[ \u3000]*一、\S*(整改工作开展情况|组织整改落实情况|整改工作总体情况)$", t, re.M)) >= 10
    assert count(sample, lambda t: re.search(r"^[ \u3000]*[一二三四五六七八九十]+、下一步工作(打算|安排)$", t, re.M)) >= 3


def test_punctuation_indents_and_chrome(sample):
    assert count(sample, lambda t: "，" not in t and "," in t and "；" not in t) >= 20  # ASCII ,():; throughout
    assert count(sample, lambda t: "，" in t and "," not in t) >= 100  # full-width throughout
    assert count(sample, lambda t: "，" in t and re.search(r"[\u4e00-\u9fff],[\u4e00-\u9fff]", t)) >= 3  # mixed
    assert count(sample, lambda t: "\n\u3000\u3000" in t) >= 50
    assert count(sample, lambda t: "\n  " in t) >= 20
    assert count(sample, lambda t: "【字体：大 中 小】" in t) >= 10
    assert count(sample, lambda t: t.startswith("信息索引号")) >= 3
    assert count(sample, lambda t: t.startswith("数字报纸")) >= 2
    assert count(sample, lambda t: "备案号" in t) >= 5


def test_outcome_forms(sample):
    assert count(sample, lambda t: re.search(r"立案\d+件", t)) >= 80
    assert count(sample, lambda t: re.search(r"党纪处分\d+人[（(]党内警告\d+人", t)) >= 5
    assert count(sample, lambda t: re.search(r"政务处分\d+人[（(]", t)) >= 5
    assert count(sample, lambda t: re.search(r"党纪政务处分\d+人", t)) >= 10
    assert count(sample, lambda t: re.search(r"诫勉(谈话)?0人", t)) >= 2  # zeros written
    assert count(sample, lambda t: re.search(r"\d+人次", t)) >= 10
    assert count(sample, lambda t: re.search(r"\d+余项", t)) >= 3
    assert count(sample, lambda t: "给予责令检查、批评教育、谈话提醒" in t) >= 3
    assert count(sample, lambda t: re.search(r"整改完成率\d+(\.\d)?%", t)) >= 30
    assert count(sample, lambda t: re.search(r"\d+\.\d{4}万元", t)) >= 10
    assert count(sample, lambda t: re.search(r"\d(\.\d+)?亿元", t)) >= 3
    assert count(sample, lambda t: re.search(r"[^万亿\d.]\d+(\.\d{1,2})?元", t)) >= 10
    assert count(sample, lambda t: re.search(r"近\d+(万|亿)?元|超\d+(万|亿)?元|\d+余(万|亿)?元", t)) >= 3
    assert count(sample, lambda t: not re.search(r"立案\d|处分\d|诫勉|\d+(万|亿)?元|整改完成率", t)) >= 10  # none


def test_closing_contacts_signature(sample):
    assert count(sample, lambda t: re.search("下一步[，,]", t)) == N
    assert count(sample, lambda t: re.search(r"联系电话[：:]0\d{3}-\d{7}", t)) >= 100
    assert count(sample, lambda t: re.search(r"邮政编码[：:]\d{6}", t)) >= 50
    assert count(sample, lambda t: re.search(r"电子邮箱[：:]\S+@", t)) >= 50
    assert count(sample, lambda t: re.search(r"\n[\u3000 ]{6,}\d{4}年\d{1,2}月\d{1,2}日\n*$", t)) >= 30  # right-aligned
    assert count(sample, lambda t: re.search(r"\n\d{4}年\d{1,2}月\d{1,2}日\n*$", t)) >= 10  # not aligned


def test_sentences_vary(sample):
    sentences = [s for t in texts(sample) for s in re.split(r"[。\n]", t) if len(s) >= 12]
    assert len(sentences) > 10000
    assert len(set(sentences)) / len(sentences) > 0.75
    # no two notices share most of their sentences
    sets = [set(s for s in re.split(r"[。\n]", t) if len(s) >= 12) for t in texts(sample)]
    for a, b in zip(sets, sets[1:]):
        assert len(a & b) < 0.2 * min(len(a), len(b))


def test_search_terms_have_varied_frequencies(sample):
    shares = {term: count(sample, lambda t, term=term: term in t) / N for term in TERMS}
    assert shares["八项规定"] > 0.3
    assert 0.1 < shares["公车"] < 0.3
    assert shares["住房公积金"] < 0.1 and shares["高尔夫"] < 0.04
    assert 0 < shares["住房公积金"]


def test_terms_appear_exactly_where_the_manifest_says(sample):
    vocab = set(corpus.load_banks()["terms"])
    assert set(TERMS) <= vocab
    for name, text, facts in sample:
        for term in vocab:
            assert (term in text) == (term in facts["terms"]), (name, term)


def check_planted(name: str, text: str, facts: dict) -> None:
    assert 2000 <= facts["chars"] == len(text) <= 8000, name
    o = facts["outcomes"]
    if "立案" in o:
        assert f"立案{o['立案']['value']}件" in text, name
    for key, f in o.items():
        assert f["written"] in text, (name, key)
        assert re.fullmatch(r"\d+", f["value"]), (name, key)
        bd = f.get("breakdown")
        if bd and bd["complete"]:
            assert sum(bd["parts"].values()) == int(f["value"]), (name, key)
        elif bd:
            assert sum(bd["parts"].values()) < int(f["value"]), (name, key)
    factor = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}
    for m in facts["money"]:
        assert m["written"] in text, name
        g = re.fullmatch(r"(\D+?)(近|超)?(\d+(?:\.(\d+))?)(余)?(元|万元|亿元)", m["written"])
        assert g, m
        assert g.group(1) == m["label"] and g.group(3) == m["value"] and g.group(6) == m["unit"]
        assert g.group(4) is None or len(g.group(4)) <= 4
        assert Decimal(m["yuan"]) == Decimal(g.group(3)) * factor[g.group(6)], m
        assert re.fullmatch(r"\d+(\.\d*[1-9])?", m["yuan"]), m  # plain decimal, no exponent or trailing 0
    p = facts["progress"]
    if p:
        assert f"整改完成率{p['completion_rate']}%" in text
        assert f"{p['problems_total']}个问题" in text
    if facts["issuer_in_body"] is None and facts["form"] == "txt":
        assert facts["inspected"] in text, name
    assert str(facts["year"]) in text, name
    assert facts["team"] in text, name
    if facts["title"] and facts["title_form"] in ("body", "twice"):
        assert facts["title"] in text.translate(str.maketrans(",():;", "，（）：；")), name
    for line in facts["chrome_lines"]:
        assert line in text.splitlines(), name
    if facts["form"] == "txt":
        # the headings the manifest counts are the lines that start with a marker
        found = [m.group("m") for m in HEAD.finditer(text)]
        st_ = facts["structure"]
        assert len(found) == st_["headings"], name
        kinds = {re.sub(r"[一二三四五六七八九十]+", "一", re.sub(r"\d+", "1", m)).translate(str.maketrans("()", "（）"))
                 for m in found}
        assert kinds <= {"一、", "（一）", "1.", "（1）"}
        assert len(kinds) == st_["depth"], (name, kinds)
        assert ("一、" in kinds) == st_["top_level"], name


def test_planted_facts_are_in_the_text(sample):
    for item in sample:
        check_planted(*item)
    # hand-written money conversions, independent of the generator: 5.0227万元 is 50227元
    assert Decimal("5.0227") * 10000 == Decimal("50227")
    assert sum(1 for _, _, f in sample for m in f["money"] if "." in m["value"] and m["unit"] != "元") >= 20


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**40), start=st.integers(min_value=1, max_value=10**6))
def test_any_seed_gives_notices_of_the_genre(seed, start):
    for name, text, facts in corpus.generate(2, seed, start=start):
        assert name == f"{facts['index']:06d}.txt"
        check_planted(name, text, facts)
        assert "整改" in text and ("巡视" in text or "巡察" in text)
        assert "{" not in text and "}" not in text  # every slot filled
