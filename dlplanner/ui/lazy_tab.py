"""A tab page that builds its real panel the first time it is shown (keeps start-up fast)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget


class _Holder(QWidget):
    """Holds one panel at the scroll area's size, but never below the panel's minimum.

    Without a layout of its own it hides the panel's height-for-width labels from the
    scroll area, which would otherwise keep the panel at its preferred height and scroll
    where its minimum fits.
    """

    def __init__(self, panel: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.panel = panel
        panel.setParent(self)

    def minimumSizeHint(self) -> QSize:
        """Return the panel's minimum."""
        return self.panel.minimumSizeHint().expandedTo(self.panel.minimumSize())

    def sizeHint(self) -> QSize:
        """Return the panel's minimum: any more room is given, not asked for."""
        return self.minimumSizeHint()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Give the panel all of the room."""
        super().resizeEvent(event)
        self.panel.setGeometry(self.rect())


class LazyTab(QWidget):
    """Holds a factory; the panel (and its imports, e.g. pyqtgraph) is made on first show.

    The panel sits in a scroll area: on a small screen (1024 × 640) it keeps its minimum
    size, readable, and scrolls, instead of forcing the window taller than the screen.
    """

    def __init__(self, factory: Callable[[QWidget], QWidget], parent: QWidget | None = None):
        super().__init__(parent)
        self._factory = factory
        self._panel: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        layout.addWidget(self.scroll_area)

    @property
    def panel(self) -> QWidget:
        """The real panel, made now if it was not yet."""
        if self._panel is None:
            self._panel = self._factory(self)
            self.scroll_area.setWidget(_Holder(self._panel))
            self._panel.show()
        return self._panel

    def showEvent(self, event: QShowEvent) -> None:
        """Build the panel when the tab is first shown."""
        _ = self.panel
        super().showEvent(event)
