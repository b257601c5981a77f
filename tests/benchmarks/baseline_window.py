"""The startup baseline: an empty PySide6 + pyqtgraph window that exits after its first paint.

It does what ``dlplanner --exit-on-ready`` does minus dlplanner itself: import
``PySide6.QtWidgets`` and ``pyqtgraph``, show a 1280×800 ``QMainWindow`` (the app's default size)
holding a pyqtgraph ``PlotWidget``, and exit 0 from a zero-time timer queued by the first paint
event. The paint watch is application-wide (any widget of the window) because the opaque
PlotWidget covers the whole main window, which then never receives a paint event of its own.

Run: ``QT_QPA_PLATFORM=offscreen python tests/benchmarks/baseline_window.py``.
"""

from __future__ import annotations

import sys

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget


class _FirstPaint(QObject):
    """Calls back once, after the first paint of the window or any widget in it."""

    def __init__(self, window: QWidget, callback: object):
        super().__init__()
        self._window = window
        self._callback = callback
        self._done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Watch for the first paint."""
        if (
            not self._done
            and event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and (watched is self._window or self._window.isAncestorOf(watched))
        ):
            self._done = True
            QTimer.singleShot(0, self._callback)  # type: ignore[arg-type]
        return False


def main() -> int:
    """Show the window; return the event loop's exit status."""
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(pg.PlotWidget())
    window.resize(1280, 800)
    window.show()
    watcher = _FirstPaint(window, lambda: app.exit(0))
    app.installEventFilter(watcher)
    window.update()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
