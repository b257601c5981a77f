"""Autosave files for crash recovery, in the per-user state folder.

Each running app writes ``<session>.dlbuild.yaml`` (an ordinary build file) and
``<session>.meta.yaml`` (which process wrote it, for which file, when). A session
whose process is gone left *orphans*: the next start offers to restore them. Both
files are written atomically and read back through the hardened reader.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from dlplanner.domain.build import Build
from dlplanner.io import resources
from dlplanner.io.atomic import atomic_write_bytes, atomic_write_text
from dlplanner.io.buildfile import build_file_bytes, load_build
from dlplanner.io.yamlsafe import LoadError, dump_yaml, load_mapping

META_SUFFIX = ".meta.yaml"
BUILD_SUFFIX = ".dlbuild.yaml"


def autosave_dir() -> Path:
    """Where autosaves live: ``<user state folder>/autosave``."""
    return resources.user_state_dir() / "autosave"


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - no Windows CI
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # type: ignore[attr-defined]
        if handle:
            ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]
            return True
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True, slots=True)
class Orphan:
    """Unsaved work left by a session that did not end properly."""

    session: str
    build_path: Path
    meta_path: Path
    original: Path | None
    """The file the build was opened from, if any."""
    saved_at: dt.datetime | None
    name: str

    def load(self) -> Build:
        """Load the autosaved build (LoadError if it is damaged)."""
        return load_build(self.build_path)

    def discard(self) -> None:
        """Delete the autosave files."""
        for path in (self.build_path, self.meta_path):
            path.unlink(missing_ok=True)


class AutosaveSession:
    """The autosave files of this process."""

    def __init__(self, directory: Path | None = None):
        self.directory = directory or autosave_dir()
        self.session = f"{dt.datetime.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}"
        self.build_path = self.directory / f"{self.session}{BUILD_SUFFIX}"
        self.meta_path = self.directory / f"{self.session}{META_SUFFIX}"

    def write(self, build: Build, original: Path | None) -> None:
        """Write the build and its meta data (atomically; errors raise SaveError)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(self.build_path, build_file_bytes(build, self.build_path))
        meta = {
            "pid": os.getpid(),
            "original": str(original) if original else None,
            "saved_at": dt.datetime.now().replace(microsecond=0).isoformat(),
            "name": build.name,
        }
        atomic_write_text(self.meta_path, dump_yaml(meta))

    def clear(self) -> None:
        """Remove this session's autosave (after a save or a clean exit)."""
        for path in (self.build_path, self.meta_path):
            path.unlink(missing_ok=True)


def find_orphans(directory: Path | None = None) -> list[Orphan]:
    """Autosaves whose process is gone, newest first; unreadable ones are skipped."""
    folder = directory or autosave_dir()
    if not folder.is_dir():
        return []
    orphans = []
    for meta_path in folder.glob(f"*{META_SUFFIX}"):
        session = meta_path.name.removesuffix(META_SUFFIX)
        build_path = folder / f"{session}{BUILD_SUFFIX}"
        try:
            meta = load_mapping(meta_path)
        except LoadError:
            continue
        pid = meta.get("pid")
        if not isinstance(pid, int) or _pid_alive(pid) or not build_path.is_file():
            continue
        original = meta.get("original")
        saved = meta.get("saved_at")
        saved_at = saved if isinstance(saved, dt.datetime) else None
        if isinstance(saved, str):
            try:
                saved_at = dt.datetime.fromisoformat(saved)
            except ValueError:
                saved_at = None
        orphans.append(
            Orphan(
                session,
                build_path,
                meta_path,
                Path(original) if isinstance(original, str) else None,
                saved_at,
                str(meta.get("name", "Untitled build")),
            )
        )
    orphans.sort(key=lambda o: o.saved_at or dt.datetime.min, reverse=True)
    return orphans
