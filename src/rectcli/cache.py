"""A parsed copy of each notice file in the user's cache directory, so repeat runs skip YAML.

An entry is plain JSON (never pickle) keyed by the source file's path, size, mtime and
SHA-256, with a checksum of its own data. A stale, corrupt or foreign entry is ignored and
rewritten; what an entry holds is
checked again like any notice data before it is used (see :func:`rectcli.loader.load_notice`).
Set ``RECTCLI_CACHE_DIR`` to move the cache, ``RECTCLI_NO_CACHE=1`` to turn it off.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

FORMAT = 1


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
    name = hashlib.sha256(str(source.resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return directory / f"notice-{name}.json"


def _stamp(st: os.stat_result, digest: str, version: str) -> dict[str, Any]:
    return {"format": FORMAT, "rectcli": version, "size": st.st_size, "mtime_ns": st.st_mtime_ns,
            "sha256": digest}


def read(source: Path, st: os.stat_result, digest: str, version: str) -> Any | None:
    """The cached plain data for this exact file content, or None."""
    entry = _entry(source)
    if entry is None:
        return None
    try:
        with open(entry, encoding="utf-8") as fh:
            stored = json.load(fh)
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(stored, dict) or stored.get("stamp") != _stamp(st, digest, version):
        return None
    data = stored.get("data")
    if stored.get("data_sha256") != _checksum(data):
        return None  # damaged since it was written
    return data


def _checksum(data: Any) -> str:
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def write(source: Path, st: os.stat_result, digest: str, version: str, data: Any) -> None:
    """Store the parsed data; any failure just means no cache next time."""
    entry = _entry(source)
    if entry is None:
        return
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump({"stamp": _stamp(st, digest, version), "data_sha256": _checksum(data), "data": data},
                      fh, ensure_ascii=False)
        os.replace(tmp, entry)
    except (OSError, TypeError, ValueError):
        pass
