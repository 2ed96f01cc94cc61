"""`rectcli show ID`: one section, measure or paragraph in full."""

from typing import Annotated

import typer

from rectcli.cli.app import JsonOpt, NoticeOpt, app, command, complete_id, library, notice, start
from rectcli.notice.query import resolve
from rectcli.output.render import render_show


@app.command("show")
@command
def show_cmd(
    ident: Annotated[str, typer.Argument(metavar="ID", autocompletion=complete_id, help="6.4, 6, '六(四)', 六（四）, opening.2 … (quote 六(四) in a shell: bash reads ( ) itself); in a library NOTICE:ID, e.g. 4453b2c2:6.4")],
    notice_id: NoticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show one section or measure in full, with any suspected extraction errors noted.

    With a library, name the notice too: NOTICE:ID (its id from `rectcli notices`), or
    --notice NOTICE; a library holding one notice needs neither.

    Example: rectcli show '六(四)'

    Example: rectcli show 4453b2c2:6.4
    """
    out = start("show", as_json)
    lib = library()
    if lib is None:
        from rectcli.cli.app import Filters

        doc = notice()
        which, sep, rest = ident.partition(":")
        if sep and _is_id(which):  # NOTICE:ID of the one notice read
            if notice_id is not None and not _same(which, notice_id):
                from rectcli.errors import QueryError

                raise QueryError(f"{ident} names notice {which} and --notice names {notice_id}; give one")
            notice_id, ident = which.strip(), rest
        Filters(notice=notice_id).require(doc)
        render_show(out, doc, resolve(doc, ident))
        return
    from rectcli.cli.app import Filters, one_notice
    from rectcli.output.render import render_library_show

    which, sep, rest = ident.partition(":")
    if sep and _is_id(which):
        if notice_id is not None and not _same(which, notice_id):
            from rectcli.errors import QueryError

            raise QueryError(f"{ident} names notice {which} and --notice names {notice_id}; give one")
        notice_id, ident = which.strip(), rest
    row, doc = one_notice(lib, Filters(notice=notice_id), f"show {ident}",
                          f"name one: `rectcli show NOTICE:{ident}` (e.g. {{first}}:{ident}) or --notice ID")
    render_library_show(out, row, doc, resolve(doc, ident))


def _is_id(text: str) -> bool:
    """A notice id: 4 or more hex digits (section ids never are: 6.4, 六(四), opening.2)."""
    text = text.strip()
    return len(text) >= 4 and all(c in "0123456789abcdefABCDEF" for c in text)


def _same(a: str, b: str) -> bool:
    a, b = a.strip().lower(), b.strip().lower()
    return a.startswith(b) or b.startswith(a)
