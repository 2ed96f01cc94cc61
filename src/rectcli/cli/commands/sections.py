"""`rectcli sections`: the notice's structure."""

from typing import Annotated

import typer

from rectcli.cli.app import JsonOpt, app, command, notice, start
from rectcli.output.render import render_sections


@app.command("sections")
@command
def sections_cmd(
    depth: Annotated[int, typer.Option("--depth", "-d", min=1, max=2,
                                       help="1: sections only; 2: sections and their measures.")] = 2,
    as_json: JsonOpt = False,
) -> None:
    """The notice's structure: 14 problem areas and their measures, with ids for `show`.

    Example: rectcli sections --depth 1
    """
    out = start("sections", as_json)
    render_sections(out, notice(), depth)
