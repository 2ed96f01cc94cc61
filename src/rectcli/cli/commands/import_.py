"""`rectcli import SOURCE... [-o FILE|DIR]`: published notices into notice files (format 2)."""

from typing import Annotated, Any, Optional

import typer

from rectcli.cli.app import JsonOpt, app, command, start
from rectcli.errors import ExitCode, ImportFormatError, RectcliError


@app.command("import")
@command
def import_cmd(
    sources: Annotated[list[str], typer.Argument(metavar="SOURCE...", help="Text file (UTF-8, GB18030/GBK, Big5), "
                                                  "saved web page, http(s):// URL, or - for stdin.")],
    output: Annotated[Optional[str], typer.Option("--output", "-o", metavar="FILE|DIR",
                                                  help="Write the notice file here; a directory (existing, or "
                                                       "ending in /) for several sources: NAME.yaml each. "
                                                       "Default: stdout, for one source.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Turn published notices into rectcli notice files (format 2), every character of the
    notice kept once; page chrome removed and recorded in the file. On stderr: what was found
    (title, issuer, kind, dates, sections and depth, outcomes, money, documents) and what could
    not be placed, each with its source line; --json prints the same on stdout. Exit 0 when
    every source was imported (warnings included), 1 when some were not, 2 when none could be.

    Example: rectcli export --format text > notice.txt && rectcli import notice.txt -o notice.yaml
    """
    import os

    from rectcli.ingest import import_checked
    from rectcli.notice.format import dump
    from rectcli.output.data import import_report
    from rectcli.output.export import to_data
    from rectcli.output.render import render_import
    from rectcli.output.safefile import write_text

    out = start("import", as_json)
    if "-" in sources and len(sources) > 1:
        raise ImportFormatError("stdin (-) can only be imported alone")
    directory = output is not None and (len(sources) > 1 or output.endswith(os.sep) or os.path.isdir(output))
    if len(sources) > 1 and output is None:
        raise ImportFormatError("several sources need -o DIR (one NAME.yaml each)")
    if directory:
        assert output is not None
        if not os.path.isdir(output):
            raise ImportFormatError(f"{output}: no such directory (create it first)")
    reports: list[dict[str, Any]] = []
    taken: set[str] = set()
    for source in sources:
        try:
            imported, notice = import_checked(source)
            text = dump(to_data(notice, derived=False))
            target = _target(source, output, directory, taken)
            if target is None:
                out.write(text)
            else:
                write_text(target, text)
            reports.append(import_report(source, target, imported, notice))
        except RectcliError as e:
            reports.append({"source": source, "output": None, "error": str(e)})
    render_import(out, reports)
    failed = sum(1 for r in reports if "error" in r)
    if failed == len(reports):
        raise typer.Exit(ExitCode.ERROR)
    if failed:
        raise typer.Exit(ExitCode.NO_MATCH)


def _target(source: str, output: str | None, directory: bool, taken: set[str]) -> str | None:
    """Where a source's notice file goes: stdout (None), ``output``, or NAME.yaml in it."""
    import os

    if output is None or output == "-":
        return None
    if not directory:
        return output
    stem = source.rstrip("/").rsplit("/", 1)[-1].split("?")[0] if source != "-" else "stdin"
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in stem) or "notice"
    name, n = stem, 1
    while name in taken:
        n += 1
        name = f"{stem}-{n}"
    taken.add(name)
    return os.path.join(output, name + ".yaml")
