"""Search a notice passage by passage, as Chinese readers type.

A term is matched after width and case folding (:mod:`rectcli.textfold`); a term not found as
written is tried in simplified characters (:mod:`rectcli.convert`) and, if it is Latin letters,
as pinyin (:mod:`rectcli.pinyin`). Canonically equivalent text matches (Café typed with a
combining accent finds Café), and spans always mark the notice's own characters. Regular
expressions run in a child process with a time limit; an empty match counts. When nothing
matches, :func:`suggest` names the closest phrases (:mod:`rectcli.suggest`), ranked once for all
the terms that found nothing. A query has at most :data:`MAX_TERMS` terms and
:data:`MAX_QUERY_CHARS` characters in all. Pure functions of a :class:`~rectcli.notice.model.Notice`;
nothing here knows about terminals.
"""

import math
import re
from collections.abc import Sequence
from typing import Any

from rectcli.errors import QueryError
from rectcli.notice.model import Notice, Passage
from rectcli.notice.query import section_scope
from rectcli.record import Record
from rectcli.textfold import fold_canonical, fold_mapped, is_han

Span = tuple[int, int]


class Reading(Record):
    """How one search term was understood.

    ``how`` is ``text`` (as written, after width and case folding), ``simplified`` (a traditional
    or variant spelling converted by OpenCC; ``forms`` are the simplified spellings searched),
    ``pinyin`` (Latin letters read as toneless pinyin; ``forms`` holds the letters) or ``regex``.
    ``matched`` lists the distinct stretches of the notice the term matched, in notice order.
    """

    term: str
    how: str
    forms: tuple[str, ...]
    matched: tuple[str, ...]


class SearchHit(Record):
    """A matching passage. ``title_hits`` are the hits in what the passage is about by name: a
    node's title, or a section heading's problem (not its template 关于…的整改情况); ``score`` is
    what ``--sort relevance`` orders by (see :func:`_score`)."""

    passage: Passage
    spans: tuple[Span, ...]
    title_hits: int
    body_hits: int
    score: float = 0.0


class SearchResult(Record):
    terms: tuple[str, ...]
    match_all: bool
    regex: bool
    hits: tuple[SearchHit, ...]
    readings: tuple[Reading, ...] = ()
    sort: str = "notice"


SORTS = ("notice", "relevance")

MAX_TERMS = 32  # each term is matched against every passage, and suggested for when it finds nothing
MAX_QUERY_CHARS = 1000  # all terms together; the longest passage of a notice is a few hundred


def search(notice: Notice, terms: list[str], *, match_all: bool = True, regex: bool = False,
           section: str | None = None, pinyin: bool | None = None, sort: str = "notice") -> SearchResult:
    """Passages that contain all (or any) of ``terms``, in the notice's order or by relevance.

    A term not found as written is tried in simplified characters (公車 → 公车), then, if it is
    Latin letters, as pinyin (gongche → 公车). ``pinyin=True`` reads Latin terms as pinyin
    straight away; ``pinyin=False`` never does. Regular expressions are used as written.
    """
    check_terms(terms)
    _check_sort(sort)
    return search_passages(_searched(notice, section), terms, match_all=match_all, regex=regex,
                           pinyin=pinyin, sort=sort)


def check_terms(terms: Sequence[str]) -> None:
    """Refuse a query that cannot be run, or that would ask for unbounded work."""
    if not terms or any(not t.strip() for t in terms):
        raise QueryError("empty search term; give at least one word, e.g. `rectcli search 公车`")
    if len(terms) > MAX_TERMS:
        raise QueryError(f"too many search terms ({len(terms)}); at most {MAX_TERMS} in one search")
    size = sum(len(t) for t in terms)
    if size > MAX_QUERY_CHARS:
        raise QueryError(f"search terms too long ({size} characters); at most {MAX_QUERY_CHARS} characters "
                         "in all")
    if any("\ud800" <= ch <= "\udfff" for t in terms for ch in t):
        raise QueryError("search term is not valid UTF-8; check the terminal's encoding (LANG)")


def _check_sort(sort: str) -> None:
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r}; use one of: {', '.join(SORTS)}")


def search_passages(passages: Sequence[Passage], terms: list[str], *, match_all: bool = True,
                    regex: bool = False, pinyin: bool | None = None, sort: str = "notice") -> SearchResult:
    """:func:`search` over ``passages`` (one notice's, in reading order)."""
    return search_groups([passages], terms, match_all=match_all, regex=regex, pinyin=pinyin, sort=sort)[0]


def search_groups(groups: Sequence[Sequence[Passage]], terms: list[str], *, match_all: bool = True,
                  regex: bool = False, pinyin: bool | None = None, sort: str = "notice") -> list[SearchResult]:
    """:func:`search_passages` for each group of passages (each one notice's): each group read,
    matched and scored on its own, with one bounded run of the regular expressions over them all
    (a library searches its notices in batches)."""
    check_terms(terms)
    _check_sort(sort)
    groups = [list(g) for g in groups]
    if regex:
        patterns = _compile(terms)
        everything = [p for g in groups for p in g]
        spans = _bounded(lambda: [[_regex_spans(pat, p.text) for p in everything] for pat in patterns],
                         REGEX_SECONDS)
        readings = [Reading(t, "regex", (t,), ()) for t in terms]
        results, start = [], 0
        for g in groups:
            found = [term_spans[start:start + len(g)] for term_spans in spans]
            results.append(_result(g, terms, found, readings, match_all=match_all, regex=True, sort=sort))
            start += len(g)
        return results
    if pinyin is True and not any(_spelling(t) for t in terms):
        raise QueryError("--pinyin needs a term in Latin letters, e.g. `rectcli search --pinyin gongche`")
    results = []
    for g in groups:
        folded = [fold_mapped(p.text) for p in g]
        read = [_read(t, folded, pinyin) for t in terms]
        results.append(_result(g, terms, [found for _, found in read], [r for r, _ in read],
                               match_all=match_all, regex=False, sort=sort))
    return results


def _result(passages: list[Passage], terms: list[str], found: list[list[list[Span]]], readings: list[Reading], *,
            match_all: bool, regex: bool, sort: str) -> SearchResult:
    """The hits of one notice's passages, from each term's spans in each passage."""
    readings = [r._replace(matched=_matched(passages, spans)) for r, spans in zip(readings, found)]
    stats = _Stats(passages, found)
    hits = []
    for i, passage in enumerate(passages):
        per_term = [f[i] for f in found]
        if not any(per_term) or (match_all and not all(per_term)):
            continue
        every = sorted(s for spans in per_term for s in spans)
        about_start, about_end = _about(passage)
        title_hits = sum(1 for start, _ in every if about_start <= start < about_end)
        hits.append(SearchHit(passage, _merge(every), title_hits, len(every) - title_hits,
                              _score(passage, per_term, stats)))
    if sort == "relevance":
        hits.sort(key=lambda h: -h.score)  # stable: ties keep the notice's order
    return SearchResult(tuple(terms), match_all, regex, tuple(hits), tuple(readings), sort)


# ---------------------------------------------------------------- relevance

K1, B = 1.2, 0.75  # BM25's usual saturation and length normalisation
TITLE_WEIGHT = 3.0  # a hit in a node's title counts as three in its text


def _about(passage: Passage) -> Span:
    """Where ``passage`` names its subject: its heading without the template around it
    (关于 … 的整改情况), which every section heading repeats; nothing in a paragraph."""
    if not passage.title:
        return 0, 0
    start, _ = passage.title_span
    problem = _untemplated(passage.title)
    offset = passage.title.find(problem)
    return start + offset, start + offset + len(problem)


def _untemplated(heading: str) -> str:
    text = heading[2:] if heading.startswith("关于") else heading
    for tail in ("的整改情况", "整改情况"):
        if text.endswith(tail):
            return text[: -len(tail)]
    return text


class _Stats:
    """What relevance needs to know about the passages searched: how many, how long on
    average, and each term's rarity (BM25's inverse document frequency)."""

    def __init__(self, passages: list[Passage], found: list[list[list[Span]]]) -> None:
        total = len(passages)
        self.average = (sum(len(p.text) for p in passages) / total if total else 0.0) or 1.0
        self.idf = [math.log(1 + (total - having + 0.5) / (having + 0.5))
                    for having in (sum(1 for spans in term_found if spans) for term_found in found)]


def _score(passage: Passage, per_term: list[list[Span]], stats: _Stats) -> float:
    """A BM25-like score: for each term, its hits saturate (the tenth counts less than the
    first) and are weighed by the term's rarity among the passages searched and by the
    passage's length (a hit in a short passage says more). A hit in a node's title counts
    TITLE_WEIGHT times. A hit in the template of a heading (关于 … 的整改情况), which every
    section heading repeats, never counts: not for a heading alone, nor for a section whose
    heading and body are one passage. A heading gets no bonus for being short: it names a whole
    section, whose measures say the rest."""
    about_start, about_end = _about(passage)
    title_start, title_end = passage.title_span
    score = 0.0
    for spans, idf in zip(per_term, stats.idf):
        inside = sum(1 for start, _ in spans if about_start <= start < about_end)
        template = sum(1 for start, _ in spans if title_start <= start < title_end) - inside
        if passage.kind == "heading":
            tf, length = float(inside), stats.average
        else:
            weight = TITLE_WEIGHT if passage.kind == "node" else 1.0
            tf = (len(spans) - inside - template) + weight * inside
            length = float(len(passage.text))
        if tf:
            score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / stats.average))
    return round(score, 6)


def _searched(notice: Notice, section: str | None) -> list[Passage]:
    """The passages a search covers: all, or those of the ``--section`` (a measure means its section)."""
    scope = section_scope(notice, section)
    return [p for p in notice.passages() if scope is None or p.section_id == scope.id]


def _regex_spans(pattern: re.Pattern[str], text: str) -> list[Span]:
    """Every match, an empty one included: (?=公车) matches where 公车 starts."""
    return [m.span() for m in pattern.finditer(text)]


def _compile(terms: list[str]) -> list[re.Pattern[str]]:
    patterns = []
    for term in terms:
        try:
            patterns.append(re.compile(term, re.IGNORECASE))
        except re.error as e:
            raise QueryError(f"invalid regex {term!r}: {e}") from None
        except (RecursionError, OverflowError, MemoryError):
            raise QueryError(f"regex {term[:40]!r}… is too large to compile") from None
    return patterns


def _spelling(term: str) -> Any:
    from rectcli.pinyin import spelling

    return spelling(term)


Folded = tuple[str, Sequence[int], Sequence[int]]  # textfold.fold_mapped


def _read(term: str, folded: list[Folded], pinyin: bool | None) -> tuple[Reading, list[list[Span]]]:
    """Decide how ``term`` is read, trying each reading in turn until one is found somewhere."""
    written = fold_canonical(term.strip())
    # Han characters are never pinyin: such a term does not even load the pinyin module
    spelled = _spelling(term) if pinyin is not False and not any(map(is_han, written)) else None
    if pinyin is True and spelled:
        return _read_pinyin(term, spelled, folded)
    spans = _find_text(folded, (written,))
    if any(spans):
        return Reading(term, "text", (written,), ()), spans
    from rectcli.convert import simplified_forms

    forms = tuple(dict.fromkeys(f for f in map(fold_canonical, simplified_forms(written)) if f != written))
    if forms:
        converted = _find_text(folded, forms)
        if any(converted) or not spelled:
            return Reading(term, "simplified", forms, ()), converted
    if spelled:
        return _read_pinyin(term, spelled, folded)
    return Reading(term, "text", (written,), ()), spans


def _read_pinyin(term: str, spelled: Any, folded: list[Folded]) -> tuple[Reading, list[list[Span]]]:
    from rectcli.pinyin import find

    return (Reading(term, "pinyin", (spelled.letters,), ()),
            [_original(f, find(f[0], spelled)) for f in folded])


def _find_text(folded: list[Folded], forms: tuple[str, ...]) -> list[list[Span]]:
    pattern = re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)))
    return [_original(f, [m.span() for m in pattern.finditer(f[0]) if m.end() > m.start()]) for f in folded]


def _original(folded: Folded, spans: list[Span]) -> list[Span]:
    """Spans of folded text as spans of the original: é found in folded text marks e + U+0301."""
    _, starts, ends = folded
    return [(starts[a], ends[b - 1]) for a, b in spans]


def _matched(passages: list[Passage], spans: list[list[Span]], limit: int = 10) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for passage, found in zip(passages, spans):
        for start, end in found:
            seen.setdefault(passage.text[start:end])
            if len(seen) >= limit:
                return tuple(seen)
    return tuple(seen)


REGEX_SECONDS = 2.0
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _bounded(work: Any, seconds: float) -> Any:
    """Run ``work`` in a forked child and give up after ``seconds``: Python's re cannot be
    interrupted, and a pattern like (a+)+$ can backtrack for hours.

    The child never outlives the search: the parent kills it on the way out whatever the reason
    (time limit, Ctrl-C, SIGTERM — turned into KeyboardInterrupt while waiting — or any error),
    and on Linux the kernel kills it if the parent dies without a chance to (SIGKILL).
    """
    import os
    import pickle
    import signal

    if not hasattr(os, "fork"):
        return work()
    parent = os.getpid()
    read_fd = write_fd = -1
    pid = 0
    reaped = False
    restore: Any = lambda: None
    try:
        restore = _interrupt_on_sigterm()  # before the fork: a SIGTERM from here on reaches the finally
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            _child(work, read_fd, write_fd, parent)  # never returns
        os.close(write_fd)
        write_fd = -1
        chunks = _collect(read_fd, seconds)
        _, status = os.waitpid(pid, 0)
        reaped = True
    finally:
        if pid and not reaped:
            _reap(pid)
        for fd in (read_fd, write_fd):
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
        restore()
    if not chunks:
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGINT, signal.SIGTERM):
            raise KeyboardInterrupt  # Ctrl-C reached the child (its process group) first
        raise QueryError(f"regex search failed: its process ended without an answer (status {status})")
    state, value = pickle.loads(b"".join(chunks))  # our own child's output, never a file's
    if state != "ok":
        raise QueryError(f"regex search failed: {value}")
    return value


def _collect(read_fd: int, seconds: float) -> list[bytes]:
    """Everything the child writes, or QueryError once ``seconds`` have passed."""
    import os
    import select
    import time

    chunks = []
    deadline = time.monotonic() + seconds
    while True:
        left = deadline - time.monotonic()
        ready, _, _ = select.select([read_fd], [], [], max(left, 0))
        if not ready:
            raise QueryError(f"regex took longer than {seconds:g} s and was stopped; nested "
                             "quantifiers such as (a+)+ backtrack catastrophically — simplify the pattern")
        chunk = os.read(read_fd, 1 << 16)
        if not chunk:
            return chunks
        chunks.append(chunk)


def _child(work: Any, read_fd: int, write_fd: int, parent: int) -> None:
    """The forked child: compute, send, and leave without running any of the parent's cleanup."""
    import os
    import pickle
    import signal

    code = 1
    try:
        # default dispositions: Ctrl-C (sent to the whole process group) and SIGTERM end it at once
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _die_with(parent)
        os.close(read_fd)
        try:
            payload = pickle.dumps(("ok", work()))
        except Exception as e:  # noqa: BLE001 - reported to the parent
            payload = pickle.dumps(("error", repr(e)))
        with os.fdopen(write_fd, "wb") as fh:
            fh.write(payload)
        code = 0
    finally:
        os._exit(code)


def _die_with(parent: int) -> None:
    """Ask the kernel to SIGKILL this process when its parent dies (Linux); if the parent has
    already died (before the request took effect), leave now."""
    import os
    import sys

    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (ImportError, OSError, AttributeError, TypeError):
            pass  # no ctypes or no prctl: the parent's own cleanup still applies
    if os.getppid() != parent:
        os._exit(1)


def _reap(pid: int) -> None:
    import os
    import signal

    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def _interrupt_on_sigterm() -> Any:
    """While a regex child runs, make SIGTERM raise KeyboardInterrupt (as Ctrl-C does), so the
    parent kills its child before it goes; returns what puts the previous handler back. Only the
    main thread may set handlers: elsewhere this does nothing."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def interrupted(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupted)
    except (ValueError, OSError):
        return lambda: None
    if previous is None:  # a handler not set from Python: the default is the best we can restore
        previous = signal.SIG_DFL
    return lambda: signal.signal(signal.SIGTERM, previous)


def _merge(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Sorted spans, overlapping ones joined; an empty span inside or at the edge of another
    (a lookahead where a term starts) adds nothing to it."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out:
            last_start, last_end = out[-1]
            if start < last_end or (start == end and start <= last_end):
                out[-1] = (last_start, max(last_end, end))
                continue
            if last_start == last_end == start:  # an empty span where this one starts
                out[-1] = (start, end)
                continue
        out.append((start, end))
    return tuple(out)


def suggest(notice: Notice, result: SearchResult, section: str | None = None, limit: int = 5) -> tuple[str, ...]:
    """Up to ``limit`` phrases of the notice (or ``section``) closest to the terms found nowhere."""
    from rectcli.suggest import closest_to_any

    wanted = [reading.forms[0] if reading.how == "simplified" else reading.term
              for reading in result.readings if not reading.matched and reading.how != "regex"]
    if not wanted:
        return ()
    # one ranking for all the terms: the closest phrases overall, not five per term
    return tuple(closest_to_any([p.text for p in _searched(notice, section)], wanted, limit))


class Snippet(Record):
    text: str
    spans: tuple[tuple[int, int], ...]


def snippet(text: str, spans: tuple[tuple[int, int], ...], context: int = 24) -> Snippet:
    """A window of ``text`` around the first span, with ellipses where it was cut. An empty
    span (a zero-width regex match) is kept, at its place, so the window centres on it."""
    if not spans:
        cut = text[: context * 2]
        return Snippet(cut + ("…" if len(cut) < len(text) else ""), ())
    first_start, _ = spans[0]
    start = max(0, first_start - context)
    last_end = max(e for s, e in spans if s < first_start + context * 3)
    end = min(len(text), max(last_end + context, start + context * 3))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    inside = tuple((max(s, start) + shift, min(e, end) + shift) for s, e in spans
                   if (s < end and e > start) or (s == e and start <= s <= end))  # empty: a lookahead
    return Snippet(prefix + text[start:end] + suffix, inside)
