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
    """Check a notice file: schema, ids unique and in order, section count, breakdown sums,
    outcome numbers present in their text, 《》 balanced, errata pointing at real text.

    Exit 0 when clean, 1 when a check fails, 2 when the file cannot be read at all.

    Example: rectcli validate
    """
    from rectcli.notice.checks_v1 import all_problems
    from rectcli.notice.format import load_schema, parse_file, resolve_path

    out = start("validate", as_json)
    target = resolve_path(path or current().data)
    raw, lines = parse_file(target)
    problems = all_problems(raw, lines, load_schema())
    render_validation(out, str(target), problems)
    if problems:
        raise typer.Exit(ExitCode.NO_MATCH)
