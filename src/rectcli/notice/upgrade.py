"""Format 1 → format 2: a notice file of rectcli 1.x read as the general format.

Format 1 was cut to one notice's shape (fixed sections of measures, headings from a template,
outcomes of one paragraph). Its data maps onto format 2 without loss; what format 1 never
recorded (dates as written, where the title came from) is taken from what it did record.
Input is already-validated format-1 plain data; output is format-2 plain data.
"""

from __future__ import annotations

from typing import Any


def _date(name: str, iso: str, text: str | None = None) -> dict[str, Any]:
    """A day-precision date in the file's flat form: X and X_text beside it."""
    return {name: iso, f"{name}_text": text or iso}


def _paragraph(raw: dict[str, Any]) -> dict[str, Any]:
    text = raw["text"] + "".join(item["ordinal"] + item["text"] for item in raw.get("items", ()))
    errata = list(raw.get("errata", ())) + [e for item in raw.get("items", ()) for e in item.get("errata", ())]
    return {"id": raw["id"], "text": text, **({"errata": errata} if errata else {})}


def _span(text: str, needle: str, passage: str) -> dict[str, Any] | None:
    at = text.find(needle)
    return None if at < 0 else {"passage": passage, "start": at, "end": at + len(needle)}


def _figure(raw: dict[str, Any], text: str, passage: str) -> dict[str, Any]:
    value = str(raw["value"])
    out: dict[str, Any] = {"label": raw["label"], "key": raw.get("key"), "value": value, "unit": raw["unit"]}
    at = _span(text, raw["label"] + value, passage)
    if at is not None:
        out["at"] = at
    if raw.get("breakdown"):
        out["breakdown"] = [_figure(part, text, passage) for part in raw["breakdown"]]
        out["complete"] = True
    return out


def upgrade(v1: dict[str, Any]) -> dict[str, Any]:
    """Format-2 plain data for a validated format-1 notice."""
    meta = v1["metadata"]
    insp = meta["inspection"]
    opening = [_paragraph(p) for p in v1["opening"]]
    closing = [_paragraph(p) for p in v1["closing"]]
    sections = []
    for s in v1["sections"]:
        node: dict[str, Any] = {"id": s["id"], "marker": f"{s['numeral']}、",
                                "heading": f"关于{s['problem']}的整改情况", "runin": False}
        measures = s["measures"]
        if any(m.get("numeral") for m in measures):
            node["children"] = [
                {"id": m["id"], "marker": f"({m['numeral']})", "heading": m.get("title"),
                 "runin": True, "after_heading": m.get("after_title", "。"), "paragraphs": [m["text"]],
                 **({"errata": m["errata"]} if m.get("errata") else {})}
                for m in measures
            ]
        else:
            node["paragraphs"] = [m["text"] for m in measures]
            errata = [e for m in measures for e in m.get("errata", ())]
            if errata:
                node["errata"] = errata
        sections.append(node)
    published = meta["published"]
    source_para = next(p for p in opening if p["id"] == v1["outcomes"]["source"])
    contacts = next((p.get("contacts") for p in v1["closing"] if p.get("contacts")), None)
    problems = meta["problems"]
    stated = [{"label": label, "value": str(problems[key]), "unit": unit}
              for key, label, unit in (("aspects", "方面", "个"), ("categories", "类别", "个"), ("items", "具体问题", "项"))]
    stated.append({"label": "会议", "value": str(meta["meetings"]), "unit": "次"})
    data: dict[str, Any] = {
        "schema_version": 2,
        "metadata": {
            "title": meta["title"],
            "title_from": "body",
            "issuer": meta["issuer"],
            "kind": "巡察" if "巡察" in insp["round"] else "巡视",
            "special": [],
            "inspection": {
                "round": insp["round"], "team": insp["team"], "inspected": insp["inspected"],
                **({"former_name": insp["former_name"]} if insp.get("former_name") else {}),
                "period": {"text": f"{insp['period']['start']}至{insp['period']['end']}",
                           **_date("start", insp["period"]["start"]), **_date("end", insp["period"]["end"])},
                **_date("feedback", insp["feedback"]),
            },
            **_date("published", published[:10], published[:16].replace("T", " ")),
            "published_time": published[11:16],
            "signature": {"signer": meta["issuer"],
                          **_date("date", v1["signature"]["date"], v1["signature"]["date_text"])},
            **({"contacts": contacts} if contacts else {}),
            "source": {"site": meta["site"]["name"], "masthead": meta["site"]["masthead"]},
        },
        "chrome": [{"text": meta["site"]["masthead"], "kind": "masthead"}],
        "title": [meta["title"]],
        "opening": opening,
        "sections": sections,
        "closing": closing,
        "signature": {"lines": [meta["issuer"], v1["signature"]["date_text"]],
                      **({"errata": v1["signature"]["errata"]} if v1["signature"].get("errata") else {})},
        "outcomes": [_figure(f, source_para["text"], source_para["id"]) for f in v1["outcomes"]["figures"]],
        "stated_counts": stated,
    }
    return data
