"""Autosave files for crash recovery, in the per-user state folder.

Each running app writes ``<session>.dlbuild.yaml`` (an ordinary build file) and
``<session>.meta.yaml`` (for which file, which version of it, when), and holds an OS
lock on ``<session>.lock`` for as long as it runs. A session whose lock is free was left
by a process that is gone, however it ended: its autosave is an *orphan* the next start
offers to restore. The record names the build's file by its absolute, resolved path and
identity, so unsaved work is restored into exactly that file, or as an untitled build
when the file is gone or was changed since. Records are read back through the hardened
reader with a small size limit and bounded fields; a damaged or foreign record is
skipped with one line and never stops the start.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dlplanner.domain.build import Build
from dlplanner.io import resources
from dlplanner.io.atomic import SaveError, atomic_write_bytes, remove_stale_temporaries
from dlplanner.io.buildfile import build_file_bytes, load_build, load_build_identified
from dlplanner.io.identity import FileIdentity, resolved
from dlplanner.io.oslock import HeldLock, is_locked
from dlplanner.io.yamlsafe import LoadError, dump_yaml, parse_yaml, read_identified

META_SUFFIX = ".meta.yaml"
BUILD_SUFFIX = ".dlbuild.yaml"
LOCK_SUFFIX = ".lock"
RECORD_FORMAT = "dlplanner-autosave"
RECORD_VERSION = 1
META_MAX_BYTES = 16 * 1024
"""A record is a few hundred bytes; a bigger one is damaged or foreign and is not read."""
MAX_PATH_CHARS = 4096
MAX_NAME_CHARS = 200
"""The longest build name (the build file's own limit)."""
_SESSION = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{8}$")
_RECORD_KEYS = {"format", "format_version", "original", "identity", "saved_at", "name"}


def autosave_dir() -> Path:
    """Where autosaves live: ``<user state folder>/autosave``."""
    return resources.user_state_dir() / "autosave"


@dataclass(frozen=True, slots=True)
class Orphan:
    """Unsaved work left by a session that did not end properly."""

    session: str
    build_path: Path
    meta_path: Path
    original: Path | None
    """The file the build was opened from or saved to (absolute, resolved), if any."""
    identity: FileIdentity | None
    """Which version of ``original`` the unsaved work was made on."""
    saved_at: dt.datetime | None
    """When (timezone-aware)."""
    name: str

    def load(self) -> Build:
        """Load the autosaved build (LoadError if it is damaged)."""
        return load_build(self.build_path)

    def base(self) -> tuple[Build, Path | None, FileIdentity | None, str | None]:
        """Return what to restore the work onto: a build, its file and version, and a note.

        That is the recorded file when it is still the version the work was made on. When
        it is gone or was changed since, it is an untitled build, and the note (else None)
        says why.
        """
        original = self.original
        if original is None:
            return Build(), None, None, None
        try:
            build, identity = load_build_identified(original)
        except LoadError as exc:
            note = f"{original} could not be opened ({exc.reason})"
        else:
            if self.identity is not None and identity.same_content(self.identity):
                return build, original, identity, None
            note = f"{original} was changed since the unsaved work was made"
        return (
            Build(),
            None,
            None,
            f"{note}; the work was restored as an untitled build (use Save As).",
        )

    def discard(self) -> None:
        """Delete the autosave files."""
        _remove_session(self.build_path.parent, self.session)


@dataclass(frozen=True, slots=True)
class Scan:
    """What the autosave folder holds: restorable orphans and records that were skipped."""

    orphans: list[Orphan] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """One line per record that could not be used, saying why."""


class AutosaveSession:
    """The autosave files of this process, and the lock that says it is alive."""

    def __init__(self, directory: Path | None = None):
        self.directory = directory or autosave_dir()
        self.session = f"{dt.datetime.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}"
        self.build_path = self.directory / f"{self.session}{BUILD_SUFFIX}"
        self.meta_path = self.directory / f"{self.session}{META_SUFFIX}"
        self.lock = HeldLock(self.directory / f"{self.session}{LOCK_SUFFIX}")

    def write(
        self, build: Build, original: Path | None, identity: FileIdentity | None = None
    ) -> None:
        """Write the build and its record (atomically; every failure raises SaveError)."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except (OSError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise SaveError(self.directory, f"cannot make the autosave folder: {reason}") from None
        if not self.lock.acquire(f"dlplanner pid {os.getpid()}"):
            why = self.lock.error or "another process holds this session's lock"
            raise SaveError(self.directory, f"cannot write in the autosave folder: {why}")
        atomic_write_bytes(self.build_path, build_file_bytes(build, self.build_path))
        record: dict[str, Any] = {
            "format": RECORD_FORMAT,
            "format_version": RECORD_VERSION,
            "original": str(resolved(original)) if original else None,
            "identity": identity.to_document() if identity and original else None,
            "saved_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            "name": build.name[:MAX_NAME_CHARS],
        }
        atomic_write_bytes(self.meta_path, dump_yaml(record).encode("utf-8"))

    def clear(self) -> None:
        """Remove this session's autosave (after a save); the lock stays held."""
        # The record first: a record whose build is gone would be skipped with a warning.
        for path in (self.meta_path, self.build_path):
            with contextlib.suppress(OSError):
                path.unlink()

    def close(self) -> None:
        """Remove the autosave and give the lock up (a clean exit)."""
        self.clear()
        self.lock.release(remove=True)


def _remove_session(folder: Path, session: str) -> None:
    for suffix in (BUILD_SUFFIX, META_SUFFIX):
        path = folder / f"{session}{suffix}"
        remove_stale_temporaries(path)
        with contextlib.suppress(OSError):
            path.unlink()
    lock = folder / f"{session}{LOCK_SUFFIX}"
    if not is_locked(lock):
        with contextlib.suppress(OSError):
            lock.unlink()


def _printable(text: str, limit: int = 80) -> str:
    shown = text if len(text) <= limit else text[:limit] + "…"
    return shown.encode("unicode_escape").decode("ascii")


def _parse_time(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        when = value
    elif isinstance(value, str) and len(value) <= 64:
        when = dt.datetime.fromisoformat(value)
    else:
        raise ValueError("saved_at is not a time")
    # A naive time (an older or hand-made record) is local time; compare them all aware.
    return when if when.tzinfo is not None else when.astimezone()


def read_record(meta_path: Path) -> Orphan:
    """Read one autosave record; ValueError (one line) if it is damaged, foreign or too big."""
    session = meta_path.name.removesuffix(META_SUFFIX)
    if not _SESSION.match(session):
        raise ValueError("not a name dlplanner gives its autosaves")
    raw, _ = read_identified(meta_path, max_bytes=META_MAX_BYTES)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None
    doc = parse_yaml(text, meta_path, max_depth=3, max_nodes=40)
    if not isinstance(doc, dict) or doc.get("format") != RECORD_FORMAT:
        raise ValueError("not a dlplanner autosave record")
    if doc.get("format_version") != RECORD_VERSION or set(doc) != _RECORD_KEYS:
        raise ValueError("an autosave record of another dlplanner version")
    original = doc["original"]
    if original is not None and (
        not isinstance(original, str)
        or not 0 < len(original) <= MAX_PATH_CHARS
        or not os.path.isabs(original)
        or "\x00" in original
    ):
        raise ValueError("the original file is not an absolute path of a sensible length")
    identity = None if doc["identity"] is None else FileIdentity.from_document(doc["identity"])
    name = doc["name"]
    if not isinstance(name, str) or len(name) > MAX_NAME_CHARS:
        raise ValueError("the build name is missing or too long")
    build_path = meta_path.with_name(f"{session}{BUILD_SUFFIX}")
    return Orphan(
        session,
        build_path,
        meta_path,
        Path(original) if original else None,
        identity,
        _parse_time(doc["saved_at"]),
        name,
    )


def _sweep_temporaries(folder: Path) -> None:
    """Remove temporary files that writes of dead sessions left (live writers hold a lock)."""
    try:
        sessions = {
            m.group(1)
            for p in folder.iterdir()
            if (m := re.match(r"^\.?(\d{8}-\d{6}-[0-9a-f]{8})\.", p.name))
        }
    except OSError:
        return
    for session in sessions:
        if not is_locked(folder / f"{session}{LOCK_SUFFIX}"):
            for suffix in (BUILD_SUFFIX, META_SUFFIX):
                remove_stale_temporaries(folder / f"{session}{suffix}")


def scan(directory: Path | None = None) -> Scan:
    """Autosaves whose process is gone (newest first), and a line per record skipped."""
    folder = directory or autosave_dir()
    result = Scan()
    try:
        metas = sorted(folder.glob(f"*{META_SUFFIX}")) if folder.is_dir() else []
    except OSError:
        return result
    _sweep_temporaries(folder)
    for meta_path in metas:
        session = meta_path.name.removesuffix(META_SUFFIX)
        if is_locked(folder / f"{session}{LOCK_SUFFIX}"):
            continue  # its process is running
        try:
            orphan = read_record(meta_path)
            if not orphan.build_path.is_file():
                raise ValueError("its build file is missing")
        except (LoadError, ValueError, OverflowError, OSError) as exc:
            reason = exc.reason if isinstance(exc, LoadError) else str(exc)
            result.skipped.append(
                f"skipped autosave {_printable(meta_path.name)}: {_printable(reason, 200)}"
            )
            continue
        result.orphans.append(orphan)
    result.orphans.sort(
        key=lambda o: o.saved_at or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True
    )
    return result


def find_orphans(directory: Path | None = None) -> list[Orphan]:
    """Autosaves whose process is gone, newest first; unusable records are left out."""
    return scan(directory).orphans
