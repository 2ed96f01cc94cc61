"""A parsed copy of each notice file in the user's cache directory, so repeat runs skip YAML.

An entry is two lines of JSON (never pickle): a header with the source file's path, size,
mtime and BLAKE2b digest and the digest of the data line, then the parsed data. A stale,
corrupt or foreign entry is ignored and rewritten. Only data that passed validation is ever
written, so a matching entry is used without re-validating it; one that does not build into a
notice (a forged entry) is ignored too (see :func:`rectcli.loader.load_notice`).
Set ``RECTCLI_CACHE_DIR`` to move the cache, ``RECTCLI_NO_CACHE=1`` to turn it off.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

FORMAT = 2


class _Decoding:
    """The settings json.loads passes to CPython's JSON scanner (json's defaults)."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int

    @staticmethod
    def parse_constant(name: str) -> float:
        return float(name)  # NaN, Infinity, -Infinity


def loads(text: str) -> Any:
    """``json.loads`` for a document without surrounding white space, as this module writes
    them, using the C scanner json itself uses. Importing json compiles six regular
    expressions (~1.5 ms, paid on every run); its C accelerator loads in 0.3 ms. Anything the
    scanner does not take whole goes to json.loads, which parses it or raises ValueError."""
    try:
        from _json import make_scanner

        value, end = make_scanner(_Decoding)(text, 0)
        if end == len(text):
            return value
    except (ImportError, StopIteration, SystemError):
        # no accelerator in this interpreter, or not JSON: the scanner reports errors through
        # json.decoder, which is not loaded; json itself raises its usual JSONDecodeError
        pass
    import json

    return json.loads(text)


def digest(data: bytes) -> str:
    """BLAKE2b-256 of ``data``: as strong as SHA-256, and its module loads in 0.2 ms where
    hashlib's OpenSSL binding takes ~3 ms, paid on every run."""
    try:
        from _blake2 import blake2b  # what hashlib itself uses for blake2b
    except ImportError:  # pragma: no cover - an interpreter built without it
        from hashlib import blake2b
    return blake2b(data, digest_size=32).hexdigest()


def cache_dir() -> Path | None:
    if os.environ.get("RECTCLI_NO_CACHE"):
        return None
    explicit = os.environ.get("RECTCLI_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "rectcli"


def _entry(source: Path) -> Path | None:
    directory = cache_dir()
    if directory is None:
        return None
    name = digest(str(source.resolve()).encode("utf-8", "surrogatepass"))[:32]
    return directory / f"notice-{name}.json"


def _stamp(st: os.stat_result, source_digest: str, version: str) -> dict[str, Any]:
    return {"format": FORMAT, "rectcli": version, "size": st.st_size, "mtime_ns": st.st_mtime_ns,
            "blake2b": source_digest}


def read(source: Path, st: os.stat_result, source_digest: str, version: str) -> Any | None:
    """The cached plain data for this exact file content, or None."""
    entry = _entry(source)
    if entry is None:
        return None
    try:
        with open(entry, "rb") as fh:
            header_line, _, body = fh.read().partition(b"\n")
        header = loads(header_line.decode("utf-8"))
        if (not isinstance(header, dict) or header.get("stamp") != _stamp(st, source_digest, version)
                or header.get("data_blake2b") != digest(body)):
            return None  # another file's, another version's, or damaged since it was written
        return loads(body.decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None


def write(source: Path, st: os.stat_result, source_digest: str, version: str, data: Any) -> None:
    """Store the parsed data; any failure just means no cache next time."""
    entry = _entry(source)
    if entry is None:
        return
    import json

    try:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
        header = json.dumps({"stamp": _stamp(st, source_digest, version), "data_blake2b": digest(body)})
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            fh.write(header.encode("ascii") + b"\n" + body)
        os.replace(tmp, entry)
    except (OSError, TypeError, ValueError):
        pass
