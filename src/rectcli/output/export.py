"""Compose the notice into the formats people take it out in (pure: returns strings).

``text`` is the notice as published without its page chrome: every character of the notice
exactly once, in reading order, one source paragraph per line. ``json``/``yaml`` are the notice
file itself (format 2, loadable again with ``--data``) plus what rectcli derived from it.
"""

from __future__ import annotations

from typing import Any

from rectcli.notice.model import Date, Node, Notice, Paragraph, characters
from rectcli.output.data import document_data, own_text, quantity_data

INDENT = "  "


def to_text(notice: Notice) -> str:
    """The notice in reading order, laid out as published: title lines, then each paragraph
    indented, then the signature lines; a blank line between paragraphs. Page chrome (the
    file's ``chrome``) is not part of the notice and is left out."""
    lines: list[str] = list(notice.title_lines)
    for p in notice.opening:
        lines.append(INDENT + p.text)
    for n in notice.nodes():
        lines.extend(INDENT + line for line in n.lines)
    for p in notice.closing:
        lines.append(INDENT + p.text)
    lines.extend(notice.signature_lines)
    return "\n\n".join(lines) + "\n"


# ------------------------------------------------------------------ the file format


def _errata(errata: tuple[Any, ...]) -> dict[str, Any]:
    return {"errata": [{"found": e.found, "likely": e.likely, "note": e.note} for e in errata]} if errata else {}


def _date(name: str, d: Date | None) -> dict[str, Any]:
    if d is None:
        return {}
    out: dict[str, Any] = {name: d.value, f"{name}_text": d.text}
    if d.value and d.precision and d.precision != "day":
        out[f"{name}_precision"] = d.precision
    if d.year_inferred:
        out[f"{name}_year_inferred"] = True
    return out


def _paragraph(p: Paragraph) -> dict[str, Any]:
    return {"id": p.id, "text": p.text, **_errata(p.errata)}


def _node(n: Node) -> dict[str, Any]:
    out: dict[str, Any] = {"id": n.id, "marker": n.marker, "heading": n.heading, "runin": n.runin}
    if n.runin or n.after_heading:
        out["after_heading"] = n.after_heading
    if n.paragraphs:
        out["paragraphs"] = list(n.paragraphs)
    out.update(_errata(n.errata))
    if n.children:
        out["children"] = [_node(c) for c in n.children]
    return out


def _figure(o: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"label": o.label, "key": o.key, "value": o.raw, "unit": o.unit}
    if o.approx:
        out["approx"] = o.approx
    if o.yuan is not None:
        out["yuan"] = str(o.yuan)
    if o.passage is not None:
        out["at"] = {"passage": o.passage, "start": o.start, "end": o.end}
    if o.damaged:
        out["damaged"] = True
    if o.breakdown:
        out["breakdown"] = [_figure(b) for b in o.breakdown]
        out["complete"] = o.complete
    return out


def to_data(notice: Notice, *, derived: bool = True) -> dict[str, Any]:
    """The notice as plain data in the notice-file format 2 (loadable with ``--data``)."""
    meta = notice.metadata
    insp = meta.inspection
    inspection: dict[str, Any] = {k: v for k, v in (
        ("body", insp.body), ("level", insp.level), ("round", insp.round), ("team", insp.team),
        ("inspected", insp.inspected), ("former_name", insp.former_name)) if v is not None}
    if insp.period is not None:
        inspection["period"] = {"text": insp.period.text, **_date("start", insp.period.start),
                                **_date("end", insp.period.end)}
    inspection.update(_date("feedback", insp.feedback))
    metadata: dict[str, Any] = {"title": meta.title, "title_from": meta.title_from, "issuer": meta.issuer,
                                "kind": meta.kind, "special": list(meta.special), "inspection": inspection}
    metadata.update(_date("published", meta.published))
    if meta.published_time:
        metadata["published_time"] = meta.published_time
    if meta.signature is not None:
        metadata["signature"] = {"signer": meta.signature.signer, **_date("date", meta.signature.date)}
    if meta.contacts:
        metadata["contacts"] = dict(meta.contacts)
    source = {k: v for k, v in meta.source._asdict().items() if v is not None}
    if source:
        metadata["source"] = source
    data: dict[str, Any] = {
        "schema_version": 2,
        "metadata": metadata,
        "chrome": [{k: v for k, v in c._asdict().items() if v is not None} for c in notice.chrome],
        "title": list(notice.title_lines),
        "opening": [_paragraph(p) for p in notice.opening],
        "sections": [_node(n) for n in notice.sections],
        "closing": [_paragraph(p) for p in notice.closing],
        "signature": {"lines": list(notice.signature_lines), **_errata(notice.signature_errata)},
        "outcomes": [_figure(o) for o in notice.outcomes],
        "stated_counts": [_figure(o) for o in notice.stated],
    }
    if derived:
        from rectcli.notice.extract import documents, figures

        data["derived"] = {"documents": [document_data(d) for d in documents(notice)],
                           "figures": [quantity_data(q) for q in figures(notice)]}
    return data


def to_json(notice: Notice) -> str:
    import json

    from rectcli.output.data import to_jsonable

    return json.dumps(to_jsonable(to_data(notice)), ensure_ascii=False, indent=2) + "\n"


def to_yaml(notice: Notice) -> str:
    from rectcli.notice.format import dump

    return dump(to_data(notice))


# ------------------------------------------------------------------ tables and documents

CSV_COLUMNS = ("id", "section", "section_heading", "label", "marker", "heading", "text", "characters",
               "documents", "figures")


def to_csv(notice: Notice) -> str:
    """One row per node that has text of its own, RFC 4180 quoting, CRLF line ends."""
    import csv
    import io

    from rectcli.notice.extract import documents, figures

    docs_by = _by_passage((c.passage_id, d.title) for d in documents(notice) for c in d.citations)
    figs_by = _by_passage((q.passage_id, q.written) for q in figures(notice))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for n in notice.nodes():
        if not n.paragraphs:
            continue
        section = notice.section(n.section_id)
        writer.writerow((n.id, n.section_id, section.heading if section else "", n.label, n.marker,
                         n.heading or "", n.text, characters(own_text(n)),
                         "；".join(f"《{t}》" for t in docs_by.get(n.id, [])), "；".join(figs_by.get(n.id, []))))
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
    word = meta.word
    lines = [f"# {meta.title or '（无标题）'}", ""]
    facts = [("发布", " ".join(x for x in (meta.published.text if meta.published else None, meta.source.site) if x)),
             (word, "，".join(x for x in (insp.round, insp.team, insp.period.text if insp.period else None) if x)),
             ("反馈", insp.feedback.text if insp.feedback else ""),
             ("明示数量", "、".join(f"{s.raw}{s.unit}{s.label}" for s in notice.stated))]
    listed = [f"- {label}：{value}" for label, value in facts if value]
    lines += listed + [""] if listed else []  # no facts: no list, and no second blank line
    lines += [p.text + "\n" for p in notice.opening]
    if notice.outcomes:
        lines += ["## 整改成效", "", "| 项目 | 数量 | 单位 | 细分 |", "| --- | ---: | --- | --- |"]
        for o in notice.outcomes:
            parts = "、".join(f"{b.label}{b.raw}{b.unit}" for b in o.breakdown)
            lines.append(f"| {o.label} | {o.raw} | {o.unit} | {_md_escape(parts)} |")
        lines.append("")
    for n in notice.nodes():
        hashes = "#" * min(n.depth + 1, 6)
        if n.heading is not None and not n.runin:
            lines += [f"{hashes} {n.marker}{n.heading}", ""]
            lines += [p + "\n" for p in n.paragraphs]
        else:
            lines += [line + "\n" for line in n.lines]
    lines += [p.text + "\n" for p in notice.closing]
    lines += [line + "\n" for line in notice.signature_lines]
    return "\n".join(lines)
