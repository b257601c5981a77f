"""The cost summary table: totals, ratio, break-even month and utilization, $ per GPU-hour."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from dlplanner.domain.costs import CloudOption, CostComparison
from dlplanner.domain.price_age import CLOUD_IMPORT_HINT, dated_short, dated_text, is_stale
from dlplanner.report.format import usd
from dlplanner.report.names import option_label
from dlplanner.ui.cost_view import (
    OWN_CASH_KEY,
    OWN_CASH_LABEL,
    OWN_VALUE_KEY,
    OWN_VALUE_LABEL,
    break_even_text,
)
from dlplanner.ui.theme import STALE_COLOUR

Index = QModelIndex | QPersistentModelIndex

HEADERS = (
    "Series",
    "Total",
    "Times\nowning",
    "Break-even\nmonth",
    "Break-even\nutilization",
    "$ per\nGPU-hour",
    "$ per\nV100-hour",
    "Price\ndate",
)
HEADER_TIPS = (
    "Owning the build, and each cloud offer under each plan",
    "Cumulative cost over the horizon",
    "The cloud total divided by owning's value consumed (depreciation + electricity)",
    "When renting has cost as much as buying has (cash spent): month from the first purchase",
    "The utilization at which renting and owning (value consumed) cost the same",
    "Cost per hour of one GPU training",
    "Cost per hour of V100-equivalent work (the GPUs' relative throughput)",
    "The day the offer's price was read, and its age; ⚠ marks one older than six months",
)


@dataclass(frozen=True, slots=True)
class CostRow:
    """One row of the table: its series key, cells and their tooltips."""

    key: str
    cells: tuple[str, ...]
    tips: tuple[str, ...]
    dashed: bool = False
    stale: bool = False
    """The price is older than six months (its date cell is drawn in the warning colour)."""


def _use_cells(option: CloudOption) -> tuple[str, str]:
    u = option.break_even_utilization
    if u is None:
        return "—", "No utilization from 0 to 100 % makes renting and owning cost the same"
    cheaper = "renting" if option.renting_cheaper == "below" else "owning"
    dearer = "owning" if cheaper == "renting" else "renting"
    return f"{u:.1%}", f"Below {u:.1%} utilization {cheaper} is cheaper; above it, {dearer} is"


def option_row(option: CloudOption, months: int, today: dt.date | None = None) -> CostRow:
    """Return the table row of a cloud option."""
    use, use_tip = _use_cells(option)
    offer = option.choice.offer
    ratio = "—" if option.ratio is None else f"{option.ratio:.2f}×"
    parts = [f"compute {usd(option.compute_usd, 0)}"]
    if option.storage_usd:
        parts.append(f"storage {usd(option.storage_usd, 0)}")
    if option.egress_usd:
        parts.append(f"egress {usd(option.egress_usd, 0)}")
    cells = (
        option_label(option),
        usd(option.total_usd, 0),
        ratio,
        break_even_text(option, months),
        use,
        usd(option.usd_per_gpu_hour, 3),
        usd(option.usd_per_v100_hour, 3),
        dated_short(offer.price_date, today) or "undated",
    )
    stale = is_stale(offer.price_date, today)
    when = dated_text(offer.price_date, today) or "Undated"
    tips = (
        f"{offer.title} ({offer.id})",
        " + ".join(parts),
        "Renting over owning (value consumed)",
        (
            f"Not within the {months}-month horizon: renting has cost less than buying "
            "(cash spent) all along"
            if option.break_even_months is None
            else f"Renting has cost as much as buying (cash spent) "
            f"{option.break_even_months:.1f} months after the first purchase"
        ),
        use_tip,
        f"{option.gpu_hours:,.0f} GPU-hours",
        "Dollars per hour of V100-equivalent work",
        (
            f"{when}: older than six months; {CLOUD_IMPORT_HINT}"
            if stale
            else f"{when}; source {offer.price_source or 'not given'}"
        ),
    )
    return CostRow(option.key, cells, tips, stale=stale)


def cost_rows(comparison: CostComparison, options: Sequence[CloudOption]) -> list[CostRow]:
    """Return the rows: owning's value consumed and cash spent, then each option."""
    own = comparison.own
    months = comparison.assumptions.months
    rows = [
        CostRow(
            OWN_VALUE_KEY,
            (
                OWN_VALUE_LABEL,
                usd(own.value_usd, 0),
                "1.00×" if own.value_usd > 0 else "—",
                "",
                "",
                usd(own.usd_per_gpu_hour, 3),
                usd(own.usd_per_v100_hour, 3),
                "",
            ),
            (
                "What owning uses up: depreciation plus electricity",
                f"depreciation {usd(own.depreciation_usd, 0)} + electricity "
                f"{usd(own.electricity_usd, 0)}",
                "",
                "",
                "",
                f"{own.gpu_hours:,.0f} GPU-hours",
                "",
                "Part prices and their ages are in the parts list",
            ),
        ),
        CostRow(
            OWN_CASH_KEY,
            (OWN_CASH_LABEL, usd(own.cash_usd, 0), "", "", "", "", "", ""),
            (
                "What owning pays out: purchases plus electricity",
                f"purchases {usd(own.purchase_usd, 0)} + electricity "
                f"{usd(own.electricity_usd, 0)}; "
                f"still worth {usd(own.book_value_usd, 0)} at the horizon",
                "",
                "",
                "",
                "",
                "",
                "",
            ),
            dashed=True,
        ),
    ]
    rows.extend(option_row(option, months) for option in options)
    return rows


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
