"""Write an output file without wrecking what is there.

:func:`write_text` is what ``export -o FILE`` does, decided by what FILE is:

- **Nothing yet**: a new file, written to a temporary file in the same directory and renamed
  into place (never half-written), with the permissions an ordinary ``open()`` would give
  (``0666 & ~umask``), not mkstemp's 0600.
- **A regular file**: replaced the same way, the new file taking the old one's mode and, where
  the user may set them, its owner and group (root can; a user can keep a group they are in).
  A file the user may not write is refused, as the shell's ``>`` would refuse it, although a
  rename in a writable directory could replace it.
- **A regular file with other hard links** (``st_nlink > 1``): written in place (truncated
  and rewritten), so every name still shows the same file. This is the one case that is not
  atomic: the text is ready before the file is touched and free space is checked first, but a
  failure midway (a full quota, a crash) can leave it partly written. Renaming would keep it
  whole but silently split the links, which is worse for someone who linked the file on
  purpose; ``cp`` makes the same choice.
- **A symlink**: the file it points to (through any chain of links) is written as above,
  beside its real path; the link stays a link. A dangling link creates the file it names.
- **A character device or a FIFO** (``/dev/null``, a terminal, a named pipe): opened and
  written, never replaced. A FIFO waits for its reader, as the shell's ``>`` does.
- **``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/N``, ``/proc/self/fd/N``**: the descriptor
  already open is written, whatever it is (so ``-o /dev/stdout >> log`` appends).
- **A directory, a block device, a socket**: refused. Writing a notice over a disk is never
  what was meant.

Every failure is an :class:`~rectcli.errors.ImportFormatError` naming the target, and leaves
the target as it was (except as said for hard links); no temporary file is left behind.
"""

from __future__ import annotations

import os
import stat

from rectcli.errors import ImportFormatError

_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_NOCTTY = getattr(os, "O_NOCTTY", 0)


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two names are one file (``./x``, a symlink or a hard link to it count)."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def write_text(target: str, text: str) -> None:
    """Write ``text`` as UTF-8 to ``target`` (see the module docstring for what that means)."""
    data = text.encode("utf-8")
    try:
        _write(target, data)
    except OSError as e:
        raise ImportFormatError(f"cannot write {target}: {e.strerror or e}") from None


def _write(target: str, data: bytes) -> None:
    inherited = _standard_stream(target)
    if inherited is not None:
        _write_all(inherited, data)
        return
    try:
        st: os.stat_result | None = os.lstat(target)
    except FileNotFoundError:
        st = None
    path = target
    if st is not None and stat.S_ISLNK(st.st_mode):
        try:
            st = os.stat(target)  # what the link leads to
        except FileNotFoundError:
            st = None  # dangling: create the file it names
        if st is None or stat.S_ISREG(st.st_mode):
            path = os.path.realpath(target)
            real = _lstat(path)
            if real is not None and stat.S_ISLNK(real.st_mode):
                raise OSError(40, "Too many levels of symbolic links")  # a loop realpath gave up on
            if st is not None and (real is None or (real.st_dev, real.st_ino) != (st.st_dev, st.st_ino)):
                # a link realpath cannot name (/proc/self/fd/N of a deleted file): write through it
                _write_in_place(target, data, st)
                return
    if st is None:
        directory = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(directory):
            raise ImportFormatError(f"cannot write {target}: no directory {directory}")
        _replace(path, data, 0o666 & ~umask(), None)
    elif stat.S_ISDIR(st.st_mode):
        raise ImportFormatError(f"cannot write {target}: it is a directory")
    elif stat.S_ISREG(st.st_mode):
        if not os.access(path, os.W_OK):
            raise OSError(13, "Permission denied")  # as `>` would say; a rename would not ask
        if st.st_nlink > 1:
            _write_in_place(path, data, st)
        else:
            _replace(path, data, stat.S_IMODE(st.st_mode), st)
    elif stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
        _write_to_device(target, data, st)
    else:
        kind = "a block device" if stat.S_ISBLK(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode) \
            else "not a regular file"
        raise ImportFormatError(f"cannot write {target}: it is {kind}; refusing to write the notice to it")


def _standard_stream(target: str) -> int | None:
    """The descriptor ``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/N`` or ``/proc/self/fd/N``
    names. It is written as it is (so ``>> log`` still appends and a pipe stays a pipe):
    reopening it by name would start at offset 0, and renaming over it would replace
    whatever file the shell opened."""
    names = {"/dev/stdout": 1, "/dev/stderr": 2}
    if target in names:
        return names[target]
    for prefix in ("/dev/fd/", "/proc/self/fd/"):
        if target.startswith(prefix) and target[len(prefix):].isdigit() and target[len(prefix):].isascii():
            return int(target[len(prefix):])
    return None


def _lstat(path: str) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _replace(path: str, data: bytes, mode: int, old: os.stat_result | None) -> None:
    """A temporary file beside ``path``, with ``mode`` (and ``old``'s owner), renamed over it."""
    import tempfile

    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".rectcli-", suffix=".tmp", dir=directory)
    try:
        try:
            if hasattr(os, "fchown") and old is not None and (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
                _keep_owner(fd, old)
            if hasattr(os, "fchmod"):
                os.fchmod(fd, mode)  # after chown, which clears set-id bits
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _keep_owner(fd: int, old: os.stat_result) -> None:
    try:
        os.fchown(fd, old.st_uid, old.st_gid)
    except OSError:
        try:
            os.fchown(fd, -1, old.st_gid)  # a user may keep a group they belong to
        except OSError:
            pass  # the new file is the user's own, as any editor's would be


def _write_in_place(path: str, data: bytes, st: os.stat_result) -> None:
    """Truncate and rewrite the very file ``st`` describes (its links stay attached)."""
    fd = os.open(path, os.O_WRONLY | _O_NOCTTY | _O_CLOEXEC)
    try:
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino) or not stat.S_ISREG(now.st_mode):
            raise OSError(16, "the file changed while it was being written; try again")
        try:
            vfs = os.fstatvfs(fd)
            room = vfs.f_bavail * vfs.f_frsize + now.st_blocks * 512
        except (OSError, AttributeError):
            room = None
        if room is not None and room < len(data):
            raise OSError(28, "No space left on device")
        os.ftruncate(fd, 0)
        _write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_to_device(target: str, data: bytes, st: os.stat_result) -> None:
    """Open and write a character device or FIFO (no create, no truncate, no rename)."""
    fd = os.open(target, os.O_WRONLY | _O_NOCTTY | _O_CLOEXEC)
    try:
        now = os.fstat(fd)
        if stat.S_IFMT(now.st_mode) != stat.S_IFMT(st.st_mode) or not (
                stat.S_ISCHR(now.st_mode) or stat.S_ISFIFO(now.st_mode)):
            raise OSError(16, "the file changed while it was being written; try again")
        _write_all(fd, data)
    finally:
        os.close(fd)
