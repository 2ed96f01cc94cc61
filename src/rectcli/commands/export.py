"""`rectcli export`: the whole notice in another format."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from rectcli.cli import app, command, notice, start


class Format(str, Enum):
    text = "text"


@app.command("export")
@command
def export_cmd(
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
) -> None:
    """The whole notice re-composed from the data, in reading order.

    Example: rectcli export --format text
    """
    from rectcli.export import to_text

    out = start("export")
    out.write(to_text(notice()))
