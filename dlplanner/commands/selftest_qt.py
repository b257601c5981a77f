"""Qt helpers for the selftest's steps: private autosaves, waiting for a paint, quiet notices."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any


def private_autosaves(window: Any, directory: Path) -> None:
    """Send the window's autosaves and file locks to ``directory``, not the user's state folder."""
    guard = getattr(window, "file_guard", None)
    if guard is not None:
        guard.locks = directory / "locks"
    autosaver = getattr(window, "autosaver", None)
    if autosaver is None:
        return
    from dlplanner.io.autosave import AutosaveSession

    autosaver.session = AutosaveSession(directory)


def wait_for_paint(widget: Any, timeout_s: float) -> bool:
    """Process events until ``widget`` has been painted once; False on timeout."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    class _Watcher(QObject):
        painted = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.painted = True
            return False

    watcher = _Watcher()
    widget.installEventFilter(watcher)
    try:
        widget.update()
        deadline = time.monotonic() + timeout_s
        while not watcher.painted and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.001)
        return watcher.painted
    finally:
        widget.removeEventFilter(watcher)


QUIET_MESSAGES = ("This plugin does not support propagateSizeHints",)
"""Qt notices that say nothing about the app: the offscreen platform cannot size windows."""


def quiet_offscreen_notices() -> None:
    """Drop Qt's known offscreen notices; pass every other Qt message on to stderr."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode: object, _context: object, message: str) -> None:
        if not message.startswith(QUIET_MESSAGES):
            print(message, file=sys.stderr, flush=True)

    qInstallMessageHandler(handler)
