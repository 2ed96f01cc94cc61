"""Chinese line breaking: numbers and ids stay whole, kinsoku holds, wide characters line up.

The expected lines below are worked out by hand from the rules in rectcli.output.linebreak's docstring
(Han characters are 2 columns, ASCII 1), never produced by the code under test.
"""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from rectcli.output.linebreak import break_lines, measure
from rectcli.output.richwrap import WrapText, wrap_text
from tests.conftest import ANSI, run

# the brief's kinsoku sets
CLOSING = set("。，、；：？！）》」』】〉”’％,.;:!?)…")
OPENING = set("（《「『【〈“‘(")
HAN = re.compile(r"[\u4e00-\u9fff]{2}")  # two adjacent ideographs: always a break opportunity
RUN = re.compile(r"[A-Za-z0-9.]+")

# sentences of the notice (tests/fixtures/notice-source.txt, lines 11, 63 and 15)
OUTCOME = "清退款项120.747万元,直接挽回经济损失618.5622万元。"
CARS = "(四)加强公车管理。严格执行有关规定要求,第一时间停止发放异地任职委领导定额交通补贴。"
STUDY = "制定出台《新区完善学习制度规定》、《新区党工委理论学习中心组学习实施细则》。"


def cols(s: str) -> int:
    """Display columns, by the spec: W/F are 2, marks/format/control 0 (a tab 1), others 1."""
    total = 0
    for ch in s:
        if ch != "\t" and unicodedata.category(ch) in ("Mn", "Me", "Cf", "Cc"):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def lines_of(text: str, width: int) -> list[str]:
    return [text[s:e] for s, e in break_lines(text, width)]


# ------------------------------------------------------------------ hand-worked examples


@pytest.mark.parametrize(("text", "width", "expected"), [
    # 3 ideographs a line; 。 may not start a line, so 理 comes down with it
    ("加强公车管理。严格执行", 6, ["加强公", "车管", "理。严", "格执行"]),
    # 120.747 (7 columns) never splits while it fits
    ("共清退款项120.747万元", 8, ["共清退款", "项", "120.747", "万元"]),
    ("共清退款项120.747万元", 10, ["共清退款项", "120.747万", "元"]),
    ("共清退款项120.747万元", 7, ["共清退", "款项", "120.747", "万元"]),
    # 《 may not end a line (pushed down), 》 may not start one (法 comes with it)
    ("依照《办法》执行", 6, ["依照", "《办", "法》执", "行"]),
    # an id is one token
    ("见opening.3和", 9, ["见", "opening.3", "和"]),
    ("见opening.3和", 11, ["见opening.3", "和"]),
    ("措施6.4加强", 4, ["措施", "6.4", "加强"]),
    # the digits of a year stay together; a number keeps the character after it while it can
    ("2022年4月", 5, ["2022", "年4月"]),
    ("2022年4月", 6, ["2022年", "4月"]),
    ("共175字", 5, ["共", "175字"]),
    ("立案32件,了结31件", 7, ["立案", "32件,了", "结31件"]),
    ("培育壮大 175字", 12, ["培育壮大", "175字"]),
    # ASCII comma and parentheses of the notice obey the same rules
    ("要求,第一", 4, ["要", "求,", "第一"]),
    ("要求,第一", 5, ["要求,", "第一"]),
    ("(四)加强", 4, ["(四)", "加强"]),
    # spaces at a break are dropped; trailing spaces at the end stay while they fit
    ("hello world  foo   ", 7, ["hello", "world", "foo   "]),
    ("hello world  foo   ", 4, ["hell", "o", "worl", "d", "foo "]),
    # leading spaces that cannot fit before the first character are dropped with the break
    ("   abc", 2, ["ab", "c"]),
    ("  ab", 5, ["  ab"]),
    # a token longer than the width splits at the width, as a last resort ...
    ("共清退款项120.747万元", 4, ["共清", "退款", "项", "120.", "747", "万元"]),
    # ... preferring a place after a sign to one inside a word
    ("ab/cdef/gh", 6, ["ab/", "cdef/", "gh"]),
    # width < 1 counts as 1; a character wider than the width stands alone
    ("中文", 0, ["中", "文"]),
    ("中文", -3, ["中", "文"]),
    ("中文ab", 1, ["中", "文", "a", "b"]),
])
def test_hand_worked_lines(text, width, expected):
    assert lines_of(text, width) == expected


def test_newlines_end_lines_and_belong_to_none():
    assert break_lines("a\n\nb\n", 3) == [(0, 1), (2, 2), (3, 4), (5, 5)]
    assert break_lines("", 5) == [(0, 0)]
    assert break_lines("\n", 5) == [(0, 0), (1, 1)]
    # wrapping happens inside each paragraph
    assert lines_of("公车管理\n严格执行", 4) == ["公车", "管理", "严格", "执行"]


def test_text_that_fits_comes_back_whole():
    text = "立案32件, 了结31件\n\n清退款项120.747万元。"
    assert ["".join(text[s:e] for s, e in break_lines(text, 80))] == [text.replace("\n", "")]
    assert lines_of(text, 80) == text.split("\n")


def test_combining_marks_stay_with_their_character():
    # e + U+0301 is one column; the break comes after the mark, never before it
    assert lines_of("abe\u0301 xy", 3) == ["abe\u0301", "xy"]
    assert lines_of("中\u0301文", 1) == ["中\u0301", "文"]


def test_measure_minimum_is_the_widest_token_and_maximum_the_widest_paragraph():
    assert measure("共清退款项120.747万元") == (9, 21)  # 120.747万: a number keeps the next character
    assert measure("abc defg\nxy") == (4, 8)
    assert measure("依照《办法》执行") == (4, 16)  # 《办 and 法》 are the widest pieces
    assert measure("") == (0, 0)


@pytest.mark.parametrize("width", range(8, 40))
def test_notice_numbers_never_split_and_kinsoku_holds(width):
    lines = lines_of(OUTCOME, width)
    assert "".join(lines) == OUTCOME
    assert sum("120.747" in line for line in lines) == 1
    assert sum("618.5622" in line for line in lines) == 1
    assert all(cols(line) <= width for line in lines)
    assert not any(line[0] in CLOSING for line in lines[1:])


@pytest.mark.parametrize("width", range(6, 40))  # 定》、 is 6 columns with no break allowed inside
def test_notice_titles_keep_their_brackets_on_the_right_line(width):
    for text in (CARS, STUDY):
        lines = lines_of(text, width)
        assert "".join(lines) == text
        assert not any(line[0] in CLOSING for line in lines[1:]), lines
        assert not any(line[-1] in OPENING for line in lines[:-1]), lines
        assert all(cols(line) <= width for line in lines)


# ------------------------------------------------------------------ properties

HAN_CHARS = "加强公车管理严格执行规定要求第一时间清退款项万元新区办法"
PUNCT_WIDE = "。，、；：？！（）《》「」『』【】〈〉％"
PUNCT_NARROW = "“”‘’…—,.;:!?()-/%\"'"
ASCII_WORD = "abcopeng0123456789."
EVERYTHING = (HAN_CHARS + PUNCT_WIDE + PUNCT_NARROW + ASCII_WORD
              + "  \t\n" + "\u0301\u200b\u3000ッャー１２😀é_")
SIMPLE = HAN_CHARS + PUNCT_WIDE + PUNCT_NARROW + ASCII_WORD + "   \n"


def paragraph_flags(text: str, spans: list[tuple[int, int]]) -> tuple[list[bool], list[bool]]:
    """For each line: does it start its paragraph, does it end it (judged by the gaps' newlines)."""
    first = [True] + ["\n" in text[spans[k - 1][1]:spans[k][0]] for k in range(1, len(spans))]
    last = first[1:] + [True]
    return first, last


def one_cluster(line: str) -> bool:
    return len(line) >= 1 and cols(line[1:]) == 0


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.sampled_from(EVERYTHING), max_size=80), st.integers(-2, 80))
@example("   \n  中", 1)
@example("abc    。", 4)
@example("《 中文", 2)
def test_lines_cover_the_text_fit_and_obey_kinsoku(text, width):
    spans = break_lines(text, width)
    w = max(1, width)
    # in order, inside the text, no overlap
    assert all(0 <= s <= e <= len(text) for s, e in spans)
    assert all(spans[k][1] <= spans[k + 1][0] for k in range(len(spans) - 1))
    # what no line holds is spaces and newlines only, one newline at most between two lines,
    # and every newline of the text is in such a gap
    bounds = [0, *(o for span in spans for o in span), len(text)]
    gaps = [text[bounds[k]:bounds[k + 1]] for k in range(0, len(bounds), 2)]
    assert all(set(g) <= set(" \t\n") for g in gaps), gaps
    assert all(g.count("\n") <= 1 for g in gaps[1:-1]) and "\n" not in gaps[0] + gaps[-1]
    assert sum(g.count("\n") for g in gaps) == text.count("\n")
    lines = [text[s:e] for s, e in spans]
    # every line fits, unless it is one character (and its marks) wider than the width
    assert all(cols(line) <= w or one_cluster(line) for line in lines), lines
    first, last = paragraph_flags(text, spans)
    for k, line in enumerate(lines):
        # a line starts with closing punctuation only when nothing on the line before could
        # have come down with it (no two adjacent ideographs there)
        if line and line[0] in CLOSING and not first[k]:
            assert not HAN.search(lines[k - 1]), (lines[k - 1], line)
        # a line ends with opening punctuation only when it could not break elsewhere
        if line and line[-1] in OPENING and not last[k]:
            assert not HAN.search(line), (line, lines[k + 1])
        # no line starts with a space after a break
        if not first[k]:
            assert not line.startswith((" ", "\t"))


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.sampled_from(SIMPLE), max_size=80), st.integers(1, 80))
@example("见opening.3和", 10)
@example("((abc", 4)
@example("x-abcd-efgh", 6)
def test_runs_of_letters_digits_and_dots_shorter_than_the_width_never_split(text, width):
    spans = break_lines(text, width)
    for run in RUN.finditer(text):
        if run.end() - run.start() < width:
            assert any(s <= run.start() and run.end() <= e for s, e in spans), (run.group(), spans)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(EVERYTHING), max_size=60))
def test_at_the_measured_widths_nothing_is_forced(text):
    minimum, maximum = measure(text)
    assert minimum <= maximum
    assert maximum == max(cols(p) for p in text.split("\n"))
    # at the maximum every paragraph is one line
    assert [text[s:e] for s, e in break_lines(text, max(1, maximum))] == text.split("\n")
    # at the minimum no rule needs breaking: no closing punctuation starts a line, no opening
    # one ends a line, no run of letters, digits and dots is cut
    width = max(1, minimum)
    spans = break_lines(text, width)
    lines = [text[s:e] for s, e in spans]
    first, last = paragraph_flags(text, spans)
    assert not any(line[:1] in CLOSING and not first[k] for k, line in enumerate(lines) if line), lines
    assert not any(line[-1:] in OPENING and not last[k] for k, line in enumerate(lines) if line), lines
    for run in RUN.finditer(text):
        assert any(s <= run.start() and run.end() <= e for s, e in spans), (run.group(), lines)


def test_a_long_text_wraps_whole():
    # 200 000 characters in one call (the filler is linear; a quadratic one would not finish)
    text = (CARS + "see https://example.com/a/b " + OUTCOME) * 2000
    lines = lines_of(text, 17)
    assert all(cols(line) <= 17 for line in lines)
    assert sum("120.747" in line for line in lines) == 2000
    assert "".join(lines) == text.replace(" ", "")


# ------------------------------------------------------------------ Rich


def console(width: int, **kw) -> Console:
    return Console(width=width, force_terminal=True, color_system=None, file=io.StringIO(), **kw)


def printed(width: int, renderable) -> list[str]:
    c = console(width)
    c.print(renderable)
    return c.file.getvalue().splitlines()


def check_rules(lines: list[str], text: str, width: int) -> None:
    from rich.cells import cell_len

    assert all(cell_len(line) <= width for line in lines), lines
    assert "".join(line.strip() for line in lines) == text.replace(" ", "")
    content = [line.strip() for line in lines if line.strip()]
    assert not any(line[0] in CLOSING for line in content[1:]), content
    assert not any(line[-1] in OPENING for line in content[:-1]), content
    for token in ("120.747", "618.5622"):
        if token in text:
            assert sum(token in line for line in content) == 1, content


@pytest.mark.parametrize("width", [10, 13, 16, 21, 30, 44])
def test_printed_wraptext_obeys_the_rules(width):
    for text in (OUTCOME, CARS, STUDY):
        check_rules(printed(width, WrapText(Text(text))), text, width)


@pytest.mark.parametrize("width", [24, 27, 31, 40, 52])
def test_wraptext_in_a_table_cell_obeys_the_rules(width):
    table = Table("编号", "内容")
    table.add_row("1.0", WrapText(Text(OUTCOME)))
    table.add_row("6.4", WrapText(Text(CARS)))
    lines = printed(width, table)
    assert all(len(line) <= width for line in lines)
    cells = {"1.0": [], "6.4": []}
    row = None
    for line in lines:
        parts = line.split("│")
        if len(parts) == 4:
            row = parts[1].strip() or row
            if row in cells:
                cells[row].append(parts[2].rstrip())
    check_rules(cells["1.0"], OUTCOME, width)
    check_rules(cells["6.4"], CARS, width)


@pytest.mark.parametrize("width", [14, 19, 26, 33])
def test_wraptext_as_tree_label_obeys_the_rules(width):
    tree = Tree(WrapText(Text(STUDY)))
    tree.add(WrapText(Text(OUTCOME)))
    lines = printed(width, tree)
    assert all(len(line) <= width for line in lines)
    split = next(k for k, line in enumerate(lines) if line.startswith("└── "))
    check_rules(lines[:split], STUDY, width)
    check_rules([line[4:] for line in lines[split:]], OUTCOME, width)


def test_wraptext_keeps_styles_and_highlights_across_lines():
    text = "严格执行有关规定要求,第一时间停止发放"
    # 规定要求 highlighted (offsets 6..10), whole text bold
    c = Console(width=12, force_terminal=True, color_system="truecolor", file=io.StringIO())
    segments = list(c.render(wrap_text(text, [(6, 10)], style="bold")))
    seen = ""
    for seg in segments:
        for ch in seg.text:
            if ch in text and ch not in seen:
                seen += ch
                assert seg.style is not None and seg.style.bold, (ch, seg)
                lit = seg.style.bgcolor is not None and seg.style.bgcolor.name == "yellow"
                assert lit == (ch in "规定要求"), (ch, seg)
    assert seen == "严格执行有关规定要求,第一时间停止发放"
    assert "".join(seg.text for seg in segments).count("\n") >= 3  # it did wrap


def test_wraptext_measures_its_tokens_for_tables():
    c = console(80)
    m = Measurement.get(c, c.options, WrapText(Text("共清退款项120.747万元")))
    assert (m.minimum, m.maximum) == (9, 21)
    narrow = console(5)
    assert Measurement.get(narrow, narrow.options, WrapText(Text("共清退款项120.747万元"))).minimum == 5


def test_wraptext_right_justify_and_blank_lines():
    c = console(10)
    c.print(WrapText(Text("120.747\n\n万元", justify="right")))
    assert [line.rstrip() for line in c.file.getvalue().splitlines()] == ["   120.747", "", "      万元"]


def test_wraptext_without_wrapping_acts_like_text():
    c = console(6)
    c.print(WrapText(Text("abcdefghij", no_wrap=True, overflow="crop")))
    assert c.file.getvalue() == "abcdef\n"


# ------------------------------------------------------------------ the commands



def rich_run(*args: str, width: int) -> list[str]:
    r = run("--color", "always", *args, env={"COLUMNS": str(width)})
    assert r.exit_code == 0, r.output
    return ANSI.sub("", r.stdout).splitlines()


@pytest.mark.parametrize("width", [23, 29, 37])
def test_show_opening_keeps_numbers_whole_and_kinsoku(width):
    # opening.3 holds the outcome figures (立案32件 … 清退款项120.747万元 … 618.5622万元。)
    lines = [line for line in rich_run("show", "opening.3", width=width) if line.strip()]
    body = [line for line in lines if not line.startswith("opening.3")]
    assert sum("120.747" in line for line in body) == 1
    assert sum("618.5622" in line for line in body) == 1
    assert not any(line.strip()[0] in CLOSING for line in body[1:])


@pytest.mark.parametrize("width", [41, 44, 46, 48, 49, 53])
def test_show_measure_never_starts_a_line_with_closing_punctuation(width):
    lines = [line.strip() for line in rich_run("show", "6.4", width=width) if line.strip()]
    start = next(k for k, line in enumerate(lines) if line.startswith("(四)加强公车管理"))
    body: list[str] = []
    for line in lines[start:]:  # the body ends with the measure's last sentence
        body.append(line)
        if "".join(body).endswith("所有公务用车做到了严格规范管理和使用。"):
            break
    assert "".join(body).startswith("(四)加强公车管理。严格执行有关规定要求,第一时间停止发放")
    assert not any(line[0] in CLOSING for line in body[1:]), body
    assert not any(line[-1] in OPENING for line in body[:-1]), body
