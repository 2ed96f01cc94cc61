"""Format-2 plain data (validated) → the model of :mod:`rectcli.notice.model`.

Values are taken as they are, never converted (no ``str(…)``, ``bool(…)``, ``tuple(text)``): the
parse cache builds from data that was not validated in this run, and
:func:`rectcli.notice.format.well_formed` must see a wrong type to refuse it. A conversion would
turn a forged ``6`` into the text "6", a string of paragraphs into one paragraph per character,
``runin: "no"`` into True: a wrong answer instead of a re-parse.
"""

from __future__ import annotations

from typing import Any

from rectcli.notice.model import (
    Chrome, Date, Erratum, Inspection, Metadata, Node, Notice, Outcome, Paragraph, Period, Signature,
    Source, marker_label,
)


def _seq(raw: Any) -> tuple[Any, ...]:
    """A list of the data as a tuple; anything else (a string above all) is a TypeError."""
    if raw is None:
        return ()
    if not isinstance(raw, (list, tuple)):
        raise TypeError(f"expected a list, got {type(raw).__name__}")
    return tuple(raw)


def _errata(raw: Any) -> tuple[Erratum, ...]:
    return tuple(Erratum(e["found"], e["likely"], e["note"]) for e in _seq(raw))


def read_date(holder: Any, name: str) -> Date | None:
    """The date stored flat as ``name`` (ISO or null) and ``name_text`` (as written) beside it."""
    if not holder or (name not in holder and f"{name}_text" not in holder):
        return None
    iso = holder.get(name)
    text = holder.get(f"{name}_text") or iso
    precision = holder.get(f"{name}_precision", "day") if iso else None
    return Date(text, iso, precision, holder.get(f"{name}_year_inferred", False))


def _node(raw: dict[str, Any], parent_label: str) -> Node:
    label = parent_label + marker_label(raw["marker"])
    return Node(
        id=raw["id"], label=label, marker=raw["marker"], heading=raw.get("heading"),
        paragraphs=_seq(raw.get("paragraphs")),
        children=tuple(_node(c, label) for c in _seq(raw.get("children"))),
        runin=raw.get("runin", False), after_heading=raw.get("after_heading", ""),
        errata=_errata(raw.get("errata")),
    )


def _outcome(raw: dict[str, Any]) -> Outcome:
    at = raw.get("at") or {}
    return Outcome(
        label=raw["label"], key=raw.get("key"), raw=raw["value"], unit=raw["unit"],
        approx=raw.get("approx"), breakdown=tuple(_outcome(b) for b in _seq(raw.get("breakdown"))),
        complete=raw.get("complete", True), passage=at.get("passage"), start=at.get("start"),
        end=at.get("end"), damaged=raw.get("damaged", False),
    )


def build(raw: dict[str, Any], source: str = "") -> Notice:
    """The model from validated format-2 plain data."""
    meta = raw.get("metadata") or {}
    insp = meta.get("inspection") or {}
    period = insp.get("period")
    sig = meta.get("signature")
    src = meta.get("source") or {}
    return Notice(
        metadata=Metadata(
            title=meta.get("title"), title_from=meta.get("title_from", "none"), issuer=meta.get("issuer"),
            kind=meta.get("kind"), special=_seq(meta.get("special")),
            inspection=Inspection(
                body=insp.get("body"), level=insp.get("level"), round=insp.get("round"), team=insp.get("team"),
                inspected=insp.get("inspected"), former_name=insp.get("former_name"),
                period=Period(period["text"], read_date(period, "start"), read_date(period, "end")) if period else None,
                feedback=read_date(insp, "feedback"),
            ),
            published=read_date(meta, "published"),
            published_time=meta.get("published_time"),
            signature=Signature(sig.get("signer"), read_date(sig, "date")) if sig else None,
            source=Source(**{k: src.get(k) for k in ("name", "url", "encoding", "site", "masthead")}),
            contacts=tuple((meta.get("contacts") or {}).items()),
        ),
        title_lines=_seq(raw.get("title")),
        opening=tuple(Paragraph(p["id"], p["text"], _errata(p.get("errata"))) for p in _seq(raw.get("opening"))),
        sections=tuple(_node(s, "") for s in _seq(raw.get("sections"))),
        closing=tuple(Paragraph(p["id"], p["text"], _errata(p.get("errata"))) for p in _seq(raw.get("closing"))),
        signature_lines=_seq((raw.get("signature") or {}).get("lines")),
        signature_errata=_errata((raw.get("signature") or {}).get("errata")),
        outcomes=tuple(_outcome(o) for o in _seq(raw.get("outcomes"))),
        stated=tuple(_outcome(o) for o in _seq(raw.get("stated_counts"))),
        chrome=tuple(Chrome(c.get("line"), c["text"], c.get("kind")) for c in _seq(raw.get("chrome"))),
        source=source,
    )
