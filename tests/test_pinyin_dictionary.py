"""rectcli.pinyin reads pypinyin's dictionary file itself: the first few characters are found
in its text (a typed character that is in no notice of a library), then it is parsed whole; if
the file is not laid out as expected, it is parsed (or pypinyin's module is asked) instead.
Every way gives the readings pypinyin gives."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import Style, pinyin

from rectcli import pinyin as rp


def pypinyin_readings(ch: str) -> set[str]:
    """pypinyin's own answer: every toneless reading (ü as v), as its public API gives it."""
    found = pinyin(ch, style=Style.NORMAL, heteronym=True, v_to_u=False, errors=lambda _: [[]])
    return {r for r in (found[0] if found else []) if r.isascii() and r.isalpha()}


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch):
    """rectcli.pinyin as a new process has it: nothing looked up, nothing parsed."""
    monkeypatch.setattr(rp, "_KNOWN", {})
    monkeypatch.setattr(rp, "_asked", [0])
    rp._dictionary.cache_clear()
    rp._raw_dictionary.cache_clear()
    yield rp
    rp._dictionary.cache_clear()
    rp._raw_dictionary.cache_clear()


HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)


@settings(max_examples=200, deadline=None)
@given(HAN)
def test_a_character_found_in_the_text_reads_as_pypinyin_reads_it(ch: str) -> None:
    raw = rp._raw_dictionary()
    assert raw is not None  # pypinyin as installed keeps one entry per line
    found = rp._find_entry(raw, ord(ch))
    assert found == rp._dictionary().get(str(ord(ch)), "")
    assert {rp._toneless(r) for r in found.split(",") if r} == pypinyin_readings(ch)


def test_the_first_few_are_found_in_the_text_and_then_it_is_parsed(fresh) -> None:
    assert fresh.readings("曳") == ("ye",)
    assert fresh.readings("行") == ("xing", "hang", "heng")
    assert not fresh._dictionary.cache_info().currsize  # not parsed for two characters
    for code in range(0x4E00, 0x4E00 + fresh.FEW):
        fresh.readings(chr(code))
    assert fresh._dictionary.cache_info().currsize  # parsed once many are asked
    assert set(fresh.readings("绿")) == {"lv", "lu"}


@pytest.mark.parametrize("layout", ["empty", "not json", "all on one line"])
def test_a_file_laid_out_otherwise_is_parsed_or_pypinyin_asked(fresh, monkeypatch, tmp_path, layout) -> None:
    odd = tmp_path / "pinyin_dict.json"
    whole = json.dumps(fresh._dictionary(), ensure_ascii=False)
    fresh._dictionary.cache_clear()
    fresh._raw_dictionary.cache_clear()
    odd.write_text({"empty": "", "not json": "拼音", "all on one line": whole}[layout], encoding="utf-8")
    monkeypatch.setattr(fresh, "_dictionary_file", lambda: odd)
    assert fresh._raw_dictionary() is None
    assert fresh.readings("曳") == ("ye",)
    assert fresh._dictionary.cache_info().currsize


def test_no_file_at_all(fresh, monkeypatch) -> None:
    monkeypatch.setattr(fresh, "_dictionary_file", lambda: None)
    assert fresh.readings("车") == ("che", "ju")
