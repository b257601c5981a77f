"""Atomic file writes: a failed write never damages the file that was there before."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path


class SaveError(OSError):
    """A file could not be written; ``str()`` is one readable line."""

    def __init__(self, path: str | os.PathLike[str], reason: str):
        # A NUL or a line break in the name would break the one-line message.
        self.path = str(path).replace("\x00", "\\0").replace("\n", "\\n")
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


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, *, backup: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    The temporary file is flushed and fsynced, then renamed over the target, so
    readers see either the old or the new file, never a half-written one. With
    ``backup`` the previous file is kept as ``<name>.bak``. On any failure the
    previous file is untouched, no temporary file is left behind, and
    :class:`SaveError` says why in one line.
    """
    target = Path(path)
    try:
        _write(target, data, backup)
    except SaveError:
        raise
    except ValueError:  # os functions refuse a name with a NUL before asking the system
        raise SaveError(target, "the name contains a NUL character") from None
    except OSError as exc:
        raise SaveError(target, _reason(exc)) from None


def _write(target: Path, data: bytes, backup: bool) -> None:
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise SaveError(target, "the folder does not exist")
    limit = _name_max(directory)
    if len(os.fsencode(target.name)) > limit:
        raise SaveError(target, f"the name is longer than the {limit} bytes the folder allows")
    bak = backup_path(target)
    if backup and len(os.fsencode(bak.name)) > limit:
        # Refused on the first save too, so a name that cannot be saved twice is never used.
        raise SaveError(target, f"the name is too long to keep a backup ({bak.name}) beside it")
    if target.is_dir():
        raise SaveError(target, "a folder with that name is in the way")
    leftovers: list[Path] = []
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{_stem(target.name, limit)}.", suffix=".tmp", dir=directory
        )
        tmp = Path(tmp_name)
        leftovers.append(tmp)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(OSError):
            mode = target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_umask()
            os.chmod(tmp, mode)
        if backup and target.exists():
            bak_fd, bak_tmp_name = tempfile.mkstemp(
                prefix=f".{_stem(bak.name, limit)}.", suffix=".tmp", dir=directory
            )
            os.close(bak_fd)
            bak_tmp = Path(bak_tmp_name)
            leftovers.append(bak_tmp)
            shutil.copy2(target, bak_tmp)
            os.replace(bak_tmp, bak)
            leftovers.remove(bak_tmp)
        os.replace(tmp, target)
        leftovers.remove(tmp)
    finally:
        for leftover in leftovers:
            with contextlib.suppress(OSError):
                leftover.unlink()
    _fsync_dir(directory)


def atomic_write_text(path: str | os.PathLike[str], text: str, *, backup: bool = False) -> None:
    """Atomically write UTF-8 text (see :func:`atomic_write_bytes`)."""
    atomic_write_bytes(path, text.encode("utf-8"), backup=backup)
