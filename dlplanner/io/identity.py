"""A file's identity: which file it is and which version of it (device, inode, size, time, hash).

Saving compares the identity of the file on disk with the one recorded when the build
was opened or last saved, so a change made by another program is noticed instead of
overwritten; recovery compares it to decide whether unsaved work still belongs to a file.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_MAX_INT = 2**64
"""Bound for every number of a recorded identity (they come back from autosave files)."""


@dataclass(frozen=True, slots=True)
class FileIdentity:
    """Which file, and which version of it."""

    device: int
    inode: int
    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, st: os.stat_result, data: bytes) -> FileIdentity:
        """Return the identity of a file with status ``st`` and content ``data``."""
        return cls(
            st.st_dev, st.st_ino, len(data), st.st_mtime_ns, hashlib.sha256(data).hexdigest()
        )

    def same_content(self, other: FileIdentity | None) -> bool:
        """Whether ``other`` has the same bytes (its metadata may differ: touched, copied)."""
        return other is not None and (self.size, self.sha256) == (other.size, other.sha256)

    def to_document(self) -> dict[str, Any]:
        """Return a plain mapping for an autosave record."""
        return {
            "device": self.device,
            "inode": self.inode,
            "size": self.size,
            "mtime_ns": self.mtime_ns,
            "sha256": self.sha256,
        }

    @classmethod
    def from_document(cls, doc: Any) -> FileIdentity:
        """Read a recorded identity back; ValueError if any field is missing or out of range."""
        if not isinstance(doc, dict) or set(doc) != {
            "device",
            "inode",
            "size",
            "mtime_ns",
            "sha256",
        }:
            raise ValueError("the file identity is not a mapping of the five expected keys")
        numbers = [doc["device"], doc["inode"], doc["size"], doc["mtime_ns"]]
        for n in numbers:
            if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n < _MAX_INT:
                raise ValueError("a number of the file identity is out of range")
        digest = doc["sha256"]
        if not isinstance(digest, str) or len(digest) != 64:
            raise ValueError("the file identity's hash is not a SHA-256")
        try:
            int(digest, 16)
        except ValueError:
            raise ValueError("the file identity's hash is not a SHA-256") from None
        return cls(numbers[0], numbers[1], numbers[2], numbers[3], digest.lower())


def resolved(path: str | os.PathLike[str]) -> Path:
    """Return the absolute path with every symbolic link resolved."""
    return Path(os.path.realpath(os.path.abspath(path)))


def current_identity(path: Path, max_bytes: int) -> FileIdentity | None:
    """Return the identity of the regular file at ``path`` now (None: missing, unreadable)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError):
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > max_bytes:
            return None
        chunks = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > max_bytes:
            return None
        return FileIdentity.of(st, b"".join(chunks))
    except OSError:
        return None
    finally:
        os.close(fd)
