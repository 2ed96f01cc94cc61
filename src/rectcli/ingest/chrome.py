"""Tell the page chrome (masthead, breadcrumbs, date/source lines, share and print links,
related lists, footers) from the notice, by the patterns in vocab/chrome.txt and by place."""

from __future__ import annotations

import re
from collections import namedtuple

from rectcli.ingest.report import Findings
from rectcli.ingest.vocab import chrome_patterns, simplify

MARKER_START = re.compile(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d{1,2}[.．、](?!\d)|[(（]\d{1,2}[)）])")
OPENING_START = re.compile(r"^(根据|按照|依据|经|近日|为|自)")
TITLE_LIKE = re.compile(r"(通报|整改|关于$|情况$)")
TAIL_KINDS = {"share", "print", "related", "footer", "backtop", "attachment", "nav", "newspaper"}


class Line(namedtuple("Line", "no text")):
    """One non-blank line of the source: its number (1-based) and its text, stripped."""

    __slots__ = ()


def is_title_like(text: str) -> bool:
    s = simplify(text)
    return "。" not in s and len(s) <= 100 and bool(TITLE_LIKE.search(s))


def is_body_line(text: str) -> bool:
    s = simplify(text)
    return ("。" in s or len(s) > 60 or bool(MARKER_START.match(s)) or bool(OPENING_START.match(s))) \
        and not is_title_like(s)


def match(text: str, *, edge: bool) -> str | None:
    s = simplify(text)
    for kind, where, rx in chrome_patterns():
        if (where == "any" or edge) and rx.search(s):
            return kind
    return None


def split(lines: list[Line], findings: Findings) -> tuple[list[Line], list[dict]]:
    """(the notice's lines, the chrome removed as {line, text, kind}, in order)."""
    kinds: dict[int, str] = {}
    n = len(lines)
    # the head: everything above the first line of the body (title lines are kept)
    first_body = next((i for i, ln in enumerate(lines) if is_body_line(ln.text)), n)
    seen_title = False
    for i in range(first_body):
        text = lines[i].text
        kind = match(text, edge=True)
        if kind:
            kinds[i] = kind
        elif is_title_like(text):
            seen_title = True
        else:
            kinds[i] = "masthead" if not seen_title else "header"
            findings.info("chrome", f"a line above the notice taken for page chrome: {text}", lines[i].no)
    # the tail: from the first chrome line after which nothing but chrome or short lines follow
    tail_start = n
    for i in range(n - 1, first_body - 1, -1):
        text = lines[i].text
        kind = match(text, edge=True)
        if kind is not None:
            if kind in TAIL_KINDS:
                tail_start = i
            continue
        if "。" in text or len(text) > 80:
            break
    last_kind = None
    for i in range(tail_start, n):
        kind = match(lines[i].text, edge=True)
        if kind is None:
            kind = "related" if last_kind in ("related", None) else last_kind
        kinds[i] = last_kind = kind
    # the middle: only the patterns specific enough to hold anywhere, and repeats of the masthead
    head_texts = {lines[i].text for i, k in kinds.items() if k in ("masthead", "nav", "header") and i < first_body}
    for i in range(first_body, tail_start):
        text = lines[i].text
        kind = match(text, edge=False)
        if kind is None and text in head_texts:
            kind = "repeated"
        if kind:
            kinds[i] = kind
    kept = [ln for i, ln in enumerate(lines) if i not in kinds]
    chrome = [{"line": lines[i].no, "text": lines[i].text, "kind": kinds[i]} for i in sorted(kinds)]
    return kept, chrome
