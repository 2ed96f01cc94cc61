"""`rectcli add SOURCE... [--replace]`: notices into the library, each in its own transaction."""

import os
from typing import Annotated, Any

import typer

from rectcli.cli.app import JsonOpt, app, command, current, library_path, start, writable_library
from rectcli.errors import ExitCode, ImportFormatError, RectcliError

NOTICE_FILES = (".yaml", ".yml", ".json")
PARALLEL_FROM = 8  # sources from which worker processes import them (a pool costs ~50 ms to start)


@app.command("add")
@command
def add_cmd(
    sources: Annotated[list[str], typer.Argument(metavar="SOURCE...", help="Published notice (text in any encoding, "
                                                  "saved web page, http(s):// URL, - for stdin) or notice file "
                                                  "(.yaml/.yml/.json, as `rectcli import` writes).")],
    replace: Annotated[bool, typer.Option("--replace", help="Store a notice already in the library again "
                                                            "(its data or origin changed).")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Add notices to the library, each in its own transaction.

    The library is --library, $RECTCLI_LIBRARY, or library.sqlite in the user data folder; the
    first add creates it, holding the bundled notice first. A published notice is
    imported as `rectcli import` does (and must validate); a notice file is loaded as --data
    would. Each notice is added in its own transaction: an interrupted add keeps every notice
    added before. The same text again changes nothing (unchanged). On stderr: a line per
    failure and `rectcli: added N, unchanged N, replaced N, failed N`; --json prints the same on
    stdout. Exit 0 when every source was added or unchanged, 1 when some failed, 2 when none
    could be added.

    Example: rectcli export -f text > notice.txt && rectcli --library notices.sqlite add notice.txt
    """
    from rectcli.library import LibraryError
    from rectcli.output.data import add_data, add_result_data
    from rectcli.output.render import render_add

    out = start("add", as_json)
    if sources.count("-") > 1:
        raise ImportFormatError("stdin (-) can be given once")
    path = library_path()
    lib = writable_library()
    created = None
    fresh = not path.exists() or path.stat().st_size == 0
    reports: list[dict[str, Any]] = []
    pending = iter(sources)
    with _progress(out, len(sources)) as advance:
        if fresh:  # the first source read creates the library, the bundled notice first
            for source in pending:
                try:
                    data = _read(source)
                    if current().library is None:  # the default place: make the user data folder
                        path.parent.mkdir(parents=True, exist_ok=True)
                    created = _add_bundled(lib)
                    reports.append(add_result_data(source, lib.add(data, origin=_origin(source), replace=replace)))
                    break
                except LibraryError:
                    raise  # the library file itself cannot be used: one line, exit 2
                except RectcliError as e:
                    reports.append({"source": source, "error": " ".join(str(e).split())})
                finally:
                    advance(source)
        rest = list(pending)  # (none when no source could be read into a new library: none is made)
        # many sources: worker processes import and prepare them while this one writes (stdin
        # is this process's to read)
        workers = 0 if len(rest) < PARALLEL_FROM or "-" in rest else min(3, (os.cpu_count() or 1) - 1)
        for source, result in zip(rest, lib.add_many(rest, read=_read_item, replace=replace, workers=workers)
                                  if rest else ()):
            if result.status == "failed":
                reports.append({"source": source, "error": result.error})
            else:
                reports.append(add_result_data(source, result))
            advance(source)
    render_add(out, add_data(str(path), created, reports))
    failed = sum(1 for r in reports if "error" in r)
    if failed == len(reports):
        raise typer.Exit(ExitCode.ERROR)
    if failed:
        raise typer.Exit(ExitCode.NO_MATCH)


def _add_bundled(lib: Any) -> str:
    from rectcli.notice.format import bundled_path, load_file
    from rectcli.output.export import to_data

    return lib.add(to_data(load_file(bundled_path()), derived=False), origin="bundled").id


def _origin(source: str) -> str:
    if source == "-" or "://" in source:
        return source
    return os.path.abspath(source)


def _read_item(source: str) -> tuple[dict[str, Any], str]:
    """A source as the library adds it: its data and where it came from (run by the workers)."""
    return _read(source), _origin(source)


def _read(source: str) -> dict[str, Any]:
    """Format-2 plain data of a source: a notice file loaded (and validated) as --data would, or
    a published notice imported as `rectcli import` does."""
    from rectcli.output.export import to_data

    if source != "-" and "://" not in source and source.lower().endswith(NOTICE_FILES) and os.path.isfile(source):
        from pathlib import Path

        from rectcli.notice.format import load_file

        return to_data(load_file(Path(source)), derived=False)
    from rectcli.ingest import import_checked

    _, notice = import_checked(source)
    return to_data(notice, derived=False)


class _progress:
    """A Rich progress bar on stderr when it is a terminal and there are several sources."""

    def __init__(self, out: Any, total: int) -> None:
        import sys

        from rectcli.output.render import Mode

        self.bar: Any = None
        if total > 1 and out.mode is not Mode.JSON and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                console=Console(stderr=True), transient=True)
            self.task = self.bar.add_task("adding", total=total)

    def __enter__(self) -> Any:
        if self.bar is None:
            return lambda source: None
        self.bar.start()
        return lambda source: self.bar.advance(self.task)

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.stop()
