"""The upgrade timeline's item model: one row per stage, a drop target for catalog parts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import QApplication

from dlplanner.domain.timeline import (
    StageSummary,
    stage_summaries,
)
from dlplanner.report.stages import (
    COL_PARTS,
    COL_POWER,
    COL_SPEND,
    COL_WORST,
    HEADER_TIPS,
    HEADERS,
    NUMERIC_COLUMNS,
    cell_text,
    cell_tooltip,
    findings_tooltip,
    parts_tooltip,
    power_tooltip,
    stage_findings,
    worst_findings,
    worst_text,
)
from dlplanner.rules.engine import Evaluation
from dlplanner.rules.finding import Finding
from dlplanner.ui.document import BuildDocument
from dlplanner.ui.models.catalog_model import PART_MIME, decode_part_ids
from dlplanner.ui.theme import finding_colour, severity_icon

Index = QModelIndex | QPersistentModelIndex
StageRole = Qt.ItemDataRole.UserRole + 10
"""The row's :class:`StageSummary`."""
WorstRole = Qt.ItemDataRole.UserRole + 11
"""The row's worst :class:`Finding`, or None."""


class TimelineTableModel(QAbstractTableModel):
    """Stages of the upgrade plan; drops and every edit go through the document (undoable)."""

    def __init__(self, document: BuildDocument, parent: Any = None):
        super().__init__(parent)
        self._doc = document
        self._rows: list[StageSummary] = []
        self._worst: list[Finding | None] = []
        self._counts: list[int] = []
        self._new: set[tuple[int, object]] = set()
        self._refresh()
        document.findings_changed.connect(self._on_findings_changed)

    # -- state -----------------------------------------------------------------------------

    def _refresh(self) -> None:
        self._rows = stage_summaries(self._doc.build, self._doc.catalog)
        evaluation = self._doc.evaluation
        self._worst = worst_findings(evaluation, len(self._rows))
        self._counts = [len(stage_findings(evaluation, i)) for i in range(len(self._rows))]
        self._new = {(f.stage, f.identity) for f in evaluation.findings}

    def _on_findings_changed(self, evaluation: Evaluation) -> None:
        self.beginResetModel()
        self._refresh()
        self.endResetModel()

    @property
    def summaries(self) -> list[StageSummary]:
        """The stages shown, stage 0 first."""
        return list(self._rows)

    def summary(self, stage: int) -> StageSummary:
        """Return the summary of one stage."""
        return self._rows[stage]

    def worst(self, stage: int) -> Finding | None:
        """Return the worst finding of one stage."""
        return self._worst[stage] if 0 <= stage < len(self._worst) else None

    def is_new(self, finding: Finding, stage: int) -> bool:
        """Whether a finding of ``stage`` first appears there."""
        return (stage, finding.identity) in self._new

    # -- Qt model API ----------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """One row per stage."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """See :data:`HEADERS`."""
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles and their tooltips."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(section)
        if role == Qt.ItemDataRole.TextAlignmentRole and section in NUMERIC_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text, tooltips, severity colours and icons of a stage."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, col = self._rows[index.row()], index.column()
        worst = self._worst[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in NUMERIC_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_WORST:
            if worst is None:
                return QBrush(
                    QApplication.palette().color(
                        QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
                    )
                )
            return QBrush(finding_colour(worst))  # not checked: its own grey, never a warning
        if role == Qt.ItemDataRole.DecorationRole and col == COL_WORST and worst is not None:
            return severity_icon(worst)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if col == COL_WORST:
                return f"{HEADERS[col]}: {self.worst_text(row.index, with_severity=True)}"
            return f"{HEADERS[col]}: {self._display(row, col)}"
        if role == StageRole:
            return row
        if role == WorstRole:
            return worst
        return None

    def _display(self, row: StageSummary, col: int) -> str:
        return (
            self.worst_text(row.index)
            if col == COL_WORST
            else cell_text(row, col, self._doc.catalog)
        )

    def worst_text(self, stage: int, *, with_severity: bool = False) -> str:
        """Describe the worst finding of a stage in a few words (icon and colour tell severity)."""
        worst = self._worst[stage]
        new = bool(stage) and worst is not None and self.is_new(worst, stage)
        return worst_text(worst, self._counts[stage], new=new, with_severity=with_severity)

    def _tooltip(self, row: StageSummary, col: int) -> str | None:
        catalog = self._doc.catalog
        if col in (COL_PARTS, COL_SPEND):
            return parts_tooltip(row, catalog)
        if col == COL_POWER:
            return power_tooltip(row, catalog)
        if col == COL_WORST:
            found = stage_findings(self._doc.evaluation, row.index)
            return findings_tooltip(
                row,
                found,
                lambda f: self.is_new(f, row.index),
                lambda f: finding_colour(f).name(),
            )
        return cell_tooltip(row, col)

    # -- drag and drop ---------------------------------------------------------------------

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Rows are selectable and accept dropped catalog parts."""
        base = Qt.ItemFlag.ItemIsDropEnabled
        if not index.isValid():
            return base
        return base | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def mimeTypes(self) -> list[str]:
        """Catalog part ids."""
        return [PART_MIME]

    def supportedDropActions(self) -> Qt.DropAction:
        """Parts are copied in."""
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        """Catalog parts may drop on a stage or below the last (a new stage)."""
        return bool(decode_part_ids(data))

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        """Add dropped parts to the stage dropped on; outside the rows, plan a new stage."""
        ids = decode_part_ids(data)
        if not ids or action == Qt.DropAction.IgnoreAction:
            return False
        if parent.isValid():
            stage: int | None = parent.row()
        elif 0 <= row < len(self._rows):
            stage = row
        else:
            stage = None
        self._doc.add_parts_to_stage(stage, ids)
        return True
