"""File > Import PCPartPicker List…: paste or open a list, see each line's match, open it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from dlplanner.domain.catalog import Catalog
from dlplanner.domain.list_match import ListImport, import_part_list
from dlplanner.domain.part_list import parse_part_list
from dlplanner.report.imports import list_preview

Reader = Callable[[str], str]
"""Reads a list file's text (bounded, UTF-8); raises ValueError or OSError with one line."""


class ImportListDialog(QDialog):
    """Paste (or open) a PCPartPicker export and preview what each line becomes.

    Matched lines show their catalog part and score, the others the reason and "did you
    mean" candidates; they travel into the build's notes. *Open as New Build* accepts.
    """

    def __init__(self, catalog: Catalog, read: Reader, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Import PCPartPicker List")
        self._catalog = catalog
        self._read = read
        self.result_import: ListImport | None = None

        self.source = QPlainTextEdit(self)
        self.source.setPlaceholderText(
            "Paste a PCPartPicker list here: on the list's page use Markdown or Text "
            "export, copy, and paste (rows like '**CPU** | [AMD Ryzen 9 7950X …](…) | "
            "$549.00 @ Amazon' or 'CPU: AMD Ryzen 9 7950X … ($549.00 @ Amazon)')."
        )
        self.preview = QPlainTextEdit(self)
        self.preview.setReadOnly(True)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.preview.setFont(fixed)
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        open_button = QPushButton("&Open File…", self)
        open_button.clicked.connect(self._open)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Open as &New Build")
        self.ok_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(QLabel("PCPartPicker list (Markdown or text export):", self), 1)
        top.addWidget(open_button)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.source)
        split.addWidget(self.preview)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        note = QLabel(
            "Listed US-dollar prices become your prices, dated by the list. Lines that match "
            "no catalog part, or several, are kept in the build's notes.",
            self,
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.resize(820, 600)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.refresh)
        self.source.textChanged.connect(self._timer.start)

    def _open(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Open a PCPartPicker list", str(Path.home()), "Lists (*.md *.txt);;All files (*)"
        )
        if not name:
            return
        try:
            text = self._read(name)
        except (ValueError, OSError) as exc:
            self.preview.setPlainText(f"Cannot read: {str(exc).splitlines()[0]}")
            return
        self.source.setPlainText(text)
        self.refresh()

    def refresh(self) -> None:
        """Match the pasted list again and show each line's outcome."""
        self._timer.stop()
        self.result_import = None
        self.ok_button.setEnabled(False)
        text = self.source.toPlainText()
        if not text.strip():
            self.preview.setPlainText("")
            return
        try:
            result = import_part_list(parse_part_list(text), self._catalog)
        except ValueError as exc:
            self.preview.setPlainText(f"Not a PCPartPicker list: {exc}")
            return
        self.result_import = result
        self.preview.setPlainText(list_preview(result))
        self.ok_button.setEnabled(True)
