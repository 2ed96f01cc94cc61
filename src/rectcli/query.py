"""Questions about a notice: find an id, list its structure, search it, summarise it.

Pure functions from a :class:`~rectcli.model.Notice` to result dataclasses; nothing here
knows about terminals or files.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, NamedTuple, Union

from rectcli.errors import NotFoundError, QueryError
from rectcli.model import Measure, Notice, Paragraph, Passage, Section, from_numeral, section_of, to_yuan
from rectcli.textfold import fold

Target = Union[Section, Measure, Paragraph]

_CN = "一二三四五六七八九十"
_ID_CN = re.compile(rf"^([{_CN}]+)[、.]?(?:\(([{_CN}]+)\))?$")
_ID_NUM = re.compile(r"^([0-9]+)(?:[.\-]([0-9]+))?$")


# ---------------------------------------------------------------- ids


def all_ids(notice: Notice) -> list[str]:
    ids = [p.id for p in notice.opening]
    for s in notice.sections:
        ids.append(s.id)
        ids.extend(m.id for m in s.measures)
    ids.extend(p.id for p in notice.closing)
    return ids


def normalize_id(ident: str) -> str:
    """'六（四）' / '六(四)' / ' 6.4 ' / '６．４' → '6.4'; anything else is returned folded."""
    text = fold(ident.strip()).replace(" ", "")
    m = _ID_CN.match(text)
    if m:
        sec = from_numeral(m.group(1))
        sub = from_numeral(m.group(2)) if m.group(2) else None
        if sec is not None and (m.group(2) is None or sub is not None):
            return f"{sec}.{sub}" if sub else str(sec)
    m = _ID_NUM.match(text)
    if m:
        sec_n, sub_n = int(m.group(1)), m.group(2)
        return f"{sec_n}.{int(sub_n)}" if sub_n else str(sec_n)
    return text


def resolve(notice: Notice, ident: str) -> Target:
    """The section, measure or paragraph named by ``ident``, in any of its written forms."""
    if not ident.strip():
        raise QueryError("empty id; run `rectcli sections` to see the ids")
    key = normalize_id(ident)
    for p in notice.opening + notice.closing:
        if p.id == key:
            return p
    for s in notice.sections:
        if s.id == key:
            return s
        for m in s.measures:
            if m.id == key:
                return m
    raise NotFoundError(f"no section or measure {ident!r}{_suggest(notice, key)}; "
                        "run `rectcli sections` to see the ids")


def _suggest(notice: Notice, key: str) -> str:
    import difflib

    ids = all_ids(notice)
    near = difflib.get_close_matches(key, ids, n=3, cutoff=0.5)
    if not near and "." in key:
        sec = section_of(key)
        near = [i for i in ids if i.startswith(sec + ".")][:3]
    if not near:
        return ""
    return " (did you mean " + ", ".join(near) + "?)"


def section_scope(notice: Notice, ident: str | None) -> Section | None:
    """The section named by ``--section``: a measure id narrows to its section."""
    if ident is None:
        return None
    target = resolve(notice, ident)
    if isinstance(target, Measure):
        target = notice.section(target.section_id)
    if not isinstance(target, Section):
        raise NotFoundError(f"{ident!r} is not a section; use a number such as 6 or 六")
    return target


# ---------------------------------------------------------------- documents and figures


def find_documents(notice: Notice, *, title: str | None = None, kind: str | None = None,
                   section: str | None = None) -> list[Any]:
    """Cited documents whose title contains ``title``, whose kind contains ``kind``
    (办法 matches 实施办法), cited in ``section``; in order of first citation."""
    from rectcli.extract import documents

    scope = section_scope(notice, section)
    return [
        d for d in documents(notice)
        if (title is None or fold(title) in fold(d.title))
        and (kind is None or (d.kind is not None and fold(kind) in fold(d.kind)))
        and (scope is None or any(section_of(c.passage_id) == scope.id for c in d.citations))
    ]


def find_figures(notice: Notice, *, unit: str | None = None, section: str | None = None,
                 by_value: bool = False) -> list[Any]:
    """Quantities in ``unit`` within ``section``, in notice order or by value (money in 元)."""
    from rectcli.extract import figures

    scope = section_scope(notice, section)
    found = [q for q in figures(notice)
             if (unit is None or q.unit == unit.strip())
             and (scope is None or section_of(q.passage_id) == scope.id)]
    if by_value:
        found.sort(key=lambda q: q.yuan if q.yuan is not None else q.value)
    return found


# ---------------------------------------------------------------- search

Span = tuple[int, int]


class Reading(NamedTuple):
    """How one search term was understood.

    ``how`` is ``text`` (as written, after width and case folding), ``simplified`` (a traditional
    or variant spelling converted by OpenCC; ``forms`` are the simplified spellings searched),
    ``pinyin`` (Latin letters read as toneless pinyin; ``forms`` holds the letters) or ``regex``.
    ``matched`` lists the distinct passages' wordings the term matched, in notice order.
    """

    term: str
    how: str
    forms: tuple[str, ...]
    matched: tuple[str, ...]


class SearchHit(NamedTuple):
    passage: Passage
    spans: tuple[Span, ...]
    title_hits: int
    body_hits: int


class SearchResult(NamedTuple):
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
    scope = section_scope(notice, section)
    passages = [p for p in notice.passages() if scope is None or p.section_id == scope.id]
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
        in_title = len(passage.title or "") if passage.kind in ("measure", "heading") else 0
        title_hits = sum(1 for start, _ in every if start < in_title)
        hits.append(SearchHit(passage, _merge(every), title_hits, len(every) - title_hits))
    if sort == "relevance":
        hits.sort(key=lambda h: (-h.title_hits, -(h.title_hits + h.body_hits)))
    return SearchResult(tuple(terms), match_all, regex, tuple(hits), tuple(readings), sort)


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
    spelled = _spelling(term) if pinyin is not False else None
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

    scope = section_scope(notice, section)
    texts = [p.text for p in notice.passages() if scope is None or p.section_id == scope.id]
    out: dict[str, None] = {}
    for reading in result.readings:
        if reading.matched or reading.how == "regex":
            continue
        query = reading.forms[0] if reading.how == "simplified" else reading.term
        out.update(dict.fromkeys(closest_phrases(texts, query, limit)))
    return tuple(out)[:limit]


class Snippet(NamedTuple):
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


# ---------------------------------------------------------------- stats


class SectionStats(NamedTuple):
    id: str
    numeral: str
    problem: str
    measures: int
    characters: int
    documents: int
    figures: int


class Provenance(NamedTuple):
    """A headline outcome and the measures whose text carries the same amount."""

    label: str
    written: str
    measures: tuple[str, ...]


class Money(NamedTuple):
    label: str
    wan: Decimal
    yuan: Decimal | None
    raw: str


class Stats(NamedTuple):
    facts: tuple[tuple[str, str], ...]
    money: tuple[Money, ...]
    sections: tuple[SectionStats, ...]
    provenance: tuple[Provenance, ...]


def characters(text: str) -> int:
    """Characters a reader counts: everything but white space."""
    return sum(1 for ch in text if not ch.isspace())


def stats(notice: Notice) -> Stats:
    meta = notice.metadata
    insp = meta.inspection
    inspected = insp.inspected + (f"(原{insp.former_name})" if insp.former_name else "")
    facts = (
        ("巡视轮次", insp.round),
        ("巡视组", insp.team),
        ("被巡视党组织", inspected),
        ("巡视时间", f"{insp.period_start.isoformat()} 至 {insp.period_end.isoformat()}"),
        ("反馈时间", insp.feedback.isoformat()),
        ("反馈问题", f"{meta.aspects}个方面 {meta.categories}个类别 {meta.problem_items}项具体问题"),
        ("整改会议", f"{meta.meetings}次"),
        ("发布单位", meta.issuer),
        ("发布时间", meta.published.strftime("%Y-%m-%d %H:%M")),
        ("发布网站", meta.site_name),
    )
    money = tuple(
        Money(o.label, o.value, to_yuan(o.value, o.unit), o.raw) for o in notice.outcomes if o.unit == "万元"
    )
    from rectcli.extract import documents, figures

    docs = documents(notice)
    quantities = figures(notice)
    measure_ids = {m.id for m in notice.measures}

    sections = tuple(
        SectionStats(s.id, s.numeral, s.problem, len(s.measures),
                     sum(characters(m.body) for m in s.measures),
                     sum(1 for d in docs if any(section_of(c.passage_id) == s.id for c in d.citations)),
                     sum(1 for q in quantities if q.passage_id in measure_ids and section_of(q.passage_id) == s.id))
        for s in notice.sections
    )
    provenance = tuple(
        Provenance(o.label, o.raw + o.unit, tuple(dict.fromkeys(
            q.passage_id for q in quantities
            if q.passage_id in measure_ids and q.unit == o.unit and q.value == o.value)))
        for o in notice.outcomes
    )
    return Stats(facts, money, sections, provenance)
