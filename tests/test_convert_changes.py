"""rectcli.convert answers without OpenCC for a text that has none of the characters OpenCC's
dictionaries may change, and converts one character at a time a text no longer dictionary key
or Taiwan/Hong Kong/normalisation step touches (vocab/opencc_changes.txt). Checked against
OpenCC itself: every character outside the table is left alone by every conversion rectcli
uses, every text is given the forms OpenCC gives it, and the table is what
scripts/opencc_changes.py makes from the installed dictionaries."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rectcli import convert, vocab

ROOT = Path(__file__).resolve().parents[1]
TABLE = convert.changing()
needs_table = pytest.mark.skipif(
    TABLE is None, reason="the installed OpenCC's dictionaries are not those the table was made from: "
                          "rectcli asks OpenCC about every text (run scripts/opencc_changes.py)")
HAN_BLOCKS = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2A6DF)]


def converters() -> list[opencc.OpenCC]:
    return [opencc.OpenCC(config) for config in convert.CONFIGS]


@needs_table
def test_every_character_outside_the_table_is_left_alone_by_every_conversion() -> None:
    assert TABLE is not None
    outside = "".join(chr(c) for lo, hi in HAN_BLOCKS for c in range(lo, hi + 1) if chr(c) not in TABLE)
    assert len(outside) > 60000
    lines = "\n".join(outside[i:i + 50] for i in range(0, len(outside), 50))
    for cc in converters():
        assert cc.convert(lines) == lines, cc.config


@needs_table
@settings(max_examples=200, deadline=None)
@given(st.data())
def test_text_outside_the_table_has_no_other_form_and_text_inside_is_asked(data) -> None:
    assert TABLE is not None
    notice = vocab.text("outcomes.yaml") + (ROOT / "data" / "notice.yaml").read_text(encoding="utf-8")
    common = sorted({ch for ch in notice if "\u4e00" <= ch <= "\u9fff"})
    text = data.draw(st.text(st.sampled_from(common + sorted(TABLE)[:400]), min_size=1, max_size=12))
    asked = [cc.convert(text) for cc in converters()]
    expected = tuple(dict.fromkeys(out for out in asked if out != text))
    assert convert.simplified_forms(text) == expected
    if TABLE.isdisjoint(text):
        assert expected == ()


@needs_table
def test_the_table_is_what_the_installed_opencc_makes() -> None:
    tool = Path(opencc.__file__).resolve().parent / "clib" / "bin" / "opencc_dict"
    if not os.access(tool, os.X_OK):
        pytest.skip("this OpenCC build ships no opencc_dict tool to read its dictionaries with")
    spec = importlib.util.spec_from_file_location("opencc_changes", ROOT / "scripts" / "opencc_changes.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.table_text(convert.CONFIGS) == vocab.text("opencc_changes.txt")


def test_a_table_made_from_other_dictionaries_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    real = vocab.text
    shipped = real("opencc_changes.txt")
    other = shipped.replace("TSCharacters.ocd2 ", "TSCharacters.ocd2 1", 1)
    assert other != shipped
    monkeypatch.setattr(vocab, "text", lambda name: other if name == "opencc_changes.txt" else real(name))

    def forget() -> None:
        for cached in (convert._sections, convert.changing, convert._one_by_one):
            cached.cache_clear()

    forget()
    try:
        assert convert.changing() is None and convert.by_character("公車") is None
        assert convert.simplified_forms("公車") == ("公车",)  # from OpenCC
        assert convert.simplified_forms("公车") == ()
    finally:
        forget()


@needs_table
def test_a_library_search_in_simplified_characters_does_not_load_opencc(tmp_path: Path) -> None:
    probe = ("import sys\nfrom rectcli.cli import app\nsys.argv = ['rectcli', 'search', sys.argv[1]]\n"
             "try:\n    app()\nexcept SystemExit:\n    pass\n"
             "sys.stderr.write(('opencc' if 'opencc' in sys.modules else 'none') + '\\n')\n")

    library = {**os.environ, "RECTCLI_LIBRARY": str(tmp_path / "lib.sqlite")}
    shimen = ROOT / "tests" / "fixtures" / "genre" / "01-shimen-town-county-xuncha.txt"
    made = subprocess.run([sys.executable, "-m", "rectcli", "add", str(shimen)], capture_output=True, text=True,
                          timeout=120, env=library)
    assert made.returncode == 0, made.stderr

    def loaded(term: str) -> tuple[str, str]:
        r = subprocess.run([sys.executable, "-c", probe, term], capture_output=True, text=True, timeout=60,
                           env=library)
        return r.stdout, r.stderr.splitlines()[-1]

    found, what = loaded("公车")
    assert what == "none" and "公车" in found
    found, what = loaded("公車")  # converted one character at a time, from the table
    assert what == "none" and "公车" in found
    found, what = loaded("裡面")  # 裡 is a Taiwan variant: OpenCC itself is asked
    assert what == "opencc"


def opencc_forms(text: str) -> tuple[str, ...]:
    """The forms as rectcli defines them, asked of OpenCC itself."""
    return tuple(dict.fromkeys(out for out in (cc.convert(text) for cc in CONVERTERS) if out != text))


CONVERTERS = converters()
ONE_BY_ONE = convert._one_by_one()


@needs_table
def test_every_changing_character_alone_is_given_what_every_conversion_makes_of_it() -> None:
    assert ONE_BY_ONE is not None and TABLE is not None
    taken = 0
    for ch in sorted(TABLE):
        alone = convert.by_character(ch)
        if alone is not None:
            taken += 1
            assert [cc.convert(ch) for cc in CONVERTERS] == [alone] * 3, ch
        assert convert.simplified_forms(ch) == opencc_forms(ch), ch
    assert taken > 4000  # most are converted from the table


@needs_table
@settings(max_examples=500, deadline=None)
@given(st.data())
def test_any_text_is_given_the_forms_opencc_gives_it(data) -> None:
    # characters of the notices, every changing one, those the Taiwan/Hong Kong/normalisation
    # tables change, and the two that begin each longer dictionary key (so that keys do match)
    assert ONE_BY_ONE is not None and TABLE is not None
    _, pairs, stepped = ONE_BY_ONE
    notice = (ROOT / "data" / "notice.yaml").read_text(encoding="utf-8")
    pieces = sorted({ch for ch in notice if "\u4e00" <= ch <= "\u9fff"} | TABLE | stepped) + sorted(pairs)
    text = "".join(data.draw(st.lists(st.sampled_from(pieces), min_size=1, max_size=6)))
    assert convert.simplified_forms(text) == opencc_forms(text)
