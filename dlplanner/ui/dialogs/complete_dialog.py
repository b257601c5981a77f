"""Build > Complete Build…: goals, a search in the background, proposals, apply one."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dlplanner.completion.goals import Goals
from dlplanner.completion.levels import Cancelled
from dlplanner.completion.propose import Completion, Proposal, complete
from dlplanner.domain.build import Build
from dlplanner.report.completion import failure_text, found_text, proposal_html, proposal_row
from dlplanner.ui.document import BuildDocument

_COL_LABEL, _COL_TOTAL, _COL_VERDICT, _COL_CHANGES = range(4)
GPU_COOLER_CHOICES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Keep the GPUs as chosen", ()),
    ("Blower only", ("blower",)),
    ("Open-air only", ("open-air",)),
)


def _words(text: str) -> frozenset[str]:
    """Return the comma-separated words of ``text``, lower case."""
    return frozenset(w.strip().lower() for w in text.split(",") if w.strip())


class _Worker(QObject):
    """Runs :func:`complete` off the GUI thread; a flag cancels it."""

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, build: Build, doc: BuildDocument, goals: Goals) -> None:
        super().__init__()
        self.build, self.catalog, self.goals = build, doc.catalog, goals
        self.cancel_flag = threading.Event()

    def run(self) -> None:
        """Search; emit the completion, or None when cancelled."""
        try:
            result = complete(self.build, self.catalog, self.goals, cancel=self.cancel_flag.is_set)
        except Cancelled:
            self.finished.emit(None)
        except Exception as exc:  # shown in the dialog; the window stays usable
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.finished.emit(result)


class CompleteDialog(QDialog):
    """Ask for goals, search, list the proposals, and apply the chosen one as one edit."""

    def __init__(self, doc: BuildDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CompleteDialog")
        self.setWindowTitle("Complete Build")
        self.doc = doc
        self.completion: Completion | None = None
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self._started = 0.0

        self.budget = QDoubleSpinBox(self)
        self.budget.setRange(0, 1_000_000)
        self.budget.setDecimals(0)
        self.budget.setSingleStep(500)
        self.budget.setPrefix("$")
        self.budget.setSpecialValueText("No limit")
        self.budget.setToolTip("Most the build and its planned purchases may cost (0: no limit)")
        self.headroom = QDoubleSpinBox(self)
        self.headroom.setRange(1.0, 3.0)
        self.headroom.setSingleStep(0.05)
        self.headroom.setValue(doc.build.site.psu_headroom)
        self.headroom.setToolTip("PSU size over the GPUs' and CPU's draw (Dettmers: 1.21)")
        self.allow_warnings = QCheckBox("Accept any warning (not only those no build avoids)")
        self.gpu_cooler = QComboBox(self)
        for text, coolers in GPU_COOLER_CHOICES:
            self.gpu_cooler.addItem(text, coolers)
        self.gpu_cooler.setToolTip(
            "Blower cards exhaust out of the case and can sit side by side; open-air cards "
            "need a free slot below. Other GPUs are swapped for a card of the same chip."
        )
        self.brands = QLineEdit(self)
        self.brands.setPlaceholderText("any brand, or e.g. Noctua, Seasonic")
        self.brands.setToolTip("Only add parts of these brands (comma-separated)")
        self.sockets = QLineEdit(self)
        self.sockets.setPlaceholderText("any socket, or e.g. sTR5, sWRX8")
        self.sockets.setToolTip("Only CPUs and boards for these sockets (comma-separated)")
        self.keep = QListWidget(self)
        self.keep.setToolTip(
            "Ticked parts are never replaced. The others stay unless no build passes with them."
        )
        self._fill_keep()

        form = QFormLayout()
        form.addRow("&Budget:", self.budget)
        form.addRow("PSU &headroom:", self.headroom)
        form.addRow("&GPU coolers:", self.gpu_cooler)
        form.addRow("B&rands:", self.brands)
        form.addRow("&Sockets:", self.sockets)
        form.addRow("", self.allow_warnings)
        form.addRow("&Never replace:", self.keep)

        self.find_button = QPushButton("&Find Builds", self)
        self.find_button.setDefault(True)
        self.find_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("Ca&ncel Search", self)
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1)
        self.progress.setTextVisible(False)
        self.status = QLabel("Choose goals, then Find Builds.", self)
        self.status.setWordWrap(True)
        run_row = QHBoxLayout()
        run_row.addWidget(self.find_button)
        run_row.addWidget(self.cancel_button)
        run_row.addWidget(self.progress, 1)

        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(["Proposal", "Total", "Verdict", "Changes"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(_COL_VERDICT, QHeaderView.ResizeMode.Stretch)
        rows = self.table.verticalHeader().defaultSectionSize()
        self.table.setMinimumHeight(header.sizeHint().height() + 3 * rows + 6)
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.details = QTextBrowser(self)
        self.details.setOpenLinks(False)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(self.details)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setSizes([self.table.minimumHeight(), 360])

        self.buttons = QDialogButtonBox(self)
        self.apply_button = self.buttons.addButton(
            "&Apply to Build", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.apply_button.setEnabled(False)
        self.apply_button.setToolTip("Replace the build with the selected proposal (undoable)")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addLayout(form, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(run_row)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        layout.addWidget(self.buttons)
        self._timer = QTimer(self)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self._tick)
        screen = self.screen().availableGeometry()
        self.resize(min(820, screen.width() - 40), min(640, screen.height() - 40))

    def _fill_keep(self) -> None:
        for item in self.doc.build.items:
            part = self.doc.catalog.get(item.part)
            if part is None or part.kind == "gpu":  # type: ignore[attr-defined]
                continue
            row = QListWidgetItem(part.title, self.keep)
            row.setData(Qt.ItemDataRole.UserRole, part.id)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(Qt.CheckState.Unchecked)
        if not self.keep.count():
            QListWidgetItem("(only GPUs so far: they always stay)", self.keep).setFlags(
                Qt.ItemFlag.NoItemFlags
            )
        self.keep.setMaximumHeight(56)

    def goals(self) -> Goals:
        """Return the goals the form describes."""
        kept = [
            self.keep.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.keep.count())
            if self.keep.item(i).checkState() == Qt.CheckState.Checked
        ]
        return Goals(
            budget_usd=self.budget.value() or None,
            keep=frozenset(k for k in kept if k),
            psu_headroom=self.headroom.value(),
            brands=_words(self.brands.text()),
            sockets=_words(self.sockets.text()),
            allow_warnings=self.allow_warnings.isChecked(),
            gpu_coolers=frozenset(self.gpu_cooler.currentData() or ()),
        )

    # -- the search ---------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether a search is under way."""
        return self._thread is not None

    def start(self) -> None:
        """Start a search for the current build with the form's goals."""
        if self.running:
            return
        self.table.setRowCount(0)
        self.details.clear()
        self.apply_button.setEnabled(False)
        self.completion = None
        worker = _Worker(self.doc.build, self.doc, self.goals())
        thread = QThread(self)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        self._worker, self._thread = worker, thread
        self.find_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)  # busy
        self._started = time.monotonic()
        self.status.setText("Searching the catalog…")
        self._timer.start()
        thread.start()

    def cancel(self) -> None:
        """Ask the search to stop (it checks every 20 ms)."""
        if self._worker is not None:
            self._worker.cancel_flag.set()
            self.status.setText("Cancelling…")

    def _tick(self) -> None:
        if self.running and not (self._worker and self._worker.cancel_flag.is_set()):
            elapsed = time.monotonic() - self._started
            self.status.setText(f"Searching the catalog… {elapsed:.0f} s")

    def _stop(self) -> None:
        self._timer.stop()
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._thread.deleteLater()
        if self._worker is not None:
            self._worker.deleteLater()
        self._thread = self._worker = None
        self.progress.setRange(0, 1)
        self.find_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _on_failed(self, message: str) -> None:
        self._stop()
        self.status.setText(f"The search failed: {message}")

    def _on_finished(self, completion: Completion | None) -> None:
        elapsed = time.monotonic() - self._started
        self._stop()
        if completion is None:
            self.status.setText("Search cancelled.")
            return
        self.completion = completion
        if not completion.found:
            self.status.setText(failure_text(completion, self.goals().budget_usd))
            return
        self.status.setText(found_text(completion, elapsed))
        self._fill_table(completion)

    def _fill_table(self, completion: Completion) -> None:
        self.table.setRowCount(len(completion.proposals))
        for row, proposal in enumerate(completion.proposals):
            *cells, changes = proposal_row(proposal, self.doc.build, self.doc.catalog)
            for col, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if col == _COL_CHANGES:
                    item.setToolTip(changes)
                self.table.setItem(row, col, item)
        self.table.selectRow(0)

    # -- a proposal ---------------------------------------------------------------------

    def selected(self) -> Proposal | None:
        """Return the proposal selected in the table, if any."""
        if self.completion is None:
            return None
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.completion.proposals[rows[0].row()]

    def _show_selected(self) -> None:
        proposal = self.selected()
        self.apply_button.setEnabled(proposal is not None)
        self.details.setHtml(self.details_html(proposal) if proposal else "")

    def details_html(self, proposal: Proposal) -> str:
        """Return the proposal's explanation: each pick, why, what it ruled out, findings."""
        return proposal_html(proposal, self.doc.build, self.doc.catalog)

    def apply(self) -> None:
        """Make the selected proposal the build, as one undoable edit, and close."""
        proposal = self.selected()
        if proposal is None:
            return
        after = proposal.build.model_copy(update={"name": self.doc.build.name})
        self.doc.apply(after, "Complete build")
        self.accept()

    def reject(self) -> None:
        """Stop a running search before closing."""
        if self._worker is not None:
            self._worker.cancel_flag.set()
        self._stop()
        super().reject()
