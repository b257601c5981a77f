"""Autosave of unsaved work every few seconds, and the offer to restore it after a crash."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from dlplanner.domain.build import Build
from dlplanner.io.atomic import SaveError
from dlplanner.io.autosave import AutosaveSession, Orphan, find_orphans
from dlplanner.io.buildfile import load_build
from dlplanner.io.yamlsafe import LoadError
from dlplanner.ui.document import BuildDocument

INTERVAL_MS = 5000
"""Autosave a dirty build at least this often."""
PAUSE_MS = 1500
"""…and this long after the last edit."""


class Autosaver(QObject):
    """Writes the document to the state folder while it has unsaved changes."""

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
            self.session.write(self._doc.build, self._doc.path)
        except SaveError as exc:
            self.last_error = str(exc)
            return False
        self.last_error = None
        return True

    def stop(self) -> None:
        """Stop and remove this session's autosave (a clean exit)."""
        self._periodic.stop()
        self._pause.stop()
        self.session.clear()


def restore(document: BuildDocument, orphan: Orphan) -> None:
    """Open the orphan's original file (if any) and apply the autosaved build as an unsaved edit."""
    build = orphan.load()
    base = Build()
    path = orphan.original if orphan.original and orphan.original.is_file() else None
    if path is not None:
        try:
            base = load_build(path)
        except LoadError:
            path = None
    document.replace(base, path)
    document.apply(build, "Restore unsaved changes")


def ask_recovery(parent: QWidget | None, orphan: Orphan, others: int) -> str:
    """Ask what to do with unsaved work: ``restore``, ``discard`` or ``later``."""
    when = f" from {orphan.saved_at:%Y-%m-%d %H:%M}" if orphan.saved_at else ""
    where = f" (changes to {orphan.original.name})" if orphan.original else ""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Restore unsaved work?")
    box.setText(
        f"dlplanner did not close properly. Restore the unsaved build “{orphan.name}”{when}{where}?"
    )
    more = f" {others} older autosave(s) will be offered next time." if others else ""
    box.setInformativeText("Discard deletes the autosaved copy for good." + more)
    restore_button = box.addButton("&Restore", QMessageBox.ButtonRole.AcceptRole)
    discard_button = box.addButton("&Discard", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("Decide &Later", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore_button)
    box.exec()
    clicked = box.clickedButton()
    if clicked is restore_button:
        return "restore"
    return "discard" if clicked is discard_button else "later"


def offer_recovery(
    parent: QWidget | None,
    document: BuildDocument,
    directory: Path | None = None,
    ask: Callable[[QWidget | None, Orphan, int], str] = ask_recovery,
) -> bool:
    """After a crash, offer to restore the newest unsaved build; True if restored."""
    orphans = find_orphans(directory)
    if not orphans:
        return False
    newest = orphans[0]
    answer = ask(parent, newest, len(orphans) - 1)
    if answer == "restore":
        try:
            restore(document, newest)
        except LoadError as exc:
            QMessageBox.critical(parent, "Could not restore", str(exc))
            return False
        newest.discard()
        return True
    if answer == "discard":
        newest.discard()
    return False
