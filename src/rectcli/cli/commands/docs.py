"""`rectcli docs`: the documents the notice cites in 《…》."""

from typing import Annotated, Optional

import typer

from rectcli.cli.app import JsonOpt, app, command, notice, start
from rectcli.errors import ExitCode
from rectcli.notice.query import find_documents
from rectcli.output.render import render_docs


@app.command("docs")
@command
def docs_cmd(
    title: Annotated[Optional[str], typer.Argument(metavar="[TITLE]", help="Part of a title, e.g. 办法.")] = None,
    section: Annotated[Optional[str], typer.Option("--section", "-s", metavar="ID", help="Only documents cited in this section.")] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", "-k", help="Only this kind: 办法 matches 实施办法, 管理办法 ….")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Every document cited in 《…》, its kind and marks, and the measures that cite it.

    Exit 1 when the filters leave nothing, with a note on stderr saying why: which
    sections cite documents, or which kinds there are.

    Example: rectcli docs --kind 办法
    """
    out = start("docs", as_json)
    doc = notice()
    found = find_documents(doc, title=title, kind=kind, section=section)
    render_docs(out, found)
    if not found:
        from rectcli.notice.extract import no_documents_reason

        out.note(no_documents_reason(doc, title=title, kind=kind, section=section))
        raise typer.Exit(ExitCode.NO_MATCH)
