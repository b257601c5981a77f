"""The parts list's item model: the build's lines, editable, a drop target for catalog parts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QMimeData, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from dlplanner.domain.build import Build, BuildItem
from dlplanner.domain.parts import KIND_TITLES, CpuPart, GpuPart
from dlplanner.io.shopping import money
from dlplanner.ui.document import BuildDocument
from dlplanner.ui.models.catalog_model import PART_MIME, decode_part_ids
from dlplanner.ui.tooltips import part_tooltip

ROWS_MIME = "application/x-dlplanner-rows"
"""Drag payload for reordering lines within the list."""

Index = QModelIndex | QPersistentModelIndex
ItemRole = Qt.ItemDataRole.UserRole + 2

_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.EditRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.AccessibleTextRole,
        Qt.ItemDataRole.UserRole + 2,
    }
)
"""The roles :meth:`PartsTableModel.data` answers."""

HEADERS = ("Type", "Part", "Qty", "Unit price", "Price date", "Line total", "Power")
COL_TYPE, COL_PART, COL_QTY, COL_PRICE, COL_DATE, COL_TOTAL, COL_POWER = range(len(HEADERS))
_TIPS = {
    COL_QTY: "How many (double-click or F2 to edit)",
    COL_PRICE: "What you pay per unit; edit to override the catalog price, clear to restore it",
    COL_DATE: "The day the catalog price was true",
    COL_POWER: "Estimated draw under load (TDP × quantity)",
}


_FLAGS_OUTSIDE = Qt.ItemFlag.ItemIsDropEnabled
_FLAGS_CELL = (
    Qt.ItemFlag.ItemIsSelectable
    | Qt.ItemFlag.ItemIsEnabled
    | Qt.ItemFlag.ItemIsDragEnabled
    | Qt.ItemFlag.ItemIsDropEnabled
)
_FLAGS_EDITABLE = _FLAGS_CELL | Qt.ItemFlag.ItemIsEditable
"""Flags computed once: a repaint asks for them for every cell."""


class PartsTableModel(QAbstractTableModel):
    """The build as bought now (stage 0); edits go through the document as undoable commands."""

    def __init__(self, document: BuildDocument, parent: Any = None):
        super().__init__(parent)
        self._doc = document
        self._items: tuple[BuildItem, ...] = document.build.items
        self._texts: list[tuple[Any, ...]] = [self._row_texts(it) for it in self._items]
        """Each row's cell texts, made once per change: a repaint asks for them many times."""
        self._highlight: set[str] = set()
        document.build_changed.connect(self._on_build_changed)
        document.highlight_changed.connect(self._on_highlight_changed)

    def _row_texts(self, item: BuildItem) -> tuple[Any, ...]:
        return tuple(self._display(item, column) for column in range(len(HEADERS)))

    def column_texts(self) -> list[tuple[str, ...]]:
        """Every row's cell texts (what the columns are sized to)."""
        return [tuple(str(v) for v in row) for row in self._texts]

    def _on_build_changed(self, build: Build) -> None:
        old, new = self._items, build.items
        if new == old:
            return
        # Tell the view exactly what changed (lines edited, added or removed in one place),
        # so it repaints those rows and keeps the selection; anything else is a reset.
        head = 0
        while head < min(len(old), len(new)) and old[head] == new[head]:
            head += 1
        tail = 0
        while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
            tail += 1
        removed, added = len(old) - head - tail, len(new) - head - tail
        if removed and added and removed != added:
            self.beginResetModel()
            self._items = new
            self._texts = [self._row_texts(it) for it in new]
            self.endResetModel()
            return
        if removed == added:  # the same lines, some edited
            self._items = new
            for row in range(head, head + added):
                self._texts[row] = self._row_texts(new[row])
            last = len(HEADERS) - 1
            self.dataChanged.emit(self.index(head, 0), self.index(head + added - 1, last))
        elif added:
            self.beginInsertRows(QModelIndex(), head, head + added - 1)
            self._items = new
            self._texts[head:head] = [self._row_texts(it) for it in new[head : head + added]]
            self.endInsertRows()
        else:
            self.beginRemoveRows(QModelIndex(), head, head + removed - 1)
            self._items = new
            del self._texts[head : head + removed]
            self.endRemoveRows()

    def _on_highlight_changed(self, part_ids: tuple[str, ...]) -> None:
        highlight = set(part_ids)
        if highlight == self._highlight:
            return  # no repaint of the whole table for "still nothing highlighted"
        self._highlight = highlight
        if self._items:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._items) - 1, len(HEADERS) - 1)
            )

    # -- Qt model API ----------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """One row per line of the parts list."""
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Type, part, quantity, prices, power."""
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Headers with explanations."""
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _TIPS.get(section)
        return None

    def item_at(self, row: int) -> BuildItem | None:
        """Return the line in a row."""
        return self._items[row] if 0 <= row < len(self._items) else None

    def _power_w(self, item: BuildItem) -> float | None:
        part = self._doc.catalog.get(item.part)
        if isinstance(part, (GpuPart, CpuPart)):
            return None if part.tdp_w is None else part.tdp_w * item.qty
        return None

    def _display(self, item: BuildItem, column: int) -> Any:
        part = self._doc.catalog.get(item.part)
        if column == COL_TYPE:
            return KIND_TITLES.get(part.kind, "") if part else "Unknown"  # type: ignore[attr-defined]
        if column == COL_PART:
            return part.title if part else f"{item.part} (not in the catalog)"
        if column == COL_QTY:
            return item.qty
        unit = self._doc.catalog.unit_price(item)
        if column == COL_PRICE:
            return money(unit) if unit is not None else "—"
        if column == COL_DATE:
            if item.price_usd is not None:
                return "your price"
            return part.price_date.isoformat() if part and part.price_date else ""
        if column == COL_TOTAL:
            return money(unit * item.qty) if unit is not None else "—"
        if column == COL_POWER:
            watts = self._power_w(item)
            return f"{watts:,.0f} W" if watts is not None else ""
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text, edit values, tooltips, highlight and unknown-part marking."""
        if role not in _ROLES:
            return None  # a view asks for every role of every cell on each repaint
        row = index.row()
        if not 0 <= row < len(self._items) or not index.isValid():
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[row][column]
        item = self._items[row]
        part = self._doc.catalog.get(item.part)
        if role == Qt.ItemDataRole.EditRole:
            if column == COL_QTY:
                return item.qty
            if column == COL_PRICE:
                unit = self._doc.catalog.unit_price(item)
                return 0.0 if unit is None else unit
            return self._texts[row][column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if part is None:
                return (
                    f"'{item.part}' is not in the catalog. It is kept in the build and saved "
                    "back unchanged; add it to a user catalog folder to check it."
                )
            return _TIPS.get(column) if column in (COL_QTY, COL_PRICE) else part_tooltip(part)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= COL_QTY and column != COL_DATE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and (
            part is None or (column == COL_PRICE and item.price_usd is not None)
        ):
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and part is None:
            return QBrush(QColor("#c0392b"))
        if role == Qt.ItemDataRole.BackgroundRole and item.part in self._highlight:
            return QBrush(QColor(255, 196, 0, 90))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{HEADERS[column]}: {self._texts[row][column]}"
        if role == ItemRole:
            return item.part
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Quantity and price are editable; lines can be dragged to reorder."""
        if not index.isValid():
            return _FLAGS_OUTSIDE
        return _FLAGS_EDITABLE if index.column() in (COL_QTY, COL_PRICE) else _FLAGS_CELL

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Edit quantity or unit price through the document (one undo step)."""
        item = self.item_at(index.row()) if index.isValid() else None
        if item is None or role != Qt.ItemDataRole.EditRole:
            return False
        title = self._doc.part_title(item.part)
        try:
            if index.column() == COL_QTY:
                qty = int(value)
                if not 1 <= qty <= 64 or qty == item.qty:
                    return False
                self._doc.update_item(index.row(), f"Set quantity of {title} to {qty}", qty=qty)
                return True
            if index.column() == COL_PRICE:
                text = str(value).strip().replace("$", "").replace(",", "")
                clear = text in ("", "0", "0.0") and item.price_usd is not None
                price = None if clear else float(text)
                if price is not None and not 0 <= price <= 1_000_000:
                    return False
                catalog_price = self._doc.catalog.unit_price(
                    item.model_copy(update={"price_usd": None})
                )
                if (
                    price is not None
                    and catalog_price is not None
                    and abs(price - catalog_price) < 0.005
                ):
                    price = None  # typing the catalog price back clears the override
                label = "Clear price override" if price is None else f"Set price of {title}"
                self._doc.update_item(index.row(), label, price_usd=price)
                return True
        except (TypeError, ValueError):
            return False
        return False

    # -- drag and drop ---------------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        """Catalog parts are copied in; lines are moved."""
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        """Lines move within the list."""
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        """Catalog parts and our own rows."""
        return [PART_MIME, ROWS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        """Encode the dragged rows (for reordering)."""
        rows = sorted({i.row() for i in indexes if i.isValid()})
        mime = QMimeData()
        mime.setData(ROWS_MIME, json.dumps(rows).encode())
        return mime

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        """Accept catalog parts and our own rows."""
        return data.hasFormat(PART_MIME) or data.hasFormat(ROWS_MIME)

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        """Add dropped catalog parts, or move dropped rows, at the drop position."""
        if action == Qt.DropAction.IgnoreAction:
            return True
        target = row if row >= 0 else (parent.row() if parent.isValid() else len(self._items))
        if data.hasFormat(ROWS_MIME):
            try:
                rows = [int(r) for r in json.loads(bytes(data.data(ROWS_MIME).data()).decode())]
            except (ValueError, TypeError):
                return False
            rows = [r for r in rows if 0 <= r < len(self._items)]
            if rows:
                self._doc.move_items(rows, target)
            # False: the view must not remove the source rows itself; the document did the move.
            return False
        ids = decode_part_ids(data)
        if not ids:
            return False
        self._doc.add_parts(ids, target)
        return True
