"""`rectcli figures`: every quantity in the notice."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from rectcli.cli import JsonOpt, app, command, notice, start
from rectcli.errors import ExitCode
from rectcli.model import section_of
from rectcli.query import section_scope
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
    from rectcli.extract import figures

    out = start("figures", as_json)
    doc = notice()
    scope = section_scope(doc, section)
    found = [q for q in figures(doc)
             if (unit is None or q.unit == unit.strip())
             and (scope is None or section_of(q.passage_id) == scope.id)]
    if sort is SortBy.value:
        found.sort(key=lambda q: q.yuan if q.yuan is not None else q.value)
    render_figures(out, found)
    if not found:
        raise typer.Exit(ExitCode.NO_MATCH)
