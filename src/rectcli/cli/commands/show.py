"""`rectcli show ID`: one section, measure or paragraph in full."""

from typing import Annotated

import typer

from rectcli.cli.app import JsonOpt, app, command, complete_id, notice, start
from rectcli.notice.query import resolve
from rectcli.output.render import render_show


@app.command("show")
@command
def show_cmd(
    ident: Annotated[str, typer.Argument(metavar="ID", autocompletion=complete_id, help="6.4, 6, '六(四)', 六（四）, opening.2 … (quote 六(四) in a shell: bash reads ( ) itself)")],
    as_json: JsonOpt = False,
) -> None:
    """Show one section or measure in full, with any suspected extraction errors noted.

    Example: rectcli show '六(四)'
    """
    out = start("show", as_json)
    doc = notice()
    render_show(out, doc, resolve(doc, ident))
