"""Summarise a notice: its facts, money recovered, and counts per section.

Pure functions of a :class:`~rectcli.model.Notice`; nothing here knows about terminals.
"""

from collections import Counter
from decimal import Decimal

from rectcli.model import Notice, characters, section_of, to_yuan
from rectcli.record import Record


class SectionStats(Record):
    id: str
    numeral: str
    problem: str
    measures: int
    characters: int
    documents: int
    figures: int


class Provenance(Record):
    """A headline outcome and the measures whose text carries the same amount."""

    label: str
    written: str
    measures: tuple[str, ...]


class Money(Record):
    label: str
    wan: Decimal
    yuan: Decimal | None
    raw: str


class Stats(Record):
    facts: tuple[tuple[str, str], ...]
    money: tuple[Money, ...]
    sections: tuple[SectionStats, ...]
    provenance: tuple[Provenance, ...]


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
    from rectcli.notice.extract import documents, figures

    docs = documents(notice)
    quantities = figures(notice)
    measure_ids = {m.id for m in notice.measures}

    doc_count = Counter(sec for d in docs for sec in {section_of(c.passage_id) for c in d.citations})
    figure_count = Counter(section_of(q.passage_id) for q in quantities if q.passage_id in measure_ids)
    sections = tuple(
        SectionStats(s.id, s.numeral, s.problem, len(s.measures), sum(characters(m.body) for m in s.measures),
                     doc_count[s.id], figure_count[s.id])
        for s in notice.sections
    )
    provenance = tuple(
        Provenance(o.label, o.raw + o.unit, tuple(dict.fromkeys(
            q.passage_id for q in quantities
            if q.passage_id in measure_ids and q.unit == o.unit and q.value == o.value)))
        for o in notice.outcomes
    )
    return Stats(facts, money, sections, provenance)
