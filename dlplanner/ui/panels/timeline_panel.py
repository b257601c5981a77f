"""The upgrade timeline: the plan as stages on a month axis, each stage checked, with a chart."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dlplanner.domain.timeline import MAX_MONTH, chart_series, last_gpu_item
from dlplanner.report.stages import (
    COL_INDEX,
    COL_PARTS,
    COL_WORST,
    MAX_BANNER_LINES,
    later_problems,
    plan_banner_html,
    plan_totals_text,
)
from dlplanner.rules.engine import Evaluation
from dlplanner.rules.finding import Finding, Severity
from dlplanner.ui.dialogs import stage_dialog
from dlplanner.ui.document import BuildDocument
from dlplanner.ui.models.timeline_model import TimelineTableModel
from dlplanner.ui.panels.timeline_chart import TimelineChart
from dlplanner.ui.theme import SEVERITY_COLOURS


class TimelineTableView(QTableView):
    """The stage list; keys: Insert adds, Enter or F2 edits, Delete removes, Ctrl+Up/Down move."""

    add_requested = Signal()
    edit_requested = Signal()
    remove_requested = Signal()
    shift_requested = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Stage editing from the keyboard."""
        key, mods = event.key(), event.modifiers()
        ctrl = mods & Qt.KeyboardModifier.ControlModifier
        if event.matches(QKeySequence.StandardKey.Delete) or key == Qt.Key.Key_Backspace:
            self.remove_requested.emit()
        elif key == Qt.Key.Key_Insert:
            self.add_requested.emit()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2):
            self.edit_requested.emit()
        elif ctrl and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.shift_requested.emit(-1 if key == Qt.Key.Key_Up else 1)
        else:
            super().keyPressEvent(event)
            return
        event.accept()


class TimelinePanel(QWidget):
    """Plan later purchases as stages; see each stage's spend, GPUs, power and findings."""

    findings_requested = Signal(int)
    """A stage index whose findings the user asked to see (wire to the findings panel)."""

    def __init__(self, document: BuildDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self._doc = document
        self._selected = 0
        self._banner_findings: list[Finding] = []
        self.model = TimelineTableModel(document, self)

        self.banner_icon = QLabel(self)
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName("Problems later stages add")
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.banner.setOpenExternalLinks(False)
        self.banner.linkActivated.connect(self._on_banner_link)
        self.banner_frame = QFrame(self)
        self.banner_frame.setObjectName("TimelineBanner")
        self.banner_frame.setFrameShape(QFrame.Shape.StyledPanel)
        banner_row = QHBoxLayout(self.banner_frame)
        banner_row.setContentsMargins(8, 6, 8, 6)
        banner_row.addWidget(self.banner_icon, 0, Qt.AlignmentFlag.AlignTop)
        banner_row.addWidget(self.banner, 1)

        self.view = TimelineTableView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName("Upgrade stages")
        self.view.setToolTip(
            "Stages of the upgrade plan. Insert adds a stage, Enter edits, Delete removes, "
            "Ctrl+Up/Down moves a month; drop catalog parts on a stage to buy them then."
        )
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setDragDropOverwriteMode(True)
        self.view.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The two text columns share the room left and elide; tooltips give them in full.
        header.setSectionResizeMode(COL_PARTS, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_WORST, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(self.fontMetrics().horizontalAdvance("GPUs") + 16)
        self.view.doubleClicked.connect(self._on_double_clicked)
        self.view.add_requested.connect(self.add_stage)
        self.view.edit_requested.connect(self.edit_stage)
        self.view.remove_requested.connect(self.remove_stage)
        self.view.shift_requested.connect(self.shift_stage)

        self.add_button = self._button("Add &GPU stage", self.add_stage)
        self.edit_button = self._button("E&dit stage…", self.edit_stage)
        self.edit_button.setToolTip("Change the month, name and parts of the stage (Enter or F2)")
        self.earlier_button = self._button("◀ Earlier", lambda: self.shift_stage(-1))
        self.earlier_button.setToolTip("Move the stage one month earlier (Ctrl+Up)")
        self.earlier_button.setAccessibleName("Move one month earlier")
        self.later_button = self._button("Later ▶", lambda: self.shift_stage(1))
        self.later_button.setToolTip("Move the stage one month later (Ctrl+Down)")
        self.later_button.setAccessibleName("Move one month later")
        self.remove_button = self._button("Re&move stage", self.remove_stage)
        self.remove_button.setToolTip("Remove the stage from the plan (Delete)")
        self.findings_button = self._button("Show fi&ndings", lambda: self.show_findings())
        self.findings_button.setToolTip(
            "Highlight the parts of the stage's worst finding and show its findings "
            "(or double-click the Worst finding cell)"
        )
        self.totals = QLabel(self)
        self.totals.setAccessibleName("Plan totals")
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QHBoxLayout()
        for button in (
            self.add_button,
            self.edit_button,
            self.earlier_button,
            self.later_button,
            self.remove_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.findings_button)

        self.chart = TimelineChart(self)
        table_box = QWidget(self)
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.view, 1)
        table_layout.addLayout(buttons)
        table_layout.addWidget(self.totals)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(table_box)
        split.addWidget(self.chart)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)
        row = self.view.verticalHeader().defaultSectionSize()
        # Room for four stages (the build and three more GPUs) before the chart gives way.
        self.view.setMinimumHeight(self.view.horizontalHeader().sizeHint().height() + 4 * row + 6)
        self.splitter = split

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.banner_frame)
        layout.addWidget(split, 1)

        self._doc.stage_edited.connect(self.select_stage)
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._on_model_reset)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        document.findings_changed.connect(self._on_findings_changed)
        self._on_findings_changed(document.evaluation)
        self._on_model_reset()

    def _button(self, text: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(slot)
        return button

    # -- selection -------------------------------------------------------------------------

    def current_stage(self) -> int:
        """Return the selected stage (0 when nothing is selected)."""
        index = self.view.currentIndex()
        return index.row() if index.isValid() else 0

    def select_stage(self, stage: int) -> None:
        """Select a stage's row."""
        rows = self.model.rowCount()
        if rows:
            stage = max(0, min(stage, rows - 1))
            self.view.setCurrentIndex(self.model.index(stage, COL_INDEX))
            self.view.selectRow(stage)

    def _remember_selection(self) -> None:
        self._selected = self.current_stage()

    def _on_model_reset(self) -> None:
        self.select_stage(self._selected)
        self._update_buttons()

    def _on_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self.chart.set_cursor(current.row() if current.isValid() else None)
        self._update_buttons()

    def _update_buttons(self) -> None:
        stage = self.current_stage()
        planned = 0 < stage <= len(self._doc.build.plan)
        month = self._doc.build.plan[stage - 1].month if planned else 0
        self.edit_button.setEnabled(planned)
        self.remove_button.setEnabled(planned)
        self.earlier_button.setEnabled(planned and month > 0)
        self.later_button.setEnabled(planned and month < MAX_MONTH)
        self.edit_button.setToolTip(
            "Change the month, name and parts of the stage (Enter or F2)"
            if planned
            else "Stage 0 is the build today: change its parts in the Parts tab"
        )
        gpu = last_gpu_item(self._doc.build, self._doc.catalog)
        self.add_button.setText("Add &GPU stage" if gpu else "Add &stage")
        self.add_button.setToolTip(
            f"Plan one more {self._doc.part_title(gpu.part)} three months after the last stage "
            "(Insert)"
            if gpu
            else "Plan an empty stage three months after the last (Insert)"
        )
        self.findings_button.setEnabled(self.model.worst(stage) is not None)

    # -- display ---------------------------------------------------------------------------

    def _on_findings_changed(self, evaluation: Evaluation) -> None:
        summaries = self.model.summaries
        self.chart.set_series(chart_series(summaries, self._doc.build.site))
        self.chart.set_cursor(self.current_stage() if summaries else None)
        self._show_banner(evaluation)
        self.totals.setText(plan_totals_text(summaries))

    def _show_banner(self, evaluation: Evaluation) -> None:
        problems = later_problems(evaluation)
        self._banner_findings = [p.finding for p in problems[:MAX_BANNER_LINES]]
        self.banner_frame.show()
        self.banner.setText(
            plan_banner_html(problems, self._doc.build, lambda s: SEVERITY_COLOURS[s].name())
        )
        if not self._doc.build.plan:  # the empty state says what to do
            icon = QStyle.StandardPixmap.SP_MessageBoxInformation
            self.banner_frame.setStyleSheet("")
            self.banner_icon.setPixmap(self.style().standardIcon(icon).pixmap(18))
            return
        if not problems:
            icon = QStyle.StandardPixmap.SP_DialogApplyButton
            self.banner_frame.setStyleSheet("")
        else:
            worst = problems[0].finding.severity
            icon = (
                QStyle.StandardPixmap.SP_MessageBoxCritical
                if worst is Severity.ERROR
                else QStyle.StandardPixmap.SP_MessageBoxWarning
            )
            colour = SEVERITY_COLOURS[worst]
            self.banner_frame.setStyleSheet(
                f"#TimelineBanner {{ background: rgba({colour.red()},{colour.green()},"
                f"{colour.blue()},40); border: 1px solid {colour.name()}; border-radius: 4px; }}"
            )
        size = self.fontMetrics().height() + 4
        self.banner_icon.setPixmap(self.style().standardIcon(icon).pixmap(size, size))

    # -- commands --------------------------------------------------------------------------

    def add_stage(self) -> None:
        """Add a stage after the last (one more of the build's GPU, when it has one)."""
        self._doc.add_stage()
        self.view.setFocus()

    def edit_stage(self) -> None:
        """Open the stage editor for the selected planned stage."""
        stage = self.current_stage()
        if stage < 1:
            return
        step = self._doc.build.plan[stage - 1]
        edited = stage_dialog.edit_step(
            self, self._doc.catalog, step, f"Edit stage {stage}: {step.label or 'unnamed'}"
        )
        if edited is not None and edited != step:
            self._doc.replace_stage(stage, edited)

    def shift_stage(self, months: int) -> None:
        """Move the selected planned stage ``months`` later (negative: earlier)."""
        stage = self.current_stage()
        if stage >= 1:
            self._doc.shift_stage(stage, months)

    def remove_stage(self) -> None:
        """Remove the selected planned stage."""
        stage = self.current_stage()
        if stage >= 1:
            self._doc.remove_stage(stage)

    def show_findings(self, stage: int | None = None) -> None:
        """Highlight the parts of a stage's worst finding and ask for the stage's findings."""
        stage = self.current_stage() if stage is None else stage
        worst = self.model.worst(stage)
        self._doc.highlight(worst.parts if worst else ())
        self.findings_requested.emit(stage)

    def _on_double_clicked(self, index: QModelIndex) -> None:
        if index.column() == COL_WORST or index.row() == 0:
            self.show_findings(index.row())
        else:
            self.edit_stage()

    def _on_banner_link(self, link: str) -> None:
        kind, _, number = link.partition(":")
        if kind == "finding" and number.isdigit() and int(number) < len(self._banner_findings):
            finding = self._banner_findings[int(number)]
            self.select_stage(finding.stage)
            self._doc.highlight(finding.parts)
            self.findings_requested.emit(finding.stage)
