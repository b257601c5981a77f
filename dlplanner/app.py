"""The only place that wires things: QApplication, catalog, document, main window."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, QSize, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from dlplanner import __version__
from dlplanner.domain.build import Build
from dlplanner.io import resources
from dlplanner.io.buildfile import load_build
from dlplanner.io.catalog_files import CatalogLoad, load_catalog
from dlplanner.io.desktop_files import APP_ID
from dlplanner.io.yamlsafe import LoadError
from dlplanner.ui.autosave import Autosaver, offer_recovery
from dlplanner.ui.document import BuildDocument
from dlplanner.ui.main_window import MainWindow
from dlplanner.ui.theme import apply_theme


class _FirstPaint(QObject):
    """Calls back once, after the watched widget's first paint event."""

    def __init__(self, callback: Callable[[], object]):
        super().__init__()
        self._callback = callback
        self._done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Watch for the first paint."""
        if not self._done and event.type() == QEvent.Type.Paint:
            self._done = True
            QTimer.singleShot(0, self._callback)
        return False


def make_app(argv: list[str] | None = None) -> QApplication:
    """Return the QApplication, with the names that decide where settings live."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("dlplanner")
    app.setOrganizationName("dlplanner")
    app.setApplicationDisplayName("dlplanner")
    app.setApplicationVersion(__version__)
    # The window's icon and, on Wayland, the link to the installed .desktop entry.
    app.setDesktopFileName(APP_ID)
    icon = app_icon()
    if not icon.isNull():
        app.setWindowIcon(icon)
    return app


def app_icon() -> QIcon:
    """Return the application icon from its rendered PNG sizes (null if they are missing)."""
    icon = QIcon()
    for png in sorted((resources.icons_dir() / "hicolor").glob("*/apps/dlplanner.png")):
        side = int(png.parent.parent.name.partition("x")[0])
        icon.addFile(str(png), QSize(side, side))
    return icon


def initial_build(file: str | None, new: bool) -> tuple[Build, Path | None, str | None]:
    """Choose the build to start with: the file, an empty one, or the article's example.

    Returns the build, its path (None for an example or new build) and an error
    message if the requested file could not be opened.
    """
    if new:
        return Build(), None, None
    error = None
    if file:
        try:
            return load_build(file), Path(file), None
        except LoadError as exc:
            error = str(exc)
    examples = resources.example_builds()
    if examples:
        try:
            return load_build(examples[0]), None, error
        except LoadError as exc:  # a broken install: start empty, but say why
            error = error or str(exc)
    return Build(), None, error


class CatalogReadProgress:
    """A small window while large catalog files are parsed (once, after they change).

    A checked file comes from the cache in milliseconds; parsing a big one (a 12 MB user
    catalog takes about 2 s) happens only after it changes, and then the user sees why the
    start takes a moment.
    """

    MIN_BYTES = 1_000_000
    """Files smaller than this parse too fast to mention."""

    def __init__(self, min_bytes: int = MIN_BYTES):
        self.min_bytes = min_bytes
        self.dialog: QProgressDialog | None = None
        self.files: list[str] = []

    def __call__(self, path: Path, size: int) -> None:
        """Say which file is being read, if it is large."""
        if size < self.min_bytes:
            return
        self.files.append(path.name)
        if self.dialog is None:
            self.dialog = QProgressDialog()
            self.dialog.setWindowTitle("dlplanner")
            self.dialog.setCancelButton(None)
            self.dialog.setRange(0, 0)
            self.dialog.setMinimumDuration(0)
            self.dialog.setMinimumWidth(420)
        self.dialog.setLabelText(
            f"Checking the catalog file {path.name} ({size / 1e6:.1f} MB)…\n"
            "Only the first time after it changes; later starts read a checked copy."
        )
        self.dialog.show()
        # The parse that follows blocks the event loop: wait (briefly) until the window is
        # really on screen, then paint it now, or the user sees an empty frame.
        deadline = time.monotonic() + 0.3
        handle = self.dialog.windowHandle()
        while time.monotonic() < deadline and not (handle and handle.isExposed()):
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        self.dialog.repaint()
        QApplication.processEvents()

    def close(self) -> None:
        """Close the window, if it was shown."""
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None


def create_window(
    file: str | None = None,
    *,
    new: bool = False,
    settings: QSettings | None = None,
    progress: CatalogReadProgress | None = None,
) -> tuple[MainWindow, CatalogLoad, str | None]:
    """Load the catalog and a build, and create the main window (not shown yet)."""
    try:
        loaded = load_catalog(on_parse=progress)
    finally:
        if progress is not None:
            progress.close()
    build, path, error = initial_build(file, new)
    document = BuildDocument(loaded.catalog, build, path)
    window = MainWindow(document, settings or QSettings())
    window.autosaver = Autosaver(document)
    window.autosaver.failed.connect(window.show_autosave_problem)
    window.autosaver.recovered.connect(lambda: window.show_autosave_problem(""))
    if path is not None:
        window.add_recent(path)
    return window, loaded, error


def run_gui(
    file: str | None = None,
    *,
    exit_on_ready: bool = False,
    new: bool = False,
    new_instance: bool = False,
) -> int:
    """Start the desktop app, or hand ``file`` to a running one; return the exit status.

    ``exit_on_ready`` (a check) and ``new_instance`` always start a window of their own.
    """
    app = make_app()
    instance = None
    if not (exit_on_ready or new_instance):
        from dlplanner.ui import single_instance  # QtNetwork's local sockets: only here

        claim = single_instance.claim([Path(file)] if file and not new else [])
        if claim.answers:
            where = "already open in" if claim.answers[0] == "focused" else "opened in"
            print(f"{file}: {where} the running dlplanner")
            return 0
        instance = claim.server
    settings = QSettings()
    apply_theme(app, str(settings.value("theme", "system")))
    window, loaded, error = create_window(
        file, new=new, settings=settings, progress=CatalogReadProgress()
    )
    window.show()
    if instance is not None:
        instance.set_handler(lambda paths: single_instance.open_in_window(window, paths))
        app.aboutToQuit.connect(instance.close)
    if window.autosaver is not None:  # always set by create_window
        app.aboutToQuit.connect(window.autosaver.stop)
    if exit_on_ready:
        watcher = _FirstPaint(lambda: app.exit(0))
        window.installEventFilter(watcher)
        window.update()
        return app.exec()
    if error:
        QMessageBox.critical(window, "Could not open the build", error)
    offer_recovery(window, window.doc)
    if loaded.problems:
        QMessageBox.warning(
            window,
            "User catalog problems",
            "Some entries of your catalog folders were skipped:\n\n"
            + "\n".join(str(p) for p in loaded.problems[:20])
            + (f"\n… and {len(loaded.problems) - 20} more" if len(loaded.problems) > 20 else ""),
        )
    return app.exec()
