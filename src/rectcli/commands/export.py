"""`rectcli export`: the whole notice in another format."""

from enum import Enum
from typing import Annotated, Optional

import typer

from rectcli.cli import app, command, notice, start
from rectcli.errors import ImportFormatError


class Format(str, Enum):
    text = "text"
    json = "json"
    yaml = "yaml"
    csv = "csv"
    markdown = "markdown"


@app.command("export")
@command
def export_cmd(
    fmt: Annotated[Format, typer.Option("--format", "-f", help="text, json, yaml, csv or markdown.")] = Format.text,
    output: Annotated[Optional[str], typer.Option("--output", "-o", metavar="FILE",
                                                  help="Write to FILE (atomically) instead of stdout.")] = None,
    bom: Annotated[bool, typer.Option("--bom", help="Start with a UTF-8 BOM (for spreadsheets opening csv).")] = False,
) -> None:
    """The whole notice: text re-composed in reading order; json/yaml with the extracted
    documents and figures (loadable again with --data); csv one row per measure; markdown.

    Example: rectcli export --format csv --bom -o notice.csv
    """
    from rectcli import export

    out = start("export")
    compose = {Format.text: export.to_text, Format.json: export.to_json, Format.yaml: export.to_yaml,
               Format.csv: export.to_csv, Format.markdown: export.to_markdown}[fmt]
    text = ("\ufeff" if bom else "") + compose(notice())
    if output is None or output == "-":
        out.write(text)
    else:
        write_atomically(output, text)


def write_atomically(target: str, text: str) -> None:
    """Write to a temporary file beside ``target`` and rename it: never a half-written file."""
    import os
    import tempfile

    directory = os.path.dirname(os.path.abspath(target))
    if os.path.isdir(target):
        raise ImportFormatError(f"cannot write {target}: it is a directory")
    if not os.path.isdir(directory):
        raise ImportFormatError(f"cannot write {target}: no directory {directory}")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".rectcli-", dir=directory)
    except OSError as e:
        raise ImportFormatError(f"cannot write {target}: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise ImportFormatError(f"cannot write {target}: {e.strerror or e}") from None
        raise
