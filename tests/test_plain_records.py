"""Plain output's records and the terminal-safety of every text written: held to references
written here, over any fields (hypothesis)."""

from __future__ import annotations

import io
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from rectcli.output.render import Mode, Out
from rectcli.output.textsafe import printable

BIDI = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def reference_printable(text: str, keep_newlines: bool = True) -> str:
    out = []
    for i, ch in enumerate(text):
        code = ord(ch)
        kept = keep_newlines and (ch in "\t\n" or (ch == "\r" and text[i + 1:i + 2] == "\n"))
        if (code < 0x20 and not kept) or 0x7F <= code <= 0x9F or code in BIDI:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def reference_record(fields: list[object]) -> str:
    texts = ["" if f is None else str(f) for f in fields]
    return "\t".join(t.replace("\t", " ").replace("\n", " ") for t in texts) + "\n"


# text that is mostly harmless, with the characters that matter often enough to be drawn
TEXT = st.text(alphabet=st.one_of(st.sampled_from("公车\t\n\r\x1b\x85\u202e\u2067\u061c\u200f\x7f\x00 ,a1"),
                                  st.characters()), max_size=30)
FIELD = st.one_of(st.none(), st.integers(-10**6, 10**6), TEXT)


@settings(max_examples=400, deadline=None)
@given(TEXT, st.booleans())
def test_printable_escapes_exactly_the_unsafe_characters(text: str, keep: bool) -> None:
    assert printable(text, keep_newlines=keep) == reference_printable(text, keep)


def _written(rows: list[list[object]]) -> str:
    buf = io.StringIO()
    real, sys.stdout = sys.stdout, buf
    try:
        Out(Mode.PLAIN, "test").records(rows)
    finally:
        sys.stdout = real
    return buf.getvalue()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(FIELD, min_size=1, max_size=6), max_size=5))
def test_records_are_tab_separated_lines_whatever_the_fields(rows: list[list[object]]) -> None:
    # strings only, numbers and None, tabs and line breaks inside fields: one line per record,
    # as many tabs as separators, control characters escaped
    expected = reference_printable("".join(reference_record(r) for r in rows))
    assert _written(rows) == expected
    assert _written([tuple(r) for r in rows]) == expected
