"""File > Import Prices…: choose price files, preview what changes, confirm to write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dlplanner.domain.parts import URL_PATTERN
from dlplanner.domain.price_rows import PROVIDERS
from dlplanner.io.price_overrides import PriceImport
from dlplanner.report.imports import import_preview

Planner = Callable[[Sequence[str], str | None, dt.date, str | None], PriceImport]
"""Reads the files and plans the import: (files, provider, date, source) → plan."""
Writer = Callable[[PriceImport], list[Path]]
"""Writes a plan's overrides; returns the files written."""


class ImportPricesDialog(QDialog):
    """Preview a price import (old → new, new offers, skipped rows) and write it on OK.

    The dialog is given the functions that read and write, so a test can drive it with
    real files and nothing else; a file that cannot be read shows its one-line reason
    and disables *Import*.
    """

    def __init__(self, plan: Planner, write: Writer, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Import Prices")
        self._plan_fn = plan
        self._write_fn = write
        self.files: list[str] = []
        self.result_plan: PriceImport | None = None
        self.written: list[Path] = []

        self.files_label = QLabel("No files chosen", self)
        self.files_label.setWordWrap(True)
        choose = QPushButton("Choose &Files…", self)
        choose.clicked.connect(self._choose)
        self.provider = QComboBox(self)
        self.provider.addItem("From the file's folder (…/aws/vms.csv)", None)
        for key, name in PROVIDERS.items():
            self.provider.addItem(f"{name} ({key})", key)
        self.date = QDateEdit(QDate.currentDate(), self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setMaximumDate(QDate.currentDate())
        self.source = QLineEdit(self)
        self.source.setPlaceholderText("https://… where the prices were read (optional)")
        self.preview = QPlainTextEdit(self)
        self.preview.setReadOnly(True)
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.preview.setPlaceholderText(
            "Choose SkyPilot vms.csv files (github.com/skypilot-org/skypilot-catalog) or a "
            "CSV with id, price_usd, spot_usd_per_hour, price_date, price_source. What would "
            "change is shown here before anything is written."
        )
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("&Import")
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self._import)
        self.buttons.rejected.connect(self.reject)

        files_row = QHBoxLayout()
        files_row.addWidget(self.files_label, 1)
        files_row.addWidget(choose)
        form = QFormLayout()
        form.addRow("Files:", files_row)
        form.addRow("&Cloud:", self.provider)
        form.addRow("Prices &dated:", self.date)
        form.addRow("&Source:", self.source)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview, 1)
        note = QLabel(
            "Imported prices go to your catalog folder; the shipped catalog is not changed. "
            "Delete the imported-prices file there to go back.",
            self,
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.resize(760, 520)

        self.provider.currentIndexChanged.connect(lambda _i: self.refresh())
        self.date.dateChanged.connect(lambda _d: self.refresh())
        self.source.editingFinished.connect(self.refresh)

    def _choose(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, "Choose price files", str(Path.home()), "CSV files (*.csv);;All files (*)"
        )
        if names:
            self.set_files(names)

    def set_files(self, files: Sequence[str]) -> None:
        """Use these files and show what importing them would change."""
        self.files = list(files)
        self.files_label.setText(", ".join(Path(f).name for f in files) or "No files chosen")
        self.refresh()

    def refresh(self) -> None:
        """Plan again with the current options and show the preview."""
        self.result_plan = None
        self.import_button.setEnabled(False)
        if not self.files:
            self.preview.setPlainText("")
            return
        source = self.source.text().strip() or None
        if source is not None and not URL_PATTERN.match(source):
            self.preview.setPlainText(f"The source must be an http(s) address: {source!r}")
            return
        date = self.date.date().toPython()
        assert isinstance(date, dt.date)
        try:
            plan = self._plan_fn(self.files, self.provider.currentData(), date, source)
        except (ValueError, OSError) as exc:
            self.preview.setPlainText(f"Cannot import: {str(exc).splitlines()[0]}")
            return
        self.result_plan = plan
        self.preview.setPlainText(import_preview(plan))
        self.import_button.setEnabled(bool(plan.overrides))

    def _import(self) -> None:
        if self.result_plan is None or not self.result_plan.overrides:
            return
        try:
            self.written = self._write_fn(self.result_plan)
        except (ValueError, OSError) as exc:
            self.preview.setPlainText(f"Could not write: {str(exc).splitlines()[0]}")
            self.import_button.setEnabled(False)
            return
        self.accept()
