"""Every rule a format-2 notice keeps, as functions from plain data to a list of problems.

Loading needs the structural rules (:func:`load_problems`); ``rectcli validate`` runs them all
(:func:`all_problems`). Each problem carries the path and the line it was found on. Data is
format-2 plain data (a format-1 file is checked against its own schema, then upgraded).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Iterator

from rectcli.record import Record

Lines = dict[tuple[Any, ...], int]
Path = tuple[Any, ...]
SUPPORTED_VERSIONS = (1, 2)


class Problem(Record):
    line: int | None
    path: str
    message: str

    def format(self, name: str) -> str:
        where = f"{name}:{self.line}" if self.line else name
        return f"{where}: {self.path}: {self.message}"


def line_of(lines: Lines, path: Path) -> int | None:
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get(())


class Collector:
    def __init__(self, lines: Lines) -> None:
        self.lines = lines
        self.problems: list[Problem] = []

    def add(self, path: Path, message: str) -> None:
        from rectcli.notice.schema import format_path

        self.problems.append(Problem(line_of(self.lines, path), format_path(path), message))


def version_problem(data: Any, lines: Lines) -> list[Problem]:
    out = Collector(lines)
    if not isinstance(data, dict):
        out.add((), "a notice file is a mapping with schema_version, metadata, …")
    elif "schema_version" not in data:
        out.add((), "missing required key 'schema_version' (2 for this rectcli)")
    elif data["schema_version"] not in SUPPORTED_VERSIONS:
        out.add(("schema_version",), f"version {data['schema_version']!r} is not supported by rectcli "
                f"(supported: {', '.join(map(str, SUPPORTED_VERSIONS))}); upgrade rectcli")
    return out.problems


def schema_problems(data: Any, lines: Lines, schema: dict[str, Any]) -> list[Problem]:
    from rectcli.notice.schema import iter_errors

    out = Collector(lines)
    for path, message in iter_errors(data, schema):
        out.add(path, message)
    return out.problems


# ---------------------------------------------------------------- walking the data


def nodes(data: dict[str, Any]) -> Iterator[tuple[Path, dict[str, Any]]]:
    def walk(items: list[dict[str, Any]], path: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
        for i, node in enumerate(items):
            yield path + (i,), node
            yield from walk(node.get("children", []), path + (i, "children"))

    yield from walk(data.get("sections", []), ("sections",))


def node_text(node: dict[str, Any]) -> str:
    """A node's passage text, as the model defines it (spans of outcomes point into it)."""
    from rectcli.notice.model import node_text as text_of

    return text_of(node["marker"], node.get("heading"), node.get("after_heading", ""), bool(node.get("runin")),
                   node.get("paragraphs", ()))


def passages(data: dict[str, Any]) -> dict[str, str]:
    """Passage id → its text as the model has it (a node's lines joined by line breaks), the
    text that outcome spans count in."""
    out = {p["id"]: p["text"] for p in data.get("opening", []) + data.get("closing", [])}
    out.update((n["id"], node_text(n)) for _, n in nodes(data))
    return out


def texts(data: dict[str, Any]) -> Iterator[tuple[Path, str]]:
    for i, line in enumerate(data.get("title", [])):
        yield ("title", i), line
    for part in ("opening", "closing"):
        for i, para in enumerate(data.get(part, [])):
            yield (part, i, "text"), para["text"]
    for path, node in nodes(data):
        if node.get("heading"):
            yield path + ("heading",), node["heading"]
        for j, para in enumerate(node.get("paragraphs", ())):
            yield path + ("paragraphs", j), para


# ---------------------------------------------------------------- rules


def control_characters(value: Any, path: Path, out: Collector) -> None:
    """Control characters (C0/C1 but tab and newline, bidi overrides) in any text or key:
    a notice's words never hold them, and on a terminal they repaint or reorder the screen."""
    from rectcli.output.textsafe import printable, unsafe_chars

    if isinstance(value, str):
        found = unsafe_chars(value)
        if found:
            where = ", ".join(f"{esc} at character {pos + 1}" for pos, esc in found[:3])
            more = f" and {len(found) - 3} more" if len(found) > 3 else ""
            out.add(path, f"control character {where}{more}: not text of a notice")
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and unsafe_chars(key):
                out.add(path, f"control character in key {printable(key)!r}")
            control_characters(item, path + (key,), out)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            control_characters(item, path + (i,), out)


DATES: tuple[tuple[Path, str], ...] = (
    (("metadata",), "published"),
    (("metadata", "inspection"), "feedback"),
    (("metadata", "inspection", "period"), "start"),
    (("metadata", "inspection", "period"), "end"),
    (("metadata", "signature"), "date"),
)


def _dates(data: dict[str, Any], out: Collector) -> None:
    read: dict[str, str] = {}
    for where, name in DATES:
        holder: Any = data
        for part in where:
            holder = holder.get(part) if isinstance(holder, dict) else None
        if not isinstance(holder, dict) or not holder.get(name):
            continue
        iso, precision = holder[name], holder.get(f"{name}_precision", "day")
        want = {"day": 10, "month": 7, "year": 4}[precision]
        if len(iso) != want:
            out.add(where + (name,), f"{iso!r} does not have {precision} precision")
            continue
        try:
            date.fromisoformat(iso + {"day": "", "month": "-01", "year": "-01-01"}[precision])
        except ValueError:
            out.add(where + (name,), f"{iso!r} is not a real date")
            continue
        read[".".join(where[1:] + (name,))] = iso
    start, end = read.get("inspection.period.start"), read.get("inspection.period.end")
    if start and end and start[:len(end)] > end[:len(start)]:
        out.add(("metadata", "inspection", "period"), f"starts {start} after it ends {end}")


def _ids(data: dict[str, Any], out: Collector) -> None:
    for part in ("opening", "closing"):
        for i, para in enumerate(data.get(part, [])):
            want = f"{part}.{i + 1}"
            if para["id"] != want:
                out.add((part, i, "id"), f"id '{para['id']}' out of place; expected '{want}'")

    def walk(items: list[dict[str, Any]], path: Path, prefix: str) -> None:
        for i, node in enumerate(items):
            want = f"{prefix}{i + 1}"
            if node["id"] != want:
                out.add(path + (i, "id"), f"id '{node['id']}' out of place in the tree; expected '{want}'")
            walk(node.get("children", []), path + (i, "children"), want + ".")

    walk(data.get("sections", []), ("sections",), "")


def _nodes(data: dict[str, Any], out: Collector) -> None:
    for path, node in nodes(data):
        if node.get("heading") == "":  # the schema allows a string; an empty one is a lost heading
            out.add(path + ("heading",), "must not be empty (null for a node without a heading)")
        if node.get("runin") and node.get("heading") is None:
            out.add(path + ("runin",), "a run-in heading needs its heading")
        if node.get("heading") is None and not node.get("paragraphs") and not node.get("children"):
            out.add(path, "a node with neither heading, paragraphs nor children holds no text")


_LOAD_RULES = (_dates, _ids, _nodes)


def load_problems(data: Any, lines: Lines, schema: dict[str, Any]) -> list[Problem]:
    """What makes a format-2 file unusable: schema violations, control characters, bad
    dates, ids out of place."""
    return _run(data, lines, schema, _LOAD_RULES)


def _run(data: Any, lines: Lines, schema: dict[str, Any], rules: tuple[Any, ...]) -> list[Problem]:
    problems = schema_problems(data, lines, schema)
    if problems:  # the other rules need a sound structure
        return problems
    out = Collector(lines)
    control_characters(data, (), out)
    for rule in rules:
        rule(data, out)
    return out.problems


# ---------------------------------------------------------------- the full set, for validate


def _figures(data: dict[str, Any], out: Collector) -> None:
    from decimal import Decimal

    from rectcli.exact import decimal_sum
    from rectcli.notice.model import to_yuan

    texts_by_id = passages(data)

    def check(fig: dict[str, Any], path: Path) -> None:
        at = fig.get("at")
        if at:
            text = texts_by_id.get(at["passage"])
            if text is None:
                out.add(path + ("at", "passage"), f"no passage '{at['passage']}'")
            elif not 0 <= at["start"] < at["end"] <= len(text):
                out.add(path + ("at",), f"span {at['start']}–{at['end']} is outside {at['passage']}")
            elif fig["value"] not in text[at["start"]:at["end"]]:
                out.add(path + ("value",), f"'{fig['value']}' is not in the text it points at: "
                        f"{text[at['start']:at['end']]!r}")
        if "yuan" in fig:
            want = to_yuan(Decimal(fig["value"]), fig["unit"])
            if want is None or Decimal(fig["yuan"]) != want:
                out.add(path + ("yuan",), f"{fig['value']}{fig['unit']} is not {fig['yuan']} 元")
        parts = fig.get("breakdown", [])
        if parts and fig.get("complete", True):
            total = decimal_sum(Decimal(p["value"]) for p in parts)
            if total != Decimal(fig["value"]):
                detail = " + ".join(p["value"] for p in parts)
                out.add(path + ("breakdown",), f"{fig['label']}: breakdown {detail} = {total}, "
                        f"not the stated {fig['value']}")
        for j, part in enumerate(parts):
            check(part, path + ("breakdown", j))

    for key in ("outcomes", "stated_counts"):
        for i, fig in enumerate(data.get(key, [])):
            check(fig, (key, i))


def bracket_problems(text: str) -> list[str]:
    """What is wrong with the 《》 of one text: nested, unopened or unclosed titles."""
    problems = []
    depth = 0
    for pos, ch in enumerate(text):
        if ch == "《":
            if depth:
                problems.append(f"《 inside an open 《…》 at character {pos + 1}")
            depth += 1
        elif ch == "》":
            if not depth:
                problems.append(f"》 without an opening 《 at character {pos + 1}")
                continue
            depth -= 1
    if depth:
        problems.append("《 is never closed")
    return problems


def _brackets(data: dict[str, Any], out: Collector) -> None:
    for path, text in texts(data):
        for problem in bracket_problems(text):
            out.add(path, problem)


def _errata(data: dict[str, Any], out: Collector) -> None:
    def check(holder: dict[str, Any], text: str, path: Path) -> None:
        for k, err in enumerate(holder.get("errata", ())):
            if err["found"] not in text:
                out.add(path + ("errata", k, "found"), f"'{err['found']}' does not occur in the text it annotates")

    for part in ("opening", "closing"):
        for i, para in enumerate(data.get(part, [])):
            check(para, para["text"], (part, i))
    for path, node in nodes(data):
        check(node, node_text(node), path)
    sig = data.get("signature")
    if sig:
        check(sig, "".join(sig.get("lines", ())), ("signature",))


def _metadata_in_text(data: dict[str, Any], out: Collector) -> None:
    """What the metadata says it read from the text is in the text."""
    meta = data.get("metadata", {})
    whole = "".join(data.get("title", [])) + "".join(passages(data).values()) + \
        "".join((data.get("signature") or {}).get("lines", ()))
    title = meta.get("title")
    lines = data.get("title", [])
    if meta.get("title_from") == "body" and title and title != "".join(lines) and title not in lines:
        out.add(("metadata", "title"), "the title said to come from the body is not the body's title "
                "lines (nor one of them, printed twice)")
    for key, value in (meta.get("contacts") or {}).items():
        if value not in whole:
            out.add(("metadata", "contacts", key), f"'{value}' does not occur in the notice's text")
    insp = meta.get("inspection") or {}
    for key in ("round", "team", "inspected"):
        value = insp.get(key)
        if value and value not in whole and value not in (title or ""):
            out.add(("metadata", "inspection", key), f"'{value}' does not occur in the notice's text")


def all_problems(data: Any, lines: Lines, schema: dict[str, Any]) -> list[Problem]:
    """Everything ``validate`` checks; schema problems first (the rest need a sound structure)."""
    return _run(data, lines, schema, _LOAD_RULES + (_figures, _brackets, _errata, _metadata_in_text))
