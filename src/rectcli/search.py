"""Search a notice passage by passage, as Chinese readers type.

A term is matched after width and case folding (:mod:`rectcli.textfold`); a term not found as
written is tried in simplified characters (:mod:`rectcli.convert`) and, if it is Latin letters,
as pinyin (:mod:`rectcli.pinyin`). Regular expressions run in a child process with a time
limit. When nothing matches, :func:`suggest` names the closest phrases (:mod:`rectcli.suggest`).
Pure functions of a :class:`~rectcli.model.Notice`; nothing here knows about terminals.
"""

import re
from typing import Any

from rectcli.errors import QueryError
from rectcli.model import Notice, Passage
from rectcli.query import section_scope
from rectcli.record import Record
from rectcli.textfold import fold, is_han

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
    passage: Passage
    spans: tuple[Span, ...]
    title_hits: int
    body_hits: int


class SearchResult(Record):
    terms: tuple[str, ...]
    match_all: bool
    regex: bool
    hits: tuple[SearchHit, ...]
    readings: tuple[Reading, ...] = ()
    sort: str = "notice"


SORTS = ("notice", "relevance")


def search(notice: Notice, terms: list[str], *, match_all: bool = True, regex: bool = False,
           section: str | None = None, pinyin: bool | None = None, sort: str = "notice") -> SearchResult:
    """Passages that contain all (or any) of ``terms``, in the notice's order or by relevance.

    A term not found as written is tried in simplified characters (公車 → 公车), then, if it is
    Latin letters, as pinyin (gongche → 公车). ``pinyin=True`` reads Latin terms as pinyin
    straight away; ``pinyin=False`` never does. Regular expressions are used as written.
    """
    if not terms or any(not t.strip() for t in terms):
        raise QueryError("empty search term; give at least one word, e.g. `rectcli search 公车`")
    if any("\ud800" <= ch <= "\udfff" for t in terms for ch in t):
        raise QueryError("search term is not valid UTF-8; check the terminal's encoding (LANG)")
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r}; use one of: {', '.join(SORTS)}")
    passages = _searched(notice, section)
    if regex:
        patterns = _compile(terms)
        found = _bounded(lambda: [[_spans(pat.finditer(p.text)) for p in passages] for pat in patterns],
                         REGEX_SECONDS)
        readings = [Reading(t, "regex", (t,), ()) for t in terms]
    else:
        if pinyin is True and not any(_spelling(t) for t in terms):
            raise QueryError("--pinyin needs a term in Latin letters, e.g. `rectcli search --pinyin gongche`")
        folded = [fold(p.text) for p in passages]
        read = [_read(t, folded, pinyin) for t in terms]
        readings = [r for r, _ in read]
        found = [spans for _, spans in read]
    readings = [r._replace(matched=_matched(passages, spans)) for r, spans in zip(readings, found)]
    hits = []
    for i, passage in enumerate(passages):
        per_term = [f[i] for f in found]
        if not any(per_term) or (match_all and not all(per_term)):
            continue
        every = sorted(s for spans in per_term for s in spans)
        title_start, title_end = passage.title_span
        title_hits = sum(1 for start, _ in every if title_start <= start < title_end)
        hits.append(SearchHit(passage, _merge(every), title_hits, len(every) - title_hits))
    if sort == "relevance":
        hits.sort(key=lambda h: (-h.title_hits, -(h.title_hits + h.body_hits)))
    return SearchResult(tuple(terms), match_all, regex, tuple(hits), tuple(readings), sort)


def _searched(notice: Notice, section: str | None) -> list[Passage]:
    """The passages a search covers: all, or those of the ``--section`` (a measure means its section)."""
    scope = section_scope(notice, section)
    return [p for p in notice.passages() if scope is None or p.section_id == scope.id]


def _spans(matches: Any) -> list[Span]:
    return [m.span() for m in matches if m.end() > m.start()]


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


def _read(term: str, folded: list[str], pinyin: bool | None) -> tuple[Reading, list[list[Span]]]:
    """Decide how ``term`` is read, trying each reading in turn until one is found somewhere."""
    written = fold(term.strip())
    # Han characters are never pinyin: such a term does not even load the pinyin module
    spelled = _spelling(term) if pinyin is not False and not any(map(is_han, written)) else None
    if pinyin is True and spelled:
        return _read_pinyin(term, spelled, folded)
    spans = _find_text(folded, (written,))
    if any(spans):
        return Reading(term, "text", (written,), ()), spans
    from rectcli.convert import simplified_forms

    forms = tuple(dict.fromkeys(f for f in map(fold, simplified_forms(written)) if f != written))
    if forms:
        converted = _find_text(folded, forms)
        if any(converted) or not spelled:
            return Reading(term, "simplified", forms, ()), converted
    if spelled:
        return _read_pinyin(term, spelled, folded)
    return Reading(term, "text", (written,), ()), spans


def _read_pinyin(term: str, spelled: Any, folded: list[str]) -> tuple[Reading, list[list[Span]]]:
    from rectcli.pinyin import find

    return Reading(term, "pinyin", (spelled.letters,), ()), [find(text, spelled) for text in folded]


def _find_text(folded: list[str], forms: tuple[str, ...]) -> list[list[Span]]:
    pattern = re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)))
    return [_spans(pattern.finditer(text)) for text in folded]


def _matched(passages: list[Passage], spans: list[list[Span]], limit: int = 10) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for passage, found in zip(passages, spans):
        for start, end in found:
            seen.setdefault(passage.text[start:end])
            if len(seen) >= limit:
                return tuple(seen)
    return tuple(seen)


REGEX_SECONDS = 2.0


def _bounded(work: Any, seconds: float) -> Any:
    """Run ``work`` in a forked child and give up after ``seconds``: Python's re cannot be
    interrupted, and a pattern like (a+)+$ can backtrack for hours."""
    import os
    import pickle
    import select
    import time

    if not hasattr(os, "fork"):
        return work()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: compute, send, and leave without running any cleanup
        os.close(read_fd)
        try:
            payload = pickle.dumps(("ok", work()))
        except BaseException as e:  # noqa: BLE001 - reported to the parent
            payload = pickle.dumps(("error", repr(e)))
        with os.fdopen(write_fd, "wb") as fh:
            fh.write(payload)
        os._exit(0)
    os.close(write_fd)
    chunks = []
    with os.fdopen(read_fd, "rb") as fh:
        start = time.monotonic()
        while True:
            left = seconds - (time.monotonic() - start)
            ready, _, _ = select.select([fh], [], [], max(left, 0))
            if not ready:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
                raise QueryError(f"regex took longer than {seconds:g} s and was stopped; nested "
                                 "quantifiers such as (a+)+ backtrack catastrophically — simplify the pattern")
            chunk = os.read(fh.fileno(), 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    os.waitpid(pid, 0)
    status, value = pickle.loads(b"".join(chunks))  # our own child's output, never a file's
    if status != "ok":
        raise QueryError(f"regex search failed: {value}")
    return value


def _merge(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return tuple(out)


def suggest(notice: Notice, result: SearchResult, section: str | None = None, limit: int = 5) -> tuple[str, ...]:
    """Up to ``limit`` phrases of the notice (or ``section``) closest to the terms found nowhere."""
    from rectcli.suggest import closest_phrases

    texts = [p.text for p in _searched(notice, section)]
    out: dict[str, None] = {}
    for reading in result.readings:
        if reading.matched or reading.how == "regex":
            continue
        query = reading.forms[0] if reading.how == "simplified" else reading.term
        out.update(dict.fromkeys(closest_phrases(texts, query, limit)))
    return tuple(out)[:limit]


class Snippet(Record):
    text: str
    spans: tuple[tuple[int, int], ...]


def snippet(text: str, spans: tuple[tuple[int, int], ...], context: int = 24) -> Snippet:
    """A window of ``text`` around the first span, with ellipses where it was cut."""
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
    inside = tuple((max(s, start) + shift, min(e, end) + shift) for s, e in spans if s < end and e > start)
    return Snippet(prefix + text[start:end] + suffix, inside)
