"""Compose the notice back into the formats people take it out in (pure: returns strings)."""

from __future__ import annotations

from rectcli.model import Notice, Paragraph

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
