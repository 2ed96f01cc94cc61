"""The phrases of a notice closest to a search term that found nothing.

Candidates are runs of characters in the notice (never across punctuation or spaces) from one
shorter to two longer than the term, at least two, that share at least half of the term's
characters. They are ranked by a weighted edit distance
that models how readers mistype Chinese: a character the input method swapped for a homophone
(公车管里 for 公车管理) costs little, a character left out of the query (公务车 for 公务用车)
costs a little more, a wrong or extra character costs most. A Latin term is compared as pinyin
with the candidates' readings instead. Ties go to the phrase that occurs more often, then to
the one met first.

Several terms that found nothing are ranked together (:func:`closest_to_any`): the notice is
cut into runs once, and the closest phrases overall are chosen, so a term with only poor
candidates cannot crowd out another term's near miss. Only the windows that hold half the
term's characters are looked at, found from where those characters are in each run.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from rectcli.textfold import fold_canonical

LONGEST = 24  # longer terms get no suggestions: every candidate would be a poor match anyway
_RUN = re.compile(r"[^\W_]+")  # letters, digits and Han characters; stops at punctuation and spaces

SAME, HOMOPHONE, LEFT_OUT, WRONG = 0.0, 0.25, 0.5, 1.0


def closest_phrases(texts: Sequence[str], term: str, limit: int = 5) -> list[str]:
    """Up to ``limit`` phrases of ``texts`` close to ``term``, best first."""
    return closest_to_any(texts, [term], limit)


def closest_to_any(texts: Sequence[str], terms: Sequence[str], limit: int = 5) -> list[str]:
    """Up to ``limit`` phrases of ``texts`` close to any of ``terms``, best first, ranked once
    for all of them (each phrase by its cost to the term it is closest to)."""
    runs = [m.group() for text in texts for m in _RUN.finditer(fold_canonical(text))]
    return closest_among(list(Counter(runs).items()), terms, limit)


def closest_among(runs: Sequence[tuple[str, int]], terms: Sequence[str], limit: int = 5) -> list[str]:
    """:func:`closest_to_any` over runs already cut and folded, each with how often it occurs,
    in order of first occurrence (a library's phrases, with their counts)."""
    wanted: dict[str, str] = {}  # folded query → the term as typed
    for term in terms:
        query = fold_canonical(term.strip())
        if query and len(query) <= LONGEST:
            wanted.setdefault(query, term)
    if not wanted:
        return []
    from rectcli.pinyin import spelling

    # phrase → (cost, how often it occurs), the best over the terms
    kept: dict[str, tuple[float, int]] = {}
    for query, term in wanted.items():
        spelled = spelling(term)  # None for anything but letters and separators, Han included
        scored = _by_pinyin(runs, spelled.letters) if spelled else _by_characters(runs, query)
        if not scored:
            continue
        best = min(cost for cost, _ in scored.values())
        for phrase, (cost, seen) in scored.items():
            # a near miss must be nearly as good as the best one, and a poor one must recur:
            # a run of characters met once is more likely a fragment than a phrase
            if cost <= best + LEFT_OUT and (cost < WRONG or seen > 1):
                if phrase not in kept or cost < kept[phrase][0]:
                    kept[phrase] = (cost, seen)
    joined = "\n".join(run for run, _ in runs)  # ties: the phrase met first, then the shorter
    ranked = sorted(kept, key=lambda phrase: (kept[phrase][0], -kept[phrase][1], joined.find(phrase), len(phrase)))
    chosen: list[str] = []
    for phrase in ranked:
        if any(_overlap(phrase, c) for c in chosen):
            continue
        chosen.append(phrase)
        if len(chosen) == limit:
            break
    return chosen


def _overlap(a: str, b: str) -> bool:
    """True if ``a`` and ``b`` share a stretch as long as the shorter minus one character
    (公务用 beside 公务用车, 化党风廉政建 beside 党风廉政建设): one adds nothing to the other."""
    shorter, longer = sorted((a, b), key=len)
    size = max(2, len(shorter) - 1)
    return any(shorter[i:i + size] in longer for i in range(len(shorter) - size + 1))


def _by_characters(runs: Sequence[tuple[str, int]], query: str) -> dict[str, tuple[float, int]]:
    n = len(query)
    budget = max(1.0, 0.34 * n)
    others = {ord(ch): None for ch in query}  # str.translate leaves a window's other characters
    need = max(1, n // 2)
    # a candidate shares at least half the query's characters as they are (a cheap test that
    # spares the edit distance for almost every window); a run with fewer has no such window
    near = [(run, seen, [i for i, ch in enumerate(run) if ord(ch) in others])
            for run, seen in runs if len(run) - len(run.translate(others)) >= need]
    swaps: dict[str, dict[str, float]] = {q: {q: SAME} for q in query}
    scored = {}
    for size in range(max(2, n - 1), min(n + 2, LONGEST) + 1):
        windows: Counter[str] = Counter()
        for run, seen, at in near:
            # only the windows that hold ``need`` of the query's characters: those starting
            # where the k-th and the (k + need - 1)-th of them both fit in ``size``
            starts: set[int] = set()
            for k in range(len(at) - need + 1):
                starts.update(range(max(0, at[k + need - 1] - size + 1), min(at[k], len(run) - size) + 1))
            for i in starts:
                windows[run[i:i + size]] += seen
        for window, seen in windows.items():
            if window == query:
                continue
            cost = _distance(query, window, swaps)
            if cost <= budget:
                scored[window] = (cost, seen)
    return scored


def _distance(query: str, phrase: str, swaps: dict[str, dict[str, float]]) -> float:
    """Weighted edit distance from ``query`` to ``phrase`` (see the module docstring); ``swaps``:
    the cost of putting each phrase character for each query character, filled as met."""
    prev = [j * LEFT_OUT for j in range(len(phrase) + 1)]
    for i, q in enumerate(query, 1):
        cur = [i * WRONG]
        costs = swaps[q]
        for j, p in enumerate(phrase, 1):
            swap = costs.get(p)
            if swap is None:
                swap = costs[p] = HOMOPHONE if _homophones(q, p) else WRONG
            cur.append(min(prev[j - 1] + swap, prev[j] + WRONG, cur[j - 1] + LEFT_OUT))
        prev = cur
    return prev[-1]


def _homophones(a: str, b: str) -> bool:
    return not _reading_set(a).isdisjoint(_reading_set(b))


@lru_cache(maxsize=8192)
def _reading_set(ch: str) -> frozenset[str]:
    """Every toneless reading of a character (the edit distance asks for each pair it compares)."""
    from rectcli.pinyin import readings

    return frozenset(readings(ch))


def _by_pinyin(runs: Sequence[tuple[str, int]], letters: str) -> dict[str, tuple[float, int]]:
    """Han phrases whose first reading spells something within a small edit distance of ``letters``."""
    budget = max(1, len(letters) // 4)
    found: Counter[str] = Counter()
    costs: dict[str, float] = {}  # spelling → its distance from the letters
    spent: dict[str, float] = {}  # phrase → its distance
    first = _FirstReadings()
    for run, seen in runs:
        spelled = run.translate(first).split("\0")  # a run holds no NUL: letters and digits only
        for start in range(len(run)):
            if not spelled[start].startswith(letters[0]):
                continue
            text = ""
            for stop in range(start, min(len(run), start + 12)):
                text += spelled[stop]
                if len(text) > len(letters) + budget:
                    break
                if len(text) >= len(letters) - budget and stop > start:
                    cost = costs.get(text)  # by spelling: homophone phrases cost the same
                    if cost is None:
                        cost = costs[text] = float(_levenshtein(letters, text, budget))
                    if cost <= budget:
                        phrase = run[start:stop + 1]
                        found[phrase] += seen
                        spent[phrase] = cost
    return {phrase: (spent[phrase], seen) for phrase, seen in found.items()}


class _FirstReadings(dict):  # type: ignore[type-arg]
    """code point → the character's first reading and a NUL (the character itself if it has no
    reading), filled as characters are met: for str.translate."""

    def __missing__(self, code: int) -> str:
        from rectcli.pinyin import readings

        ch = chr(code)
        out = self[code] = (readings(ch) or (ch,))[0] + "\0"
        return out


def _levenshtein(a: str, b: str, limit: int) -> int:
    """The edit distance from ``a`` to ``b`` if it is at most ``limit``, else ``limit + 1``: only
    the cells within ``limit`` of the diagonal are computed, and it stops once a row exceeds it."""
    over = limit + 1
    if abs(len(a) - len(b)) > limit:
        return over
    prev = [min(j, over) for j in range(len(b) + 1)]
    for i, x in enumerate(a, 1):
        cur = [over] * (len(b) + 1)
        cur[0] = low = min(i, over)
        for j in range(max(1, i - limit), min(len(b), i + limit) + 1):
            v = min(prev[j - 1] + (x != b[j - 1]), prev[j] + 1, cur[j - 1] + 1, over)
            cur[j] = v
            if v < low:
                low = v
        if low > limit:
            return over
        prev = cur
    return prev[-1]
