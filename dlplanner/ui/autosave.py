"""Autosave of unsaved work every few seconds, and the offer to restore it after a crash."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from dlplanner.domain.build import Build
from dlplanner.domain.text import escape_line
from dlplanner.io.atomic import SaveError
from dlplanner.io.autosave import AutosaveSession, Orphan, scan
from dlplanner.io.yamlsafe import LoadError
from dlplanner.ui.document import BuildDocument
from dlplanner.ui.file_guard import choose

INTERVAL_MS = 5000
"""Autosave a dirty build at least this often."""
PAUSE_MS = 1500
"""…and this long after the last edit."""


class Autosaver(QObject):
    """Writes the document to the state folder while it has unsaved changes."""

    failed = Signal(str)
    """Autosave stopped working (one line: why); emitted once per new reason."""
    recovered = Signal()
    """Autosave works again after a failure."""

    def __init__(self, document: BuildDocument, directory: Path | None = None):
        super().__init__(document)
        self._doc = document
        self.session = AutosaveSession(directory)
        self.last_error: str | None = None
        self._periodic = QTimer(self)
        self._periodic.setInterval(INTERVAL_MS)
        self._periodic.timeout.connect(self.save_now)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(PAUSE_MS)
        self._pause.timeout.connect(self.save_now)
        document.build_changed.connect(self._on_build_changed)
        document.dirty_changed.connect(self._on_dirty_changed)
        self._periodic.start()

    def _on_build_changed(self, build: Build) -> None:
        self._pause.start()

    def _on_dirty_changed(self, dirty: bool) -> None:
        if not dirty:
            self.session.clear()

    def save_now(self) -> bool:
        """Write the autosave if the build has unsaved changes; never raises."""
        if not self._doc.dirty:
            return False
        try:
            self.session.write(self._doc.build, self._doc.target, self._doc.identity)
        except SaveError as exc:
            message = f"Autosave is not working: {exc}"
            if message != self.last_error:
                self.last_error = message
                self.failed.emit(message)
            return False
        if self.last_error is not None:
            self.last_error = None
            self.recovered.emit()
        return True

    def stop(self) -> None:
        """Stop and remove this session's autosave (a clean exit)."""
        self._periodic.stop()
        self._pause.stop()
        self.session.close()


def restore(document: BuildDocument, orphan: Orphan) -> str | None:
    """Apply the autosaved build as an unsaved edit of the file it belongs to.

    The work is restored into exactly the recorded file when that file is still the
    version the work was made on; when it is gone or was changed since, the work is
    restored as an untitled build and the returned sentence says so (else None).
    """
    build = orphan.load()
    base, path, identity, note = orphan.base()
    document.replace(base, path, identity)
    document.apply(build, "Restore unsaved changes")
    return note


def ask_recovery(parent: QWidget | None, orphan: Orphan, others: int) -> str:
    """Ask what to do with unsaved work: ``restore``, ``discard`` or ``later``."""
    when = f" from {orphan.saved_at.astimezone():%Y-%m-%d %H:%M}" if orphan.saved_at else ""
    where = f" (changes to {escape_line(str(orphan.original))})" if orphan.original else ""
    more = f" {others} older autosave(s) will be offered next time." if others else ""
    return choose(
        parent,
        "Restore unsaved work?",
        f"dlplanner did not close properly. Restore the unsaved build "
        f"“{escape_line(orphan.name)}”{when}{where}?",
        (
            ("restore", "&Restore", QMessageBox.ButtonRole.AcceptRole),
            ("discard", "&Discard", QMessageBox.ButtonRole.DestructiveRole),
            ("later", "Decide &Later", QMessageBox.ButtonRole.RejectRole),
        ),
        informative="Discard deletes the autosaved copy for good." + more,
        icon=QMessageBox.Icon.Question,
    )


def _tell(parent: QWidget | None, title: str, message: str) -> None:
    QMessageBox.information(parent, title, message)


def offer_recovery(
    parent: QWidget | None,
    document: BuildDocument,
    directory: Path | None = None,
    ask: Callable[[QWidget | None, Orphan, int], str] = ask_recovery,
    tell: Callable[[QWidget | None, str, str], None] = _tell,
) -> bool:
    """After a crash, offer to restore the newest unsaved build; True if restored.

    Records that cannot be used are reported on stderr, one line each, and skipped.
    """
    found = scan(directory)
    for line in found.skipped:
        print(f"dlplanner: warning: {line}", file=sys.stderr)
    if not found.orphans:
        return False
    newest = found.orphans[0]
    answer = ask(parent, newest, len(found.orphans) - 1)
    if answer == "restore":
        try:
            note = restore(document, newest)
        except LoadError as exc:
            tell(parent, "Could not restore", str(exc))
            return False
        newest.discard()
        if note:
            tell(parent, "Restored as an untitled build", note)
        return True
    if answer == "discard":
        newest.discard()
    return False
