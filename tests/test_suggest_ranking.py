"""The suggestion ranking's candidates (rectcli.suggest) against plain references written here:
for a Han term, every window of every run, of one shorter to two longer than the term, that
shares at least half its characters, with its weighted edit distance computed cell by cell; for
a pinyin term, every stretch whose first readings are within a quarter of its letters in edits.
The ranking looks only at some windows, bounds its distances and caches costs; it must score
exactly the same candidates."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from rectcli import suggest
from rectcli.pinyin import readings

# homophones among them: 公 工 功 (gong), 理 里 (li), 车 (che), 管 (guan), 务 (wu) 用 (yong)
ALPHABET = "公工功车管理里务用"


def reference(runs: list[tuple[str, int]], query: str) -> dict[str, tuple[float, int]]:
    n = len(query)
    budget = max(1.0, 0.34 * n)
    need = max(1, n // 2)
    counts: Counter[str] = Counter()
    for size in range(max(2, n - 1), min(n + 2, suggest.LONGEST) + 1):
        for run, seen in runs:
            for i in range(len(run) - size + 1):
                counts[run[i:i + size]] += seen
    out = {}
    for window, seen in counts.items():
        shared = sum(1 for ch in window if ch in query)
        if window == query or shared < need:
            continue
        cost = edit(query, window)
        if cost <= budget:
            out[window] = (cost, seen)
    return out


def edit(a: str, b: str) -> float:
    table = [[0.0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for j in range(len(b) + 1):
        table[0][j] = j * 0.5          # a character of the phrase the query left out
    for i in range(1, len(a) + 1):
        table[i][0] = i * 1.0          # an extra character of the query
        for j in range(1, len(b) + 1):
            x, y = a[i - 1], b[j - 1]
            swap = 0.0 if x == y else (0.25 if set(readings(x)) & set(readings(y)) else 1.0)
            table[i][j] = min(table[i - 1][j - 1] + swap, table[i - 1][j] + 1.0, table[i][j - 1] + 0.5)
    return table[len(a)][len(b)]


runs_strategy = st.lists(st.tuples(st.text(ALPHABET, min_size=2, max_size=14), st.integers(1, 3)),
                         min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(runs_strategy, st.text(ALPHABET, min_size=1, max_size=6))
def test_the_candidates_scored_are_the_reference_ones(runs, query) -> None:
    assert suggest._by_characters(runs, query) == reference(runs, query)


def test_a_homophone_costs_a_quarter_and_a_left_out_character_a_half() -> None:
    runs = [("加强公车管理", 2), ("公务用车", 1)]
    assert suggest._by_characters(runs, "公车管里")["公车管理"] == (0.25, 2)
    assert suggest._by_characters(runs, "公务车")["公务用车"] == (0.5, 1)


def levenshtein(a: str, b: str) -> int:
    table = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            table[i][j] = min(table[i - 1][j - 1] + (a[i - 1] != b[j - 1]), table[i - 1][j] + 1, table[i][j - 1] + 1)
    return table[len(a)][len(b)]


@settings(max_examples=500, deadline=None)
@given(st.text("abcn", max_size=12), st.text("abcn", max_size=12), st.integers(0, 5))
def test_the_bounded_edit_distance_is_the_distance_or_one_past_the_bound(a, b, limit) -> None:
    assert suggest._levenshtein(a, b, limit) == min(levenshtein(a, b), limit + 1)


def pinyin_reference(runs: list[tuple[str, int]], letters: str) -> dict[str, tuple[float, int]]:
    """Every stretch of two to twelve characters of a run whose first readings, written one after
    another, start with the letters' first letter and are within len // 4 edits of the letters."""
    budget = max(1, len(letters) // 4)
    found: dict[str, tuple[float, int]] = {}
    for run, seen in runs:
        for start in range(len(run)):
            for stop in range(start + 2, min(len(run), start + 12) + 1):
                spelled = "".join((readings(ch) or (ch,))[0] for ch in run[start:stop])
                if not spelled.startswith(letters[0]) or len(spelled) > len(letters) + budget:
                    continue
                if len(spelled) < len(letters) - budget or levenshtein(letters, spelled) > budget:
                    continue
                phrase = run[start:stop]
                cost = float(levenshtein(letters, spelled))
                found[phrase] = (cost, found.get(phrase, (cost, 0))[1] + seen)
    return found


@settings(max_examples=200, deadline=None)
@given(runs_strategy, st.sampled_from(["gongche", "gongchi", "guanli", "gonggongwu", "yongche", "liche", "wuyong"]))
def test_the_pinyin_candidates_are_the_reference_ones(runs, letters) -> None:
    assert suggest._by_pinyin(runs, letters) == pinyin_reference(runs, letters)
