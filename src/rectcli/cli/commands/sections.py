"""`rectcli sections`: the notice's structure."""

from typing import Annotated

import typer

from rectcli.cli.app import JsonOpt, NoticeOpt, app, command, library, notice, start
from rectcli.output.render import render_sections


@app.command("sections")
@command
def sections_cmd(
    depth: Annotated[int, typer.Option("--depth", "-d", min=1, max=9,
                                       help="How many levels: 1 sections only (一、), 2 with their "
                                            "subsections ((一)), and so on.")] = 9,
    notice_id: NoticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The notice's structure as it is written: every heading with its marker (一、 (一) 1. (1)
    一是), its id for `show` (2.1.3) and its length; headings as the notice words them.

    With a library, --notice ID names the notice (a library holding one notice needs none).

    Example: rectcli sections --depth 1
    """
    out = start("sections", as_json)
    lib = library()
    if lib is None:
        from rectcli.cli.app import Filters

        doc = notice()
        Filters(notice=notice_id).require(doc)
        render_sections(out, doc, depth)
        return
    from rectcli.cli.app import Filters, one_notice
    from rectcli.output.render import render_library_sections

    row, doc = one_notice(lib, Filters(notice=notice_id), "sections")
    render_library_sections(out, row, doc, depth)
