"""Compose the notice back into the formats people take it out in (pure: returns strings)."""

from __future__ import annotations

from typing import Any

from rectcli.notice.extract import Document, Quantity, documents, figures
from rectcli.model import AFTER_TITLE, Measure, Notice, Paragraph, characters

INDENT = "  "


def _para(p: Paragraph) -> str:
    return INDENT + p.full_text


def to_text(notice: Notice) -> str:
    """The notice in reading order, laid out as published: masthead, title, date line, body."""
    meta = notice.metadata
    lines = [
        meta.masthead, "",
        meta.title, "",
        f"{meta.published.strftime('%Y-%m-%d %H:%M')} {meta.site_name}", "",
    ]
    for p in notice.opening:
        lines += [_para(p), ""]
    for s in notice.sections:
        lines += [INDENT + s.full_heading, ""]
        for m in s.measures:
            lines += [INDENT + m.full_text, ""]
    for p in notice.closing:
        lines += [_para(p), ""]
    lines += [meta.issuer, "", notice.signature.date_text]
    return "\n".join(lines) + "\n"


def _errata(errata: tuple) -> dict[str, Any]:
    return {"errata": [{"found": e.found, "likely": e.likely, "note": e.note} for e in errata]} if errata else {}


def _paragraph(p: Paragraph) -> dict[str, Any]:
    out: dict[str, Any] = {"id": p.id, "text": p.text}
    if p.items:
        out["items"] = [{"ordinal": i.ordinal, "text": i.text, **_errata(i.errata)} for i in p.items]
    if p.contacts:
        out["contacts"] = {k: v for k, v in p.contacts._asdict().items() if v is not None}
    out.update(_errata(p.errata))
    return out


def _measure(m: Measure) -> dict[str, Any]:
    out: dict[str, Any] = {"id": m.id}
    if m.numeral:
        out["numeral"] = m.numeral
    if m.title is not None:
        out["title"] = m.title
        if m.after_title != AFTER_TITLE:
            out["after_title"] = m.after_title
    out["text"] = m.text
    out.update(_errata(m.errata))
    return out


def to_data(notice: Notice, *, derived: bool = True) -> dict[str, Any]:
    """The notice as plain data in the notice-file format (loadable with ``--data``)."""
    meta = notice.metadata
    insp = meta.inspection
    inspection: dict[str, Any] = {"round": insp.round, "team": insp.team, "inspected": insp.inspected}
    if insp.former_name:
        inspection["former_name"] = insp.former_name
    inspection["period"] = {"start": insp.period_start.isoformat(), "end": insp.period_end.isoformat()}
    inspection["feedback"] = insp.feedback.isoformat()
    data: dict[str, Any] = {
        "schema_version": 1,
        "metadata": {
            "title": meta.title, "issuer": meta.issuer,
            "site": {"name": meta.site_name, "masthead": meta.masthead},
            "published": meta.published.isoformat(),
            "inspection": inspection,
            "problems": {"aspects": meta.aspects, "categories": meta.categories, "items": meta.problem_items},
            "meetings": meta.meetings,
        },
        "opening": [_paragraph(p) for p in notice.opening],
        "outcomes": {"source": notice.outcomes_source, "figures": [
            {"key": o.key, "label": o.label, "value": o.raw, "unit": o.unit,
             **({"breakdown": [{"label": b.label, "value": b.raw, "unit": b.unit} for b in o.breakdown]}
                if o.breakdown else {})}
            for o in notice.outcomes
        ]},
        "sections": [
            {"id": s.id, "numeral": s.numeral, "problem": s.problem, "measures": [_measure(m) for m in s.measures]}
            for s in notice.sections
        ],
        "closing": [_paragraph(p) for p in notice.closing],
        "signature": {"date_text": notice.signature.date_text, "date": notice.signature.date.isoformat(),
                      **_errata(notice.signature.errata)},
    }
    if derived:
        data["derived"] = {"documents": [document_data(d) for d in documents(notice)],
                           "figures": [quantity_data(q) for q in figures(notice)]}
    return data


def document_data(d: Document) -> dict[str, Any]:
    return {"title": d.title, "kind": d.kind, "marks": list(d.marks), "years": d.years,
            "cited_in": [{"id": c.passage_id, "label": c.label} for c in d.citations]}


def quantity_data(q: Quantity) -> dict[str, Any]:
    return {"written": q.written, "number": q.number, "value": str(q.value), "unit": q.unit,
            "chinese_numeral": q.chinese, "approx": q.approx,
            "yuan": None if q.yuan is None else str(q.yuan),
            "id": q.passage_id, "label": q.label, "context": q.context}


def to_json(notice: Notice) -> str:
    import json

    return json.dumps(to_data(notice), ensure_ascii=False, indent=2) + "\n"


def to_yaml(notice: Notice) -> str:
    import yaml

    body = yaml.safe_dump(to_data(notice), allow_unicode=True, sort_keys=False, width=1_000_000)
    return "# yaml-language-server: $schema=notice.schema.json\n" + body


CSV_COLUMNS = ("id", "section", "section_problem", "label", "title", "text", "characters", "documents", "figures")


def to_csv(notice: Notice) -> str:
    """One row per measure, RFC 4180 quoting, CRLF line ends."""
    import csv
    import io

    docs_by = _by_passage((c.passage_id, d.title) for d in documents(notice) for c in d.citations)
    figs_by = _by_passage((q.passage_id, q.written) for q in figures(notice))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for s in notice.sections:
        for m in s.measures:
            writer.writerow((m.id, s.id, s.problem, m.label, m.title or "", m.full_text,
                             characters(m.body), "；".join(f"《{t}》" for t in docs_by.get(m.id, [])),
                             "；".join(figs_by.get(m.id, []))))
    return buf.getvalue()


def _by_passage(pairs: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for pid, value in pairs:
        out.setdefault(pid, []).append(value)
    return out


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def to_markdown(notice: Notice) -> str:
    meta = notice.metadata
    insp = meta.inspection
    lines = [f"# {meta.title}", "",
             f"- 发布：{meta.published.strftime('%Y-%m-%d %H:%M')} {meta.site_name}",
             f"- 巡视：{insp.round}，{insp.team}，{insp.period_start.isoformat()} 至 {insp.period_end.isoformat()}，"
             f"{insp.feedback.isoformat()} 反馈",
             f"- 反馈问题：{meta.aspects}个方面 {meta.categories}个类别 {meta.problem_items}项具体问题", ""]
    lines += [p.full_text + "\n" for p in notice.opening]
    lines += ["## 整改成效", "", "| 项目 | 数量 | 单位 | 细分 |", "| --- | ---: | --- | --- |"]
    for o in notice.outcomes:
        parts = "、".join(f"{b.label}{b.raw}{b.unit}" for b in o.breakdown)
        lines.append(f"| {o.label} | {o.raw} | {o.unit} | {_md_escape(parts)} |")
    lines.append("")
    for s in notice.sections:
        lines += [f"## {s.full_heading}", ""]
        for m in s.measures:
            title = f"({m.numeral}){m.title}" if m.title else "（正文）"
            lines += [f"### {m.id} {title}", "", m.body if m.title is None else m.text, ""]
    lines += ["## 下一步", ""]
    lines += [p.full_text + "\n" for p in notice.closing]
    lines += [meta.issuer, "", notice.signature.date_text, ""]
    return "\n".join(lines)
