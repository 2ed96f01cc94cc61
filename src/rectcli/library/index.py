"""The library's search indexes: which passages a query could match, and which phrases to suggest.

The indexes only narrow the candidates; every candidate is then checked the way
:func:`rectcli.search.search` checks a passage, notice by notice (each term read as text, as
simplified characters or as pinyin by the same rules, in the same order), so a library search
finds exactly what single-notice search finds in each notice: the same passages, spans, hit counts
and relevance scores (over all the notice's passages: their count and length are stored). The
check is made cheap without changing its answer: a passage in NFC with no character that folds
into a Han character (``_UNSAFE``) is matched as stored when the query is Han characters (its
folded text agrees with it there), and pinyin is matched with one regular expression per query,
a class of the library's characters per syllable (table ``chars``); every other passage is folded
and matched by rectcli's own functions. Candidates stream from one SQL query in notice order,
one notice at a time in memory. (tests/test_library_search.py holds all of it to single-notice
search, scores included.)

Two FTS5 tables, both contentless with ``detail=none`` (they store which passages hold a token,
nothing else), are filled at ``add`` time:

``passage_text_index.tokens``
    For each passage's FOLDED text (:func:`rectcli.textfold.fold_canonical`, as the matcher sees it): every
    letter/digit character (Unicode categories L*, N* — Han, Latin, digits …) as a token, and every
    pair of adjacent such characters as a token (公车管理 → 公 车 管 理 公车 车管 管理).
    A folded query form asks for all its pairs (or its single character): any passage containing
    the form contains them all, so the candidates are a superset of the matches. Punctuation and
    spaces are no tokens, on either side, which keeps the superset (a form made only of
    punctuation cannot use the index: every passage is a candidate).

``passage_pinyin_index.tokens``
    For each Han character of the folded text, EVERY toneless reading the matcher knows
    (:func:`rectcli.pinyin.readings`: 行 → xing hang heng, 绿 → lv lu), and for every pair of
    adjacent Han characters every pair of their readings (公车 → gong0che gong0ju). A Latin query
    is split into syllables in every way the library's syllables allow (table ``syllables``,
    respecting the query's own ' - and space boundaries); a passage is a candidate if it holds all
    syllable pairs of one split. Nothing is missed: a pinyin match is a run of characters, one
    reading each, so its pairs are all in the index. (A query with more than ``MAX_SPLITS`` ways
    to split scans every passage instead.)

Traditional characters: the matcher converts the QUERY (OpenCC) and never the text, so the index
holds the text as written (folded) and the query's simplified forms are looked up beside it.

Regular expressions use no index: every passage of the selected notices is scanned, in batches,
each bounded by the matcher's own time limit.

Suggestions come from the table ``phrases`` (every run of letters/digits between punctuation in
any notice, with how often it occurs in the library) and its FTS5 indexes ``phrase_text_index``
(characters and character pairs) and ``phrase_pinyin_index`` (the first reading of each Han character), both kept at ``add``/``remove``
time, never by rescanning the text; candidates are ranked with :mod:`rectcli.suggest`'s weighted
distance.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections import Counter

from rectcli.textfold import fold_canonical as fold, is_han  # the matcher's folding (NFC, width, case)

MAX_SPLITS = 64          # ways to split a pinyin query into syllables before giving up the index
SUGGEST_CANDIDATES = 3000  # phrase runs ranked for one suggestion, most frequent first
SELECTION_TEXT = 200_000   # a selection of notices with at most this much text: suggestions from its text
VERIFIED = 20              # a larger selection: the library's closest phrases looked for in it, at most


# ---------------------------------------------------------------- tokens


def _is_token_char(ch: str) -> bool:
    """A letter or digit (Unicode L* or N*: what unicode61 keeps as token characters)."""
    return ch.isalnum()


_TOKEN_RUN = re.compile(r"[^\W_]+")  # runs of str.isalnum() characters


def text_tokens(folded: str) -> list[str]:
    """The distinct character and character-pair tokens of folded text, sorted (deterministic:
    a contentless FTS5 row is deleted by giving the same tokens again)."""
    out: set[str] = set()
    for run in _TOKEN_RUN.findall(folded):
        out.update(run)
        out.update(map(str.__add__, run, run[1:]))
    return sorted(out)


_HAN_RUN = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U000323af]+")
_READINGS: dict[str, tuple[str, ...]] = {}
_PAIRS: dict[str, tuple[str, ...]] = {}


def _readings(ch: str) -> tuple[str, ...]:
    rs = _READINGS.get(ch)
    if rs is None:
        from rectcli.pinyin import readings

        rs = _READINGS[ch] = readings(ch)
    return rs


def pinyin_tokens(folded: str) -> tuple[list[str], set[str]]:
    """The reading and reading-pair tokens of folded text (sorted), and the readings seen."""
    seen: set[str] = set()
    for run in _HAN_RUN.findall(folded):
        for ch in run:
            seen.update(_readings(ch))
    return sorted(set(pinyin_token_string(folded).split())), seen


def _pair_tokens(bg: str) -> str:
    pairs = _PAIRS.get(bg)
    if pairs is None:
        pairs = _PAIRS[bg] = tuple(f"{a}0{b}" for a in _readings(bg[0]) for b in _readings(bg[1]))
    return " ".join(pairs)


_RUN_TEXT: dict[str, str] = {}
_RUN_PINYIN: dict[str, str] = {}
RUN_CACHE = 20_000  # runs whose tokens are kept while adding (notices repeat their phrases)


def _text_run(run: str) -> str:
    out = _RUN_TEXT.get(run)
    if out is None:
        if len(_RUN_TEXT) >= RUN_CACHE:
            _RUN_TEXT.clear()
        out = " ".join(run)
        if len(run) > 1:
            out += " " + " ".join(map(str.__add__, run, run[1:]))
        _RUN_TEXT[run] = out
    return out


def _pinyin_run(run: str) -> str:
    out = _RUN_PINYIN.get(run)
    if out is None:
        if len(_RUN_PINYIN) >= RUN_CACHE:
            _RUN_PINYIN.clear()
        parts = [" ".join(_readings(ch)) for ch in dict.fromkeys(run)]
        parts.extend(_pair_tokens(bg) for bg in dict.fromkeys(map(str.__add__, run, run[1:])))
        out = _RUN_PINYIN[run] = " ".join(p for p in parts if p)
    return out


def text_token_string(folded: str) -> str:
    """:func:`text_tokens` as the string given to FTS5: the same tokens, run by run, possibly
    repeated (FTS5 keeps a token once per row: the set is what counts, for a delete too)."""
    return " ".join(map(_text_run, _TOKEN_RUN.findall(folded)))


def pinyin_token_string(folded: str) -> str:
    """:func:`pinyin_tokens` as the string given to FTS5 (the same set of tokens, run by run)."""
    return " ".join(map(_pinyin_run, _HAN_RUN.findall(folded)))


def phrase_tokens(run: str) -> list[str]:
    """A phrase run's tokens for suggestions: its characters, adjacent pairs and pairs one apart
    (a query that left a character out, or put one in, still shares a pair with the phrase)."""
    chars = run if run.isalnum() else "".join(ch for ch in run if _is_token_char(ch))
    out = set(chars)
    out.update(map(str.__add__, chars, chars[1:]))
    out.update(map(str.__add__, chars, chars[2:]))
    return sorted(out)


def first_readings(text: str) -> list[str]:
    """The first reading of each Han character of ``text`` (the one suggestions compare)."""
    return sorted({rs[0] for ch in text if (rs := _readings(ch))})


def pending_runs(conn: Any) -> "Counter[str]":
    """The phrase runs, with how often each occurs, of the notices stored but not counted in
    ``phrases`` yet (table ``phrases_pending``), from their text."""
    # CROSS JOIN keeps the (usually empty) pending table outside: the planner would scan passages
    return text_runs(conn, "SELECT p.text FROM phrases_pending q CROSS JOIN passages p ON p.notice_id = q.notice_id")


def text_runs(conn: Any, sql: str, params: Sequence[Any] = ()) -> "Counter[str]":
    """The phrase runs, with how often each occurs, of the passage texts ``sql`` selects."""
    from collections import Counter

    runs: Counter[str] = Counter()
    for (text,) in conn.execute(sql, params):
        runs.update(phrase_runs(fold(text)))
    return runs


def phrase_runs(folded: str) -> Iterator[str]:
    """The runs of characters suggestions are drawn from (as :mod:`rectcli.suggest` cuts them)."""
    for m in _TOKEN_RUN.finditer(folded):
        if len(m.group()) >= 2:
            yield m.group()


# ---------------------------------------------------------------- queries


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def form_query(form: str) -> str | None:
    """The FTS5 query for passages that may contain folded ``form``; None: no index can help."""
    groups: list[list[str]] = [[]]
    for ch in form:
        if _is_token_char(ch):
            groups[-1].append(ch)
        elif groups[-1]:
            groups.append([])
    tokens: list[str] = []
    for g in groups:
        if len(g) == 1:
            tokens.append(g[0])
        else:
            tokens.extend(a + b for a, b in zip(g, g[1:]))
    if not tokens:
        return None
    return " AND ".join(_quote(t) for t in dict.fromkeys(tokens))


def splits(letters: str, boundaries: frozenset[int], vocabulary: frozenset[str],
           limit: int = MAX_SPLITS) -> list[list[str]] | None:
    """Every way to cut ``letters`` into syllables of ``vocabulary`` without crossing a boundary;
    None if there are more than ``limit``."""
    longest = max((len(s) for s in vocabulary), default=0)
    memo: dict[int, list[list[str]] | None] = {}

    def from_(pos: int) -> list[list[str]] | None:
        if pos == len(letters):
            return [[]]
        if pos in memo:
            return memo[pos]
        out: list[list[str]] = []
        for stop in range(pos + 1, min(len(letters), pos + longest) + 1):
            if any(pos < b < stop for b in boundaries):
                break
            syllable = letters[pos:stop]
            if syllable not in vocabulary:
                continue
            rest = from_(stop)
            if rest is None:
                memo[pos] = None
                return None
            out.extend([syllable] + r for r in rest)
            if len(out) > limit:
                memo[pos] = None
                return None
        memo[pos] = out
        return out

    return from_(0)


def pinyin_query(ways: list[list[str]]) -> str:
    """The FTS5 query for passages holding the syllable pairs of one of ``ways`` (non-empty)."""
    alternatives = []
    for way in ways:
        if len(way) == 1:
            alternatives.append(_quote(way[0]))
        else:
            pairs = dict.fromkeys(f"{a}0{b}" for a, b in zip(way, way[1:]))
            alternatives.append("(" + " AND ".join(_quote(p) for p in pairs) + ")")
    return " OR ".join(dict.fromkeys(alternatives))


class TermPlan:
    """How one search term is looked up: FTS5 queries on the text and pinyin indexes, or a scan."""

    __slots__ = ("text_queries", "pinyin_query", "scan")

    def __init__(self) -> None:
        self.text_queries: list[str] = []
        self.pinyin_query: str | None = None
        self.scan = False


def plan_term(term: str, pinyin: bool | None, vocabulary: "frozenset[str] | Any") -> TermPlan:
    """Every reading the matcher might give ``term`` in some notice, as index lookups.

    Mirrors the order of :func:`rectcli.search._read` only to know which readings exist: the
    text as written, its simplified forms, and pinyin for Latin letters. ``vocabulary`` is called
    (lazily) for the library's syllables."""
    from rectcli.pinyin import spelling

    plan = TermPlan()
    written = fold(term.strip())
    spelled = spelling(term) if pinyin is not False and not any(map(is_han, written)) else None
    forms: list[str] = []
    if not (pinyin is True and spelled):
        forms.append(written)
        if any(map(is_han, written)):
            from rectcli.convert import simplified_forms

            forms.extend(f for f in map(fold, simplified_forms(written)) if f != written)
    for form in dict.fromkeys(forms):
        q = form_query(form)
        if q is None:
            plan.scan = True
        else:
            plan.text_queries.append(q)
    if spelled:
        ways = splits(spelled.letters, spelled.boundaries, vocabulary() if callable(vocabulary) else vocabulary)
        if ways is None:
            plan.scan = True
        elif ways:
            plan.pinyin_query = pinyin_query(ways)
    return plan


# ---------------------------------------------------------------- matching (verification)


def match_passages(passages: Sequence[Any], terms: list[str], *, match_all: bool = True,
                   regex: bool = False, pinyin: bool | None = None) -> Any:
    """rectcli's own single-notice matching (rectcli.search.search_passages) over ``passages``
    (one notice's, in reading order)."""
    from rectcli.search import search_passages

    return search_passages(list(passages), terms, match_all=match_all, regex=regex, pinyin=pinyin,
                           sort="notice")


# ---------------------------------------------------------------- suggestions


def suggestion_query(term: str) -> tuple[str, str] | None:
    """(FTS5 table, query) for the phrase runs worth ranking for ``term``; None: nothing to ask."""
    from rectcli.pinyin import spelling

    query = fold(term.strip())
    spelled = spelling(term)
    if spelled:
        # runs whose first readings include a syllable the query starts with
        heads = [spelled.letters[:n] for n in range(1, min(6, len(spelled.letters)) + 1)]
        return "phrase_pinyin_index", " OR ".join(_quote(h) for h in heads)
    chars = [ch for ch in query if _is_token_char(ch)]
    pairs = [a + b for a, b in zip(chars, chars[1:])] + [a + b for a, b in zip(chars, chars[2:])]
    tokens = pairs or chars
    if not tokens:
        return None
    return "phrase_text_index", " OR ".join(_quote(t) for t in dict.fromkeys(tokens))


def rank_phrases(runs: Sequence[tuple[str, int]], terms: Sequence[str], limit: int = 5) -> list[str]:
    """Up to ``limit`` phrases close to any of ``terms``, ranked by
    :func:`rectcli.suggest.closest_among` over the candidate runs, most frequent first, each
    counted up to three times (how often a phrase recurs is what that ranking weighs)."""
    from rectcli.suggest import closest_among

    ordered = [(run, min(seen, 3)) for run, seen in sorted(runs, key=lambda r: -r[1]) if seen > 0]
    return closest_among(ordered, list(terms), limit) if ordered else []


# ---------------------------------------------------------------- running a search


BATCH = 200  # notices whose passages are read from the database at once (bounds memory)


def _passage(row: Sequence[Any]) -> Any:
    from rectcli.notice.model import Passage

    # row: passage, kind, label, section_id, heading, text, title_start
    return Passage(row[0], row[1], row[2], row[3], row[4], row[5], row[6])


_PASSAGE_COLUMNS = "p.notice_id, p.passage, p.kind, p.label, p.section_id, p.heading, p.text, p.title_start"


def _ids_json(ids: Iterable[int]) -> str:
    return "[" + ",".join(map(str, ids)) + "]"


# Characters that fold (NFKC) into a Han character other than themselves, and the compatibility
# ideographs: the radicals, enclosed and squared ideographs and compatibility blocks (checked
# against every code point by tests/test_library_search.py). A passage in NFC without any of them
# reads, character for character, as its folded text wherever a Han character is concerned: its
# Han characters fold to themselves and nothing else folds to one. Such a passage is matched as
# stored, without folding it; any other passage is folded first, as rectcli.search does.
_UNSAFE = re.compile("[\u2e80-\u2fff\u3038-\u303a\u3190-\u319f\u3200-\u32ff\uf900-\ufaff"
                     "\U0001f200-\U0001f2ff\U0002f800-\U0002fa1f]")


def plain_text(text: str) -> bool:
    """Whether a passage's Han characters read as its folded text's (``passages.plain``). A change
    here changes what is stored: raise store.INDEX_VERSION with it."""
    return unicodedata.is_normalized("NFC", text) and _UNSAFE.search(text) is None


def _safe_han(ch: str) -> bool:
    """A Han character that a plain passage holds exactly where its folded text does."""
    from rectcli.textfold import fold_char

    return is_han(ch) and _UNSAFE.match(ch) is None and fold_char(ch) == ch


class _FoldTable(dict):  # type: ignore[type-arg]
    """code point → textfold.fold_char of it, filled as characters are met (for str.translate)."""

    def __missing__(self, code: int) -> str:
        from rectcli.textfold import fold_char

        out = self[code] = fold_char(chr(code))
        return out


_FOLDED = _FoldTable()


def _fold_nfc(text: str) -> str:
    """fold_mapped(text)[0] of a text in NFC: each character folded alone (textfold.fold_char,
    which is what fold does; tests/test_textfold.py holds its fast path to that), in one
    str.translate."""
    return text.translate(_FOLDED)


class _Finder:
    """rectcli.search._find_text for one set of forms, on one passage at a time."""

    __slots__ = ("pattern", "fast")

    def __init__(self, forms: Sequence[str]) -> None:
        self.pattern = re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)))
        self.fast = all(_safe_han(ch) for f in forms for ch in f)

    def __call__(self, text: str, plain: bool) -> list[tuple[int, int]]:
        if plain:
            # NFC: fold_mapped maps character k to character k, so spans need no mapping back
            folded = text if self.fast else _fold_nfc(text)
            return [m.span() for m in self.pattern.finditer(folded) if m.end() > m.start()]
        from rectcli.textfold import fold_mapped

        folded, starts, ends = fold_mapped(text)
        return [(starts[m.start()], ends[m.end() - 1]) for m in self.pattern.finditer(folded) if m.end() > m.start()]


class _PinyinFinder:
    """rectcli.pinyin.find on one passage at a time. On a plain passage it is one regular
    expression: for every way to cut the letters into the library's syllables (fewest characters
    first, which is the shortest run find() takes), a character class per syllable made of the
    library's characters with that reading (table ``chars``)."""

    def __init__(self, spelled: Any, conn: Any, vocabulary: Any) -> None:
        self.spelled = spelled
        self.conn = conn
        self.vocabulary = vocabulary
        self._pattern: Any = False

    def pattern(self) -> Any:
        if self._pattern is False:
            ways = splits(self.spelled.letters, self.spelled.boundaries, self.vocabulary())
            if ways is None:
                self._pattern = None
            else:
                wanted = {s for way in ways for s in way}
                members: dict[str, list[str]] = {s: [] for s in wanted}
                for ch, readings in self.conn.execute("SELECT ch, readings FROM chars"):
                    for r in readings.split():
                        if r in members:
                            members[r].append(ch)
                alternatives = [
                    "".join("[" + "".join(sorted(members[s])) + "]" for s in way)
                    for way in sorted(ways, key=len) if all(members[s] for s in way)]
                self._pattern = re.compile("|".join(dict.fromkeys(alternatives)) or "(?!)")
        return self._pattern

    def __call__(self, text: str, plain: bool) -> list[tuple[int, int]]:
        if plain:
            pattern = self.pattern()
            if pattern is not None:
                return [m.span() for m in pattern.finditer(text)]
        from rectcli.pinyin import find
        from rectcli.textfold import fold_mapped

        folded, starts, ends = fold_mapped(text)
        return [(starts[a], ends[b - 1]) for a, b in find(folded, self.spelled)]


def _somewhere(conn: Any, forms: Sequence[str]) -> bool:
    """Whether any passage of the library may contain one of the folded ``forms`` (the text
    index's answer: a superset; a form it cannot look up may be anywhere)."""
    for form in forms:
        q = form_query(form)
        if q is None or conn.execute("SELECT 1 FROM passage_text_index WHERE passage_text_index MATCH ? LIMIT 1",
                                     (q,)).fetchone():
            return True
    return False


class _Term:
    """How rectcli.search._read reads one term, with its finders made once for the whole search."""

    def __init__(self, term: str, pinyin: bool | None, conn: Any, vocabulary: Any) -> None:
        from rectcli.pinyin import spelling

        self.term = term
        self.written = fold(term.strip())
        self.spelled = spelling(term) if pinyin is not False and not any(map(is_han, self.written)) else None
        self.pinyin_first = bool(pinyin is True and self.spelled)
        self.text = _Finder((self.written,))
        self.forms: tuple[str, ...] = ()
        if not self.pinyin_first and any(map(is_han, self.written)):
            from rectcli.convert import simplified_forms

            self.forms = tuple(dict.fromkeys(f for f in map(fold, simplified_forms(self.written))
                                             if f != self.written))
        self.simplified = _Finder(self.forms) if self.forms else None
        self.pinyin = _PinyinFinder(self.spelled, conn, vocabulary) if self.spelled else None
        # a reading no passage of the library can have (its index lookup finds none) is not
        # looked for in any passage: gongche is not folded and scanned for as letters
        self.as_written = not self.pinyin_first and _somewhere(conn, (self.written,))
        self.as_simplified = bool(self.forms) and _somewhere(conn, self.forms)

    def read(self, texts: list[str], plain: list[bool]) -> tuple[str, tuple[str, ...], list[list[tuple[int, int]]]]:
        if self.pinyin_first:
            return "pinyin", (self.spelled.letters,), [self.pinyin(t, p) for t, p in zip(texts, plain)]  # type: ignore[misc]
        none: list[list[tuple[int, int]]] = [[] for _ in texts]
        spans = [self.text(t, p) for t, p in zip(texts, plain)] if self.as_written else none
        if any(spans):
            return "text", (self.written,), spans
        if self.simplified is not None:
            converted = [self.simplified(t, p) for t, p in zip(texts, plain)] if self.as_simplified else none
            if any(converted) or not self.spelled:
                return "simplified", self.forms, converted
        if self.pinyin is not None:
            return "pinyin", (self.spelled.letters,), [self.pinyin(t, p) for t, p in zip(texts, plain)]  # type: ignore[union-attr]
        return "text", (self.written,), spans


class _Stats:
    """rectcli.search._Stats of a whole notice, from its stored passage count and length."""

    __slots__ = ("average", "idf")

    def __init__(self, total: int, chars: int, having: list[int]) -> None:
        import math

        self.average = (chars / total if total else 0.0) or 1.0
        self.idf = [math.log(1 + (total - h + 0.5) / (h + 0.5)) for h in having]


_ABOUT: dict[str, tuple[int, int]] = {}
_HIT_NAMES: list[tuple[Any, ...]] = []


def _hit_names() -> tuple[Any, ...]:
    """What building a hit needs from rectcli (imported once, not per notice)."""
    if not _HIT_NAMES:
        from rectcli.library.store import LibraryHit
        from rectcli.notice.model import Passage
        from rectcli.search import B, K1, TITLE_WEIGHT, _merge

        _HIT_NAMES.append((LibraryHit, Passage, B, K1, TITLE_WEIGHT, _merge))
    return _HIT_NAMES[0]


def _about_in(title: str) -> tuple[int, int]:
    """rectcli.search._about of a heading, relative to it: (offset, length) of its subject
    without the template around it (the same heading recurs across notices: cached)."""
    found = _ABOUT.get(title)
    if found is None:
        from rectcli.search import _untemplated

        if len(_ABOUT) >= RUN_CACHE:
            _ABOUT.clear()
        problem = _untemplated(title)
        found = _ABOUT[title] = (title.find(problem), len(problem))
    return found


def _verify(rows: list[Any], read: list[_Term],
            merged: list[dict[tuple[str, tuple[str, ...]], list[str]]]) -> list[list[list[tuple[int, int]]]]:
    """Each term's spans in each of one notice's candidate passages (``rows``, in reading order;
    every passage that can match is among them), read as rectcli.search reads it in that notice;
    the readings are merged into ``merged``."""
    texts = [r[6] for r in rows]
    plain = [r[14] for r in rows]
    found = []
    for i, term in enumerate(read):
        how, forms, spans = term.read(texts, plain)
        found.append(spans)
        seen: dict[str, None] = {}
        for text, stretch in zip(texts, spans):
            for start, end in stretch:
                seen.setdefault(text[start:end])
                if len(seen) >= 10:
                    break
            if len(seen) >= 10:
                break
        if seen:
            into = merged[i].setdefault((how, forms), [])
            for m in seen:
                if m not in into and len(into) < 10:
                    into.append(m)
    return found


def _matching(found: list[list[list[tuple[int, int]]]], count: int, match_all: bool) -> Iterator[int]:
    """The candidates (by index) that are hits: all terms found there (any, for ``match_all=False``)."""
    if len(found) == 1:
        spans = found[0]
        return (i for i in range(count) if spans[i])
    if match_all:
        return (i for i in range(count) if all(f[i] for f in found))
    return (i for i in range(count) if any(f[i] for f in found))


def _notice_hits(rows: list[Any], found: list[list[list[tuple[int, int]]]], match_all: bool, ref: Any,
                 having: list[int] | None = None) -> list[Any]:
    """rectcli.search.search_passages's hits in one notice, as LibraryHits, from the spans
    :func:`_verify` found.

    Each hit is built once, as plain values: the subject of a heading (search._about) comes from
    a cache by heading, and the score is search._score's arithmetic, step for step, on those
    values (tests/test_library_search.py holds hits and scores to single-notice search)."""
    LibraryHit, Passage, B, K1, TITLE_WEIGHT, _merge = _hit_names()
    stats = None
    hits = []
    new, put = object.__new__, object.__setattr__
    for i in _matching(found, len(rows), match_all):
        row = rows[i]
        per_term = [f[i] for f in found]
        every = (per_term[0] if len(per_term) == 1 and len(per_term[0]) < 2
                 else sorted(s for spans in per_term for s in spans))
        if stats is None:
            stats = _Stats(row[12], row[13], having or [sum(1 for s in f if s) for f in found])
        kind, title, text, title_start = row[2], row[5], row[6], row[7]
        passage = new(Passage)
        put(passage, "__dict__", {"id": row[1], "kind": kind, "label": row[3], "section_id": row[4],
                                  "title": title, "text": text, "title_start": title_start})
        # search._about and search._score, on the values at hand
        if title:
            offset, length = _about_in(title)
            about_start = title_start + offset
            about_end = about_start + length
            title_end = title_start + len(title)
        else:
            about_start = about_end = 0
            title_start = title_end = 0 if title is None else title_start
        title_hits = sum(1 for start, _ in every if about_start <= start < about_end) if about_end > about_start else 0
        score = 0.0
        average = stats.average
        for spans, idf in zip(per_term, stats.idf):
            inside = sum(1 for start, _ in spans if about_start <= start < about_end) if about_end > about_start else 0
            template = (sum(1 for start, _ in spans if title_start <= start < title_end) - inside
                        if title_end > title_start else -inside)
            if kind == "heading":
                tf, length = float(inside), average
            else:
                weight = TITLE_WEIGHT if kind == "node" else 1.0
                tf = (len(spans) - inside - template) + weight * inside
                length = float(len(text))
            if tf:
                score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average))
        hit = new(LibraryHit)
        put(hit, "__dict__", {"notice": ref, "passage": passage,
                              "spans": _merge(every) if len(every) > 1 else tuple(every),
                              "title_hits": title_hits, "body_hits": len(every) - title_hits,
                              "score": round(score, 6), "where": row[15] or ""})
        hits.append(hit)
    return hits


def _union_sql(plan: TermPlan) -> tuple[str, list[Any]]:
    """SQL for the rowids of the passages that may match one term (FTS5 lookups)."""
    parts, params = [], []
    for q in plan.text_queries:
        parts.append("SELECT rowid FROM passage_text_index WHERE passage_text_index MATCH ?")
        params.append(q)
    if plan.pinyin_query:
        parts.append("SELECT rowid FROM passage_pinyin_index WHERE passage_pinyin_index MATCH ?")
        params.append(plan.pinyin_query)
    if not parts:
        return "SELECT NULL WHERE 0", []
    return " UNION ".join(parts), params


_ROW_COLUMNS = ("p.notice_id, p.passage, p.kind, p.label, p.section_id, p.heading, p.text, p.title_start,"
                " n.id, n.issuer, n.date, n.title, n.passages, n.text_chars, p.plain")
_HEAD = "(SELECT s.head FROM passages s WHERE s.notice_id = p.notice_id AND s.passage = p.section_id)"


def _checked_in_sql(plans: list[TermPlan], read: list[_Term]) -> list[str] | None:
    """The forms of every term when each is only ever read as Han characters that a plain passage
    holds as its folded text does (no pinyin, no scan): then a plain candidate that contains none
    of them is no match in any reading, and SQLite's instr() leaves it out before Python sees it.
    None when some term can be read otherwise."""
    forms: list[str] = []
    for plan, term in zip(plans, read):
        if plan.scan or plan.pinyin_query or term.spelled:
            return None
        mine = (term.written, *term.forms)
        if not all(_safe_han(ch) for f in mine for ch in f):
            return None
        forms.extend(mine)
    return list(dict.fromkeys(forms))


def run_search(conn: Any, terms: list[str], *, match_all: bool, regex: bool, pinyin: bool | None, sort: str,
               limit: int | None, clause: str, params: list[Any], count_only: bool = False) -> Any:
    """The library's hits (or, with ``count_only``, only how many passages match in each
    notice, and how each term was read) for ``terms`` in the notices ``clause`` selects."""
    from rectcli.errors import QueryError
    from rectcli.library.store import ORDER, LibrarySearchResult
    from rectcli.search import SORTS, Reading

    terms = list(terms)
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r}; use one of: {', '.join(SORTS)}")
    if limit is not None and limit < 1:
        raise QueryError("the limit must be a positive number")
    # the matcher's own checks (empty term, bad UTF-8, --pinyin without letters, bad regex) and the
    # readings a notice where nothing matches would report
    default = match_passages([], terms, match_all=match_all, regex=regex, pinyin=pinyin)
    merged: list[dict[tuple[str, tuple[str, ...]], list[str]]] = [{} for _ in terms]
    counts: list[Any] = []
    if regex:
        hits = _run_regex(conn, terms, match_all=match_all, sort=sort, limit=limit, clause=clause,
                          params=params, merged=merged)
    else:
        vocabulary: list[frozenset[str]] = []

        def vocab() -> frozenset[str]:
            if not vocabulary:
                vocabulary.append(frozenset(r[0] for r in conn.execute("SELECT syllable FROM syllables")))
            return vocabulary[0]

        plans = [plan_term(t, pinyin, vocab) for t in terms]
        read = [_Term(t, pinyin, conn, vocab) for t in terms]
        finite = [_union_sql(p) for p in plans if not p.scan]
        scan_all = len(finite) < len(plans)
        head = "NULL" if count_only else _HEAD
        sql = (f"SELECT {_ROW_COLUMNS}, {head} FROM passages p JOIN notices n ON n.notice_id = p.notice_id"
               f" WHERE {clause}")
        args = list(params)
        if scan_all and not (match_all and finite):
            pass  # every passage of the selected notices
        else:
            if match_all and (len(finite) > 1 or scan_all):
                # only notices with candidates for every term (each term's own candidates)
                for q, a in finite:
                    sql += f" AND p.notice_id IN (SELECT notice_id FROM passages WHERE passage_id IN ({q}))"
                    args.extend(a)
            if not scan_all:
                sql += " AND p.passage_id IN (" + " UNION ".join(q for q, _ in finite) + ")"
                args.extend(x for _, a in finite for x in a)
        exact = _checked_in_sql(plans, read)
        hits = []
        if not (match_all and len(terms) > 1 and exact and not any(t.forms for t in read)
                and _all_of(conn, read, finite, clause, params, count_only, merged, hits, counts)):
            if exact:
                sql += " AND (NOT p.plain OR " + " OR ".join("instr(p.text, ?)" for _ in exact) + ")"
                args.extend(exact)
            sql += f" ORDER BY {ORDER}, p.seq"
            for rows in _by_notice(conn.execute(sql, args)):
                _take(rows, read, match_all, count_only, merged, hits, counts)
                if sort == "notice" and limit is not None and len(hits) >= limit:
                    break

    if regex:
        counts = _counts(hits)
        if count_only:  # regular expressions are matched passage by passage all the same
            hits = []
    if sort == "relevance":
        hits.sort(key=lambda h: (-h.title_hits, -(h.title_hits + h.body_hits)))
    if limit is not None and len(hits) > limit:
        hits = hits[:limit]
        kept = {c.notice.id: c.passages for c in _counts(hits)}
        counts = [c._replace(passages=kept[c.notice.id]) for c in counts if c.notice.id in kept]
    readings: list[Any] = []
    for i, term in enumerate(terms):
        if merged[i]:
            readings.extend(Reading(term, how, forms, tuple(matched[:10])) for (how, forms), matched in merged[i].items())
        else:
            readings.append(default.readings[i])
    return LibrarySearchResult(tuple(terms), match_all, regex, tuple(hits), tuple(readings), sort,
                               len(counts), tuple(counts))


def _all_of(conn: Any, read: list[_Term], finite: list[tuple[str, list[Any]]], clause: str, params: list[Any],
            count_only: bool, merged: list[dict[tuple[str, tuple[str, ...]], list[str]]], hits: list[Any],
            counts: list[Any]) -> bool:
    """All of several terms, each only ever read as written in Han characters (no simplified
    form, no pinyin): the candidates are the passages of the rarest term (its index lookup) that
    hold every term (instr() where plain; the others are verified in Python), not every passage
    that holds one of them (公车 整改: 48,000 passages at 10,000 notices, for 3,800 hits). What
    relevance needs of a notice's other passages — how many hold each term — is counted in SQL
    (instr on plain passages; the few others are matched in Python). False, with nothing done,
    when no passage may hold them all: the general path then says which term occurs where."""
    import json

    from rectcli.library.store import ORDER

    written = [t.written for t in read]
    # the rarest term's lookup (each term here is one lookup of the text index: no other form,
    # no pinyin; counting a common word's passages stops at 100,000)
    q, a = min(finite, key=lambda lookup: conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM passage_text_index WHERE passage_text_index MATCH ? LIMIT 100000)",
        lookup[1]).fetchone()[0])
    head = "NULL" if count_only else _HEAD
    rows = conn.execute(
        f"SELECT {_ROW_COLUMNS}, {head} FROM passages p JOIN notices n ON n.notice_id = p.notice_id"
        f" WHERE {clause} AND p.passage_id IN ({q})"
        f" AND (NOT p.plain OR ({' AND '.join('instr(p.text, ?)' for _ in written)}))"
        f" ORDER BY {ORDER}, p.seq", list(params) + list(a) + written).fetchall()
    if not rows:
        return False
    ids = json.dumps(list(dict.fromkeys(r[0] for r in rows)))
    having: dict[int, list[int]] = {}
    for nid, *per in conn.execute(
            f"SELECT p.notice_id, {', '.join('sum(instr(p.text, ?) > 0)' for _ in written)} FROM passages p"
            f" WHERE p.notice_id IN (SELECT value FROM json_each(?)) AND p.plain GROUP BY p.notice_id",
            written + [ids]):
        having[nid] = per
    # passages that are not plain are matched as rectcli.search matches them
    others: dict[int, list[Any]] = {}
    for row in conn.execute(
            "SELECT p.notice_id, NULL, NULL, NULL, NULL, NULL, p.text, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
            " p.plain FROM passages p WHERE p.notice_id IN (SELECT value FROM json_each(?)) AND NOT p.plain",
            [ids]):
        others.setdefault(row[0], []).append(row)
    for nid, extra in others.items():
        found = _verify(extra, read, merged)
        counted = having.setdefault(nid, [0] * len(read))
        for i, spans in enumerate(found):
            counted[i] += sum(1 for x in spans if x)
    for mine in _by_notice(rows):
        _take(mine, read, True, count_only, merged, hits, counts, having.get(mine[0][0], [0] * len(read)))
    return True


def _by_notice(rows: Iterable[Any]) -> Iterator[list[Any]]:
    """Candidate rows (in notice order) a notice at a time."""
    mine: list[Any] = []
    for row in rows:
        if mine and row[0] != mine[0][0]:
            yield mine
            mine = []
        mine.append(row)
    if mine:
        yield mine


def _take(rows: list[Any], read: list[_Term], match_all: bool, count_only: bool,
          merged: list[dict[tuple[str, tuple[str, ...]], list[str]]], hits: list[Any], counts: list[Any],
          having: list[int] | None = None) -> None:
    """One notice's candidates verified: its hits (unless ``count_only``) and its count."""
    from rectcli.library.store import NoticeCount, NoticeRef

    found = _verify(rows, read, merged)
    ref = NoticeRef(*rows[0][8:12])
    if count_only:
        n = sum(1 for _ in _matching(found, len(rows), match_all))
    else:
        mine = _notice_hits(rows, found, match_all, ref, having)
        hits.extend(mine)
        n = len(mine)
    if n:
        counts.append(NoticeCount(ref, n))


def _counts(hits: Sequence[Any]) -> list[Any]:
    """Passages per notice, notices in the order of their first hit (the library's order, for
    hits in it)."""
    from rectcli.library.store import NoticeCount

    per: dict[str, list[Any]] = {}
    for hit in hits:
        per.setdefault(hit.notice.id, [hit.notice, 0])[1] += 1
    return [NoticeCount(ref, n) for ref, n in per.values()]


def _run_regex(conn: Any, terms: list[str], *, match_all: bool, sort: str, limit: int | None, clause: str,
               params: list[Any], merged: list[dict[tuple[str, tuple[str, ...]], list[str]]]) -> list[Any]:
    """Regular expressions use no index: every passage of the selected notices, in batches of
    notices, each batch one bounded run of the matcher."""
    from rectcli.library.store import ORDER, LibraryHit, NoticeRef
    from rectcli.search import search_groups

    order = [r[0] for r in conn.execute(f"SELECT n.notice_id FROM notices n WHERE {clause} ORDER BY {ORDER}", params)]
    hits: list[Any] = []
    for start in range(0, len(order), BATCH):
        batch = order[start:start + BATCH]
        refs = {row[0]: NoticeRef(row[1], row[2], row[3], row[4]) for row in conn.execute(
            "SELECT notice_id, id, issuer, date, title FROM notices WHERE notice_id IN (SELECT value FROM json_each(?))",
            [_ids_json(batch)])}
        grouped: dict[int, list[Any]] = {nid: [] for nid in batch}
        whose: dict[int, str] = {}  # id(passage) → the head of its section
        for row in conn.execute(f"SELECT {_PASSAGE_COLUMNS}, {_HEAD} FROM passages p WHERE p.notice_id IN"
                                f" (SELECT value FROM json_each(?)) ORDER BY p.notice_id, p.seq", [_ids_json(batch)]):
            passage = _passage(row[1:8])
            grouped[row[0]].append(passage)
            whose[id(passage)] = row[8] or ""
        # one bounded run of the expressions for the batch; each notice scored on its own
        for nid, result in zip(batch, search_groups([grouped[nid] for nid in batch], terms, match_all=match_all,
                                                    regex=True)):
            _merge_readings(merged, result.readings)
            for h in result.hits:
                hits.append(LibraryHit(refs[nid], h.passage, h.spans, h.title_hits, h.body_hits, h.score,
                                       whose[id(h.passage)]))
        if sort == "notice" and limit is not None and len(hits) >= limit:
            break
    return hits


def _merge_readings(merged: list[dict[tuple[str, tuple[str, ...]], list[str]]], readings: Sequence[Any]) -> None:
    for i, r in enumerate(readings):
        if not r.matched:
            continue
        seen = merged[i].setdefault((r.how, tuple(r.forms)), [])
        for m in r.matched:
            if m not in seen and len(seen) < 10:
                seen.append(m)


def run_suggest(conn: Any, terms: list[str], limit: int = 5, clause: str = "1",
                params: Sequence[Any] = ()) -> tuple[str, ...]:
    """Phrases of the selected notices (``clause``: store.where's) closest to ``terms`` (a
    traditional term: to its simplified form, as the single-notice suggestions do), ranked
    together. Across the whole library they come from the phrase index; a selection of at most
    SELECTION_TEXT characters is cut into phrases from its own text; a larger one takes the
    library's closest phrases that a search of the selection finds, best first."""
    if not terms or any(not t.strip() for t in terms):
        return ()
    default = match_passages([], list(terms), match_all=True, regex=False)
    wanted = [r.forms[0] if r.how == "simplified" else t for t, r in zip(terms, default.readings)]
    whole = clause == "1" and not params
    if not whole:
        (chars,) = conn.execute(f"SELECT coalesce(sum(n.text_chars), 0) FROM notices n WHERE {clause}",
                                params).fetchone()
        if chars <= SELECTION_TEXT:
            cut = text_runs(conn, f"SELECT p.text FROM notices n CROSS JOIN passages p ON p.notice_id = n.notice_id"
                                  f" WHERE {clause}", params)
            _know_readings(conn, cut, wanted)
            return tuple(rank_phrases(list(cut.items()), wanted, limit))
    runs: dict[str, int] = {}
    for term in wanted:
        asked = suggestion_query(term)
        if asked is None:
            continue
        table, query = asked
        runs.update(conn.execute(
            f"SELECT p.phrase, p.seen FROM {table} f JOIN phrases p ON p.phrase_id = f.rowid"
            f" WHERE {table} MATCH ? ORDER BY p.seen DESC LIMIT ?", (query, SUGGEST_CANDIDATES)).fetchall())
    # phrases of adds whose batch never reached its end are not in the phrase indexes yet
    runs.update(conn.execute(
        "SELECT phrase, seen FROM phrases WHERE phrase_id > (SELECT coalesce((SELECT CAST(value AS INTEGER)"
        " FROM meta WHERE key = 'phrases_indexed'), 0)) ORDER BY seen DESC LIMIT ?", (SUGGEST_CANDIDATES,)).fetchall())
    # and those of notices an add stored but did not count (it was killed first), from their text
    for run, seen in pending_runs(conn).items():
        runs[run] = runs.get(run, 0) + seen
    _know_readings(conn, runs, wanted)
    if whole:
        return tuple(rank_phrases(list(runs.items()), wanted, limit))
    found = [phrase for phrase in rank_phrases(list(runs.items()), wanted, VERIFIED)
             if run_search(conn, [phrase], match_all=True, regex=False, pinyin=False, sort="notice", limit=None,
                           clause=clause, params=list(params), count_only=True).counts]
    return tuple(found[:limit])


def _know_readings(conn: Any, runs: Iterable[str], wanted: Sequence[str]) -> None:
    """The ranking weighs homophones: the readings of these characters are in the library (table
    chars), which spares loading pypinyin's dictionary."""
    import json

    from rectcli.pinyin import known

    chars = sorted({ch for text in (*runs, *wanted) for ch in text if is_han(ch)})
    known({ch: tuple(found.split()) for ch, found in conn.execute(
        "SELECT ch, readings FROM chars WHERE ch IN (SELECT value FROM json_each(?))",
        (json.dumps(chars, ensure_ascii=False),))})
