"""Derive what the plain text hides: the documents cited in 《…》 and every quantity.

Pure functions over a :class:`~rectcli.notice.model.Notice`; results are immutable records in the
notice's reading order. What counts as a unit, a date rather than a quantity, a document kind
(vocab/quantities.txt) and a name rather than a count (vocab/not_counts.txt) are data files, read
once. (No ``from __future__ import annotations`` here or in the other modules of records: see
:mod:`rectcli.notice.model`.)
"""

import functools
import re
from decimal import Decimal

from rectcli import vocab
from rectcli.notice.model import Erratum, Notice, Passage, section_of, to_yuan
from rectcli.record import Record

# ---------------------------------------------------------------- documents

_TRAILING_MARK = re.compile(r"\(([^()]*)\)$")
_YEAR_RANGE = re.compile(r"^(\d{4})\s*[-—–~至]\s*(\d{4})年?$")


class Citation(Record):
    passage_id: str
    label: str


class Document(Record):
    title: str
    kind: str | None
    marks: tuple[str, ...]
    years: str | None
    citations: tuple[Citation, ...]


def _classify(title: str) -> tuple[str | None, tuple[str, ...], str | None]:
    base, marks, years = title, [], None
    while (m := _TRAILING_MARK.search(base)) is not None:
        inner = m.group(1)
        yr = _YEAR_RANGE.match(inner)
        if yr:
            years = f"{yr.group(1)}-{yr.group(2)}"
        marks.insert(0, inner)
        base = base[: m.start()]
    if "暂行" in base:
        marks.append("暂行")
    kind = next((k for k in vocabulary()["document"] if base.endswith(k)), None)
    return kind, tuple(marks), years


_CITED = re.compile(r"《([^《》]+)》")


def documents(notice: Notice) -> tuple[Document, ...]:
    """Every distinct 《title》, with the passages that cite it, in order of first citation."""
    found: dict[str, list[Citation]] = {}
    for passage in notice.passages():
        for m in _CITED.finditer(passage.text):
            cites = found.setdefault(m.group(1), [])
            if not any(c.passage_id == passage.id for c in cites):
                cites.append(Citation(passage.id, passage.label))
    out = []
    for title, cites in found.items():
        kind, marks, years = _classify(title)
        out.append(Document(title, kind, marks, years, tuple(cites)))
    return tuple(out)


# ---------------------------------------------------------------- figures

@functools.lru_cache(maxsize=1)
def vocabulary() -> dict[str, tuple[str, ...]]:
    """vocab/quantities.txt by kind (unit, cn_unit, cn_digit, date_unit, document), read once."""
    out: dict[str, list[str]] = {}
    for line in vocab.lines("quantities.txt"):
        kind, _, value = line.partition("\t")
        out.setdefault(kind, []).append(value)
    return {kind: tuple(values) for kind, values in out.items()}


@functools.lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A number in Arabic digits with its unit, and a count in Chinese numerals with its unit."""
    vocab = vocabulary()
    units = "|".join(map(re.escape, vocab["unit"]))
    cn_units = "|".join(map(re.escape, vocab["cn_unit"]))
    digits = "".join(vocab["cn_digit"])
    return (re.compile(rf"(?P<pre>近|超|约)?(?P<num>\d+(?:\.\d+)?)(?P<approx>余)?(?P<unit>{units})?"),
            re.compile(rf"(?P<pre>近|超|约)?(?P<num>[{digits}]+)(?P<approx>余)?(?P<unit>{cn_units})"))


class Quantity(Record):
    written: str        # as in the text: 140余名
    number: str         # the number as written: 140, 618.5622, 四
    value: Decimal      # its value: 140, 618.5622, 4
    unit: str           # 名, 万元, % … ('' where the text gives none)
    chinese: bool       # written in Chinese numerals
    approx: str | None  # 余, 近, 超 or 约 as written
    passage_id: str
    label: str
    context: str        # the phrase around it
    start: int          # offset in the passage text
    damaged: str | None = None  # why the unit is missing: "found → likely" from an erratum, or a note

    @property
    def yuan(self) -> Decimal | None:
        """Money normalised to yuan, exactly (618.5622万元 → 6185622)."""
        return to_yuan(self.value, self.unit)


def cn_value(text: str) -> int | None:
    """四 → 4, 两 → 2, 十 → 10, 一百四十 → 140; None for what is not a plain count."""
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    digits["两"] = 2
    total, current = 0, 0
    previous_digit = False
    for ch in text:
        if ch in digits:
            if previous_digit:
                return None  # 十三五, 一二: names and lists, not counts
            current = digits[ch]
            previous_digit = True
            continue
        previous_digit = False
        if ch in "十百千":
            scale = {"十": 10, "百": 100, "千": 1000}[ch]
            total += (current or 1) * scale
            current = 0
        else:
            return None
    return total + current


def _context(text: str, start: int, end: int, width: int = 10) -> str:
    """The clause around a match: back to the last punctuation, at most ``width`` each side."""
    stops = "。,;:、，；：()（）《》“”"
    left = start
    while left > 0 and start - left < width and text[left - 1] not in stops:
        left -= 1
    right = end
    while right < len(text) and right - end < width and text[right] not in stops:
        right += 1
    return text[left:right]


@functools.lru_cache(maxsize=1)
def not_counts() -> tuple[str, ...]:
    """Names that are not counts (中央八项规定, 五个湾区 …), from vocab/not_counts.txt, read once."""
    return tuple(line.strip() for line in vocab.lines("not_counts.txt"))


def _name_spans(text: str) -> list[tuple[int, int]]:
    """Where the names that are not counts stand in ``text``."""
    spans = []
    for name in not_counts():
        at = text.find(name)
        while at >= 0:
            spans.append((at, at + len(name)))
            at = text.find(name, at + 1)
    return spans


def _damage(text: str, start: int, end: int, errata: tuple[Erratum, ...]) -> str:
    """Why a number stands without a unit: the erratum that covers it, or a plain note."""
    for e in errata:
        at = text.find(e.found)
        while at >= 0:
            if at <= start and end <= at + len(e.found):
                return f"{e.found} → {e.likely}"
            at = text.find(e.found, at + 1)
    return f"{_context(text, start, end)} (no unit follows the number)"


def _is_date_or_code(text: str, start: int, end: int, unit: str | None) -> bool:
    before = text[start - 1] if start else ""
    after = text[end:end + 2]
    if unit:
        return False
    if any(after.startswith(u) for u in vocabulary()["date_unit"]):
        return True
    if before.isascii() and (before.isalnum() or before in "-—+@.") and before != "":
        return True  # M0, 0574-82355637, 2021-2025: codes, phone numbers, ranges
    if after[:1] and (after[:1].isascii() and not after[:1].isspace()):
        return True  # 1+X, 2.0“, 315336,  4-10月
    if after[:1] in ("—", "“", "”") or not after:
        return True
    return False


def _arabic(passage: Passage) -> list[Quantity]:
    out = []
    text = passage.text
    for m in _patterns()[0].finditer(text):
        num, unit = m.group("num"), m.group("unit")
        start, end = m.start("num"), m.end("num")
        if _is_date_or_code(text, start, m.end("approx") if m.group("approx") else end, unit):
            continue
        if unit is None:
            following = text[m.end():m.end() + 1]
            if not ("\u4e00" <= following <= "\u9fff"):
                continue
        before = text[m.start() - 1] if m.start() else ""
        if before.isascii() and (before.isalnum() or before in "-—+"):
            continue
        out.append(_quantity(passage, m, False, Decimal(num)))
    return out


def _chinese(passage: Passage) -> list[Quantity]:
    out = []
    text = passage.text
    for m in _patterns()[1].finditer(text):
        start = m.start("num")
        if start and text[start - 1] in "第星" + "".join(vocabulary()["cn_digit"]):
            continue  # 第一 is an ordinal; 三星级 is a grade
        value = cn_value(m.group("num"))
        if value is None:
            continue
        if m.group("unit") == "期" and m.group("num") != "两" and text[m.end():m.end() + 1] not in "培班课":
            continue  # 二期, 三期 are phases (ordinals); 两期培训 is a count
        out.append(_quantity(passage, m, True, Decimal(value)))
    return out


def _quantity(passage: Passage, m: re.Match[str], chinese: bool, value: Decimal) -> Quantity:
    # every field in order: Record's fast path (no keyword checks; many per notice are made)
    return Quantity(m.group(0), m.group("num"), value, m.group("unit") or "", chinese,
                    m.group("pre") or m.group("approx"), passage.id, passage.label,
                    _context(passage.text, m.start(), m.end()), m.start(), None)


def _errata(notice: Notice) -> dict[str, tuple[Erratum, ...]]:
    """The errata recorded beside each passage, by passage id."""
    out = {p.id: p.errata for p in notice.opening + notice.closing}
    out.update((n.id, n.errata) for n in notice.nodes())
    return out


def figures(notice: Notice) -> tuple[Quantity, ...]:
    """Every quantity in the notice, in reading order.

    Dates, years, codes and phone numbers are not quantities, nor are ordinals (第一, 二期) and
    names (十三五, 中央八项规定: see ``vocab/not_counts.txt``). A number the text gives no unit
    (党内警告12党内严重警告9人, where extraction lost 人,) is kept with unit ``''`` and ``damaged``
    saying so: the erratum recorded for it (found → likely), or a note when there is none.
    """
    out: list[Quantity] = []
    errata: dict[str, tuple[Erratum, ...]] | None = None
    for passage in notice.passages():
        found = _arabic(passage) + _chinese(passage)
        if not found:
            continue
        text = passage.text
        names = _name_spans(text)
        if names:
            found = [q for q in found
                     if not any(a <= q.start and q.start + len(q.written) <= b for a, b in names)]
        for q in sorted(found, key=lambda q: q.start):
            if not q.unit:
                if errata is None:
                    errata = _errata(notice)
                q = q._replace(damaged=_damage(text, q.start, q.start + len(q.written),
                                               errata.get(passage.id, ())))
            out.append(q)
    return tuple(out)


def damage_note(quantities: "tuple[Quantity, ...] | list[Quantity]") -> str | None:
    """One line naming the listed figures that have no unit because the text is damaged."""
    damaged = [q for q in quantities if q.damaged]
    if not damaged:
        return None
    n = len(damaged)
    head = f"{n} figure has" if n == 1 else f"{n} figures have"
    parts = "; ".join(f"{q.passage_id} {q.written}: {q.damaged}" for q in damaged)
    return f"{head} no unit where the text is damaged (listed with an empty unit): {parts}"


# ---------------------------------------------------------------- why a filter found nothing


def _numerals(notice: Notice, ids: "set[str]") -> str:
    return "、".join(s.label for s in notice.sections if s.id in ids)


def no_figures_reason(notice: Notice, *, unit: str | None = None, section: str | None = None) -> str:
    """Why ``figures`` with these filters lists nothing, and what the notice has instead."""
    from rectcli.notice.query import section_scope

    scope = section_scope(notice, section)
    found = figures(notice)
    if not found:
        return "the notice has no figures"
    if scope is not None:
        in_scope = [q for q in found if section_of(q.passage_id) == scope.id]
        if not in_scope:
            having = {section_of(q.passage_id) for q in found}
            return (f"no figures in section {scope.label}; sections with figures: "
                    f"{_numerals(notice, having) or 'none'}")
        found = tuple(in_scope)
    where = f" in section {scope.label}" if scope is not None else ""
    units = list(dict.fromkeys(q.unit for q in found if q.unit))
    listed = "、".join(units) or "none"
    among = f"units in section {scope.label}" if scope is not None else "units in the notice"
    if unit is None:
        return f"no figures match{where}"
    wanted = unit.strip()
    if not wanted:
        return f"no figures without a unit{where}; {among}: {listed}"
    near = [u for u in units if wanted in u or u in wanted]
    hint = f" (did you mean {'、'.join(near)}?)" if near else ""
    return f"no figures in unit {wanted}{where}{hint}; {among}: {listed}"


def no_documents_reason(notice: Notice, *, title: str | None = None, kind: str | None = None,
                        section: str | None = None) -> str:
    """Why ``docs`` with these filters lists nothing, and what the notice has instead."""
    from rectcli.notice.query import section_scope
    from rectcli.textfold import fold

    scope = section_scope(notice, section)
    docs = documents(notice)
    if not docs:
        return "the notice cites no documents in 《…》"
    where = ""
    if scope is not None:
        pool = [d for d in docs if any(section_of(c.passage_id) == scope.id for c in d.citations)]
        if not pool:
            citing = {section_of(c.passage_id) for d in docs for c in d.citations}
            return (f"no documents cited in section {scope.label}; sections citing documents: "
                    f"{_numerals(notice, citing) or 'none'}")
        docs = tuple(pool)
        where = f" in section {scope.label}"
    if kind is not None:
        pool = [d for d in docs if d.kind is not None and fold(kind) in fold(d.kind)]
        if not pool:
            kinds = "、".join(dict.fromkeys(d.kind for d in docs if d.kind)) or "none"
            among = f"kinds in section {scope.label}" if scope is not None else "kinds in the notice"
            return f"no documents of kind {kind}{where}; {among}: {kinds}"
        docs = tuple(pool)
        where = f" of kind {kind}" + where
    if title is None:
        return "no document matches"
    n = len(docs)
    return (f"no title among the {n} document{'s' if n != 1 else ''}{where} contains {title!r}; "
            "`rectcli docs` lists every title")


__all__ = ["Citation", "Document", "Quantity", "documents", "figures", "cn_value", "damage_note",
           "no_documents_reason", "no_figures_reason", "not_counts"]
