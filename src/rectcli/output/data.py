"""Every result as JSON-ready data: the one place where records become dicts and lists.

``--json`` prints these inside the envelope (:func:`envelope`); the plain and Rich renderers
(:mod:`rectcli.output.render`) present the same data. Amounts are exact decimal strings, never
floats; dates ISO strings with the text as written beside them.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:  # the model is imported where it is used: the library's listings need none of it
    from rectcli.notice.model import Node, Notice, Outcome, Paragraph
    from rectcli.notice.stats import Stats
    from rectcli.search import SearchResult

JSON_VERSION = 1


def to_jsonable(value: Any) -> Any:
    """JSON values, with Decimal amounts as their exact written form (strings, never floats)."""
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    decimal = sys.modules.get("decimal")  # imported only if an amount was used
    if decimal is not None and isinstance(value, decimal.Decimal):
        return str(value)
    return value


def envelope(command: str, data: Any = None, error: str | None = None) -> str:
    """The versioned JSON document every command prints with ``--json``."""
    import json

    from rectcli.output.textsafe import json_safe

    body: dict[str, Any] = {"rectcli_json_version": JSON_VERSION, "command": command}
    if error is None:
        body["data"] = to_jsonable(data)
    else:
        body["error"] = {"message": error}
    return json_safe(json.dumps(body, ensure_ascii=False, indent=2))


# ------------------------------------------------------------------ the tree


def _characters(text: str) -> int:
    from rectcli.notice.model import characters

    return characters(text)


def own_text(node: Node) -> str:
    """A node's heading and paragraphs without its marker: what a reader counts as its length."""
    return (node.heading or "") + node.after_heading + "".join(node.paragraphs)


def measure_count(node: Node) -> int:
    """Its subsections, or 1 for a node whose body is its own text."""
    return len(node.children) or (1 if node.paragraphs else 0)


def node_summary(node: Node, depth: int) -> dict[str, Any]:
    """A node for `sections`: children down to ``depth`` levels (deeper ones are counted)."""
    return {
        "id": node.id, "label": node.label, "marker": node.marker, "heading": node.heading,
        "runin": node.runin, "paragraphs": len(node.paragraphs), "characters": _characters(own_text(node)),
        "child_count": len(node.children),
        "children": [node_summary(c, depth) for c in node.children] if node.depth < depth else [],
    }


def sections_data(notice: Notice, depth: int) -> dict[str, Any]:
    return {"title": notice.metadata.title, "kind": notice.metadata.kind, "depth": notice.depth,
            "sections": [node_summary(s, depth) for s in notice.sections]}


# ------------------------------------------------------------------ one node or paragraph


def errata_data(errata: Sequence[Any]) -> list[dict[str, str]]:
    return [{"found": e.found, "likely": e.likely, "note": e.note} for e in errata]


def contacts_in(notice: Notice, text: str) -> dict[str, str]:
    """The notice's contacts written in ``text``."""
    return {key: value for key, value in notice.metadata.contacts if value in text}


def target_data(notice: Notice, target: Node | Paragraph) -> dict[str, Any]:
    """A node with everything below it, or a paragraph, in full."""
    from rectcli.notice.model import Paragraph

    if isinstance(target, Paragraph):
        data: dict[str, Any] = {"kind": "paragraph", "id": target.id, "label": target.label,
                                "text": target.text, "errata": errata_data(target.errata)}
        if target.items:
            data["items"] = [{"ordinal": o, "heading": _item_heading(t), "text": t} for o, t in target.items]
        contacts = contacts_in(notice, target.text)
        if contacts:
            data["contacts"] = contacts
        return data
    section = notice.section(target.section_id)
    return {
        "kind": "node", "id": target.id, "label": target.label, "marker": target.marker,
        "heading": target.heading, "runin": target.runin, "text": target.text,
        "paragraphs": list(target.paragraphs), "characters": _characters(own_text(target)),
        "section": None if section is None or section is target else
        {"id": section.id, "label": section.label, "heading": section.heading},
        "errata": errata_data(target.errata),
        "children": [target_data(notice, c) for c in target.children],
    }


def _item_heading(text: str) -> str:
    head, sep, _ = text.partition("。")
    return head if sep else ""


# ------------------------------------------------------------------ search


def search_data(result: SearchResult, notice: Notice | None = None,
                suggestions: Sequence[str] = ()) -> dict[str, Any]:
    hits = [_hit_data(hit, where(notice, hit.passage) if notice is not None else "") for hit in result.hits]
    return {**_query_data(result), "count": len(result.hits), "hits": hits, "suggestions": list(suggestions)}


def _query_data(result: Any) -> dict[str, Any]:
    """What was asked and how each term was read (a notice's search or a library's)."""
    return {"terms": list(result.terms), "mode": "all" if result.match_all else "any",
            "regex": result.regex, "sort": result.sort,
            "readings": [{"term": r.term, "read_as": r.how, "query": list(r.forms), "matched": list(r.matched)}
                         for r in result.readings]}


def _hit_data(hit: Any, where: str) -> dict[str, Any]:
    """A passage found: where it is, its text with the spans matched, its snippet and relevance."""
    from rectcli.search import snippet

    p = hit.passage
    snip = snippet(p.text, hit.spans)
    return {"id": p.id, "kind": p.kind, "label": p.label, "section_id": p.section_id, "where": where,
            "title": p.title, "text": p.text, "spans": [list(s) for s in hit.spans],
            "snippet": {"text": snip.text, "spans": [list(s) for s in snip.spans]},
            "title_hits": hit.title_hits, "body_hits": hit.body_hits, "score": hit.score}


def where(notice: Notice, passage: Any) -> str:
    """The section a passage stands in, as the notice heads it (六、关于…的整改情况)."""
    if passage.section_id is None:
        return ""
    section = notice.section(passage.section_id)
    return section.head if section is not None else ""


# ------------------------------------------------------------------ stats


def outcome_data(o: Outcome) -> dict[str, Any]:
    """An outcome figure: label as written, vocabulary key, exact value, unit, money in 元."""
    data: dict[str, Any] = {"label": o.label, "key": o.key, "value": o.raw, "unit": o.unit}
    if o.yuan is not None:
        data["yuan"] = o.yuan
    if o.approx:
        data["approx"] = o.approx
    if o.damaged:
        data["damaged"] = True
    data["breakdown"] = [outcome_data(b) for b in o.breakdown]
    if o.breakdown:
        data["complete"] = o.complete
        data["breakdown_total"] = o.breakdown_total
        data["balanced"] = o.balanced
    if o.passage is not None:
        data["at"] = {"passage": o.passage, "start": o.start, "end": o.end}
    return data


def stats_data(notice: Notice, st: Stats) -> dict[str, Any]:
    return {
        "facts": [{"label": k, "value": v} for k, v in st.facts],
        "outcomes": [outcome_data(o) for o in notice.outcomes],
        "stated_counts": [outcome_data(o) for o in notice.stated],
        "money": [{"label": m.label, "value": m.raw, "unit": m.unit, "yuan": m.yuan} for m in st.money],
        "sections": [{"id": s.id, "label": s.label, "heading": s.heading, "measures": s.measures,
                      "characters": s.characters, "documents": s.documents, "figures": s.figures}
                     for s in st.sections],
        "provenance": [{"label": p.label, "written": p.written, "measures": list(p.measures)}
                       for p in st.provenance],
    }


# ------------------------------------------------------------------ documents and figures


def document_data(d: Any) -> dict[str, Any]:
    return {"title": d.title, "kind": d.kind, "marks": list(d.marks), "years": d.years,
            "cited_in": [{"id": c.passage_id, "label": c.label} for c in d.citations]}


def quantity_data(q: Any) -> dict[str, Any]:
    return {"written": q.written, "number": q.number, "value": str(q.value), "unit": q.unit,
            "chinese_numeral": q.chinese, "approx": q.approx, "damaged": q.damaged,
            "yuan": None if q.yuan is None else str(q.yuan),
            "id": q.passage_id, "label": q.label, "context": q.context}


def validation_data(name: str, problems: Sequence[Any]) -> dict[str, Any]:
    return {"file": name, "ok": not problems,
            "problems": [{"line": p.line, "path": p.path, "message": p.message} for p in problems]}


# ------------------------------------------------------------------ import


def _date_text(d: Any) -> str | None:
    if d is None:
        return None
    if d.value is None:
        return f"{d.text} (not read)"
    note = {"month": ", month", "year": ", year"}.get(d.precision or "", "")
    note += ", year from context" if d.year_inferred else ""
    return d.text if d.text == d.value and not note else f"{d.text} → {d.value}{note}"


def import_report(source: str, target: str | None, imported: Any, notice: Notice) -> dict[str, Any]:
    """What an import found, in the notice's words, and what it could not place."""
    from rectcli.notice.extract import documents
    from rectcli.notice.stats import reported_money

    meta, insp = notice.metadata, notice.metadata.inspection
    return {
        "source": source, "output": target,
        "title": meta.title, "title_from": meta.title_from, "issuer": meta.issuer,
        "kind": meta.kind, "special": list(meta.special),
        "inspection": {"body": insp.body, "level": insp.level, "round": insp.round, "team": insp.team,
                       "inspected": insp.inspected,
                       "period": None if insp.period is None else {
                           "text": insp.period.text, "start": _date_text(insp.period.start),
                           "end": _date_text(insp.period.end)},
                       "feedback": _date_text(insp.feedback)},
        "published": _date_text(meta.published),
        "signature": None if meta.signature is None else {
            "signer": meta.signature.signer, "date": _date_text(meta.signature.date)},
        "chrome": [{"line": c.line, "text": c.text, "kind": c.kind} for c in notice.chrome],
        "sections": len(notice.sections), "depth": notice.depth,
        "headings": sum(1 for n in notice.nodes() if n.heading is not None),
        "outcomes": [{"label": o.label, "key": o.key, "value": o.raw, "unit": o.unit} for o in notice.outcomes],
        "money_yuan": reported_money(notice),  # an amount told twice counts once
        "documents": len(documents(notice)),
        "findings": [{"level": f.level, "what": f.what, "text": f.text, "line": f.line} for f in imported.findings],
    }


# ------------------------------------------------------------------ the library


def notice_ref_data(ref: Any) -> dict[str, Any]:
    """Which notice of a library: short id, issuer, date (published, else signed), title."""
    return {"id": ref.id, "issuer": ref.issuer, "date": ref.date, "title": ref.title}


def notice_row_data(row: Any) -> dict[str, Any]:
    """A notice of `rectcli notices`: what it is, and its headline outcomes."""
    return {
        "id": row.id, "hash": row.hash, "issuer": row.issuer, "kind": row.kind, "level": row.level,
        "round": row.round, "date": row.date, "title": row.title, "origin": row.origin,
        "sections": row.sections,
        "cases_filed": row.cases_filed, "party_discipline": row.party_discipline, "money_yuan": row.money_yuan,
        "headline": [{"key": h.key, "label": h.label, "value": h.value, "unit": h.unit, "yuan": h.yuan}
                     for h in row.headline],
    }


def notice_row_of(notice: Notice, origin: str | None = None) -> Any:
    """The `rectcli notices` row of a notice read from a file (single-notice mode): the fields a
    library stores for it (rectcli.library.store), from the notice itself."""
    from rectcli.library.store import SHORT, Headline, NoticeRow, content_hash
    from rectcli.notice.stats import reported_money

    meta = notice.metadata
    date = None
    if meta.published is not None and meta.published.value:
        date = meta.published.value
    elif meta.signature is not None and meta.signature.date is not None and meta.signature.date.value:
        date = meta.signature.date.value
    headline = tuple(Headline(o.key, o.label, o.raw, o.unit, None if o.yuan is None else format(o.yuan, "f"))
                     for o in notice.outcomes)
    digest = content_hash(notice)
    insp = meta.inspection

    def first(key: str) -> str | None:  # a library's compare cell: the first top-level outcome of the key
        return next((o.raw for o in notice.outcomes if o.key == key), None)

    return NoticeRow(digest[:SHORT], meta.issuer, meta.kind, insp.level, insp.round, date, len(notice.sections),
                     headline, meta.title or (notice.title_lines[0] if notice.title_lines else None), origin, digest,
                     first("cases_filed"), first("party_discipline"), reported_money(notice))


def notices_data(rows: Sequence[Any], library: str | None) -> dict[str, Any]:
    return {"library": library, "count": len(rows), "notices": [notice_row_data(r) for r in rows]}


def add_data(library: str, created: str | None, reports: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """What `rectcli add` did: per source its notice and status (added, unchanged, replaced) or
    its error; the counts; and the bundled notice's id when the library was created."""
    counts = {s: sum(1 for r in reports if r.get("status") == s) for s in ("added", "unchanged", "replaced")}
    return {"library": library, "created_with": created, **counts,
            "failed": sum(1 for r in reports if "error" in r), "sources": list(reports)}


def add_result_data(source: str, result: Any) -> dict[str, Any]:
    return {"source": source, "id": result.id, "status": result.status, "issuer": result.issuer,
            "title": result.title, "hash": result.hash, "differs": result.differs}


def library_search_data(result: Any, suggestions: Sequence[str] = ()) -> dict[str, Any]:
    """:func:`search_data` for a library: each hit names its notice and the section it stands in;
    ``notices`` counts the matching passages per notice (all there is with a count-only search)."""
    hits = [{"notice": notice_ref_data(hit.notice), **_hit_data(hit, hit.where)} for hit in result.hits]
    per_notice = [{"notice": notice_ref_data(c.notice), "passages": c.passages} for c in result.counts]
    return {**_query_data(result), "count": sum(c.passages for c in result.counts), "notices": per_notice,
            "hits": hits, "suggestions": list(suggestions)}


def outcome_names() -> dict[str, str]:
    """Each outcome key's Chinese name, from the shared vocabulary (vocab/outcomes.yaml): its
    ``name`` if it gives one, else its shortest label written without gaps (立案, 党纪处分, 诫勉).

    The first entry of each key in the vocabulary as shipped names itself on the line after the
    key: those lines are read without a YAML parser (importing one costs more than a `stats
    --compare` of a thousand notices); the whole file is parsed only if such an entry has none."""
    import re

    from rectcli.vocab import text

    vocabulary = text("outcomes.yaml")
    entries = re.findall(r"^\s*-\s*key:\s*([A-Za-z_]\w*)[ \t]*\n(?:[ \t]*name:[ \t]*([^\s#'\"]+)[ \t]*$)?",
                         vocabulary, re.M)
    if len(entries) != len(re.findall(r"^\s*-\s*key:", vocabulary, re.M)):
        return outcome_names_parsed()
    names: dict[str, str] = {}
    for key, name in entries:
        if key in names:
            continue  # the first entry of a key names it
        if not name:
            return outcome_names_parsed()
        names[key] = name
    return names  # every key of the vocabulary: each "- key:" line is an entry read here


def outcome_names_parsed() -> dict[str, str]:
    """:func:`outcome_names` from the vocabulary parsed as YAML."""
    import yaml

    from rectcli.library.compare import vocabulary_keys
    from rectcli.vocab import text

    vocab = yaml.load(text("outcomes.yaml"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    names: dict[str, str] = {}
    for entry in vocab.get("outcomes", []):
        key = entry.get("key")
        if not key or key in names:
            continue
        if entry.get("name"):
            names[key] = str(entry["name"])
            continue
        labels = [str(x).replace("{n}", "").replace("{chain}", "") for x in entry.get("labels", [])]
        plain = [x for x in labels if "…" not in x and x] or [x.replace("…", "") for x in labels if x]
        if plain:
            names[key] = min(plain, key=len)
    for key in vocabulary_keys():
        names.setdefault(key, key)
    return names


def compare_data(table: Any, sort: str | None = None) -> dict[str, Any]:
    """`stats --compare`: a column per outcome key (its vocabulary name, unit — money in 元 — and
    how many notices report it), a row per notice, exact totals (null where a column has none)."""
    names = outcome_names()
    keys = [c.key for c in table.columns]
    return {
        "sort": sort,
        "columns": [{"key": c.key, "name": names.get(c.key, c.key), "unit": c.unit, "notices": c.notices}
                    for c in table.columns],
        "rows": [{"notice": notice_ref_data(r.notice), "values": dict(zip(keys, r.values)),
                  "repeated": list(r.repeated)} for r in table.rows],
        "totals": dict(zip(keys, table.totals)),
    }


def library_documents_data(found: Sequence[tuple[Any, Sequence[Any]]]) -> list[dict[str, Any]]:
    """Documents across notices: per 《》 title (first seen first), which notices cite it and where.
    ``found``: (NoticeRef or NoticeRow, that notice's documents) in library order."""
    by_title: dict[str, dict[str, Any]] = {}
    for ref, docs in found:
        for d in docs:
            entry = by_title.setdefault(d.title, {"title": d.title, "kind": d.kind, "marks": list(d.marks),
                                                  "years": d.years, "notices": []})
            entry["notices"].append({"notice": notice_ref_data(ref),
                                     "cited_in": [{"id": c.passage_id, "label": c.label} for c in d.citations]})
    return list(by_title.values())


def library_figures_data(found: Sequence[tuple[Any, Sequence[Any]]]) -> list[dict[str, Any]]:
    return [{"notice": notice_ref_data(ref), **quantity_data(q)} for ref, qs in found for q in qs]
