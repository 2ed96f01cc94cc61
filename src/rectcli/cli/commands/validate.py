"""`rectcli validate [PATH]`: check a notice file and report every problem."""

from typing import Annotated, Optional

import typer

from rectcli.cli.app import JsonOpt, app, command, current, start
from rectcli.errors import ExitCode
from rectcli.output.render import render_validation


@app.command("validate")
@command
def validate_cmd(
    path: Annotated[Optional[str], typer.Argument(metavar="[PATH]", help="Notice file (default: --data, or the bundled notice).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Check a notice file (format 2, or format 1 of rectcli 1.x): schema, no control characters,
    dates real and as precise as they say, ids in tree order, outcome figures pointing at text
    that holds them, breakdowns that claim to be complete adding up, money in 元 exact,
    《》 balanced, errata and metadata found in the text.

    Exit 0 when clean, 1 when a check fails, 2 when the file cannot be read at all.

    Example: rectcli validate
    """
    from rectcli.notice.format import all_problems, parse_file, resolve_path

    out = start("validate", as_json)
    target = resolve_path(path or current().data)
    raw, lines = parse_file(target)
    problems = all_problems(raw, lines)
    render_validation(out, str(target), problems)
    if problems:
        raise typer.Exit(ExitCode.NO_MATCH)
