"""Cut a notice's lines (chrome removed) into title, opening, the tree of headings, closing and
signature, keeping every character exactly once and in reading order."""

from __future__ import annotations

import re

from rectcli.ingest.chrome import Line, is_body_line, is_title_like
from rectcli.ingest.report import Findings
from rectcli.ingest.vocab import simplify, words

HEAD_MAX = 60  # a run-in heading ends at its first 。 within this many characters
CN_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九", 0)}
MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cn", re.compile(r"^([一二三四五六七八九十百]+)[、．.](?![\d一二三四五六七八九十])")),
    ("pcn", re.compile(r"^[(（]([一二三四五六七八九十]+)[)）]")),
    ("pnum", re.compile(r"^[(（](\d{1,2})[)）]")),
    ("num", re.compile(r"^(\d{1,2})[.．、](?![\d.．])")),
    ("circ", re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])")),
    ("shi", re.compile(r"^([一二三四五六七八九十]+)是(?!否)")),
)
DATE_LINE = re.compile(r"^[\d０-９〇○零一二三四五六七八九十年月日\s./\-]{2,24}$")
SIG_PUNCT = re.compile(r"[。，,；;：:！？!?]")


def cn_value(s: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20; digits as they are; circled numbers; None if not a number."""
    if len(s) == 1 and "①" <= s <= "⑳":  # before isdecimal: str.isdigit() holds for ① too
        return ord(s) - ord("①") + 1
    if s.isdecimal():
        return int(s)
    if "百" in s:
        return None
    if "十" in s:
        head, _, tail = s.partition("十")
        tens = CN_DIGIT.get(head, -100) if head else 1
        ones = CN_DIGIT.get(tail, -100) if tail else 0
        v = tens * 10 + ones
        return v if v > 0 else None
    return CN_DIGIT.get(s) if len(s) == 1 else None


def marker_of(text: str) -> tuple[str, str, int | None] | None:
    """(type, marker as written, its number) for a paragraph that starts with a heading marker."""
    s = simplify(text)
    for kind, rx in MARKERS:
        if m := rx.match(s):
            written = text[: m.end()]
            return kind, written, cn_value(m[1])
    return None


def split_heading(rest: str) -> tuple[str | None, str | None, bool, list[str]]:
    """(heading, after_heading, runin, paragraphs) for the text after a marker."""
    i = rest.find("。")
    if not rest:
        return None, None, False, []
    if i == -1:
        if len(rest) <= HEAD_MAX and not rest.endswith(("，", ",", "；", ";", "、")):
            return rest, None, False, []
        return None, None, False, [rest]
    if i == 0 or i > HEAD_MAX:
        return None, None, False, [rest]
    if i == len(rest) - 1:
        return rest[:i], "。", False, []
    return rest[:i], "。", True, [rest[i + 1:]]


class Node:
    """A heading and what it holds, while the tree is being built."""

    __slots__ = ("marker", "kind", "number", "heading", "after_heading", "runin", "line", "paragraphs",
                 "children", "id")

    def __init__(self, marker: str, kind: str, number: int | None, heading: str | None,
                 after_heading: str | None, runin: bool, line: int,
                 paragraphs: list[tuple[str, int]] | None = None) -> None:
        self.marker, self.kind, self.number = marker, kind, number
        self.heading, self.after_heading, self.runin, self.line = heading, after_heading, runin, line
        self.paragraphs: list[tuple[str, int]] = paragraphs or []
        self.children: list[Node] = []
        self.id = ""

    def as_data(self) -> dict[str, object]:
        out: dict[str, object] = {"id": self.id, "marker": self.marker, "heading": self.heading,
                               "runin": self.runin}
        if self.after_heading is not None:
            out["after_heading"] = self.after_heading
        if self.paragraphs:
            out["paragraphs"] = [t for t, _ in self.paragraphs]
        if self.children:
            out["children"] = [c.as_data() for c in self.children]
        return out


class Structure:
    """The parts of a notice in reading order: title, opening, sections, closing, signature."""

    __slots__ = ("title", "opening", "sections", "closing", "signature")

    def __init__(self) -> None:
        self.title: list[Line] = []
        self.opening: list[Line] = []
        self.sections: list[Node] = []
        self.closing: list[Line] = []
        self.signature: list[Line] = []

    def passages(self) -> list[tuple[str, str, int]]:
        """(id, text, line) for every passage in reading order (title and signature excluded)."""
        out = [(f"opening.{i}", ln.text, ln.no) for i, ln in enumerate(self.opening, 1)]

        def walk(nodes: list[Node]) -> None:
            for n in nodes:
                out.append((n.id, passage_text(n), n.line))
                walk(n.children)

        walk(self.sections)
        out.extend((f"closing.{i}", ln.text, ln.no) for i, ln in enumerate(self.closing, 1))
        return out

    def pieces(self) -> list[str]:
        """Every stored piece of text in reading order (their concatenation is the notice)."""
        out = [ln.text for ln in self.title] + [ln.text for ln in self.opening]

        def walk(nodes: list[Node]) -> None:
            for n in nodes:
                out.extend([n.marker, n.heading or "", n.after_heading or ""])
                out.extend(t for t, _ in n.paragraphs)
                walk(n.children)

        walk(self.sections)
        out.extend(ln.text for ln in self.closing)
        out.extend(ln.text for ln in self.signature)
        return out

    def as_data(self) -> dict[str, object]:
        out: dict[str, object] = {
            "title": [ln.text for ln in self.title],
            "opening": [{"id": f"opening.{i}", "text": ln.text} for i, ln in enumerate(self.opening, 1)],
            "sections": [n.as_data() for n in self.sections],
            "closing": [{"id": f"closing.{i}", "text": ln.text} for i, ln in enumerate(self.closing, 1)],
        }
        if self.signature:
            out["signature"] = {"lines": [ln.text for ln in self.signature]}
        return out


def passage_text(node: Node) -> str:
    """A node's passage text, as the notice model defines it (outcome spans point into it)."""
    from rectcli.notice.model import node_text

    return node_text(node.marker, node.heading, node.after_heading or "", node.runin,
                     [t for t, _ in node.paragraphs])


def is_date_line(text: str) -> bool:
    s = text.strip()
    return bool(DATE_LINE.match(s)) and bool(re.search(r"[\d０-９]|[年月日]", s))


def _is_signer(text: str, indent: int) -> bool:
    s = simplify(text)
    if len(s) > 40 or SIG_PUNCT.search(s) or marker_of(s) or is_body_line(s) and len(s) > 40:
        return False
    return indent >= 6 or any(s.endswith(w) for w in words("issuer"))


def _closing_trigger(text: str) -> str | None:
    s = simplify(text)
    for rx in words("closing"):
        if re.search(rx, s):
            return "next" if s.startswith("下一步") else "closing"
    if any(w in s for w in words("contact")):
        return "closing"
    return None


def build(lines: list[Line], findings: Findings, indents: dict[int, int] | None = None) -> Structure:
    """Cut the notice's lines into its parts."""
    indents = indents or {}
    st = Structure()
    body = list(lines)
    # title: the first one or two lines, when they read as a title (split or printed twice)
    while body and len(st.title) < 2 and is_title_like(body[0].text) and not is_body_line(body[0].text):
        if st.title:
            prev = simplify(st.title[0].text)
            cur = simplify(body[0].text)
            if not (cur == prev or not prev.endswith(("通报", "情况"))):
                break
        st.title.append(body.pop(0))
    if len(st.title) == 2 and st.title[0].text == st.title[1].text:
        findings.info("title", "the title is printed twice", st.title[1].no)
    # signature: the trailing date line and the issuer line above it
    if body and is_date_line(body[-1].text):
        st.signature.insert(0, body.pop())
    if body and _is_signer(body[-1].text, indents.get(body[-1].no, 0)) and (
            st.signature or indents.get(body[-1].no, 0) >= 6):
        st.signature.insert(0, body.pop())
    # the body
    marks = [marker_of(ln.text) for ln in body]
    last_marker = max((i for i, m in enumerate(marks) if m and m[0] != "shi"), default=-1)
    stack: list[Node] = []
    closing = False
    for i, ln in enumerate(body):
        m = marks[i]
        if closing:
            st.closing.append(ln)
            continue
        if m and (m[0] != "shi" or stack):
            kind, written, number = m
            heading, after, runin, paras = split_heading(ln.text[len(written):])
            node = Node(written, kind, number, heading, after, runin, ln.no,
                        [(p, ln.no) for p in paras])
            if heading is None and paras:
                findings.info("structure", f"{written} has no heading: its text is its body", ln.no)
            _place(node, stack, st.sections, findings)
            continue
        trigger = _closing_trigger(ln.text) if i > last_marker and (st.opening or st.sections) else None
        if trigger == "next" and st.sections and "下一步" in simplify(st.sections[-1].heading or ""):
            trigger = None
        if trigger:
            closing = True
            st.closing.append(ln)
        elif not st.sections:
            st.opening.append(ln)
        else:
            stack[-1].paragraphs.append((ln.text, ln.no))
    _fold_empty(st, findings)
    _number(st.sections, "")
    return st


def _fold_empty(st: Structure, findings: Findings) -> None:
    """A marker alone on its line with nothing under it (二、 and then 三、) is not a node: a node
    holds a heading, paragraphs or children. Its marker is kept as text, a paragraph of what comes
    before it in reading order (the node before it, or the opening)."""
    before: list[Node] = []

    def walk(nodes: list[Node]) -> None:
        i = 0
        while i < len(nodes):
            n = nodes[i]
            if n.heading is None and not n.paragraphs and not n.children:
                findings.warn("structure", f"{n.marker} stands alone with nothing under it: kept as text",
                              n.line)
                if before:
                    before[-1].paragraphs.append((n.marker, n.line))
                else:
                    st.opening.append(Line(n.line, n.marker))
                del nodes[i]
                continue
            before.append(n)
            walk(n.children)
            i += 1

    walk(st.sections)


def _place(node: Node, stack: list[Node], roots: list[Node], findings: Findings) -> None:
    kinds = [n.kind for n in stack]
    if node.kind in kinds:
        while stack[-1].kind != node.kind:
            stack.pop()
        prev = stack.pop()
        if prev.number is not None and node.number is not None and node.number != prev.number + 1:
            findings.warn("structure", f"{node.marker} follows {prev.marker}: a number is skipped or repeated",
                          node.line)
    elif node.number not in (1, None):
        findings.warn("structure", f"{node.marker} opens a new level without a first item", node.line)
    (stack[-1].children if stack else roots).append(node)
    stack.append(node)


def _number(nodes: list[Node], prefix: str) -> None:
    for i, n in enumerate(nodes, 1):
        n.id = f"{prefix}{i}"
        _number(n.children, n.id + ".")
