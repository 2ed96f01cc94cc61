"""`rectcli figures`: every quantity in the notice."""

from enum import Enum
from typing import Annotated, Optional

import typer

from rectcli.cli import JsonOpt, app, command, notice, start
from rectcli.errors import ExitCode
from rectcli.query import find_figures
from rectcli.render import render_figures


class SortBy(str, Enum):
    notice = "notice"
    value = "value"


@app.command("figures")
@command
def figures_cmd(
    unit: Annotated[Optional[str], typer.Option("--unit", "-u", help="Only this unit, e.g. 万元, 人, %.")] = None,
    section: Annotated[Optional[str], typer.Option("--section", "-s", metavar="ID", help="Only this section.")] = None,
    sort: Annotated[SortBy, typer.Option("--sort", help="notice order, or by value (money by its value in 元).")] = SortBy.notice,
    as_json: JsonOpt = False,
) -> None:
    """Every quantity: the number as written, its unit, where it is and the phrase around it.

    Money is also given exactly in 元; 余/近/超 are kept as a mark. Exit 1 when the filters
    leave nothing.

    Example: rectcli figures --unit 万元
    """
    out = start("figures", as_json)
    found = find_figures(notice(), unit=unit, section=section, by_value=sort is SortBy.value)
    render_figures(out, found)
    if not found:
        raise typer.Exit(ExitCode.NO_MATCH)
