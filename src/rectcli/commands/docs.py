"""`rectcli docs`: the documents the notice cites in 《…》."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from rectcli.cli import JsonOpt, app, command, notice, start
from rectcli.errors import ExitCode
from rectcli.model import section_of
from rectcli.query import section_scope
from rectcli.render import render_docs
from rectcli.textfold import fold


@app.command("docs")
@command
def docs_cmd(
    title: Annotated[Optional[str], typer.Argument(metavar="[TITLE]", help="Part of a title, e.g. 办法.")] = None,
    section: Annotated[Optional[str], typer.Option("--section", "-s", metavar="ID", help="Only documents cited in this section.")] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", "-k", help="Only this kind: 办法 matches 实施办法, 管理办法 ….")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Every document cited in 《…》, its kind and marks, and the measures that cite it.

    Exit 1 when the filters leave nothing.

    Example: rectcli docs --kind 办法
    """
    from rectcli.extract import documents

    out = start("docs", as_json)
    doc = notice()
    scope = section_scope(doc, section)
    found = [
        d for d in documents(doc)
        if (title is None or fold(title) in fold(d.title))
        and (kind is None or (d.kind is not None and fold(kind) in fold(d.kind)))
        and (scope is None or any(section_of(c.passage_id) == scope.id for c in d.citations))
    ]
    render_docs(out, found)
    if not found:
        raise typer.Exit(ExitCode.NO_MATCH)
