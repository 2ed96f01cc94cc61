"""`rectcli export`: the whole notice in another format; `--format sqlite`: a library file."""

from enum import Enum
from typing import Annotated, Any, Optional

import typer

from rectcli.cli.app import (
    Filters, IssuerOpt, KindOpt, NoticeOpt, RoundOpt, YearOpt, app, command, data_path, library, notice, start,
)
from rectcli.errors import ImportFormatError


class Format(str, Enum):
    text = "text"
    json = "json"
    yaml = "yaml"
    csv = "csv"
    markdown = "markdown"
    sqlite = "sqlite"


@app.command("export")
@command
def export_cmd(
    fmt: Annotated[Format, typer.Option("--format", "-f", help="text, json, yaml, csv, markdown, or sqlite "
                                                               "(a library file; needs -o).")] = Format.text,
    output: Annotated[Optional[str], typer.Option("--output", "-o", metavar="FILE",
                                                  help="Write to FILE instead of stdout (atomically; a symlink, "
                                                       "device or FIFO is written through, never replaced).")] = None,
    bom: Annotated[bool, typer.Option("--bom", help="Start with a UTF-8 BOM (for spreadsheets opening csv).")] = False,
    notice_id: NoticeOpt = None,
    issuer: IssuerOpt = None,
    kind: KindOpt = None,
    year: YearOpt = None,
    round_: RoundOpt = None,
) -> None:
    """The whole notice: text re-composed in reading order; json/yaml with the extracted
    documents and figures (loadable again with --data); csv one row per measure; markdown.

    --format sqlite -o FILE writes a standalone library file (SQLite; tables as the README
    documents them) holding the notices selected (--notice, --issuer, --kind, --year,
    --round; all of the library's by default, or the one notice read without a library),
    readable with sqlite3, sqlite-utils or Datasette and with --library FILE. With a library the
    other formats take one notice: --notice ID.

    Example: rectcli export --format csv --bom -o notice.csv

    Example: rectcli export --format sqlite -o notices.sqlite
    """
    from rectcli.output import export

    out = start("export")
    filters = Filters(notice_id, issuer, kind, year, round_)
    lib = library()
    single = notice() if lib is None else None  # the notice read without a library: loaded once
    if single is not None:
        filters.require(single)
    to_file = output is not None and output != "-"
    if fmt is Format.sqlite:
        if not to_file:
            raise ImportFormatError("--format sqlite writes a file: give -o FILE (a library is not sent to stdout)")
        assert output is not None
        _export_sqlite(out, lib, filters, output, single)
        return
    if lib is not None:
        from rectcli.cli.app import one_notice

        row, doc = one_notice(lib, filters, f"export --format {fmt.value}")
        source: Any = lib.path
    else:
        doc, source = single, data_path()
    if to_file:
        from rectcli.output.safefile import same_file

        if same_file(output, source):
            raise ImportFormatError(f"refusing to write {output}: it is the {'library' if lib else 'notice file'} "
                                    f"being read ({source}); choose another output file")
    compose = {Format.text: export.to_text, Format.json: export.to_json, Format.yaml: export.to_yaml,
               Format.csv: export.to_csv, Format.markdown: export.to_markdown}[fmt]
    text = ("\ufeff" if bom else "") + compose(doc)
    if to_file:
        from rectcli.output.safefile import write_text

        write_text(output, text)
    else:
        out.write(text)


def _export_sqlite(out: Any, lib: Any, filters: Filters, output: str, single: Any) -> None:
    """Build the new library beside FILE under a temporary name, then move it into place: FILE
    is either the whole new library or what it was before."""
    import os
    import sqlite3
    import tempfile

    from rectcli.library import Library, LibraryError
    from rectcli.output.export import to_data

    target = os.path.abspath(output)
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise ImportFormatError(f"cannot write {output}: folder {folder} does not exist")
    if os.path.lexists(target) and not os.path.isfile(target) or os.path.islink(target):
        raise ImportFormatError(f"refusing to write {output}: not a regular file (a library is replaced as a whole)")
    if lib is not None:
        from rectcli.output.safefile import same_file

        if os.path.exists(target) and same_file(target, lib.path):
            raise ImportFormatError(f"refusing to write {output}: it is the library being read; choose another file")
        if filters.notice is not None:
            from rectcli.cli.app import one_notice

            rows = [one_notice(lib, filters, "export")[0]]
        else:
            rows = lib.notices(**filters.kwargs(notice=False))
        items = ((lib.data(r.hash), r.origin) for r in rows)
    else:
        rows = [None]
        items = iter([(to_data(single, derived=False), str(data_path()))])
    if not rows:
        raise ImportFormatError("no notice in the library matches the filters; nothing exported "
                                "(`rectcli notices` lists them)")
    from rectcli.output.safefile import umask

    try:
        fd, tmp = tempfile.mkstemp(prefix=".rectcli-export-", suffix=".sqlite", dir=folder)
    except OSError as e:
        raise ImportFormatError(f"cannot write {output}: {e.strerror or e}") from None
    os.close(fd)
    try:
        for _ in Library(tmp).add_many(items):
            pass
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:  # one self-contained file: no -wal beside it, readable where nothing may be written
            conn.execute("PRAGMA journal_mode = DELETE")
        finally:
            conn.close()
        with open(tmp, "rb") as fh:  # on disk before it takes the name
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~umask())
        os.replace(tmp, target)
    except sqlite3.DatabaseError as e:
        raise LibraryError(f"cannot write the library {output}: {e}") from None
    except OSError as e:
        raise ImportFormatError(f"cannot write {output}: {e.strerror or e}") from None
    finally:
        for leftover in (tmp, tmp + "-wal", tmp + "-shm", tmp + "-journal"):
            if os.path.exists(leftover):
                os.unlink(leftover)
    out.note(f"exported {len(rows)} notice{'s' if len(rows) != 1 else ''} to {output}")
