"""What the importer reads from a notice about itself: dates as written with their precision, the
inspection (body, level, round, team, inspected, period, feedback), issuer, publication and
signature. Expected values are written by hand from the texts below and the bundled notice."""

from __future__ import annotations

import pytest

from rectcli.ingest import import_notice
from rectcli.ingest.dates import parse
from rectcli.notice.checks import all_problems
from rectcli.notice.format import load_schema
from tests.paths import SOURCE


@pytest.mark.parametrize("text, kwargs, date, precision, note", [
    ("2021年3月31日", {}, "2021-03-31", "day", None),
    ("2022年7月", {}, "2022-07", "month", None),
    ("2022年", {}, "2022", "year", None),
    ("2024-03-15 10:20", {}, "2024-03-15", "day", None),
    ("二〇二二年四月八日", {}, "2022-04-08", "day", None),
    ("二〇二一年十二月二十日", {}, "2021-12-20", "day", None),
    ("202248", {}, "2022-04-08", "day", "damaged"),
    ("20220408", {}, "2022-04-08", "day", None),
    ("20222月18日", {}, "2022-02-18", "day", "damaged"),
    ("2022111", {}, None, None, "unreadable"),  # 1月11日 or 11月1日: not guessed
    ("8月24日", {"year": 2021}, "2021-08-24", "day", None),
    ("1月5日", {"year": 2022, "after": (2022, 12)}, "2023-01-05", "day", None),
    ("75日", {"year": 2021, "after": (2021, 6)}, "2021-07-05", "day", "damaged"),
    ("8月24日", {}, None, None, "no year"),
    ("2022年2月30日", {}, None, None, "unreadable"),
])
def test_dates(text, kwargs, date, precision, note):
    rec, got_note = parse(text, **kwargs)
    assert (rec["text"], rec["date"], rec["precision"], got_note) == (text, date, precision, note)


def test_year_from_context_is_marked_inferred():
    rec, _ = parse("8月24日", year=2021)
    assert rec["year_inferred"] is True
    rec, _ = parse("2021年8月24日")
    assert "year_inferred" not in rec


def fields(holder: dict, name: str) -> dict:
    """A flat date field and the fields beside it (name, name_text, name_precision, …), as stored."""
    return {k: v for k, v in holder.items() if k == name or k.startswith(name + "_")}


@pytest.fixture(scope="module")
def bundled():
    return import_notice(SOURCE)


def test_bundled_metadata(bundled):
    meta = bundled.data["metadata"]
    assert (meta["title"], meta["title_from"]) == ("中共宁波前湾新区工作委员会关于十四届省委第十二轮巡视整改进展情况的通报", "body")
    assert meta["issuer"] == "中共宁波前湾新区工作委员会"
    assert (meta["kind"], meta["special"]) == ("巡视", [])
    insp = meta["inspection"]
    assert (insp["body"], insp["level"], insp["round"], insp["team"]) == ("省委", "省", "十四届省委第十二轮巡视", "省委第一巡视组")
    assert (insp["inspected"], insp["former_name"]) == ("宁波前湾新区党工委", "宁波杭州湾新区党工委")
    assert insp["period"] == {"text": "2021年3月31日至6月18日",
                              "start": "2021-03-31", "start_text": "2021年3月31日",
                              "end": "2021-06-18", "end_text": "6月18日", "end_year_inferred": True}
    assert fields(insp, "feedback") == {"feedback": "2021-08-24", "feedback_text": "8月24日",
                                        "feedback_year_inferred": True}
    assert fields(meta, "published") == {"published": "2022-04-08", "published_text": "2022-04-08 10:00",
                                         "published_time": "10:00"}


def test_bundled_damaged_signature_date_is_read_with_a_finding(bundled):
    sig = bundled.data["metadata"]["signature"]
    assert sig == {"signer": "中共宁波前湾新区工作委员会", "date": "2022-04-08", "date_text": "202248"}
    damaged = [f for f in bundled.findings if f.what == "damaged"]
    assert [(f.level, f.line) for f in damaged] == [("warning", 111)]


OPENING_TPL = "根据{body}统一部署，{period}，{team}对{unit}进行了{kind}。{fb}，{team}向{unit}反馈了意见。现将整改情况予以公布。"


def notice(**kw) -> str:
    values = {"body": "市委", "period": "2022年11月至12月", "team": "十二届市委第一巡察组", "unit": "市水利局党组",
              "kind": "常规巡察", "fb": "1月5日"}
    values.update(kw)
    return "\n".join(["　　" + OPENING_TPL.format(**values), "　　一、关于学习问题的整改情况", "　　开展学习。"])


def test_month_range_and_feedback_in_the_next_year():
    insp = import_notice(notice()).data["metadata"]["inspection"]
    assert insp["period"] == {"text": "2022年11月至12月",
                              "start": "2022-11", "start_text": "2022年11月", "start_precision": "month",
                              "end": "2022-12", "end_text": "12月", "end_precision": "month",
                              "end_year_inferred": True}
    assert fields(insp, "feedback") == {"feedback": "2023-01-05", "feedback_text": "1月5日", "feedback_year_inferred": True}
    assert (insp["body"], insp["level"], insp["team"], insp["inspected"]) == ("市委", "市", "十二届市委第一巡察组", "市水利局党组")


def test_period_over_the_new_year_ends_in_the_next_year():
    r = import_notice(notice(period="2022年12月5日至1月20日", fb="3月1日"))
    insp = r.data["metadata"]["inspection"]
    assert insp["period"] == {"text": "2022年12月5日至1月20日",
                              "start": "2022-12-05", "start_text": "2022年12月5日",
                              "end": "2023-01-20", "end_text": "1月20日", "end_year_inferred": True}
    assert fields(insp, "feedback") == {"feedback": "2023-03-01", "feedback_text": "3月1日", "feedback_year_inferred": True}
    assert all_problems(r.data, {}, load_schema()) == []


def test_period_that_ends_before_it_starts_keeps_the_end_as_written_with_a_finding():
    r = import_notice(notice(period="2022年7月至2021年8月"))
    assert r.data["metadata"]["inspection"]["period"] == {
        "text": "2022年7月至2021年8月", "start": "2022-07", "start_text": "2022年7月", "start_precision": "month",
        "end": None, "end_text": "2021年8月"}
    assert any(f.what == "date" and f.level == "warning" and "ends before it starts" in f.text for f in r.findings)
    assert all_problems(r.data, {}, load_schema()) == []


@pytest.mark.parametrize("kw, special, level", [
    ({"kind": "专项巡察"}, ["专项"], "市"),
    ({"team": "市委县区交叉巡察五组"}, ["交叉"], "市"),
    ({"body": "区委", "team": "区委第四巡察组"}, [], "县"),
    ({"body": "中央", "team": "中央第九巡视组", "kind": "巡视"}, [], "中央"),
])
def test_special_and_level(kw, special, level):
    meta = import_notice(notice(**kw)).data["metadata"]
    assert meta["special"] == special
    assert meta["inspection"]["level"] == level
    assert meta["inspection"]["team"] == kw.get("team", "十二届市委第一巡察组")


def test_kind_from_the_team():
    meta = import_notice(notice(body="中央", team="中央第九巡视组", kind="巡视")).data["metadata"]
    assert meta["kind"] == "巡视"
    assert import_notice(notice()).data["metadata"]["kind"] == "巡察"


def test_self_named_issuer_is_null_with_a_finding():
    r = import_notice(notice(unit="我局党组"))
    assert r.data["metadata"]["issuer"] is None
    assert any(f.what == "issuer" and "我局" in f.text for f in r.findings)


def test_round_huitoukan_and_issuer_from_title():
    text = "中共青岚市委关于省委巡视“回头看”整改进展情况的通报\n" + notice(body="省委", team="省委第七巡视组", kind="巡视“回头看”")
    meta = import_notice(text).data["metadata"]
    assert meta["issuer"] == "中共青岚市委"
    assert meta["inspection"]["round"] == "省委巡视“回头看”"
    assert meta["special"] == ["回头看"]


def test_unreadable_signature_date_keeps_its_text():
    r = import_notice(notice() + "\n中共临江市水利局党组\n2022年13月40日")
    sig = r.data["metadata"]["signature"]
    assert sig["signer"] == "中共临江市水利局党组"
    assert sig == {"signer": "中共临江市水利局党组", "date": None, "date_text": "2022年13月40日"}
    assert any(f.what == "date" and f.level == "warning" for f in r.findings)
