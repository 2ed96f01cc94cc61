"""`rectcli search TERM...`: which passages say what."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from rectcli.cli import JsonOpt, app, command, notice, start
from rectcli.errors import ExitCode
from rectcli.query import search
from rectcli.render import render_search


@app.command("search")
@command
def search_cmd(
    terms: Annotated[list[str], typer.Argument(metavar="TERM...", help="Words to find; all must match one passage.")],
    any_: Annotated[bool, typer.Option("--any", help="A passage matches if any term does.")] = False,
    regex: Annotated[bool, typer.Option("--regex", "-e", help="Terms are regular expressions.")] = False,
    section: Annotated[Optional[str], typer.Option("--section", "-s", metavar="ID",
                                                   help="Search only this section (6 or 六).")] = None,
    full: Annotated[bool, typer.Option("--full", help="Print whole passages, not snippets.")] = False,
    count: Annotated[bool, typer.Option("--count", "-c", help="Print only the number of matching passages.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Search the notice passage by passage; exit 1 when nothing matches.

    A passage is a measure (title and text), a section heading or a paragraph of the
    opening or closing part. Results come in the notice's order.

    Example: rectcli search 公车
    """
    out = start("search", as_json)
    doc = notice()
    result = search(doc, terms, match_all=not any_, regex=regex, section=section)
    render_search(out, result, doc, full=full, count=count)
    if not result.hits:
        import sys

        sys.stderr.write(f"rectcli: no passage matches {' '.join(terms)!r}\n")
        raise typer.Exit(ExitCode.NO_MATCH)
