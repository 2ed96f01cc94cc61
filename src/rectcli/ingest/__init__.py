"""Import a published notice (text or saved web page, any encoding, a file, stdin or a URL)
into format-2 plain data without losing a character.

    imported = import_notice(Path("notice.html"))
    imported.data       # format-2 plain dict (schema_version 2)
    imported.findings   # what was found, and what could not be placed, with line numbers
    imported.text       # the notice's text after page chrome was removed

Modules, one job each: sources (read and decode; main text of a page), chrome (page chrome),
structure (title, opening, tree, closing, signature), metadata and dates (what the notice says
about itself), report (the records returned), vocab (the data files in rectcli/vocab).
"""

from __future__ import annotations

from rectcli.errors import ImportFormatError
from rectcli.ingest.report import Finding, Findings, Imported

__all__ = ["Finding", "ImportFormatError", "Imported", "import_checked", "import_notice", "MAX_BYTES"]

MAX_BYTES = 8 * 1024 * 1024


def import_notice(source: object, *, name: str | None = None, timeout: float = 10.0,
                  max_bytes: int = MAX_BYTES) -> Imported:
    """Import one notice; raise ImportFormatError (one clear line) for anything that is not one."""
    try:
        return _import(source, name=name, timeout=timeout, max_bytes=max_bytes)
    except ImportFormatError:
        raise
    except RecursionError:
        raise ImportFormatError("the source is nested too deeply to be read") from None
    except Exception as exc:  # noqa: BLE001 - the contract: bad input never raises anything else
        raise ImportFormatError(f"cannot import the source (internal error {type(exc).__name__}: {exc}); "
                                "please report it") from exc


def import_checked(source: object, *, name: str | None = None, timeout: float = 10.0,
                   max_bytes: int = MAX_BYTES) -> tuple[Imported, object]:
    """:func:`import_notice`, then the Notice built from it and validated as a notice file is:
    what `rectcli import` writes and `rectcli add` stores. An import that does not validate is
    the importer's own mistake, never a notice rectcli would refuse: ImportFormatError."""
    from rectcli.notice.build import build
    from rectcli.notice.checks import all_problems
    from rectcli.notice.format import load_schema

    imported = import_notice(source, name=name, timeout=timeout, max_bytes=max_bytes)
    notice = build(imported.data, name or str(source))
    problems = all_problems(imported.data, {}, load_schema())
    if problems:
        raise ImportFormatError(f"the imported notice does not validate ({problems[0].path}: "
                                f"{problems[0].message}); please report it")
    return imported, notice


def _import(source: object, *, name: str | None, timeout: float, max_bytes: int) -> Imported:
    from rectcli.ingest import chrome, metadata, sources, structure
    from rectcli.ingest.vocab import simplify

    findings = Findings()
    src = sources.read(source, name=name, timeout=timeout, max_bytes=max_bytes, findings=findings)
    lines: list[chrome.Line] = []
    indents: dict[int, int] = {}
    for no, raw in enumerate(sources.lines_of(src.text), 1):
        text = raw.strip()
        if text:
            lines.append(chrome.Line(no, text))
            indents[no] = len(raw) - len(raw.lstrip())
    kept, removed = chrome.split(lines, findings)
    text = "\n".join(ln.text for ln in kept)
    folded = simplify(text)
    if "整改" not in folded or not ("巡视" in folded or "巡察" in folded):
        raise ImportFormatError(
            "not a 巡视/巡察 rectification notice: its text never mentions both 整改 and 巡视 or 巡察")
    st = structure.build(kept, findings, indents)
    data: dict[str, object] = {"schema_version": 2}
    data["metadata"] = metadata.read(st, src, removed, findings)
    data["chrome"] = removed
    data.update(st.as_data())
    outcomes, stated = _outcomes(st, findings)
    data["outcomes"] = outcomes
    data["stated_counts"] = stated
    return Imported(data=data, findings=tuple(findings), text=text)


def _outcomes(st: object, findings: Findings) -> tuple[list[object], list[object]]:
    from rectcli.ingest.figures import find_outcomes

    passages = [(pid, text) for pid, text, _ in st.passages()]
    outcomes, stated = find_outcomes(passages)
    return list(outcomes), list(stated)
