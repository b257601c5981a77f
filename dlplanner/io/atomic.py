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
        self.path = str(path)
        self.reason = reason
        super().__init__(f"Could not save {self.path}: {reason}")

    def __str__(self) -> str:
        return f"Could not save {self.path}: {self.reason}"


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


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
    previous file is untouched and :class:`SaveError` says why in one line.
    """
    target = Path(path)
    if target.is_dir():
        raise SaveError(target, "a folder with that name is in the way")
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise SaveError(target, "the folder does not exist")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise SaveError(target, _reason(exc)) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(OSError):
            mode = target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_umask()
            os.chmod(tmp, mode)
        if target.exists():
            if backup:
                bak = backup_path(target)
                bak_tmp = bak.with_name(f".{bak.name}.tmp")
                shutil.copy2(target, bak_tmp)
                os.replace(bak_tmp, bak)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise SaveError(target, _reason(exc)) from None
    _fsync_dir(directory)


def atomic_write_text(path: str | os.PathLike[str], text: str, *, backup: bool = False) -> None:
    """Atomically write UTF-8 text (see :func:`atomic_write_bytes`)."""
    atomic_write_bytes(path, text.encode("utf-8"), backup=backup)
