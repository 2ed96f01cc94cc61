"""`rectcli figures`: every quantity in the notice."""

from enum import Enum
from typing import Annotated, Optional

import typer

from rectcli.cli.app import (
    Filters, IssuerOpt, JsonOpt, KindOpt, NoticeOpt, RoundOpt, YearOpt, app, command, library, listed_notice, start,
)
from rectcli.errors import ExitCode
from rectcli.notice.query import find_figures
from rectcli.output.render import render_figures


class SortBy(str, Enum):
    notice = "notice"
    value = "value"


@app.command("figures")
@command
def figures_cmd(
    unit: Annotated[Optional[str], typer.Option("--unit", "-u", help="Only this unit, e.g. 万元, 人, %.")] = None,
    section: Annotated[Optional[str], typer.Option("--section", "-s", metavar="ID", help="Only this section.")] = None,
    sort: Annotated[SortBy, typer.Option("--sort", help="notice order, or by value (money by its value in 元).")] = SortBy.notice,
    notice_id: NoticeOpt = None,
    issuer: IssuerOpt = None,
    kind: KindOpt = None,
    year: YearOpt = None,
    round_: RoundOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Every quantity: the number as written, its unit, where it is and the phrase around it.

    Money is also given exactly in 元; 余/近/超 are kept as a mark. Dates, years, codes,
    ordinals (第一, 二期) and names that are not counts (中央八项规定, 五个湾区, 十三五) are not
    listed. A number whose unit the published text lost (党内警告12党内严重警告9人) is listed
    with an empty unit, and a note on stderr names it with the reading the data records
    (found → likely). Exit 1 when the filters leave nothing, with a note on stderr saying
    which sections or units do have figures.

    With a library: the figures of every selected notice, each row led by its notice's id
    (--sort value sorts them all together); --notice ID gives one notice's as above.

    Example: rectcli figures --unit 万元
    """
    out = start("figures", as_json)
    filters = Filters(notice_id, issuer, kind, year, round_)
    lib = library()
    doc = listed_notice(out, lib, filters, section, "figures", lambda: render_figures(out, []))
    if doc is None:
        _across(out, lib, filters, unit=unit, by_value=sort is SortBy.value)
        return
    found = find_figures(doc, unit=unit, section=section, by_value=sort is SortBy.value)
    from rectcli.notice.extract import damage_note, no_figures_reason

    note = damage_note(found) if found else no_figures_reason(doc, unit=unit, section=section)
    if note:  # before the records, so a reader sees it above them
        out.note(note)
    render_figures(out, found)
    if not found:
        raise typer.Exit(ExitCode.NO_MATCH)


def _across(out: object, lib: object, filters: Filters, *, unit: Optional[str], by_value: bool) -> None:
    from rectcli.output.data import library_figures_data
    from rectcli.output.render import render_library_figures

    found = lib.figures(unit=unit, **filters.kwargs(notice=False))
    if by_value:  # one order for all: by value (money in 元), as within one notice
        flat = sorted(((row, q) for row, qs in found for q in qs),
                      key=lambda rq: rq[1].yuan if rq[1].yuan is not None else rq[1].value)
        found = [(row, [q]) for row, q in flat]
    figures = library_figures_data(found)
    render_library_figures(out, figures)
    if not figures:
        out.note(f"no figure{f' in {unit!r}' if unit else ''} in the {len(found)} notice(s) selected")
        raise typer.Exit(ExitCode.NO_MATCH)
