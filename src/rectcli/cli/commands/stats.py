"""`rectcli stats`: the summary tables."""

from rectcli.cli.app import JsonOpt, app, command, notice, start
from rectcli.output.render import render_stats
from rectcli.notice.stats import stats


@app.command("stats")
@command
def stats_cmd(as_json: JsonOpt = False) -> None:
    """Summary tables: the facts, discipline outcomes, money recovered, counts per section.

    Example: rectcli stats
    """
    out = start("stats", as_json)
    doc = notice()
    render_stats(out, doc, stats(doc))
