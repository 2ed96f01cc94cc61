"""Every composed notice of the genre (tests/fixtures/genre/NN-name.*) imports as its hand-written
expectation (NN-name.expect.yaml) says: metadata, dates, chrome, structure, opening and closing,
and, where rectcli.ingest.figures exists, the outcome figures. The expectations were written by
hand from the notices, never by running the importer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from rectcli.ingest import import_notice
from rectcli.notice.checks import all_problems
from rectcli.notice.format import load_schema
from tests.paths import FIXTURES, SOURCE
from tests.test_ingest_structure import pieces  # every stored piece of an imported notice, in order

GENRE = FIXTURES / "genre"
EXPECTS = sorted(GENRE.glob("*.expect.yaml"))
# FORMAT2's levels: 区/县/旗 level → 县; a traditional mirror's 縣 is the same level
LEVEL = {"区": "县", "旗": "县", "縣": "县", "區": "县"}


# Keyed by the fixture's number. Where an expectation disagrees with the lead's brief, the brief wins and the check is marked
# here (strict: it fails as soon as importer and expectation agree, so the mark cannot linger).
# Where an expectation disagreed with a decision of the format, the expectation was corrected
# (tests/fixtures/genre/README.md, "Decisions"); none is pending.
DISAGREE: dict[tuple[str, str], str] = {}
# figures.py documents labels without the verb before them (给予/予以 are not part of 党纪处分);
# the expectations keep 给予: compare labels without it
VERB = re.compile(r"^(给予|給予|予以)")


def _disagree(request, case_id: str, check: str) -> None:
    reason = DISAGREE.get((case_id[:2], check))
    if reason:
        request.applymarker(pytest.mark.xfail(reason=reason, strict=True))


def _source(expect: Path) -> Path:
    prefix = expect.name[: -len(".expect.yaml")]
    found = [p for p in GENRE.iterdir() if p.name.startswith(prefix + ".") and not p.name.endswith(".expect.yaml")]
    assert len(found) == 1, f"{expect.name}: expected one source file, found {found}"
    return found[0]


@pytest.fixture(scope="module", params=EXPECTS, ids=lambda p: p.name[: -len(".expect.yaml")])
def case(request):
    expect = yaml.safe_load(request.param.read_text(encoding="utf-8"))
    src = _source(request.param)
    return src, expect, import_notice(src)


@pytest.fixture
def case_id(request):
    return request.node.callspec.id


def _squeeze(s: str) -> str:
    return "".join(s.split())


def _date(holder: dict | None, name: str) -> dict | None:
    """The expectations' nested date {text, date, precision[, year_inferred]} of the flat date
    field ``name`` the importer writes (FORMAT2 UPDATE: ``name`` ISO or null, ``name_text`` as
    written, ``name_precision`` only when not day, ``name_year_inferred`` only when true); None when
    the notice has no such date. The one place the two shapes meet."""
    if holder is None or f"{name}_text" not in holder:
        assert holder is None or holder.get(name) is None, f"{name} without {name}_text"
        return None
    iso = holder[name]
    rec = {"text": holder[f"{name}_text"], "date": iso}
    if iso is None:  # unreadable: no precision
        assert f"{name}_precision" not in holder
        rec["precision"] = None
    else:
        assert holder.get(f"{name}_precision") != "day", "day precision is written by leaving it out"
        rec["precision"] = holder.get(f"{name}_precision", "day")
    if f"{name}_year_inferred" in holder:
        assert holder[f"{name}_year_inferred"] is True, "year_inferred is written only when true"
        rec["year_inferred"] = True
    return rec


def _flat(nodes: list[dict]) -> list[dict]:
    out = []
    for n in nodes:
        out.append({"id": n["id"], "marker": n["marker"], "heading": n["heading"], "runin": n["runin"],
                    "paragraphs": len(n.get("paragraphs", []))})
        out.extend(_flat(n.get("children", [])))
    return out


def test_fidelity(case):
    src, _, imp = case
    assert _squeeze("".join(pieces(imp.data))) == _squeeze(imp.text)
    if src.suffix == ".txt":  # a text source: the notice is the file less its chrome lines, exactly
        codec = {".gbk": "gbk", ".big5": "big5"}.get(Path(src.stem).suffix, "utf-8-sig")
        whole = _squeeze(src.read_bytes().decode(codec))
        removed = "".join(_squeeze(c["text"]) for c in imp.data["chrome"])
        assert len(whole) == len(_squeeze(imp.text)) + len(removed)


def test_title_issuer_kind(case):
    _, exp, imp = case
    meta = imp.data["metadata"]
    assert meta["title"] == exp["title"]
    assert meta["title_from"] == exp["title_source"]
    assert meta["issuer"] == exp["issuer"]
    assert meta["kind"] == exp["kind"]


def test_special(case, case_id, request):
    _disagree(request, case_id, "special")
    _, exp, imp = case
    assert imp.data["metadata"]["special"] == exp["special"]


def test_inspection(case):
    _, exp, imp = case
    insp = imp.data["metadata"]["inspection"]
    assert insp["level"] == LEVEL.get(exp["level"], exp["level"])
    assert insp["round"] == exp["round"]
    assert insp["team"] == exp["team"]
    assert insp["inspected"] == exp["inspected"]


def test_period_and_feedback(case):
    _, exp, imp = case
    insp = imp.data["metadata"]["inspection"]
    period = exp["period"]
    if period is None:
        assert insp["period"] is None
    else:
        got = insp["period"]
        assert got["text"] == period["text"]
        start, end = _date(got, "start"), _date(got, "end")
        width = 10 if period["precision"] == "day" else 7
        assert (start["date"], end["date"]) == (period["start"][:width], period["end"][:width])
        assert start["precision"] == end["precision"] == period["precision"]
    fb = exp["feedback"]
    got = _date(insp, "feedback")
    if fb is None:
        assert got is None
    else:
        assert (got["text"], got["date"], got["precision"]) == (fb["text"], fb["date"], fb["precision"])
        assert got.get("year_inferred", False) == fb.get("year_inferred", False)


def test_published_and_signature(case):
    _, exp, imp = case
    meta = imp.data["metadata"]
    pub = exp["published"]
    got = _date(meta, "published")
    if pub is None:
        assert got is None
        assert "published_time" not in meta
    else:
        assert (got["text"], got["date"]) == (pub["text"], pub["date"])
        assert meta.get("published_time") == pub.get("time")
    sig = exp["signature"]
    if sig is None:
        assert meta["signature"] is None
        assert "signature" not in imp.data
    else:
        got = meta["signature"]
        assert got["signer"] == sig["signer"]
        date = _date(got, "date")
        assert (date["text"], date["date"]) == (sig["text"], sig["date"])
        assert imp.data["signature"]["lines"] == [sig["signer"], sig["text"]]


def test_chrome(case):
    src, exp, imp = case
    if src.suffix == ".html":  # a page's chrome is described, not listed: none of it may stay
        for word in ("当前位置", "分享到", "打印本页", "备案号", "浏览次数", "相关文章", "字体"):
            assert word not in imp.text
        return
    assert [c["text"] for c in imp.data["chrome"]] == (exp["chrome"] or [])


def test_structure(case, case_id, request):
    _disagree(request, case_id, "structure")
    _, exp, imp = case
    if exp.get("structure") is None:
        pytest.skip("no structure expectation")
    want = [{k: n[k] for k in ("id", "marker", "heading", "runin", "paragraphs")} for n in exp["structure"]]
    assert _flat(imp.data["sections"]) == want


def test_opening_and_closing(case):
    _, exp, imp = case
    notes = " ".join(exp.get("notes") or [])
    for part in ("opening", "closing"):
        m = re.search(rf"{part}: (\d+) paragraph", notes)
        if m:
            assert len(imp.data[part]) == int(m[1]), part


def test_outcomes(case, case_id, request):
    pytest.importorskip("rectcli.ingest.figures")
    _disagree(request, case_id, "outcomes")
    _, exp, imp = case
    if exp.get("outcomes") is None:
        pytest.skip("no outcome expectation")

    def key(o):
        parts = tuple((VERB.sub("", b["label"]), b.get("key"), b["value"], b["unit"]) for b in o.get("breakdown") or ())
        return (VERB.sub("", o["label"]), o.get("key"), o["value"], o["unit"], parts)

    assert sorted(map(key, imp.data["outcomes"]), key=str) == sorted(map(key, exp["outcomes"]), key=str)


def _problems(data: dict) -> list[str]:
    return [f"{p.path}: {p.message}" for p in all_problems(data, {}, load_schema())]


def test_imported_notice_passes_format_2_validation(case):
    _, _, imp = case
    assert _problems(imp.data) == []


def test_imported_bundled_notice_passes_format_2_validation():
    assert _problems(import_notice(SOURCE).data) == []
