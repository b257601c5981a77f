"""A tab page that builds its real panel the first time it is shown (keeps start-up fast)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget


class LazyTab(QWidget):
    """Holds a factory; the panel (and its imports, e.g. pyqtgraph) is made on first show."""

    def __init__(self, factory: Callable[[QWidget], QWidget], parent: QWidget | None = None):
        super().__init__(parent)
        self._factory = factory
        self._panel: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    @property
    def panel(self) -> QWidget:
        """The real panel, made now if it was not yet."""
        if self._panel is None:
            self._panel = self._factory(self)
            layout = self.layout()
            assert layout is not None
            layout.addWidget(self._panel)
        return self._panel

    def showEvent(self, event: QShowEvent) -> None:
        """Build the panel when the tab is first shown."""
        _ = self.panel
        super().showEvent(event)
