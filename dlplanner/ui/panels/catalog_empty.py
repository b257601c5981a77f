"""What the catalog browser shows in the table's place when no part is shown."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from dlplanner.report.browse import SHOW_ALL_HINT


class CatalogEmptyState(QWidget):
    """A headline, a line on why, and buttons to clear the search or show every part."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("No parts shown")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        heading = self.label.font()
        heading.setPointSizeF(heading.pointSizeF() * 1.15)
        heading.setBold(True)
        self.label.setFont(heading)
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.clear_button = QPushButton("&Clear search", self)
        self.clear_button.setToolTip("Empty the search field of this kind's tab")
        self.show_all_button = QPushButton("&Show parts that do not fit", self)
        self.show_all_button.setToolTip(SHOW_ALL_HINT)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.show_all_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.label)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)
        layout.addStretch(2)

    def show_state(self, headline: str, detail: str, *, clear: bool, show_all: bool) -> None:
        """Say ``headline`` and ``detail``; offer the buttons that would bring parts back."""
        self.label.setText(headline)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.clear_button.setVisible(clear)
        self.show_all_button.setVisible(show_all)
