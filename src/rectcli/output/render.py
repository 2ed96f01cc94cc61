"""Turn query results into what a person or a script reads: Rich, plain text or JSON.

The mode is chosen once per run (:func:`choose_mode`). Plain mode never imports Rich: one
tab-separated record per line, no escape codes, nothing cut. Rich mode folds long Chinese
text inside its cells instead of truncating it. JSON is ``indent=2``, Chinese kept as is,
inside a versioned envelope.
"""

from __future__ import annotations

import functools
import os
import sys
from enum import Enum
from typing import TYPE_CHECKING, Any, Sequence

from rectcli.model import Measure, Notice, Paragraph, Section, characters
from rectcli.output.textsafe import printable

if TYPE_CHECKING:  # each command imports its own core module; rendering one must not load the rest
    from rectcli.search import SearchResult
    from rectcli.notice.stats import Stats

JSON_VERSION = 1
HIGHLIGHT = "bold black on yellow"
MIN_WIDTH = 40  # narrower (COLUMNS=0 or 1) cannot lay out a table of Chinese text: use this


class Mode(str, Enum):
    RICH = "rich"
    PLAIN = "plain"
    JSON = "json"


def choose_mode(as_json: bool, color: str) -> Mode:
    """``--json`` wins; else ``--color always|never``; else Rich only on a real terminal."""
    if as_json:
        return Mode.JSON
    if color == "always":
        return Mode.RICH
    if color == "never":
        return Mode.PLAIN
    stream = sys.stdout
    isatty = getattr(stream, "isatty", None)
    if isatty is None or not isatty() or os.environ.get("TERM") == "dumb":
        return Mode.PLAIN
    return Mode.RICH


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
    import json

    body: dict[str, Any] = {"rectcli_json_version": JSON_VERSION, "command": command}
    if error is None:
        body["data"] = to_jsonable(data)
    else:
        body["error"] = {"message": error}
    from rectcli.output.textsafe import json_safe

    return json_safe(json.dumps(body, ensure_ascii=False, indent=2))


class Out:
    """The one writer of stdout for a command."""

    def __init__(self, mode: Mode, command: str) -> None:
        self.mode = mode
        self.command = command
        self._console: Any = None

    @property
    def console(self) -> Any:
        if self._console is None:
            from rich.console import Console

            console = Console(file=_Stdout(), highlight=False, force_terminal=True, emoji=False)
            if console.width < MIN_WIDTH:
                console.width = MIN_WIDTH
            self._console = console
        return self._console

    def write(self, text: str) -> None:
        """Text for a reader: control characters are shown as escapes, never sent raw."""
        _write(printable(text))

    def record(self, *fields: object) -> None:
        """Plain mode: one tab-separated record; tabs and newlines inside fields become spaces."""
        clean = (str("" if f is None else f).replace("\t", " ").replace("\n", " ") for f in fields)
        _write(printable("\t".join(clean)) + "\n")

    def json(self, data: Any) -> None:
        _write(envelope(self.command, data) + "\n")

    def note(self, message: str) -> None:
        """A diagnostic for the reader, on stderr: one line, control characters escaped."""
        sys.stderr.write(f"rectcli: {printable(' '.join(message.split()))}\n")
        sys.stderr.flush()

    def table(self, title: str | None, headers: Sequence[str], rows: Sequence[Sequence[object]],
              *, numeric: Sequence[int] = ()) -> None:
        from rich.table import Table

        table = Table(title=title, title_justify="left", title_style="bold", header_style="bold")
        for i, head in enumerate(headers):
            table.add_column(head, overflow="fold", justify="right" if i in numeric else "left",
                             style="cyan" if i == 0 else None)
        for row in rows:
            table.add_row(*(_wrap(v if hasattr(v, "stylize") else rich_text("" if v is None else str(v)))
                            for v in row))
        self.console.print(table)

    def print(self, renderable: Any = None) -> None:
        """Print one renderable (a Text wraps by the Chinese line-breaking rules); none: a blank line."""
        if renderable is None:
            self.console.print()
        else:
            self.console.print(_wrap(renderable))


def _wrap(renderable: Any) -> Any:
    """A Rich Text wrapped by rectcli.output.linebreak: numbers and ids never split, no 。 at a line start."""
    if not hasattr(renderable, "stylize"):
        return renderable
    from rectcli.output.richwrap import WrapText

    return WrapText(renderable)


def _write(text: str) -> None:
    """The one place stdout is written: a failing device is an error naming its cause."""
    try:
        sys.stdout.write(text)
    except BrokenPipeError:
        raise
    except OSError as e:
        from rectcli.errors import OutputError

        raise OutputError(f"cannot write output: {e.strerror or e}") from None


class _Stdout:
    """sys.stdout for Rich: writes go through :func:`_write`; the rest is the real stream's."""

    def write(self, text: str) -> int:
        _write(text)
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(sys.stdout, name)


@functools.lru_cache(maxsize=1)
def _safe_text_class() -> Any:
    """rich.text.Text whose appended strings are made printable too (built on first use, so
    plain and JSON runs never import Rich)."""
    from rich.text import Text

    class SafeText(Text):
        def append(self, text: Any, style: Any = None) -> Any:
            return super().append(printable(text) if isinstance(text, str) else text, style)

    return SafeText


def rich_text(text: str, spans: Sequence[tuple[int, int]] = (), style: str = "") -> Any:
    """Rich text of ``text`` (control characters shown as escapes; the escapes of a character
    that had any shift ``spans`` — only in text that a notice's validation would refuse)."""
    safe = printable(text)
    if safe is not text and spans:
        spans = ()  # offsets no longer line up; the text itself matters more than the marks
    out = _safe_text_class()(safe, style=style, overflow="fold")
    for start, end in spans:
        out.stylize(HIGHLIGHT, start, end)
    return out


# ------------------------------------------------------------------ sections


def sections_data(notice: Notice, depth: int) -> dict[str, Any]:
    return {
        "title": notice.metadata.title,
        "sections": [
            {
                "id": s.id, "numeral": s.numeral, "problem": s.problem, "heading": s.full_heading,
                "measure_count": len(s.measures),
                **({"measures": [measure_summary(m) for m in s.measures]} if depth > 1 else {}),
            }
            for s in notice.sections
        ],
    }


def measure_summary(m: Measure) -> dict[str, Any]:
    return {"id": m.id, "label": m.label, "title": m.title, "characters": characters(m.body)}


def render_sections(out: Out, notice: Notice, depth: int) -> None:
    if out.mode is Mode.JSON:
        out.json(sections_data(notice, depth))
        return
    if out.mode is Mode.PLAIN:
        for s in notice.sections:
            out.record(s.id, s.numeral, s.problem, f"{len(s.measures)}项措施")
            if depth > 1:
                for m in s.measures:
                    out.record(m.id, m.label, m.title or "（正文）", f"{characters(m.body)}字")
        return
    from rich.tree import Tree

    tree = Tree(_wrap(rich_text(notice.metadata.title, style="bold")))
    for s in notice.sections:
        head = rich_text(f"{s.numeral}、{s.problem}  ", style="bold")
        head.append(f"[{s.id}] {len(s.measures)}项措施", style="dim")
        node = tree.add(_wrap(head))
        if depth > 1:
            for m in s.measures:
                line = rich_text(f"{m.id:<5} ", style="cyan")
                if m.title:
                    line.append(f"({m.numeral}){m.title}")
                else:
                    line.append("（正文）", style="italic")
                line.append(f"  {characters(m.body)}字", style="dim")
                node.add(_wrap(line))
    out.print(tree)


# ------------------------------------------------------------------ show


def errata_data(errata: Sequence[Any]) -> list[dict[str, str]]:
    return [{"found": e.found, "likely": e.likely, "note": e.note} for e in errata]


def target_data(notice: Notice, target: Section | Measure | Paragraph) -> dict[str, Any]:
    if isinstance(target, Section):
        return {"kind": "section", "id": target.id, "label": target.numeral, "heading": target.full_heading,
                "problem": target.problem,
                "measures": [target_data(notice, m) for m in target.measures]}
    if isinstance(target, Measure):
        sec = notice.section(target.section_id)
        assert sec is not None
        return {"kind": "measure", "id": target.id, "label": target.label, "section_id": sec.id,
                "section_problem": sec.problem, "title": target.title, "text": target.text,
                "full_text": target.full_text, "characters": characters(target.body),
                "errata": errata_data(target.errata)}
    data: dict[str, Any] = {"kind": "paragraph", "id": target.id, "label": target.label,
                            "text": target.full_text, "errata": errata_data(target.all_errata)}
    if target.items:
        data["items"] = [{"ordinal": i.ordinal, "heading": i.heading, "text": i.text} for i in target.items]
    if target.contacts:
        data["contacts"] = {k: v for k, v in target.contacts._asdict().items() if v}
    return data


def render_show(out: Out, notice: Notice, target: Section | Measure | Paragraph) -> None:
    if out.mode is Mode.JSON:
        out.json(target_data(notice, target))
        return
    measures = target.measures if isinstance(target, Section) else (target,)
    if isinstance(target, Section):
        _show_heading(out, target.id, target.full_heading, f"{len(target.measures)}项措施")
    for item in measures:
        if isinstance(item, Measure):
            sec = notice.section(item.section_id)
            assert sec is not None
            where = f"{sec.numeral}、{sec.problem}"
            title = f"{item.label} {item.title}" if item.title else f"{item.label} （正文）"
            _show_heading(out, item.id, title, where)
            _show_body(out, item.full_text, item.errata)
        else:
            _show_heading(out, item.id, item.label, "")
            _show_body(out, item.full_text, item.all_errata)


def _show_heading(out: Out, ident: str, title: str, where: str) -> None:
    if out.mode is Mode.PLAIN:
        out.record(ident, title, where)
        return
    line = rich_text(f"{ident}  ", style="cyan bold")
    line.append(title, style="bold")
    if where:
        line.append(f"  {where}", style="dim")
    out.print(line)


def _show_body(out: Out, text: str, errata: Sequence[Any]) -> None:
    if out.mode is Mode.PLAIN:
        out.write(text + "\n")
        for e in errata:
            out.record("勘误", e.found, e.likely, e.note)
        out.write("\n")
        return
    out.print(rich_text(text))
    for e in errata:
        note = rich_text("勘误 ", style="yellow")
        note.append(f"{e.found} → {e.likely}  ")
        note.append(e.note, style="dim")
        out.print(note)
    out.print()


# ------------------------------------------------------------------ search


def search_data(result: SearchResult, suggestions: Sequence[str] = ()) -> dict[str, Any]:
    from rectcli.search import snippet

    hits = []
    for hit in result.hits:
        p = hit.passage
        snip = snippet(p.text, hit.spans)
        hits.append({"id": p.id, "kind": p.kind, "label": p.label, "section_id": p.section_id,
                     "title": p.title, "text": p.text, "spans": [list(s) for s in hit.spans],
                     "snippet": {"text": snip.text, "spans": [list(s) for s in snip.spans]},
                     "title_hits": hit.title_hits, "body_hits": hit.body_hits})
    return {"terms": list(result.terms), "mode": "all" if result.match_all else "any",
            "regex": result.regex, "sort": result.sort,
            "readings": [{"term": r.term, "read_as": r.how, "query": list(r.forms), "matched": list(r.matched)}
                         for r in result.readings],
            "count": len(result.hits), "hits": hits, "suggestions": list(suggestions)}


def search_notes(result: SearchResult, suggestions: Sequence[str]) -> list[str]:
    """What the reader should know beside the hits: how a term was read, and why nothing matched."""
    notes = []
    for r in result.readings:
        if r.how == "simplified":
            missing = "" if r.matched else ", which does not occur in the notice either"
            notes.append(f"read {r.term!r} as simplified characters (简体): {'、'.join(r.forms)}{missing}")
        elif r.how == "pinyin":
            found = f": {'、'.join(r.matched[:5])}" if r.matched else ", which spells nothing in the notice"
            notes.append(f"read {r.term!r} as pinyin (拼音){found}")
    if not result.hits:
        wanted = " ".join(repr(t) for t in result.terms)
        if result.match_all and len(result.terms) > 1 and all(r.matched for r in result.readings):
            notes.append(f"no passage has all of {wanted}; each occurs elsewhere (--any finds passages with any)")
        elif suggestions:
            notes.append(f"no passage matches {wanted}; closest phrases in the notice: {'、'.join(suggestions)}")
        else:
            notes.append(f"no passage matches {wanted}")
    return notes


def render_search(out: Out, result: SearchResult, notice: Notice, *, full: bool, count: bool,
                  suggestions: Sequence[str] = ()) -> None:
    if out.mode is Mode.JSON:
        data = search_data(result, suggestions)
        if count:
            data = {k: v for k, v in data.items() if k != "hits"}
        out.json(data)
        return
    if count:
        out.write(f"{len(result.hits)}\n")
        return
    from rectcli.search import snippet

    for hit in result.hits:
        p = hit.passage
        shown = snippet(p.text, hit.spans) if not full else None
        text, spans = (shown.text, shown.spans) if shown else (p.text, hit.spans)
        where = _where(notice, p)
        if out.mode is Mode.PLAIN:
            out.record(p.id, p.label, where, text)
            continue
        head = rich_text(f"{p.id}  ", style="cyan bold")
        head.append(p.label, style="bold")
        if p.kind == "measure" and p.title:
            head.append(f" {p.title}", style="bold")
        if where:
            head.append(f"  {where}", style="dim")
        out.print(head)
        out.print(rich_text(text, spans))
        out.print()


def _where(notice: Notice, passage: Any) -> str:
    if passage.section_id is None:
        return ""
    sec = notice.section(passage.section_id)
    return f"{sec.numeral}、{sec.problem}" if sec else ""


# ------------------------------------------------------------------ stats


def stats_data(notice: Notice, st: Stats) -> dict[str, Any]:
    return {
        "facts": [{"label": k, "value": v} for k, v in st.facts],
        "outcomes": [
            {"key": o.key, "label": o.label, "value": o.raw, "unit": o.unit,
             "breakdown": [{"label": b.label, "value": b.raw, "unit": b.unit} for b in o.breakdown],
             "breakdown_total": o.breakdown_total, "balanced": o.balanced}
            for o in notice.outcomes
        ],
        "money": [{"label": m.label, "wan_yuan": m.raw, "yuan": m.yuan} for m in st.money],
        "sections": [{"id": s.id, "numeral": s.numeral, "problem": s.problem, "measures": s.measures,
                      "characters": s.characters, "documents": s.documents, "figures": s.figures}
                     for s in st.sections],
        "provenance": [{"label": p.label, "written": p.written, "measures": list(p.measures)}
                       for p in st.provenance],
    }


def _check(balanced: bool | None) -> str:
    return "" if balanced is None else ("✓ 相符" if balanced else "✗ 不符")


def render_stats(out: Out, notice: Notice, st: Stats) -> None:
    if out.mode is Mode.JSON:
        out.json(stats_data(notice, st))
        return
    outcome_rows = [
        (o.label, o.raw, o.unit,
         "、".join(f"{b.label}{b.raw}{b.unit}" for b in o.breakdown),
         "" if o.breakdown_total is None else str(o.breakdown_total), _check(o.balanced))
        for o in notice.outcomes
    ]
    money_rows = [(m.label, m.raw, str(m.yuan)) for m in st.money]
    section_rows = [(s.id, s.numeral, s.problem, s.measures, s.characters, s.documents, s.figures)
                    for s in st.sections]
    total = ("合计", "", "", *(sum(row[i] for row in section_rows) for i in (3, 4, 5, 6)))
    source_rows = [(p.label, p.written, "、".join(p.measures) or "—") for p in st.provenance]
    if out.mode is Mode.PLAIN:
        for row in st.facts:
            out.record("概况", *row)
        for row in outcome_rows:
            out.record("整改成效", *row)
        for row in money_rows:
            out.record("款项", *row)
        for row in section_rows + [total]:
            out.record("分项", *row)
        for row in source_rows:
            out.record("出处", *row)
        return
    marked = [row[:5] + (rich_text(row[5], style="green" if row[5].startswith("✓") else "bold red"),)
              for row in outcome_rows]
    out.table("概况", ("项目", "内容"), st.facts)
    out.table("整改成效（" + notice.outcomes_source + "）", ("项目", "数量", "单位", "细分", "细分合计", "核对"),
              marked, numeric=(1, 4))
    out.table("款项（精确值）", ("项目", "万元", "元"), money_rows, numeric=(1, 2))
    out.table("分项统计", ("编号", "序号", "问题", "措施数", "字数", "文件", "数字"), section_rows + [total],
              numeric=(3, 4, 5, 6))
    out.table("数字出处（开头成效与正文措施中相同的数额）", ("项目", "数额", "出现于措施"), source_rows)


# ------------------------------------------------------------------ docs and figures


def render_docs(out: Out, docs: Sequence[Any]) -> None:
    from rectcli.output.export import document_data

    if out.mode is Mode.JSON:
        out.json({"count": len(docs), "documents": [document_data(d) for d in docs]})
        return
    rows = [(f"《{d.title}》", d.kind or "", "、".join(d.marks), "、".join(c.passage_id for c in d.citations))
            for d in docs]
    if out.mode is Mode.PLAIN:
        for row in rows:
            out.record(*row)
        return
    out.table(f"引用文件（{len(docs)}件）", ("文件", "类别", "标注", "出处"), rows)


def render_figures(out: Out, quantities: Sequence[Any]) -> None:
    from rectcli.output.export import quantity_data

    if out.mode is Mode.JSON:
        out.json({"count": len(quantities), "figures": [quantity_data(q) for q in quantities]})
        return
    rows = [(q.passage_id, q.written, q.number, q.unit, "" if q.yuan is None else str(q.yuan),
             ("约" if q.approx else "") + ("中文数字" if q.chinese else ""), q.context) for q in quantities]
    if out.mode is Mode.PLAIN:
        for row in rows:
            out.record(*row)
        return
    out.table(f"数字（{len(quantities)}处）", ("出处", "原文", "数值", "单位", "折合元", "标记", "上下文"), rows,
              numeric=(2, 4))


def render_validation(out: Out, name: str, problems: Sequence[Any]) -> None:
    if out.mode is Mode.JSON:
        out.json({"file": name, "ok": not problems,
                  "problems": [{"line": p.line, "path": p.path, "message": p.message} for p in problems]})
        return
    if out.mode is Mode.PLAIN:
        for p in problems:
            out.write(p.format(name) + "\n")
        if not problems:
            out.write(f"{name}: ok\n")
        return
    if not problems:
        out.print(rich_text(f"{name}: ok", style="bold green"))
        return
    out.table(f"{name}: {len(problems)} problem(s)", ("行", "位置", "问题"),
              [(p.line or "", p.path, p.message) for p in problems], numeric=(0,))
