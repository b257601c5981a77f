"""The upgrade timeline's item model: one row per stage, a drop target for catalog parts."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QStyle

from dlplanner.domain.timeline import (
    StageSummary,
    stage_summaries,
)
from dlplanner.report.findings import PROBLEM_WORDS, finding_word
from dlplanner.report.format import usd
from dlplanner.report.names import stage_name, when_text
from dlplanner.report.stages import finding_title, stage_findings, worst_findings
from dlplanner.rules.engine import Evaluation
from dlplanner.rules.finding import Finding, Severity, Status
from dlplanner.ui.document import BuildDocument
from dlplanner.ui.models.catalog_model import PART_MIME, decode_part_ids
from dlplanner.ui.theme import not_checked_colour

Index = QModelIndex | QPersistentModelIndex
StageRole = Qt.ItemDataRole.UserRole + 10
"""The row's :class:`StageSummary`."""
WorstRole = Qt.ItemDataRole.UserRole + 11
"""The row's worst :class:`Finding`, or None."""

HEADERS = ("#", "When", "Stage", "Parts added", "Spend", "Total", "GPUs", "Power", "Worst finding")
COL_INDEX, COL_WHEN, COL_LABEL, COL_PARTS, COL_SPEND, COL_TOTAL, COL_GPUS, COL_POWER, COL_WORST = (
    range(len(HEADERS))
)
_HEADER_TIPS = {
    COL_INDEX: "Stage number: 0 is the build bought today",
    COL_WHEN: "Months after the first purchase",
    COL_PARTS: "What is bought at this stage (drop catalog parts on a row to add them)",
    COL_SPEND: "What this stage's parts cost (known prices, before tax)",
    COL_TOTAL: "Everything bought up to and including this stage",
    COL_GPUS: "GPUs in the machine at this stage",
    COL_POWER: "Estimated draw under load: GPU power (TDP or limit), CPU TDP, 100 W for the rest",
    COL_WORST: "The worst compatibility finding at this stage (double-click to see its findings)",
}
SEVERITY_COLOURS = {
    Severity.ERROR: QColor("#d64541"),
    Severity.WARNING: QColor("#d68910"),
    Severity.INFO: QColor("#2e86c1"),
}
_NUMERIC = (COL_INDEX, COL_SPEND, COL_TOTAL, COL_GPUS, COL_POWER)


class TimelineTableModel(QAbstractTableModel):
    """Stages of the upgrade plan; drops and every edit go through the document (undoable)."""

    def __init__(self, document: BuildDocument, parent: Any = None):
        super().__init__(parent)
        self._doc = document
        self._rows: list[StageSummary] = []
        self._worst: list[Finding | None] = []
        self._counts: list[int] = []
        self._new: set[tuple[int, object]] = set()
        self._icons: dict[Severity, QIcon] = {}
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
            return _HEADER_TIPS.get(section)
        if role == Qt.ItemDataRole.TextAlignmentRole and section in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text, tooltips, severity colours and icons of a stage."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, col = self._rows[index.row()], index.column()
        worst = self._worst[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col, worst)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_WORST:
            if worst is None:
                return QBrush(
                    QApplication.palette().color(
                        QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
                    )
                )
            if worst.status is Status.UNKNOWN:  # not checked: its own grey, never a warning
                return QBrush(not_checked_colour())
            return QBrush(SEVERITY_COLOURS[worst.severity])
        if role == Qt.ItemDataRole.DecorationRole and col == COL_WORST and worst is not None:
            if worst.status is Status.UNKNOWN:
                return QApplication.style().standardIcon(
                    QStyle.StandardPixmap.SP_MessageBoxQuestion
                )
            return self._icon(worst.severity)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if col == COL_WORST:
                return f"{HEADERS[col]}: {self.worst_text(row.index, with_severity=True)}"
            return f"{HEADERS[col]}: {self._display(row, col, worst)}"
        if role == StageRole:
            return row
        if role == WorstRole:
            return worst
        return None

    def _display(self, row: StageSummary, col: int, worst: Finding | None) -> str:
        if col == COL_INDEX:
            return str(row.index)
        if col == COL_WHEN:
            return when_text(row.month, row.index)
        if col == COL_LABEL:
            return row.label
        if col == COL_PARTS:
            return self._parts_text(row)
        if col == COL_SPEND:
            return usd(row.spend_usd) + ("*" if row.unpriced else "")
        if col == COL_TOTAL:
            return usd(row.cumulative_usd)
        if col == COL_GPUS:
            return str(row.gpus)
        if col == COL_POWER:
            return f"{row.power_w:,.0f} W" + ("*" if row.unknown_tdp else "")
        return self.worst_text(row.index)

    def worst_text(self, stage: int, *, with_severity: bool = False) -> str:
        """Describe the worst finding of a stage in a few words (icon and colour tell severity)."""
        worst = self._worst[stage]
        if worst is None:
            return "No issues"
        new = "New: " if stage and self.is_new(worst, stage) else ""
        unknown = " (not checked)" if worst.status is Status.UNKNOWN else ""
        others = self._counts[stage] - 1
        more = f"  +{others} more" if others > 0 else ""
        word = f"{finding_word(worst, PROBLEM_WORDS)}: " if with_severity else ""
        return f"{word}{new}{finding_title(worst)}{unknown}{more}"

    def _parts_text(self, row: StageSummary) -> str:
        if not row.added:
            return "—"
        if len(row.added) == 1:
            item = row.added[0]
            return f"{item.qty} × {self._doc.part_title(item.part)}"
        return f"{row.parts_added} parts: " + ", ".join(
            self._doc.part_title(item.part) for item in row.added
        )

    def _tooltip(self, row: StageSummary, col: int) -> str | None:
        if col in (COL_PARTS, COL_SPEND):
            lines = []
            for item in row.added:
                price = self._doc.catalog.unit_price(item)
                total = usd(None if price is None else price * item.qty)
                lines.append(
                    f"<tr><td>{item.qty} ×</td><td>{escape(self._doc.part_title(item.part))}</td>"
                    f"<td align='right'>{total}</td></tr>"
                )
            unpriced = (
                f"<p>* No price for {len(row.unpriced)} part(s): not in the sum.</p>"
                if row.unpriced
                else ""
            )
            body = f"<table>{''.join(lines)}</table>" if lines else "<p>Nothing bought.</p>"
            name = escape(stage_name(row.index, row.month))
            return f"<b>{name}: {escape(row.label)}</b>{body}{unpriced}"
        if col == COL_POWER:
            psu = (
                f"{escape(self._doc.part_title(row.psu_id))}, {row.psu_w:,} W"
                if row.psu_id and row.psu_w
                else "none in the build"
            )
            unknown = (
                "<br>* No TDP for "
                + escape(", ".join(map(self._doc.part_title, row.unknown_tdp)))
                + " (counted as 0 W)."
                if row.unknown_tdp
                else ""
            )
            return (
                f"Estimated draw under load: {row.power_w:,.0f} W DC (GPU power or limits, CPU "
                f"TDP, 100 W for the rest), about {row.wall_w:,.0f} W at the wall."
                f"<br>Power supply: {psu}.{unknown}"
            )
        if col == COL_WORST:
            return self._findings_tooltip(row)
        if col == COL_LABEL:
            if row.index == 0:
                return "The build bought today: change its parts in the Parts tab"
            return f"{stage_name(row.index, row.month)}: double-click, Enter or F2 to edit"
        if col == COL_WHEN:
            return (
                "The build bought today"
                if row.index == 0
                else (f"{row.month} months after the first purchase (Ctrl+Up / Ctrl+Down to move)")
            )
        return _HEADER_TIPS.get(col)

    def _findings_tooltip(self, row: StageSummary) -> str:
        found = stage_findings(self._doc.evaluation, row.index)
        name = escape(stage_name(row.index, row.month))
        if not found:
            return f"{name}: no issues found."
        items = []
        for finding in found[:8]:
            unknown = finding.status is Status.UNKNOWN
            grey = not_checked_colour()
            colour = (grey if unknown else SEVERITY_COLOURS[finding.severity]).name()
            new = " <i>(new)</i>" if row.index and self.is_new(finding, row.index) else ""
            items.append(
                f"<li><b style='color:{colour}'>{finding_word(finding, PROBLEM_WORDS)}</b>{new}: "
                f"{escape(finding.message)}</li>"
            )
        more = f"<p>… and {len(found) - 8} more.</p>" if len(found) > 8 else ""
        return (
            f"<b>{name}</b>: {len(found)} finding(s)<ul>{''.join(items)}</ul>"
            f"{more}<p>Double-click to show them in the findings list.</p>"
        )

    def _icon(self, severity: Severity) -> QIcon:
        if severity not in self._icons:
            pixmap = {
                Severity.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
                Severity.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
                Severity.INFO: QStyle.StandardPixmap.SP_MessageBoxInformation,
            }[severity]
            style = QApplication.style()
            self._icons[severity] = style.standardIcon(pixmap)
        return self._icons[severity]

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
