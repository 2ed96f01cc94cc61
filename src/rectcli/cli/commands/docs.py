"""`rectcli docs`: the documents the notice cites in 《…》."""

from typing import Annotated, Optional

import typer

from rectcli.cli.app import (
    Filters, IssuerOpt, JsonOpt, NoticeOpt, RoundOpt, YearOpt, app, command, library, listed_notice, start,
)
from rectcli.errors import ExitCode
from rectcli.notice.query import find_documents
from rectcli.output.render import render_docs


@app.command("docs")
@command
def docs_cmd(
    title: Annotated[Optional[str], typer.Argument(metavar="[TITLE]", help="Part of a title, e.g. 办法.")] = None,
    section: Annotated[Optional[str], typer.Option("--section", "-s", metavar="ID", help="Only documents cited in this section.")] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", "-k", help="Only this kind: 办法 matches 实施办法, 管理办法 ….")] = None,
    notice_id: NoticeOpt = None,
    issuer: IssuerOpt = None,
    year: YearOpt = None,
    round_: RoundOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Every document cited in 《…》, its kind and marks, and the measures that cite it.

    Exit 1 when the filters leave nothing, with a note on stderr saying why: which
    sections cite documents, or which kinds there are.

    With a library: one row per title, with the notices that cite it and where (id:measures);
    --notice ID gives one notice's documents as above. (--kind here is the document's kind.)

    Example: rectcli docs --kind 办法
    """
    out = start("docs", as_json)
    filters = Filters(notice_id, issuer, None, year, round_)
    lib = library()
    doc = listed_notice(out, lib, filters, section, "docs", lambda: render_docs(out, []))
    if doc is None:
        _across(out, lib, filters, title=title, kind=kind)
        return
    found = find_documents(doc, title=title, kind=kind, section=section)
    render_docs(out, found)
    if not found:
        from rectcli.notice.extract import no_documents_reason

        out.note(no_documents_reason(doc, title=title, kind=kind, section=section))
        raise typer.Exit(ExitCode.NO_MATCH)


def _across(out: object, lib: object, filters: Filters, *, title: Optional[str], kind: Optional[str]) -> None:
    from rectcli.output.data import library_documents_data
    from rectcli.output.render import render_library_docs

    found = lib.documents(title=title, kind=kind, issuer=filters.issuer, year=filters.year, round=filters.round)
    docs = library_documents_data(found)
    render_library_docs(out, docs)
    if not docs:
        asked = " ".join(x for x in (title and f"title {title!r}", kind and f"kind {kind!r}") if x)
        out.note(f"no document{' with ' + asked if asked else ''} is cited in the {len(found)} notice(s) selected")
        raise typer.Exit(ExitCode.NO_MATCH)
