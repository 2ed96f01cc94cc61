"""rectcli: read inspection-rectification notices (巡视/巡察整改进展情况的通报) closely and fast.

The package is usable as a library; the command line lives in :mod:`rectcli.cli`. Nothing here
reads environment variables or writes caches::

    import rectcli

    from rectcli.search import search

    notice = rectcli.load()                          # the bundled notice (or rectcli.load("x.yaml"))
    for hit in search(notice, ["公车"]).hits:
        print(hit.passage.id, hit.passage.text)

    imported = rectcli.import_notice("page.html")    # any notice of the genre: text, page, URL
    print(imported.metadata.kind, [o.label for o in imported.outcomes])
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rectcli.notice.model import Notice

__version__ = "2.0.0"


def load(path: str | os.PathLike[str] | None = None) -> Notice:
    """The notice in the file ``path`` (format 2, or format 1 read as format 2), or the bundled
    notice; :class:`rectcli.errors.DataError` names every problem of a bad file."""
    from pathlib import Path

    from rectcli.notice.format import bundled_path, load_file

    return load_file(Path(path) if path is not None else bundled_path())


def import_notice(source: Any, *, name: str | None = None) -> Notice:
    """A published notice turned into the model: ``source`` is text, bytes, a path, ``-`` (stdin)
    or an http(s) URL. What the importer found and could not place:
    :func:`rectcli.ingest.import_notice` (``.findings``). Raises
    :class:`rectcli.errors.ImportFormatError` for a source that is not a notice of the genre."""
    from rectcli.ingest import import_notice as run
    from rectcli.notice.build import build

    imported = run(source, name=name)
    return build(imported.data, name or (imported.data["metadata"].get("source") or {}).get("name") or "")


def __getattr__(name: str) -> Any:
    if name == "Library":  # the library loads sqlite3 only when asked for
        from rectcli.library import Library

        return Library
    raise AttributeError(f"module 'rectcli' has no attribute {name!r}")


# (searching is rectcli.search.search: a function named `search` here would be shadowed by the
# rectcli.search module as soon as it is imported)
__all__ = ["Library", "__version__", "import_notice", "load"]
