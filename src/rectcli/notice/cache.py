"""A parsed copy of each notice file in the user's cache directory, so repeat runs skip YAML.

An entry is two lines of JSON (never pickle): a header with the source file's path, size,
mtime and BLAKE2b digest and the digest of the data line, then the parsed data. A stale,
corrupt or foreign entry is ignored and rewritten. Only data that passed validation is ever
written, so a matching entry is used without re-validating it; one that does not build into a
well-typed notice (a forged entry) is ignored too (see :func:`rectcli.notice.format.load_notice`).
Set ``RECTCLI_CACHE_DIR`` to move the cache, ``RECTCLI_NO_CACHE=1`` to turn it off.

The cache directory may be shared or hostile, so (POSIX; elsewhere there is no cache):

- **The directory** is used only if it is a real directory (not a symlink; the path leading
  to it may contain links), owned by the user, and not writable by group or others unless it
  has the sticky bit (as /tmp has). Otherwise rectcli runs without a cache, silently. It is
  opened once and every file in it is reached through that descriptor, so it cannot be
  swapped for another during a run.
- **Reading** opens an entry with ``O_NOFOLLOW | O_NONBLOCK``: a symlink is never followed and
  a FIFO never waits. Only a regular file owned by the user, not writable by others and at
  most :data:`MAX_ENTRY_BYTES` is read, and never more than that many bytes.
- **Writing** creates a temporary file under a random name with ``O_CREAT | O_EXCL |
  O_NOFOLLOW`` (mode 0600) and renames it over the entry, so whatever stood at the entry's
  name (a symlink, a FIFO, another user's file) is replaced, never written through. A failed
  write removes its temporary file.
- **Pruning**, on every write: entries whose source file no longer exists, and entries that
  are not a regular file of the user's, are removed; then the oldest entries go until at most
  :data:`MAX_ENTRIES` remain in at most :data:`MAX_TOTAL_BYTES`. Temporary files older than
  :data:`STALE_SECONDS` (left by a process that was killed) go too. Only names this module
  writes (``notice-<32 hex>.json``, ``.notice-<hex>.tmp``) are ever touched.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

FORMAT = 3  # 3: the header names the source file (for pruning)
MAX_ENTRY_BYTES = 16 * 1024 * 1024  # twice notice.format.MAX_BYTES: ample for any notice's JSON
MAX_ENTRIES = 16
MAX_TOTAL_BYTES = 64 * 1024 * 1024
STALE_SECONDS = 3600
_HEADER_BYTES = 64 * 1024  # a header is a path and a few numbers

_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_NOCTTY = getattr(os, "O_NOCTTY", 0)
_POSIX = bool(_O_NOFOLLOW and _O_DIRECTORY) and os.open in getattr(os, "supports_dir_fd", ())


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


def _trusted(st: os.stat_result) -> bool:
    """Ours, and no one else can put or swap files in it (unless the sticky bit stops them)."""
    return (stat.S_ISDIR(st.st_mode) and st.st_uid == os.geteuid()
            and (not st.st_mode & 0o022 or bool(st.st_mode & stat.S_ISVTX)))


def _open_dir(create: bool) -> int | None:
    """A descriptor of the cache directory if it may be used, else None."""
    directory = cache_dir()
    if directory is None or not _POSIX:
        return None
    if create:
        try:
            os.makedirs(directory, mode=0o700, exist_ok=True)
        except OSError:
            return None
    try:
        fd = os.open(directory, os.O_RDONLY | _O_DIRECTORY | _O_NOFOLLOW | _O_CLOEXEC)
    except OSError:  # missing, a symlink (ELOOP), not a directory, not ours to read
        return None
    try:
        if _trusted(os.fstat(fd)):
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def _entry_name(source: str) -> str:
    return f"notice-{digest(source.encode('utf-8', 'surrogateescape'))[:32]}.json"


def _is_entry_name(name: str) -> bool:
    hex_part = name[7:-5]
    return (name.startswith("notice-") and name.endswith(".json") and len(hex_part) == 32
            and all(c in "0123456789abcdef" for c in hex_part))


def _is_temp_name(name: str) -> bool:
    return name.startswith(".notice-") and name.endswith(".tmp")


def _read_entry(name: str, dir_fd: int, limit: int, whole: bool) -> bytes | None:
    """The bytes of a regular file of ours (all of it, or with ``whole=False`` at most
    ``limit`` bytes of its start); None for anything else, or a whole file over ``limit``."""
    try:
        fd = os.open(name, os.O_RDONLY | _O_NOFOLLOW | _O_NONBLOCK | _O_NOCTTY | _O_CLOEXEC, dir_fd=dir_fd)
    except OSError:  # missing, a symlink (ELOOP), unreadable
        return None
    try:
        st = os.fstat(fd)
        if (not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid() or st.st_mode & 0o022
                or (whole and st.st_size > limit)):
            return None
        chunks = []
        left = limit + 1 if whole else limit  # one byte more shows a file that grew past the limit
        want = min(left, st.st_size + 1)
        while left > 0:
            chunk = os.read(fd, max(1, min(left, want)))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
            want = 1 << 20
        data = b"".join(chunks)
        return None if whole and len(data) > limit else data
    except OSError:
        return None
    finally:
        os.close(fd)


def _stamp(st: os.stat_result, source_digest: str, version: str) -> dict[str, Any]:
    return {"format": FORMAT, "rectcli": version, "size": st.st_size, "mtime_ns": st.st_mtime_ns,
            "blake2b": source_digest}


def read(source: Path, st: os.stat_result, source_digest: str, version: str) -> Any | None:
    """The cached plain data for this exact file content, or None."""
    dir_fd = _open_dir(create=False)
    if dir_fd is None:
        return None
    try:
        name = str(source.resolve())
        raw = _read_entry(_entry_name(name), dir_fd, MAX_ENTRY_BYTES, whole=True)
        if raw is None:
            return None
        header_line, _, body = raw.partition(b"\n")
        header = loads(header_line.decode("utf-8"))
        if (not isinstance(header, dict) or header.get("stamp") != _stamp(st, source_digest, version)
                or header.get("source") != name or header.get("data_blake2b") != digest(body)):
            return None  # another file's, another version's, or damaged since it was written
        return loads(body.decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    finally:
        os.close(dir_fd)


def write(source: Path, st: os.stat_result, source_digest: str, version: str, data: Any) -> None:
    """Store the parsed data; any failure just means no cache next time."""
    if cache_dir() is None:
        return
    import json

    try:
        name = str(source.resolve())
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
        header = json.dumps({"stamp": _stamp(st, source_digest, version), "source": name,
                             "data_blake2b": digest(body)})
    except (OSError, TypeError, ValueError, RecursionError):
        return
    blob = header.encode("ascii") + b"\n" + body
    if len(blob) > MAX_ENTRY_BYTES:
        return  # it could never be read back
    dir_fd = _open_dir(create=True)
    if dir_fd is None:
        return
    try:
        entry = _entry_name(name)
        _prune(dir_fd, entry, len(blob))
        _replace(dir_fd, entry, blob)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def _replace(dir_fd: int, entry: str, blob: bytes) -> None:
    """Write ``blob`` to a new temporary file and rename it to ``entry``; on any failure the
    temporary file is removed."""
    for _ in range(100):
        tmp = f".notice-{os.urandom(8).hex()}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC, 0o600,
                         dir_fd=dir_fd)
            break
        except FileExistsError:
            continue
    else:
        raise FileExistsError("no free temporary name in the cache directory")
    try:
        try:
            view = memoryview(blob)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.replace(tmp, entry, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except BaseException:
        try:
            os.unlink(tmp, dir_fd=dir_fd)
        except OSError:
            pass
        raise


def _prune(dir_fd: int, entry: str, incoming: int) -> None:
    """Make room for an entry of ``incoming`` bytes named ``entry`` (see the module docstring)."""
    import time

    now = time.time()
    kept: list[tuple[int, str, int]] = []
    for name in os.listdir(dir_fd):
        try:
            if _is_temp_name(name):
                if now - os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mtime > STALE_SECONDS:
                    os.unlink(name, dir_fd=dir_fd)
                continue
            if not _is_entry_name(name) or name == entry:
                continue  # not ours; or about to be replaced
            st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
            start = _read_entry(name, dir_fd, _HEADER_BYTES, whole=False)
            if start is None or not _source_exists(start.partition(b"\n")[0]):
                os.unlink(name, dir_fd=dir_fd)  # a link, FIFO, foreign file, or its source is gone
                continue
            kept.append((st.st_mtime_ns, name, st.st_size))
        except OSError:
            continue  # gone meanwhile, or not ours to remove (sticky directory)
    kept.sort()
    count, total = len(kept) + 1, sum(size for _, _, size in kept) + incoming
    for _, name, size in kept:
        if count <= MAX_ENTRIES and total <= MAX_TOTAL_BYTES:
            break
        try:
            os.unlink(name, dir_fd=dir_fd)
        except OSError:
            continue
        count, total = count - 1, total - size


def _source_exists(header_line: bytes) -> bool:
    """Whether the file an entry was made from is still there (True when that cannot be told)."""
    try:
        header = loads(header_line.decode("utf-8"))
    except (ValueError, RecursionError):
        return False
    source = header.get("source") if isinstance(header, dict) else None
    if not isinstance(source, str):
        return False  # an older format's entry, or not an entry at all
    try:
        os.stat(source)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except (OSError, ValueError):
        return True
    return True
