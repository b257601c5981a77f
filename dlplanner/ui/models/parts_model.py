"""The parts list's item model: the build's lines, editable, a drop target for catalog parts."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QMimeData, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QStandardItem, QStandardItemModel

from dlplanner.domain.build import Build, BuildItem
from dlplanner.domain.parts import GpuPart
from dlplanner.domain.power import limit_problem
from dlplanner.domain.price_age import is_stale
from dlplanner.domain.prices import typed_price
from dlplanner.report.plan import (
    COL_DATE,
    COL_LIMIT,
    COL_PRICE,
    COL_QTY,
    HEADER_TIPS,
    HEADERS,
    line_cell,
    stale_price_tip,
    unknown_part_tip,
)
from dlplanner.report.prices import price_date_text
from dlplanner.report.specs import part_tooltip
from dlplanner.ui.document import BuildDocument
from dlplanner.ui.models.catalog_model import PART_MIME, decode_part_ids
from dlplanner.ui.theme import STALE_COLOUR

ROWS_MIME = "application/x-dlplanner-rows"
"""Drag payload for reordering lines within the list."""

Index = QModelIndex | QPersistentModelIndex
ItemRole = Qt.ItemDataRole.UserRole + 2
"""The part id of a line."""
PriceRole = Qt.ItemDataRole.UserRole + 4
"""The unit price as a number (0.0 if unknown), for the price editor."""

_FLAGS_CELL = (
    Qt.ItemFlag.ItemIsSelectable
    | Qt.ItemFlag.ItemIsEnabled
    | Qt.ItemFlag.ItemIsDragEnabled
    | Qt.ItemFlag.ItemIsDropEnabled
)
_FLAGS_EDITABLE = _FLAGS_CELL | Qt.ItemFlag.ItemIsEditable
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_UNKNOWN = QColor("#c0392b")
_HIGHLIGHT = QColor(255, 196, 0, 90)


class PartsTableModel(QStandardItemModel):
    """The build as bought now (stage 0); edits go through the document as undoable commands.

    The cells live in Qt's own item model, so a repaint never calls back into Python (one
    call per role per cell made repainting the table cost several milliseconds); the model
    turns each change of the build into the row inserts, removals and cell changes that
    happened.
    """

    def __init__(self, document: BuildDocument, parent: Any = None):
        super().__init__(0, len(HEADERS), parent)
        self._doc = document
        for column, title in enumerate(HEADERS):
            self.setHeaderData(column, Qt.Orientation.Horizontal, title)
            if column in HEADER_TIPS:
                self.setHeaderData(
                    column,
                    Qt.Orientation.Horizontal,
                    HEADER_TIPS[column],
                    Qt.ItemDataRole.ToolTipRole,
                )
        self._items: tuple[BuildItem, ...] = ()
        self._texts: list[tuple[Any, ...]] = []
        """Each row's cell texts (what the columns are sized to)."""
        self._highlight: set[str] = set()
        self._on_build_changed(document.build)
        document.build_changed.connect(self._on_build_changed)
        document.highlight_changed.connect(self._on_highlight_changed)

    def _row_texts(self, item: BuildItem) -> tuple[Any, ...]:
        return tuple(line_cell(item, column, self._doc.catalog) for column in range(len(HEADERS)))

    def _row_cells(self, item: BuildItem, texts: tuple[Any, ...]) -> list[QStandardItem]:
        """Make the cells of one line, with every role a view asks for."""
        part = self._doc.catalog.get(item.part)
        tip = part_tooltip(part) if part else unknown_part_tip(item.part)
        unit = self._doc.catalog.unit_price(item)
        highlight = QBrush(_HIGHLIGHT) if item.part in self._highlight else None
        cells = []
        for column, text in enumerate(texts):
            cell = QStandardItem()
            cell.setData(text, Qt.ItemDataRole.DisplayRole)
            cell.setData(f"{HEADERS[column]}: {text}", Qt.ItemDataRole.AccessibleTextRole)
            cell.setData(item.part, ItemRole)
            editable = column in (COL_QTY, COL_PRICE) or (
                column == COL_LIMIT and isinstance(part, GpuPart)
            )
            cell.setToolTip(HEADER_TIPS[column] if editable and part else tip)
            cell.setFlags(_FLAGS_EDITABLE if editable else _FLAGS_CELL)
            if column >= COL_QTY and column != COL_DATE:
                cell.setTextAlignment(_RIGHT)
            if part is None or (column == COL_PRICE and item.price_usd is not None):
                font = QFont()
                font.setItalic(True)
                cell.setFont(font)
            if part is None:
                cell.setForeground(QBrush(_UNKNOWN))
            elif column == COL_DATE and is_stale(self._doc.catalog.price(item).date):
                cell.setForeground(QBrush(QColor(STALE_COLOUR)))
                cell.setToolTip(stale_price_tip(self._doc.catalog.price(item)))
            elif column == COL_DATE and part is not None:
                cell.setToolTip(price_date_text(self._doc.catalog.price(item)) or tip)
            if column == COL_PRICE:
                cell.setData(0.0 if unit is None else unit, PriceRole)
            if highlight is not None:
                cell.setBackground(highlight)
            cells.append(cell)
        return cells

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
        self._items = new
        fresh = [self._row_texts(it) for it in new[head : head + added]]
        if removed and added and removed != added:
            self._texts = [self._row_texts(it) for it in new]
            self.beginResetModel()
            with _signals_blocked(self):
                self.setRowCount(0)
                for item, texts in zip(new, self._texts, strict=True):
                    self.appendRow(self._row_cells(item, texts))
            self.endResetModel()
        elif removed == added:  # the same lines, some edited: one change for the view
            self._texts[head : head + added] = fresh
            with _signals_blocked(self):
                for offset, texts in enumerate(fresh):
                    row = head + offset
                    for column, cell in enumerate(self._row_cells(new[row], texts)):
                        self.setItem(row, column, cell)
            last = len(HEADERS) - 1
            self.dataChanged.emit(self.index(head, 0), self.index(head + added - 1, last))
        elif added:
            self._texts[head:head] = fresh
            for offset, texts in enumerate(fresh):
                self.insertRow(head + offset, self._row_cells(new[head + offset], texts))
        else:
            del self._texts[head : head + removed]
            self.removeRows(head, removed)

    def _on_highlight_changed(self, part_ids: tuple[str, ...]) -> None:
        highlight = set(part_ids)
        if highlight == self._highlight:
            return  # no repaint of the whole table for "still nothing highlighted"
        changed = highlight ^ self._highlight
        self._highlight = highlight
        brush = QBrush(_HIGHLIGHT)
        for row, item in enumerate(self._items):
            if item.part not in changed:
                continue
            for column in range(len(HEADERS)):
                cell = self.item(row, column)
                if item.part in highlight:
                    cell.setBackground(brush)
                else:
                    cell.setData(None, Qt.ItemDataRole.BackgroundRole)

    def item_at(self, row: int) -> BuildItem | None:
        """Return the line in a row."""
        return self._items[row] if 0 <= row < len(self._items) else None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Edit quantity or unit price through the document (one undo step).

        The cells themselves change when the document says the build changed.
        """
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
            if index.column() == COL_LIMIT:
                return self._set_limit(index.row(), item, str(value))
            if index.column() == COL_PRICE:
                catalog = self._doc.catalog.unit_price(item.model_copy(update={"price_usd": None}))
                price = typed_price(str(value), item.price_usd, catalog)
                label = "Clear price override" if price is None else f"Set price of {title}"
                self._doc.update_item(index.row(), label, price_usd=price)
                return True
        except (TypeError, ValueError):
            return False
        return False

    def _set_limit(self, row: int, item: BuildItem, text: str) -> bool:
        """Set or clear a GPU line's power limit (a refused value says why)."""
        part = self._doc.catalog.get(item.part)
        if not isinstance(part, GpuPart):
            return False
        text = text.strip().lower().removesuffix("w").strip()
        limit = None if text in ("", "stock") else int(float(text))
        if limit == item.power_limit_w:
            return False
        problem = None if limit is None else limit_problem(part, limit)
        if problem:
            self._doc.edit_refused.emit(f"Power limit not set: {problem}")
            return False
        label = (
            f"Clear power limit of {part.title}"
            if limit is None
            else f"Set power limit of {part.title} to {limit} W"
        )
        self._doc.update_item(row, label, power_limit_w=limit)
        return True

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


@contextmanager
def _signals_blocked(model: QStandardItemModel) -> Iterator[None]:
    """Build cells without a signal per cell; the caller tells the views once."""
    blocked = model.blockSignals(True)
    try:
        yield
    finally:
        model.blockSignals(blocked)
