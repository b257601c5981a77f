"""Locks the operating system holds for a process: they vanish when the process dies.

A process ID cannot tell whether the writer of an autosave is still running (inside a
PID namespace — Flatpak, Docker, bubblewrap — the same ID is reused by the next start),
but an OS file lock can: the kernel drops it with the process, however it ended. The
same lock tells two dlplanner windows that they have the same build file open.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from pathlib import Path

if sys.platform == "win32":  # pragma: no cover - no Windows CI
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True


class HeldLock:
    """An exclusive lock on ``path``, held by this process until :meth:`release` or exit.

    Locks are per open file: a second :class:`HeldLock` on the same path in the same
    process is refused just like one in another process.
    """

    def __init__(self, path: Path):
        self.path = path
        self._fd: int | None = None
        self.error: str | None = None
        """Why the last :meth:`acquire` could not even try (the folder is read-only…)."""

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._fd is not None

    def acquire(self, note: str = "") -> bool:
        """Take the lock if nobody holds it; ``note`` (who holds it) is written into the file."""
        if self._fd is not None:
            return True
        self.error = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
        except OSError as exc:
            self.error = exc.strerror or str(exc)
            return False
        except ValueError as exc:
            self.error = str(exc)
            return False
        if not _try_lock(fd):
            os.close(fd)
            return False
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.write(fd, note.encode("utf-8", "replace")[:1000])
        self._fd = fd
        return True

    def release(self, *, remove: bool = False) -> None:
        """Give the lock up (and delete its file with ``remove``)."""
        if self._fd is None:
            return
        if remove:
            with contextlib.suppress(OSError):
                self.path.unlink()
        os.close(self._fd)
        self._fd = None


def is_locked(path: Path) -> bool:
    """Whether some live process (this one included) holds the lock on ``path``.

    A missing lock file is not held. Checking takes the lock for an instant.
    """
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError):
        return False
    try:
        return not _try_lock(fd)
    finally:
        os.close(fd)  # closing drops the lock taken for the check


def lock_for_file(lock_dir: Path, target: Path) -> HeldLock:
    """Return the lock two dlplanner processes share for one (resolved) build file."""
    digest = hashlib.sha256(os.fsencode(str(target))).hexdigest()[:32]
    return HeldLock(lock_dir / f"{digest}.lock")
