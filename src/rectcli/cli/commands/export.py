"""`rectcli export`: the whole notice in another format."""

from enum import Enum
from typing import Annotated, Optional

import typer

from rectcli.cli.app import app, command, data_path, notice, start
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
                                                  help="Write to FILE instead of stdout (atomically; a symlink, "
                                                       "device or FIFO is written through, never replaced).")] = None,
    bom: Annotated[bool, typer.Option("--bom", help="Start with a UTF-8 BOM (for spreadsheets opening csv).")] = False,
) -> None:
    """The whole notice: text re-composed in reading order; json/yaml with the extracted
    documents and figures (loadable again with --data); csv one row per measure; markdown.

    Example: rectcli export --format csv --bom -o notice.csv
    """
    from rectcli.output import export

    out = start("export")
    to_file = output is not None and output != "-"
    if to_file:
        from rectcli.output.safefile import same_file

        source = data_path()
        if same_file(output, source):
            raise ImportFormatError(f"refusing to write {output}: it is the notice file being read "
                                    f"({source}); choose another output file")
    compose = {Format.text: export.to_text, Format.json: export.to_json, Format.yaml: export.to_yaml,
               Format.csv: export.to_csv, Format.markdown: export.to_markdown}[fmt]
    text = ("\ufeff" if bom else "") + compose(notice())
    if to_file:
        from rectcli.output.safefile import write_text

        write_text(output, text)
    else:
        out.write(text)
