"""`rectcli remove ID`: take a notice out of the library."""

from typing import Annotated

import typer

from rectcli.cli.app import JsonOpt, app, command, library, start
from rectcli.errors import QueryError


@app.command("remove")
@command
def remove_cmd(
    ident: Annotated[str, typer.Argument(metavar="ID", help="The notice's id (4 or more of its hex digits, "
                                                            "as `rectcli notices` shows it).")],
    as_json: JsonOpt = False,
) -> None:
    """Remove one notice from the library, in one transaction.

    The bundled notice stays in every library and is refused (filter it out with --issuer or --notice instead).

    Example: rectcli export -f text | sed 's/宁波前湾/甬江/' > n.txt && rectcli --library l.sqlite add n.txt && rectcli --library l.sqlite remove $(rectcli --library l.sqlite notices --issuer 甬江 | tail -n 1 | cut -f1)
    """
    from rectcli.library.store import content_hash
    from rectcli.notice.format import bundled_path, load_file
    from rectcli.output.data import notice_ref_data

    out = start("remove", as_json)
    lib = library()
    if lib is None:
        from rectcli.cli.app import _single_reason

        raise QueryError(f"nothing to remove: {_single_reason()} (`rectcli add SOURCE` starts a library)")
    doc = lib.get(ident)  # an unknown or ambiguous id: the library's own message
    if content_hash(doc) == content_hash(load_file(bundled_path(), use_cache=True)):
        raise QueryError(f"{ident} is the bundled notice, which every library keeps; "
                         "leave it out of a listing with --issuer or --notice")
    removed = lib.remove(ident)
    if out.mode.value == "json":
        out.json({"library": str(lib.path), "removed": notice_ref_data(removed)})
        return
    out.note(f"removed {removed.id} ({removed.issuer or '单位不详'}, {removed.date or '日期不详'}) "
             f"from {lib.path}")
