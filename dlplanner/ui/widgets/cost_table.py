"""The cost summary table: totals, ratio, break-even month and utilization, $ per GPU-hour.

Its rows and words are :func:`dlplanner.report.cost_view.cost_rows`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from dlplanner.report.cost_view import HEADER_TIPS, HEADERS, CostRow
from dlplanner.ui.theme import STALE_COLOUR

Index = QModelIndex | QPersistentModelIndex


class CostTableModel(QAbstractTableModel):
    """Rows of :func:`cost_rows`, each with a swatch in its chart colour."""

    def __init__(self, colour: Callable[[str], QColor], parent: Any = None):
        super().__init__(parent)
        self._colour = colour
        self._rows: list[CostRow] = []
        self._icons: dict[tuple[str, bool], QIcon] = {}

    def set_rows(self, rows: list[CostRow]) -> None:
        """Show new rows."""
        self.beginResetModel()
        self._rows = rows
        self._icons.clear()
        self.endResetModel()

    def recolour(self) -> None:
        """Redraw the swatches (after a theme change)."""
        self._icons.clear()
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def row_key(self, row: int) -> str:
        """Return the series key of a row."""
        return self._rows[row].key

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, D102
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, D102
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: D102
        if not index.isValid():
            return None
        row, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cells[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tips[col] or None
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return self._swatch(row)
        if role == Qt.ItemDataRole.ForegroundRole and col == len(HEADERS) - 1 and row.stale:
            return QColor(STALE_COLOUR)
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{HEADERS[col]}: {row.cells[col] or 'none'}"
        return None

    def headerData(  # noqa: D102
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS[section]
        return None

    def _swatch(self, row: CostRow) -> QIcon:
        cache_key = (row.key, row.dashed)
        if cache_key not in self._icons:
            pixmap = QPixmap(18, 12)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            pen = QPen(self._colour(row.key), 3)
            if row.dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
                pen.setWidthF(2.5)
            painter.setPen(pen)
            painter.drawLine(1, 6, 17, 6)
            painter.end()
            self._icons[cache_key] = QIcon(pixmap)
        return self._icons[cache_key]


class CostTableView(QTableView):
    """A compact, read-only view of the cost table, as tall as its rows (up to ``max_rows``)."""

    max_rows = 8

    def __init__(self, model: CostTableModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setModel(model)
        self.setAccessibleName("Cost summary")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        header.setHighlightSections(False)

    def fit_height(self) -> None:
        """Be as tall as the rows, up to :attr:`max_rows` (then scroll)."""
        rows = min(self.model().rowCount(), self.max_rows)
        header = self.horizontalHeader().sizeHint().height()
        height = header + rows * self.verticalHeader().defaultSectionSize()
        if self.horizontalHeader().length() > self.viewport().width():
            height += self.horizontalScrollBar().sizeHint().height()
        self.setFixedHeight(height + 2 * self.frameWidth())

    def fit_columns(self) -> None:
        """Give spare width to the series names; when too narrow, scroll instead of eliding."""
        header = self.horizontalHeader()
        needed = sum(
            max(self.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in range(header.count())
        )
        mode = (
            QHeaderView.ResizeMode.Stretch
            if needed <= self.viewport().width()
            else QHeaderView.ResizeMode.ResizeToContents
        )
        if header.count() and header.sectionResizeMode(0) != mode:
            header.setSectionResizeMode(0, mode)

    def refit(self) -> None:
        """Fit columns and height to the current rows."""
        self.fit_columns()
        self.fit_height()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Refit when the width changes (the scroll bar may come or go)."""
        super().resizeEvent(event)
        self.refit()
