"""Summarise a notice: its facts, money recovered, and counts per section.

Pure functions of a :class:`~rectcli.notice.model.Notice`; nothing here knows about terminals.
Every label is the notice's own word: 巡察轮次 for a 巡察, 巡视轮次 for a 巡视.
"""

from collections import Counter
from decimal import Decimal

from rectcli.notice.model import Node, Notice, Outcome, characters, section_of
from rectcli.record import Record


class SectionStats(Record):
    id: str
    label: str          # the notice's own: 六
    heading: str | None
    measures: int       # its subsections, or 1 for a section whose body is its text
    characters: int
    documents: int
    figures: int


class Provenance(Record):
    """A headline outcome and the passages of the body whose text carries the same amount."""

    label: str
    written: str
    measures: tuple[str, ...]


class Money(Record):
    """An amount of money among the headline outcomes (restatements left out), exact in 元."""

    label: str
    raw: str
    unit: str
    yuan: Decimal | None


class Stats(Record):
    facts: tuple[tuple[str, str], ...]
    money: tuple[Money, ...]
    sections: tuple[SectionStats, ...]
    provenance: tuple[Provenance, ...]


# stated counts that describe the problems the inspection fed back (4个方面 14个类别 43项具体问题)
PROBLEM_COUNTS = ("方面", "类别", "具体问题", "问题", "方面问题")


def facts(notice: Notice) -> tuple[tuple[str, str], ...]:
    """What the notice says about itself, labelled in its own words; only what it says."""
    meta = notice.metadata
    insp = meta.inspection
    word = meta.word
    out: list[tuple[str, str]] = []

    def add(label: str, value: str | None) -> None:
        if value:
            out.append((label, value))

    add(f"{word}轮次", insp.round)
    add(f"{word}组", insp.team)
    add(f"被{word}党组织", (insp.inspected or "") + (f"(原{insp.former_name})" if insp.former_name and insp.inspected else ""))
    if insp.period:
        start, end = insp.period.start, insp.period.end
        read = start is not None and end is not None and start.iso and end.iso
        add(f"{word}时间", f"{start.iso} 至 {end.iso}" if read else insp.period.text)  # type: ignore[union-attr]
    if insp.feedback:
        add("反馈时间", insp.feedback.iso or insp.feedback.text)
    problems = [f"{s.raw}{s.unit}{s.label}" for s in notice.stated if s.label in PROBLEM_COUNTS]
    add("反馈问题", " ".join(problems))
    add("整改会议", " ".join(f"{s.raw}{s.unit}" for s in notice.stated if s.label == "会议"))
    add("发布单位", meta.issuer)
    if meta.published:
        add("发布时间", meta.published.text)
    add("发布网站", meta.source.site)
    return tuple(out)


def section_characters(node: Node) -> int:
    """What a reader counts in a section: its own paragraphs and everything below its heading
    (subsection headings and text), not the section's heading nor any marker."""
    total = sum(characters(p) for p in node.paragraphs)
    for child in node.children:
        for n in child.walk():
            total += characters((n.heading or "") + n.after_heading) + sum(characters(p) for p in n.paragraphs)
    return total


def headline(notice: Notice) -> tuple[Outcome, ...]:
    """The outcomes without restatements: a figure with the key, value and unit of one before it
    (三(三)'s 合计挽回经济损失618.5622万元 restates the opening's 直接挽回经济损失618.5622万元) is the
    same amount told again, not more of it."""
    seen: set[tuple[str, str, str]] = set()
    out = []
    for o in notice.outcomes:
        if o.key is not None:
            if (o.key, o.raw, o.unit) in seen:
                continue
            seen.add((o.key, o.raw, o.unit))
        out.append(o)
    return tuple(out)


def reported_money(notice: Notice) -> str | None:
    """The money a notice reports, in 元, exactly: the amounts of its outcomes without
    restatements (:func:`headline`) summed; None when it reports none."""
    from rectcli.exact import decimal_sum, plain

    amounts = [o.yuan for o in headline(notice) if o.yuan is not None]
    return plain(decimal_sum(amounts)) if amounts else None


def stats(notice: Notice) -> Stats:
    money = tuple(Money(o.label, o.raw, o.unit, o.yuan) for o in headline(notice) if o.yuan is not None)
    from rectcli.notice.extract import documents, figures

    docs = documents(notice)
    quantities = figures(notice)
    node_ids = {n.id for n in notice.nodes()}

    doc_count = Counter(sec for d in docs for sec in {section_of(c.passage_id) for c in d.citations})
    figure_count = Counter(section_of(q.passage_id) for q in quantities if q.passage_id in node_ids)
    sections = tuple(
        SectionStats(s.id, s.label, s.heading, len(s.children) or (1 if s.paragraphs else 0),
                     section_characters(s), doc_count[s.id], figure_count[s.id])
        for s in notice.sections
    )
    provenance = tuple(
        Provenance(o.label, o.raw + o.unit, tuple(dict.fromkeys(
            q.passage_id for q in quantities
            if q.passage_id in node_ids and q.unit == o.unit and q.value == o.value)))
        for o in notice.outcomes
    )
    return Stats(facts(notice), money, sections, provenance)
