"""Atomic file writes: a failed write never damages the file that was there before."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

from dlplanner.domain.text import escape_line
from dlplanner.io.identity import FileIdentity, current_identity
from dlplanner.io.oslock import is_locked

if os.name == "posix":
    import fcntl


class SaveError(OSError):
    """A file could not be written; ``str()`` is one readable line."""

    def __init__(self, path: str | os.PathLike[str], reason: str):
        # A NUL, a line break or an escape sequence in the name would break the one line.
        self.path = escape_line(str(path))
        self.reason = reason
        super().__init__(f"Could not save {self.path}: {reason}")

    def __str__(self) -> str:
        """Return the one-line message."""
        return f"Could not save {self.path}: {self.reason}"


_NAME_MAX = 255
"""The longest file name, in bytes, most file systems accept (ext4, APFS, NTFS in UTF-16)."""

_TMP_EXTRA = len(".") + len(".") + 8 + len(".tmp")
"""What a temporary name adds around its stem: ``.<stem>.<8 random>.tmp``."""


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _name_max(directory: Path) -> int:
    try:
        return int(os.pathconf(directory, "PC_NAME_MAX"))
    except (AttributeError, OSError, ValueError):
        return _NAME_MAX


def _stem(name: str, limit: int) -> str:
    """``name``, shortened so that a temporary name made from it fits ``limit`` bytes."""
    budget = max(limit - _TMP_EXTRA, 1)
    while len(os.fsencode(name)) > budget:
        name = name[:-1]
    return name


def _fsync_dir(directory: Path) -> None:
    # Makes the rename itself durable; not possible on every platform.
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def backup_path(path: str | os.PathLike[str]) -> Path:
    """Where the previous version of ``path`` is kept: ``<name>.bak``."""
    p = Path(path)
    return p.with_name(p.name + ".bak")


class ConflictError(SaveError):
    """The file on disk is not the one that was opened or last saved: another program changed it."""


def atomic_write_bytes(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    backup: bool = False,
    expected: FileIdentity | None = None,
    check_expected: bool = False,
) -> FileIdentity:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    The temporary file is flushed and fsynced, then renamed over the target, so
    readers see either the old or the new file, never a half-written one. With
    ``backup`` the previous file is kept as ``<name>.bak``. On any failure the
    previous file is untouched, no temporary file is left behind, and
    :class:`SaveError` says why in one line.

    A symbolic link is followed: its target is written and the link stays. A target
    that is not a regular file (device, FIFO, socket) is never replaced, nor is a
    file whose permissions do not let this user write it; the owner, group and mode
    of a replaced file are kept. With ``check_expected``, the file must still be the
    version ``expected`` (None: it must not exist), else :class:`ConflictError`.
    Temporary files that earlier, interrupted saves of the same name left behind are
    removed after a successful save. Returns the identity of the written file.
    """
    target = Path(path)
    try:
        return _write(target, data, backup, expected, check_expected)
    except SaveError:
        raise
    except ValueError:  # os functions refuse a name with a NUL before asking the system
        raise SaveError(target, "the name contains a NUL character") from None
    except OSError as exc:
        raise SaveError(target, _reason(exc)) from None


def _may_write(st: os.stat_result) -> bool:
    """Whether the file's mode lets this user write it (root included: no silent override)."""
    if os.name != "posix":  # pragma: no cover - no Windows CI
        return bool(st.st_mode & stat.S_IWRITE)
    uid = os.geteuid()
    if uid == 0:
        # Root may write anything; a file nobody may write is still read-only on purpose.
        return bool(st.st_mode & 0o222)
    if st.st_uid == uid:
        return bool(st.st_mode & stat.S_IWUSR)
    if st.st_gid == os.getegid() or st.st_gid in os.getgroups():
        return bool(st.st_mode & stat.S_IWGRP)
    return bool(st.st_mode & stat.S_IWOTH)


def _check_target(target: Path) -> os.stat_result | None:
    """Return the existing target's status, refusing what must never be replaced."""
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return None
    if stat.S_ISDIR(st.st_mode):
        raise SaveError(target, "a folder with that name is in the way")
    if not stat.S_ISREG(st.st_mode):
        raise SaveError(
            target, "not a regular file (a device, FIFO or socket); it is never replaced"
        )
    if not _may_write(st):
        raise SaveError(target, "you do not have permission to change this file (it is read-only)")
    return st


def _write(
    target: Path,
    data: bytes,
    backup: bool,
    expected: FileIdentity | None,
    check_expected: bool,
) -> FileIdentity:
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise SaveError(target, "the folder does not exist")
    limit = _name_max(directory)
    if len(os.fsencode(target.name)) > limit:
        raise SaveError(target, f"the name is longer than the {limit} bytes the folder allows")
    if target.is_symlink():
        # Write the file the link points to; replacing the link would leave that file stale.
        target = Path(os.path.realpath(target))
        directory = target.parent
        limit = _name_max(directory)
    bak = backup_path(target)
    if backup and len(os.fsencode(bak.name)) > limit:
        # Refused on the first save too, so a name that cannot be saved twice is never used.
        raise SaveError(target, f"the name is too long to keep a backup ({bak.name}) beside it")
    st = _check_target(target)
    if backup and st is not None and (bak.is_dir() or (bak.exists() and not bak.is_file())):
        raise SaveError(target, f"{bak.name} is in the way of the backup (not a regular file)")
    if check_expected:
        now = current_identity(target, max(len(data), expected.size if expected else 0) + (1 << 20))
        if (now is None) != (st is None) or (now is not None and not now.same_content(expected)):
            raise ConflictError(
                target, "the file was changed by another program since it was opened"
            )
    leftovers: list[Path] = []
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{_stem(target.name, limit)}.", suffix=".tmp", dir=directory
        )
        tmp = Path(tmp_name)
        leftovers.append(tmp)
        with os.fdopen(fd, "wb") as fh:
            _lock(fh.fileno())  # held while writing: a lockable temporary file is stale
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
            _keep_owner_and_mode(fh.fileno(), target, st)
            written = FileIdentity.of(os.fstat(fh.fileno()), data)
            if backup and st is not None:
                bak_fd, bak_tmp_name = tempfile.mkstemp(
                    prefix=f".{_stem(bak.name, limit)}.", suffix=".tmp", dir=directory
                )
                leftovers.append(Path(bak_tmp_name))
                _lock(bak_fd)
                try:
                    shutil.copy2(target, bak_tmp_name)
                finally:
                    os.close(bak_fd)
                os.replace(bak_tmp_name, bak)
                leftovers.remove(Path(bak_tmp_name))
            os.replace(tmp, target)
            leftovers.remove(tmp)
    finally:
        for leftover in leftovers:
            with contextlib.suppress(OSError):
                leftover.unlink()
    _fsync_dir(directory)
    remove_stale_temporaries(target)
    return written


def _keep_owner_and_mode(fd: int, target: Path, st: os.stat_result | None) -> None:
    if st is None:
        with contextlib.suppress(OSError):
            os.fchmod(fd, 0o666 & ~_umask())
        return
    if os.name == "posix" and (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
        try:
            os.fchown(fd, st.st_uid, st.st_gid)
        except PermissionError:
            raise SaveError(
                target,
                "the file belongs to another user; saving would change its owner "
                "(use Save As to save a copy)",
            ) from None
    with contextlib.suppress(OSError):
        os.fchmod(fd, st.st_mode & 0o7777)


def _lock(fd: int) -> None:
    if os.name == "posix":
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Delete temporary files of ``target`` (and its ``.bak``) left by interrupted saves.

    Only names this module makes (``.<name>.<8 characters>.tmp``) are touched, and only
    when no live process holds the lock a writer keeps on its temporary file.
    """
    directory = target.parent if str(target.parent) else Path(".")
    limit = _name_max(directory)
    stems = {_stem(target.name, limit), _stem(backup_path(target).name, limit)}
    pattern = re.compile(
        "^\\.(" + "|".join(re.escape(s) for s in stems) + ")\\.[A-Za-z0-9_]{8}\\.tmp$"
    )
    removed = []
    try:
        names = [e.name for e in os.scandir(directory) if pattern.match(e.name)]
    except OSError:
        return []
    for name in names:
        path = directory / name
        if path.is_symlink() or not path.is_file() or is_locked(path):
            continue
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def atomic_write_text(
    path: str | os.PathLike[str], text: str, *, backup: bool = False
) -> FileIdentity:
    """Atomically write UTF-8 text (see :func:`atomic_write_bytes`)."""
    return atomic_write_bytes(path, text.encode("utf-8"), backup=backup)
