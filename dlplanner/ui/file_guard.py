"""Other writers of the open build file: a file watcher, the shared lock and the questions.

Another program (a text editor, a sync client, a second dlplanner) may change the file
that is open here. The guard watches it (``QFileSystemWatcher``) and offers to reload when
its content changes, keeping unsaved edits unless the user chooses to reload; a save that
would overwrite such a change asks first (see :meth:`BuildDocument.save`). Two dlplanner
processes with the same file open warn each other through an OS lock on that file's
resolved path (the lock the kernel drops when a process dies).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from dlplanner.domain.text import escape_line
from dlplanner.io import resources
from dlplanner.io.identity import FileIdentity, current_identity
from dlplanner.io.oslock import HeldLock, lock_for_file
from dlplanner.io.yamlsafe import BUILD_MAX_BYTES, LoadError
from dlplanner.ui.document import BuildDocument

SETTLE_MS = 300
"""Wait this long after a change: editors and sync clients write in several steps."""

Choice = tuple[str, str, QMessageBox.ButtonRole]


def choose(
    parent: QWidget | None,
    title: str,
    text: str,
    choices: Sequence[Choice],
    *,
    informative: str = "",
    icon: QMessageBox.Icon = QMessageBox.Icon.Warning,
) -> str:
    """Ask a question with the given buttons; return the key of the one pressed (last: Esc).

    The first button is the default; ``informative`` is a second, smaller paragraph.
    """
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setText(text)
    if informative:
        box.setInformativeText(informative)
    buttons = {box.addButton(label, role): key for key, label, role in choices}
    box.setDefaultButton(next(iter(buttons)))
    box.exec()
    clicked = box.clickedButton()
    for button, key in buttons.items():
        if button is clicked:
            return key
    return choices[-1][0]


def lock_dir() -> Path:
    """Where the locks two dlplanner processes share live."""
    return resources.user_state_dir() / "locks"


class FileGuard(QObject):
    """Watches the document's file and holds the lock that tells other dlplanners it is open."""

    def __init__(self, parent: QWidget, document: BuildDocument, locks: Path | None = None):
        super().__init__(parent)
        self._parent = parent
        self._doc = document
        self.locks = locks or lock_dir()
        """The folder of the shared locks (the selftest points it at a temporary folder)."""
        self._lock: HeldLock | None = None
        self._declined: FileIdentity | None = None
        self._asking = False
        self.shared_with_other: bool = False
        """Whether another dlplanner process had the file open when it was opened here."""
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._on_file_changed)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.check_now)
        document.path_changed.connect(self._on_path_changed)
        document.saved.connect(self._rewatch)
        self._on_path_changed(document.path)

    # -- the lock --------------------------------------------------------------------------

    def _on_path_changed(self, _path: Path | None) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        self.shared_with_other = False
        self._declined = None
        target = self._doc.target
        if target is not None:
            self._lock = lock_for_file(self.locks, target)
            if not self._lock.acquire(str(target)):
                self._lock = None
                self.shared_with_other = True
                self.warn_shared(target)
        self._rewatch()

    def warn_shared(self, target: Path) -> None:
        """Say that another dlplanner window has this file open."""
        QMessageBox.warning(
            self._parent,
            "Open in another window",
            f"{escape_line(str(target))} is also open in another dlplanner window. "
            "Changes saved there will be noticed here before this window overwrites them, "
            "but editing in one window only is safer.",
        )

    def release(self) -> None:
        """Give up the lock (the window closes)."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    # -- the watcher -----------------------------------------------------------------------

    def _rewatch(self) -> None:
        # A save (ours or another program's) replaces the file: its new inode needs a new watch.
        watched = self.watcher.files()
        if watched:
            self.watcher.removePaths(watched)
        target = self._doc.target
        if target is not None and target.exists():
            self.watcher.addPath(str(target))

    def _on_file_changed(self, _path: str) -> None:
        self._settle.start()

    def check_now(self) -> str | None:
        """Compare the file with the version opened or saved here; offer to reload if changed.

        Returns what was done: ``"reload"``, ``"keep"`` or None (nothing changed, or the
        question for this version was answered already).
        """
        self._rewatch()
        target = self._doc.target
        if target is None or self._asking:
            return None
        now = current_identity(target, BUILD_MAX_BYTES)
        known = self._doc.identity
        if now is None or (known is not None and now.same_content(known)):
            return None
        if now.same_content(self._declined):
            return None
        self._asking = True
        try:
            answer = self.ask_reload(target)
        finally:
            self._asking = False
        if answer == "reload":
            self.reload()
        else:
            self._declined = now
        return answer

    def ask_reload(self, target: Path) -> str:
        """Ask whether to reload the changed file: ``"reload"`` or ``"keep"``."""
        lost = " Reloading discards the unsaved changes made here." if self._doc.dirty else ""
        return choose(
            self._parent,
            "File changed on disk",
            f"{escape_line(str(target))} was changed by another program. Reload it?{lost}",
            [
                ("keep", "&Keep my version", QMessageBox.ButtonRole.RejectRole),
                ("reload", "&Reload", QMessageBox.ButtonRole.DestructiveRole),
            ],
        )

    def ask_conflict(self, target: Path) -> str:
        """Ask what to do when saving would overwrite another program's change."""
        return choose(
            self._parent,
            "File changed on disk",
            f"{escape_line(str(target))} was changed by another program since it was opened "
            "here. Saving now would replace those changes.",
            [
                ("save_as", "Save &As…", QMessageBox.ButtonRole.AcceptRole),
                ("overwrite", "&Overwrite", QMessageBox.ButtonRole.DestructiveRole),
                ("reload", "&Reload theirs", QMessageBox.ButtonRole.DestructiveRole),
                ("cancel", "Cancel", QMessageBox.ButtonRole.RejectRole),
            ],
        )

    def reload(self) -> bool:
        """Open the file again as it is on disk (unsaved edits here are dropped)."""
        target = self._doc.target
        path = self._doc.path
        if target is None or path is None:
            return False
        try:
            self._doc.open(path)
        except LoadError as exc:
            QMessageBox.critical(self._parent, "Could not reload the build", str(exc))
            return False
        return True
