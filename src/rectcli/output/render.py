"""Present results: Rich on a terminal, plain text when piped, JSON for scripts.

The mode is chosen once per run (:func:`choose_mode`). Every renderer presents the data of
:mod:`rectcli.output.data` (the one place results become JSON-ready data). Plain mode never
imports Rich: a header row naming the columns, then one tab-separated record per line, no
escape codes, nothing cut. Rich mode wraps Chinese text by its line-breaking rules
(:mod:`rectcli.output.richwrap`). JSON is ``indent=2``, Chinese kept as is, in a versioned
envelope. Text from notices and users never reaches the terminal with control characters in it.
"""

from __future__ import annotations

import functools
import os
import sys
from enum import Enum
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from rectcli.output import data as D
from rectcli.output.data import envelope
from rectcli.output.textsafe import printable

if TYPE_CHECKING:  # each command imports its own core module; rendering one must not load the rest
    from rectcli.notice.model import Node, Notice, Paragraph
    from rectcli.notice.stats import Stats
    from rectcli.search import SearchResult

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
        _write(printable(_line(fields)))

    def records(self, rows: Iterable[Sequence[object]]) -> None:
        """Plain mode: :meth:`record` for many rows, written at once."""
        rows = rows if isinstance(rows, list) else list(rows)
        try:  # fields all text, none holding a tab or a line break: joined in one pass
            body = "\n".join(map("\t".join, rows))  # type: ignore[arg-type]
            plain = body.count("\n") == len(rows) - 1 and body.count("\t") == sum(map(len, rows)) - len(rows)
        except TypeError:
            plain = False
        _write(printable(body + "\n" if plain and rows else "".join(map(_line, rows))))

    def json(self, data: Any) -> None:
        _write(envelope(self.command, data) + "\n")

    def header(self, *names: str) -> None:
        """Plain mode: the row naming the columns of the records that follow."""
        self.record(*names)

    def note(self, message: str) -> None:
        """A diagnostic for the reader, on stderr: one line, control characters escaped."""
        sys.stderr.write(f"rectcli: {printable(' '.join(message.splitlines()).rstrip())}\n")
        sys.stderr.flush()

    def rows(self, title: str, headers: Sequence[str], rows: Sequence[Sequence[object]],
             *, numeric: Sequence[int] = ()) -> None:
        """A listing: plain records under a header row (none when nothing is listed), or a Rich
        table on a terminal."""
        if self.mode is Mode.PLAIN:
            if rows:
                self.header(*headers)
            self.records(rows)
            return
        self.table(title, headers, rows, numeric=numeric)

    def table(self, title: str | None, headers: Sequence[str], rows: Sequence[Sequence[object]],
              *, numeric: Sequence[int] = ()) -> None:
        from rich.table import Table

        # title and headers as Text, never as Rich markup: a unit written "[/]" in a notice is text
        table = Table(title=None if title is None else rich_text(title), title_justify="left", title_style="bold",
                      header_style="bold")
        for i, head in enumerate(headers):
            table.add_column(rich_text(head), overflow="fold", justify="right" if i in numeric else "left",
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


def _line(fields: Sequence[object]) -> str:
    """A plain record: fields joined by tabs, ending in a newline; a tab or line break inside a
    field becomes a space."""
    try:
        line = "\t".join(fields)  # type: ignore[arg-type]
        texts: Sequence[Any] = fields
    except TypeError:  # a field is a number or None
        texts = ["" if f is None else f if f.__class__ is str else str(f) for f in fields]
        line = "\t".join(texts)
    if "\n" in line or line.count("\t") >= len(texts):  # a field holds a tab or a line break
        line = "\t".join(t.replace("\t", " ").replace("\n", " ") for t in texts)  # type: ignore[union-attr]
    return line + "\n"


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


def _size(node: dict[str, Any]) -> str:
    return f"{node['child_count']}项措施" if node["child_count"] else f"{node['characters']}字"


def _flatten(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for n in nodes:
        out.append(n)
        out.extend(_flatten(n["children"]))
    return out


def render_sections(out: Out, notice: Notice, depth: int) -> None:
    data = D.sections_data(notice, depth)
    if out.mode is Mode.JSON:
        out.json(data)
        return
    if out.mode is Mode.PLAIN:
        out.header("编号", "序号", "标题", "篇幅")
        for n in _flatten(data["sections"]):
            out.record(n["id"], n["label"], n["heading"] or "（正文）", _size(n))
        return
    from rich.tree import Tree

    tree = Tree(_wrap(rich_text(notice.metadata.title or "（无标题）", style="bold")))

    def add(parent: Any, node: dict[str, Any]) -> None:
        line = rich_text(f"{node['id']}  ", style="cyan")
        line.append(node["marker"], style="bold" if "." not in node["id"] else "")
        if node["heading"] is None:
            line.append("（正文）", style="italic")
        else:
            line.append(node["heading"], style="bold" if "." not in node["id"] else "")
        line.append(f"  {_size(node)}", style="dim")
        branch = parent.add(_wrap(line))
        for child in node["children"]:
            add(branch, child)

    for section in data["sections"]:
        add(tree, section)
    out.print(tree)


# ------------------------------------------------------------------ show


def render_show(out: Out, notice: Notice, target: Node | Paragraph) -> None:
    data = D.target_data(notice, target)
    if out.mode is Mode.JSON:
        out.json(data)
        return
    if data["kind"] == "paragraph":
        _show(out, data["id"], data["label"], "", data["text"], data["errata"])
        return
    where = data["section"]["label"] + "、" + (data["section"]["heading"] or "") if data["section"] else ""

    def show_node(node: dict[str, Any], where: str) -> None:
        title = node["label"] + (f" {node['heading']}" if node["heading"] else " （正文）")
        _show(out, node["id"], title, where, node["text"], node["errata"])
        for child in node["children"]:
            show_node(child, where or f"{node['marker']}{node['heading'] or ''}")

    show_node(data, where)


def _show(out: Out, ident: str, title: str, where: str, text: str, errata: Sequence[dict[str, str]]) -> None:
    if out.mode is Mode.PLAIN:
        out.record(ident, title, where)
        out.write(text + "\n")
        for e in errata:
            out.record("勘误", e["found"], e["likely"], e["note"])
        out.write("\n")
        return
    line = rich_text(f"{ident}  ", style="cyan bold")
    line.append(title, style="bold")
    if where:
        line.append(f"  {where}", style="dim")
    out.print(line)
    out.print(rich_text(text))
    for e in errata:
        note = rich_text("勘误 ", style="yellow")
        note.append(f"{e['found']} → {e['likely']}  ")
        note.append(e["note"], style="dim")
        out.print(note)
    out.print()


# ------------------------------------------------------------------ search


def search_notes(result: SearchResult, suggestions: Sequence[str], where: str = "notice",
                 matched: bool | None = None) -> list[str]:
    """What the reader should know beside the hits: how a term was read, and why nothing matched.
    ``where`` is what was searched: the notice, or the library; ``matched``: whether anything
    matched (default: whether there are hits)."""
    notes = []
    for r in result.readings:
        if r.how == "simplified":
            missing = "" if r.matched else f", which does not occur in the {where} either"
            notes.append(f"read {r.term!r} as simplified characters (简体): {'、'.join(r.forms)}{missing}")
        elif r.how == "pinyin":
            found = f": {'、'.join(r.matched[:5])}" if r.matched else f", which spells nothing in the {where}"
            notes.append(f"read {r.term!r} as pinyin (拼音){found}")
    if not (bool(result.hits) if matched is None else matched):
        wanted = " ".join(repr(t) for t in result.terms)
        if result.match_all and len(result.terms) > 1 and all(r.matched for r in result.readings):
            notes.append(f"no passage has all of {wanted}; each occurs elsewhere (--any finds passages with any)")
        elif suggestions:
            notes.append(f"no passage matches {wanted}; closest phrases in the {where}: {'、'.join(suggestions)}")
        else:
            notes.append(f"no passage matches {wanted}" + ("" if where == "notice" else " in the notices searched"))
    return notes


def _json_or_count(out: Out, data: dict[str, Any], count: bool) -> bool:
    """The search output every mode shares: the JSON (without hits for --count), or the count
    alone. True when that was all there is to print."""
    if out.mode is Mode.JSON:
        out.json({k: v for k, v in data.items() if k != "hits"} if count else data)
        return True
    if count:
        out.write(f"{data['count']}\n")
        return True
    return False


def render_search(out: Out, result: SearchResult, notice: Notice, *, full: bool, count: bool,
                  suggestions: Sequence[str] = ()) -> None:
    data = D.search_data(result, notice, suggestions)
    if _json_or_count(out, data, count):
        return
    if out.mode is Mode.PLAIN:
        if data["hits"]:
            out.header("编号", "序号", "所在部分", "文本")
        out.records((h["id"], h["label"], h["where"], h["text"] if full else h["snippet"]["text"])
                    for h in data["hits"])
        return
    for hit in data["hits"]:
        _print_hit(out, hit, full)


def _print_hit(out: Out, hit: dict[str, Any], full: bool, indent: str = "") -> None:
    """One hit on a terminal: id, label, title and section, then its text (or snippet) with the
    matches highlighted."""
    text, spans = (hit["text"], hit["spans"]) if full else (hit["snippet"]["text"], hit["snippet"]["spans"])
    head = rich_text(f"{indent}{hit['id']}  ", style="cyan bold")
    head.append(hit["label"], style="bold")
    if hit["kind"] == "node" and hit["title"]:
        head.append(f" {hit['title']}", style="bold")
    if hit["where"] and hit["kind"] != "heading" and "." in hit["id"]:
        head.append(f"  {hit['where']}", style="dim")
    out.print(head)
    out.print(rich_text(text, [tuple(s) for s in spans]))
    out.print()


# ------------------------------------------------------------------ stats


def _check(balanced: bool | None) -> str:
    return "" if balanced is None else ("✓ 相符" if balanced else "✗ 不符")


def render_stats(out: Out, notice: Notice, st: Stats) -> None:
    data = D.stats_data(notice, st)
    if out.mode is Mode.JSON:
        out.json(data)
        return
    outcome_rows = [
        (o["label"], o["value"], o["unit"],
         "、".join(f"{b['label']}{b['value']}{b['unit']}" for b in o["breakdown"]),
         "" if o.get("breakdown_total") is None else str(o["breakdown_total"]), _check(o.get("balanced")))
        for o in data["outcomes"]
    ]
    money_rows = [(m["label"], f"{m['value']}{m['unit']}", str(m["yuan"])) for m in data["money"]]
    section_rows = [(s["id"], s["label"], s["heading"] or "", s["measures"], s["characters"], s["documents"],
                     s["figures"]) for s in data["sections"]]
    total = ("合计", "", "", *(sum(row[i] for row in section_rows) for i in (3, 4, 5, 6)))
    source_rows = [(p["label"], p["written"], "、".join(p["measures"]) or "—") for p in data["provenance"]]
    facts = [(f["label"], f["value"]) for f in data["facts"]]
    tables = (
        ("概况", ("项目", "内容"), facts, ()),
        ("整改成效", ("项目", "数量", "单位", "细分", "细分合计", "核对"), outcome_rows, (1, 4)),
        ("款项", ("项目", "数额", "元"), money_rows, (2,)),
        ("分项", ("编号", "序号", "标题", "措施数", "字数", "文件", "数字"),
         section_rows + [total] if section_rows else [], (3, 4, 5, 6)),
        ("出处", ("项目", "数额", "出现于正文"), source_rows, ()),
    )
    if out.mode is Mode.PLAIN:
        # each table: a header row, then its rows, every one led by the table's name (grep ^分项)
        for name, headers, rows, _ in tables:
            if rows:
                out.header(name, *headers)
                for row in rows:
                    out.record(name, *row)
        return
    titles = {"整改成效": "整改成效", "款项": "款项（精确值）", "分项": "分项统计",
              "出处": "数字出处（成效与正文中相同的数额）"}
    for name, headers, rows, numeric in tables:
        if not rows:
            continue
        if name == "整改成效":
            rows = [row[:5] + (rich_text(row[5], style="green" if row[5].startswith("✓") else "bold red"),)
                    for row in rows]
        out.table(titles.get(name, name), headers, rows, numeric=numeric)


# ------------------------------------------------------------------ docs and figures


def render_docs(out: Out, docs: Sequence[Any]) -> None:
    data = [D.document_data(d) for d in docs]
    if out.mode is Mode.JSON:
        out.json({"count": len(data), "documents": data})
        return
    rows = [(f"《{d['title']}》", d["kind"] or "", "、".join(d["marks"]), "、".join(c["id"] for c in d["cited_in"]))
            for d in data]
    out.rows(f"引用文件（{len(docs)}件）", ("文件", "类别", "标注", "出处"), rows)


def render_figures(out: Out, quantities: Sequence[Any]) -> None:
    data = [D.quantity_data(q) for q in quantities]
    if out.mode is Mode.JSON:
        out.json({"count": len(data), "figures": data})
        return
    out.rows(f"数字（{len(quantities)}处）", FIGURE_HEADERS, [_figure_row(q) for q in data], numeric=(2, 4))


FIGURE_HEADERS = ("出处", "原文", "数值", "单位", "折合元", "标记", "上下文")


def _figure_row(q: dict[str, Any]) -> tuple[object, ...]:
    """A figure's columns (FIGURE_HEADERS): where, as written, number, unit, 元, marks, context."""
    marks = "、".join(flag for flag, on in (("约", q["approx"]), ("中文数字", q["chinese_numeral"]),
                                            ("勘误", q["damaged"])) if on)
    return (q["id"], q["written"], q["number"], q["unit"], q["yuan"] or "", marks, q["context"])


def render_validation(out: Out, name: str, problems: Sequence[Any]) -> None:
    if out.mode is Mode.JSON:
        out.json(D.validation_data(name, problems))
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


# ------------------------------------------------------------------ import


def render_import(out: Out, reports: Sequence[dict[str, Any]]) -> None:
    """--json: the reports on stdout. Otherwise on stderr (stdout may carry the notice file):
    per source what was found, in the notice's words, and each finding with its line."""
    if out.mode is Mode.JSON:
        out.json({"imported": sum(1 for r in reports if "error" not in r), "failed": sum(1 for r in reports if "error" in r),
                  "notices": list(reports)})
        return
    for r in reports:
        if "error" in r:
            out.note(f"error: {r['error']}")
            continue
        out.note(f"imported {r['source']}" + (f" → {r['output']}" if r["output"] else ""))
        word = r["kind"] or "巡视"
        insp = r["inspection"]
        period = insp["period"]
        lines = [
            ("标题", f"{r['title']} (from {r['title_from']})" if r["title"] else "none found"),
            ("发布单位", r["issuer"]),
            ("类别", (r["kind"] or "") + (f" ({'、'.join(r['special'])})" if r["special"] else "")),
            (f"{word}机构", "、".join(x for x in (insp["body"], insp["level"] and insp["level"] + "级") if x)),
            (f"{word}轮次", insp["round"]), (f"{word}组", insp["team"]), (f"被{word}党组织", insp["inspected"]),
            (f"{word}时间", period and f"{period['text']}: {period['start']} … {period['end']}"),
            ("反馈时间", insp["feedback"]), ("发布时间", r["published"]),
            ("落款", r["signature"] and " ".join(x for x in (r["signature"]["signer"], r["signature"]["date"]) if x)),
            ("结构", f"{r['sections']} sections, depth {r['depth']}, {r['headings']} headings"),
            ("成效", "、".join(f"{o['label']}{o['value']}{o['unit']}" for o in r["outcomes"]) or "none found"),
            ("款项", f"{r['money_yuan']} 元 in all" if r["money_yuan"] is not None else "none found"),
            ("文件", f"{r['documents']} 《》 documents"),
            ("页面杂项", f"{len(r['chrome'])} lines removed as page chrome" if r["chrome"] else "none"),
        ]
        for label, value in lines:
            if value:
                out.note(f"  {label}: {value}")
        for f in r["findings"]:
            where = f"line {f['line']}: " if f["line"] else ""
            out.note(f"  {where}{f['level']}: {f['text']}")


# ------------------------------------------------------------------ the library


def _ref_line(ref: dict[str, Any]) -> Any:
    line = rich_text(f"{ref['id']}  ", style="magenta bold")
    line.append(ref["issuer"] or "（单位不详）", style="bold")
    if ref["date"]:
        line.append(f"  {ref['date']}", style="dim")
    return line


def render_notices(out: Out, notices: Sequence[Any], library: str | None) -> None:
    """`rectcli notices` (``notices``: rectcli.library.NoticeRow): a row per notice with its
    summary; --json also gives every headline outcome."""
    if out.mode is Mode.JSON:
        out.json(D.notices_data(notices, library))
        return
    headers = ("编号", "单位", "类别", "层级", "轮次", "日期", "部分", "立案", "党纪处分", "款项(元)")
    rows = [(n.id, n.issuer or "", n.kind or "", n.level or "", n.round or "", n.date or "", str(n.sections),
             n.cases_filed or "", n.party_discipline or "", n.money_yuan or "") for n in notices]
    out.rows(f"通报（{len(rows)}份）", headers, rows, numeric=(6, 7, 8, 9))


def library_search_notes(result: Any, suggestions: Sequence[str], *, selected: bool = False) -> list[str]:
    """:func:`search_notes` for a library search (the notes speak of the library, or of the
    notices the filters selected)."""
    return search_notes(result, suggestions, "selected notices" if selected else "library",
                        matched=bool(result.counts))


def render_library_search(out: Out, result: Any, suggestions: Sequence[str] = (), *, full: bool,
                          count: bool) -> None:
    """Hits across a library (``result``: a rectcli.library.LibrarySearchResult): plain columns
    通报 单位 日期 编号 序号 所在部分 文本, written from the hits themselves (thousands of them
    are not made into JSON-ready data first)."""
    if out.mode is Mode.PLAIN and not count:
        from rectcli.search import snippet

        if result.hits:
            out.header("通报", "单位", "日期", "编号", "序号", "所在部分", "文本")
        out.records([(h.notice.id, h.notice.issuer, h.notice.date, h.passage.id, h.passage.label, h.where,
                      h.passage.text if full else snippet(h.passage.text, h.spans).text) for h in result.hits])
        return
    data = D.library_search_data(result, suggestions)
    if _json_or_count(out, data, count):
        return
    current: str | None = None
    for hit in data["hits"]:
        if hit["notice"]["id"] != current:
            current = hit["notice"]["id"]
            out.print(_ref_line(hit["notice"]))
        _print_hit(out, hit, full, indent="  ")


def render_library_show(out: Out, ref: Any, notice: Notice, target: Node | Paragraph) -> None:
    """`show NOTICE:ID`: as `show` (JSON names the notice too)."""
    if out.mode is Mode.JSON:
        out.json({"notice": D.notice_ref_data(ref), **D.target_data(notice, target)})
        return
    render_show(out, notice, target)


def render_library_sections(out: Out, ref: Any, notice: Notice, depth: int) -> None:
    if out.mode is Mode.JSON:
        out.json({"notice": D.notice_ref_data(ref), **D.sections_data(notice, depth)})
        return
    render_sections(out, notice, depth)


def render_library_stats(out: Out, ref: Any, notice: Notice, st: Stats) -> None:
    if out.mode is Mode.JSON:
        out.json({"notice": D.notice_ref_data(ref), **D.stats_data(notice, st)})
        return
    render_stats(out, notice, st)


def render_compare(out: Out, table: Any, *, sort: str | None, csv: bool, chart: str | None) -> None:
    """`stats --compare` (``table``: a rectcli.library.compare.CompareTable): one table (a row per
    notice, a column per outcome, a totals row); --csv as RFC 4180; on a terminal also a bar chart
    of the outcome ``chart``. The rows are written from the table's text fields, never made into
    records (ten thousand notices are one pass)."""
    if out.mode is Mode.JSON:
        out.json(D.compare_data(table, sort))
        return
    names = D.outcome_names()
    headers = ["通报", "单位", "日期"] + [f"{names.get(c.key, c.key)}({c.unit})" if c.unit else names.get(c.key, c.key)
                                         for c in table.columns]
    totals = ("合计", "", "", *("" if t is None else t for t in table.totals))
    if csv:
        import csv as csvmod
        import io

        buf = io.StringIO()
        writer = csvmod.writer(buf, lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerows(table.rows.texts())
        writer.writerow(totals)
        out.write(buf.getvalue())
        return
    if out.mode is Mode.PLAIN:
        out.header(*headers)
        out.records([*table.rows.texts(), totals])
        return
    # on a terminal: as many outcome columns as fit beside the notice, then the next ones
    from rich.cells import cell_len

    rows = [*table.rows.texts(), totals]

    def width(i: int) -> int:
        return max(cell_len(v) for v in [headers[i], *(row[i] for row in rows)]) + 3

    lead = (0, 1) if width(0) + width(1) < out.console.width // 3 else (0,)
    room = out.console.width - sum(width(i) for i in lead) - 1
    parts: list[list[int]] = [[]]
    used = 0
    for i in range(3, len(headers)):
        if parts[-1] and used + width(i) > room:
            parts.append([])
            used = 0
        parts[-1].append(i)
        used += width(i)
    title = f"整改成效对比（{len(table.rows)}份通报）"
    for n, part in enumerate(parts):
        cols = list(lead) + part
        out.table(title if n == 0 else None, [headers[i] for i in cols], [[row[i] for i in cols] for row in rows],
                  numeric=tuple(range(len(lead), len(cols))))
    if chart is not None:
        _bar_chart(out, table, rows[:-1], [c.key for c in table.columns].index(chart), names)


def _bar_chart(out: Out, table: Any, rows: Sequence[Sequence[str]], i: int, names: dict[str, str]) -> None:
    """A bar per notice of column ``i`` (``rows``: the table's text fields)."""
    from decimal import Decimal, InvalidOperation

    from rich.cells import cell_len

    column = table.columns[i]
    values = []
    for row in rows:
        raw = row[3 + i]
        try:
            values.append((raw, Decimal(raw) if raw else None))
        except InvalidOperation:
            values.append((raw, None))
    top = max((v for _, v in values if v is not None), default=Decimal(0))
    labels = [f"{row[0]} {row[1]}" for row in rows]
    pad = max((cell_len(label) for label in labels), default=0)
    room = max(10, out.console.width - pad - 20)
    unit = f"（{column.unit}）" if column.unit else ""
    out.print()
    out.print(rich_text(f"{names.get(column.key, column.key)}{unit}", style="bold"))
    for label, (raw, value) in zip(labels, values):
        line = rich_text(label + " " * (pad - cell_len(label) + 1))
        if value is None:
            line.append("—", style="dim")
        else:
            width = int(value / top * room) if top > 0 else 0
            line.append("█" * width + ("▏" if width == 0 else ""), style="cyan")
            line.append(f" {raw}")
        out.console.print(line, overflow="crop", no_wrap=True)


def render_add(out: Out, data: dict[str, Any]) -> None:
    """`rectcli add`: --json on stdout; otherwise a line per failure and the summary on stderr."""
    if out.mode is Mode.JSON:
        out.json(data)
        return
    if data["created_with"]:
        out.note(f"created the library {data['library']} with the bundled notice ({data['created_with']})")
    for r in data["sources"]:
        if "error" in r:
            out.note(f"failed {r['source']}: {r['error']}")
        elif r["status"] == "unchanged" and r["differs"]:
            out.note(f"{r['source']}: unchanged ({r['id']} is in the library with other data; "
                     "--replace stores this one)")
    out.note(f"added {data['added']}, unchanged {data['unchanged']}, replaced {data['replaced']}, "
             f"failed {data['failed']}")


def render_library_docs(out: Out, docs: Sequence[dict[str, Any]]) -> None:
    """Documents across notices: a row per 《》 title with the notices that cite it."""
    if out.mode is Mode.JSON:
        out.json({"count": len(docs), "documents": list(docs)})
        return
    rows = [(f"《{d['title']}》", d["kind"] or "", "、".join(d["marks"]), len(d["notices"]),
             "、".join(n["notice"]["id"] for n in d["notices"]),
             "；".join(f"{n['notice']['id']}:" + "、".join(c["id"] for c in n["cited_in"]) for n in d["notices"]))
            for d in docs]
    out.rows(f"引用文件（{len(docs)}件）", ("文件", "类别", "标注", "通报数", "通报", "出处"), rows, numeric=(3,))


def render_library_figures(out: Out, figures: Sequence[dict[str, Any]]) -> None:
    """Figures across notices: the columns of `figures`, led by the notice's id."""
    if out.mode is Mode.JSON:
        out.json({"count": len(figures), "figures": list(figures)})
        return
    out.rows(f"数字（{len(figures)}处）", ("通报", *FIGURE_HEADERS),
             [(q["notice"]["id"], *_figure_row(q)) for q in figures], numeric=(3, 5))
