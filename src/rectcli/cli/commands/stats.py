"""`rectcli stats`: the summary tables; `stats --compare`: outcomes across the library."""

from typing import Annotated, Optional

import typer

from rectcli.cli.app import (
    Filters, IssuerOpt, JsonOpt, KindOpt, NoticeOpt, RoundOpt, YearOpt, app, command, library, notice, start,
)


@app.command("stats")
@command
def stats_cmd(
    compare: Annotated[bool, typer.Option("--compare", help="One table of outcomes: a row per notice, a column per "
                                                            "outcome of the shared vocabulary, and totals.")] = False,
    sort_by: Annotated[Optional[str], typer.Option("--sort", metavar="KEY", help="--compare: largest first by this "
                                                   "outcome (its key, e.g. party_discipline, or name, e.g. 党纪处分).")] = None,
    csv: Annotated[bool, typer.Option("--csv", help="--compare: print CSV (RFC 4180) instead of a table.")] = False,
    chart: Annotated[Optional[str], typer.Option("--chart", metavar="KEY", help="--compare on a terminal: the outcome "
                                                 "the bar chart shows (default: the first with values).")] = None,
    notice_id: NoticeOpt = None,
    issuer: IssuerOpt = None,
    kind: KindOpt = None,
    year: YearOpt = None,
    round_: RoundOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Summary tables: the facts, discipline outcomes, money recovered, counts per section.

    With a library: --notice ID (or a library of one notice) for one notice's tables;
    --compare for one table across the selected notices (money in 元, exact totals), as a
    bar chart too on a terminal.

    Example: rectcli stats

    Example: rectcli stats --compare --sort cases_filed
    """
    from rectcli.errors import QueryError

    out = start("stats", as_json)
    filters = Filters(notice_id, issuer, kind, year, round_)
    if not compare:
        for name, value in (("--sort", sort_by), ("--csv", csv or None), ("--chart", chart)):
            if value is not None:
                raise QueryError(f"{name} goes with --compare")
    lib = library()
    if compare:
        _compare(out, lib, filters, sort_by=sort_by, csv=csv, chart=chart)
        return
    from rectcli.notice.stats import stats  # imported here: --compare needs neither it nor decimal

    if lib is None:
        from rectcli.output.render import render_stats

        doc = notice()
        filters.require(doc)
        render_stats(out, doc, stats(doc))
        return
    from rectcli.cli.app import one_notice
    from rectcli.output.render import render_library_stats

    row, doc = one_notice(lib, filters, "stats (without --compare)")
    render_library_stats(out, row, doc, stats(doc))


def _key(name: Optional[str], option: str, keys: list[str]) -> Optional[str]:
    """An outcome key given as a key or as its vocabulary name."""
    from rectcli.errors import QueryError
    from rectcli.output.data import outcome_names

    if name is None:
        return None
    names = outcome_names()
    if name in names:
        return name
    by_name = {v: k for k, v in names.items()}
    if name in by_name:
        return by_name[name]
    known = ", ".join(f"{k} ({names.get(k, k)})" for k in keys) or "none"
    raise QueryError(f"{option}: no outcome {name!r}; the selected notices have: {known}")


def _compare(out: object, lib: object, filters: Filters, *, sort_by: Optional[str], csv: bool,
             chart: Optional[str]) -> None:
    from rectcli.errors import QueryError
    from rectcli.output.render import render_compare

    if lib is None:  # one notice read: compared as a library of one notice
        import tempfile
        from pathlib import Path

        from rectcli.library import Library
        from rectcli.output.export import to_data

        with tempfile.TemporaryDirectory(prefix="rectcli-compare-") as folder:
            one = Library(Path(folder) / "one.sqlite")
            one.add(to_data(notice(), derived=False))
            _compare(out, one, filters, sort_by=sort_by, csv=csv, chart=chart)
        return
    table = lib.compare(**filters.kwargs())
    keys = [c.key for c in table.columns]
    sort_key = _key(sort_by, "--sort", keys)
    if sort_key is not None:
        from rectcli.library.compare import sorted_by

        table = sorted_by(table, sort_key)
    chart_key = _key(chart, "--chart", keys)
    if chart_key is not None and chart_key not in keys:
        raise QueryError(f"--chart: no notice selected reports {chart!r}")
    if chart_key is None:
        chart_key = next((c.key for c in table.columns if c.notices), None)
    render_compare(out, table, sort=sort_key, csv=csv, chart=chart_key)
