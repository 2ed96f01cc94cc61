"""`rectcli notices`: the notices of the library, with their headline outcomes."""

import typer

from rectcli.cli.app import (
    Filters, IssuerOpt, JsonOpt, KindOpt, RoundOpt, YearOpt, app, command, library, library_path, notice, start,
)
from rectcli.errors import ExitCode


@app.command("notices")
@command
def notices_cmd(
    issuer: IssuerOpt = None,
    kind: KindOpt = None,
    year: YearOpt = None,
    round_: RoundOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List the notices of the library, with their headline outcomes.

    Oldest first: id (for --notice and show NOTICE:ID), issuer,
    kind, level, round, date (published, else signed), sections, and headline outcomes: 立案,
    党纪处分 and the money reported in 元 (each outcome key counted once). Without a library (or
    with --data) the one notice read is listed. Exit 1 when the filters leave nothing.

    Example: rectcli notices --year 2022
    """
    from rectcli.output.data import notice_row_of
    from rectcli.output.render import render_notices

    out = start("notices", as_json)
    filters = Filters(issuer=issuer, kind=kind, year=year, round=round_)
    lib = library()
    if lib is None:
        doc = notice()
        rows = [notice_row_of(doc)] if filters.admits(doc) else []
        where = None
    else:
        # every outcome of every notice only for --json: the table shows each one's summary
        rows = lib.notices(**filters.kwargs(notice=False), headline=as_json)
        where = str(lib.path)
    render_notices(out, rows, where)
    if not rows:
        out.note(f"no notice in the library {library_path()} matches {' '.join(filters.given())}; "
                 "`rectcli notices` lists them all" if lib is not None else filters.left_out(doc))
        raise typer.Exit(ExitCode.NO_MATCH)
