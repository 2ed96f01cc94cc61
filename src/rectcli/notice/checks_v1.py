"""The rules of format 1 (rectcli 1.x notice files), as functions from plain data to a list of
problems: a format-1 file is checked by these, with its own paths and lines, before it is read as
format 2 (:mod:`rectcli.notice.upgrade`) and checked by :mod:`rectcli.notice.checks`.

Loading needs the structural rules (:func:`load_problems`); ``rectcli validate`` runs them all
(:func:`all_problems`). Each problem carries the YAML path and the line it was found on.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable, Iterator

from rectcli.notice import schema as schema_mod
from rectcli.notice.checks import (  # noqa: F401 - shared by both formats
    Collector, Lines, Path, Problem, bracket_problems, control_characters, line_of,
)
from rectcli.notice.model import section_of, to_numeral

AFTER_TITLE = "。"  # format 1: what follows a measure's title unless the file says otherwise

SUPPORTED_VERSIONS = (1,)


def schema_problems(data: Any, lines: Lines, schema: dict[str, Any]) -> list[Problem]:
    out = Collector(lines)
    if isinstance(data, dict) and "schema_version" in data and data["schema_version"] not in SUPPORTED_VERSIONS:
        out.add(("schema_version",), f"version {data['schema_version']!r} is not supported by rectcli "
                f"(supported: {', '.join(map(str, SUPPORTED_VERSIONS))}); upgrade rectcli")
        return out.problems
    for path, message in schema_mod.iter_errors(data, schema):
        out.add(path, message)
    return out.problems


_DATES: tuple[tuple[Path, Callable[[str], object]], ...] = (
    (("metadata", "published"), datetime.fromisoformat),
    (("metadata", "inspection", "period", "start"), date.fromisoformat),
    (("metadata", "inspection", "period", "end"), date.fromisoformat),
    (("metadata", "inspection", "feedback"), date.fromisoformat),
    (("signature", "date"), date.fromisoformat),
)


def _get(data: Any, path: Path) -> Any:
    for part in path:
        data = data[part]
    return data


def _dates(data: dict[str, Any], out: Collector) -> None:
    for path, parse in _DATES:
        try:
            parse(_get(data, path))
        except ValueError:
            out.add(path, f"{_get(data, path)!r} is not a real date")


def _unique_ids(data: dict[str, Any], out: Collector) -> None:
    seen: dict[str, str] = {}

    def claim(ident: str, path: Path) -> None:
        if ident in seen:
            out.add(path, f"duplicate id '{ident}' (first used at {seen[ident]})")
        else:
            seen[ident] = schema_mod.format_path(path)

    for part in ("opening", "closing"):
        for i, para in enumerate(data[part]):
            claim(para["id"], (part, i, "id"))
    for i, sec in enumerate(data["sections"]):
        claim(sec["id"], ("sections", i, "id"))
        for j, mea in enumerate(sec["measures"]):
            path = ("sections", i, "measures", j, "id")
            claim(mea["id"], path)
            if section_of(mea["id"]) != sec["id"]:
                out.add(path, f"measure id '{mea['id']}' is not inside section '{sec['id']}'")
    if data["outcomes"]["source"] not in {p["id"] for p in data["opening"]}:
        out.add(("outcomes", "source"), f"no opening paragraph '{data['outcomes']['source']}'")


def load_problems(data: Any, lines: Lines, schema: dict[str, Any]) -> list[Problem]:
    """What makes a file unusable: schema violations, then impossible dates, id clashes and ids
    or measures out of place. A format-1 file is read as format 2 (:mod:`rectcli.notice.upgrade`),
    whose tree needs ids in order and numbered measures wherever a section has several: they are
    checked here, so that a file that cannot be read is told in its own terms and lines (never
    by format 2's paths without a line, nor by a crash of the upgrade)."""
    problems = schema_problems(data, lines, schema)
    if problems:
        return problems
    out = Collector(lines)
    control_characters(data, (), out)
    _dates(data, out)
    _unique_ids(data, out)
    _ids_in_order(data, out)
    return out.problems


# ---------------------------------------------------------------- the full set, for validate


def _ids_in_order(data: dict[str, Any], out: Collector) -> None:
    for part in ("opening", "closing"):
        for i, para in enumerate(data[part]):
            want = f"{part}.{i + 1}"
            if para["id"] != want:
                out.add((part, i, "id"), f"id '{para['id']}' out of order; expected '{want}'")
    for i, sec in enumerate(data["sections"]):
        want = str(i + 1)
        if sec["id"] != want:
            out.add(("sections", i, "id"), f"id '{sec['id']}' out of order; expected '{want}'")
        if sec["numeral"] != to_numeral(int(sec["id"])):
            out.add(("sections", i, "numeral"), f"numeral '{sec['numeral']}' does not match id '{sec['id']}'")
        for j, mea in enumerate(sec["measures"]):
            want_m = f"{sec['id']}.{j + 1}"
            if mea["id"] != want_m:
                out.add(("sections", i, "measures", j, "id"), f"id '{mea['id']}' out of order; expected '{want_m}'")
            if "numeral" in mea and mea["numeral"] != to_numeral(j + 1):
                out.add(("sections", i, "measures", j, "numeral"),
                        f"numeral '{mea['numeral']}' does not match position {j + 1} ({to_numeral(j + 1)})")
        if len(sec["measures"]) > 1 and any("numeral" not in m for m in sec["measures"]):
            out.add(("sections", i, "measures"), "a section with several measures needs a numeral and title on each")


def _counts(data: dict[str, Any], out: Collector) -> None:
    stated = data["metadata"]["problems"]["categories"]
    if len(data["sections"]) != stated:
        out.add(("sections",), f"{len(data['sections'])} sections, but metadata.problems.categories says {stated}")


def _sums(data: dict[str, Any], out: Collector) -> None:
    for i, fig in enumerate(data["outcomes"]["figures"]):
        parts = fig.get("breakdown")
        if not parts:
            continue
        from decimal import Decimal

        from rectcli.exact import decimal_sum

        total = decimal_sum(Decimal(str(p["value"])) for p in parts)
        if total != Decimal(str(fig["value"])):
            detail = " + ".join(f"{p['label']} {p['value']}" for p in parts)
            out.add(("outcomes", "figures", i, "breakdown"),
                    f"{fig['label']}: breakdown {detail} = {total}, not the stated {fig['value']}")


def _numbers_in_text(data: dict[str, Any], out: Collector) -> None:
    source = next((p for p in data["opening"] if p["id"] == data["outcomes"]["source"]), None)
    if source is None:
        return
    text = source["text"]
    for i, fig in enumerate(data["outcomes"]["figures"]):
        if f"{fig['label']}{fig['value']}" not in text:
            out.add(("outcomes", "figures", i, "value"),
                    f"'{fig['label']}{fig['value']}' does not appear in {source['id']}")
        for j, part in enumerate(fig.get("breakdown", ())):
            if f"{part['label']}{part['value']}" not in text:
                out.add(("outcomes", "figures", i, "breakdown", j, "value"),
                        f"'{part['label']}{part['value']}' does not appear in {source['id']}")


def _texts(data: dict[str, Any]) -> Iterator[tuple[Path, str]]:
    for part in ("opening", "closing"):
        for i, para in enumerate(data[part]):
            yield (part, i, "text"), para["text"]
            for j, item in enumerate(para.get("items", ())):
                yield (part, i, "items", j, "text"), item["text"]
    for i, sec in enumerate(data["sections"]):
        yield ("sections", i, "problem"), sec["problem"]
        for j, mea in enumerate(sec["measures"]):
            if "title" in mea:
                yield ("sections", i, "measures", j, "title"), mea["title"]
            yield ("sections", i, "measures", j, "text"), mea["text"]


def _brackets(data: dict[str, Any], out: Collector) -> None:
    for path, text in _texts(data):
        for problem in bracket_problems(text):
            out.add(path, problem)


def _errata_found(data: dict[str, Any], out: Collector) -> None:
    def check(holder: dict[str, Any], text: str, path: Path) -> None:
        for k, err in enumerate(holder.get("errata", ())):
            if err["found"] not in text:
                out.add(path + ("errata", k, "found"), f"'{err['found']}' does not occur in the text it annotates")

    for part in ("opening", "closing"):
        for i, para in enumerate(data[part]):
            check(para, para["text"], (part, i))
            for j, item in enumerate(para.get("items", ())):
                check(item, item["text"], (part, i, "items", j))
            for key, value in para.get("contacts", {}).items():
                if value not in para["text"]:
                    out.add((part, i, "contacts", key), f"'{value}' does not occur in the paragraph's text")
    for i, sec in enumerate(data["sections"]):
        for j, mea in enumerate(sec["measures"]):
            body = mea["title"] + mea.get("after_title", AFTER_TITLE) + mea["text"] if "title" in mea else mea["text"]
            check(mea, body, ("sections", i, "measures", j))
    check(data["signature"], data["signature"]["date_text"], ("signature",))


def all_problems(data: Any, lines: Lines, schema: dict[str, Any]) -> list[Problem]:
    """Everything ``validate`` checks; schema problems first (the rest need a sound structure)."""
    problems = schema_problems(data, lines, schema)
    if problems:
        return problems
    out = Collector(lines)
    control_characters(data, (), out)
    for rule in (_dates, _unique_ids, _ids_in_order, _counts, _sums, _numbers_in_text, _brackets, _errata_found):
        rule(data, out)
    return out.problems
