"""The catalog browser's item model: one kind at a time, filtered and sorted in the model."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QMimeData, QModelIndex, QPersistentModelIndex, Qt

from dlplanner.domain.catalog import Catalog
from dlplanner.domain.parts import PartBase
from dlplanner.report.columns import COLUMNS, Column
from dlplanner.report.specs import part_tooltip

PART_MIME = "application/x-dlplanner-part-ids"
"""Drag-and-drop payload: a JSON list of catalog ids."""

Index = QModelIndex | QPersistentModelIndex
PartRole = Qt.ItemDataRole.UserRole + 1


def encode_part_ids(part_ids: Sequence[str]) -> QMimeData:
    """Mime data carrying catalog ids (plus plain text for other programs)."""
    mime = QMimeData()
    mime.setData(PART_MIME, json.dumps(list(part_ids)).encode())
    mime.setText("\n".join(part_ids))
    return mime


def decode_part_ids(mime: QMimeData) -> list[str]:
    """Catalog ids from mime data, or an empty list."""
    if not mime.hasFormat(PART_MIME):
        return []
    try:
        ids = json.loads(bytes(mime.data(PART_MIME).data()).decode())
    except (ValueError, UnicodeDecodeError):
        return []
    return [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []


_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.AccessibleTextRole,
        PartRole,
    }
)
"""The roles :meth:`CatalogTableModel.data` answers."""

_DISPLAY, _TOOLTIP = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole
_ALIGN, _ACCESSIBLE = Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.AccessibleTextRole
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
"""Roles and alignment looked up once: a repaint asks ``data`` thousands of times, and each
enum member lookup runs Python code (benchmark row "One search keystroke … 10,000 parts")."""
_NO_FLAGS = Qt.ItemFlag.NoItemFlags

_FLAGS_ROW = (
    Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsDragEnabled
)


class CatalogTableModel(QAbstractTableModel):
    """Parts of one kind with that kind's columns; search and compatibility filter built in.

    Filtering and sorting happen here, on plain Python lists, rather than in a
    QSortFilterProxyModel that would call back into Python for every row: a
    keystroke over 10,000 parts stays within a frame.
    """

    def __init__(self, catalog: Catalog, kind: str = "gpu", parent: Any = None):
        super().__init__(parent)
        self._catalog = catalog
        self._kind = kind
        self._text = ""
        self._fits: Callable[[PartBase], bool] | None = None
        self._sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder)
        self._ordered: list[PartBase] = []
        self._fit_pool: list[PartBase] = []
        self._fit_hay: list[str] = []
        """The search text of each part of ``_fit_pool``."""
        self._rows_hay: list[str] = []
        """The search text of each row shown."""
        self._texts: dict[tuple[str, int], str] = {}
        """Cell texts by part id and column, for the kind and catalog shown."""
        self._rows: list[PartBase] = []
        self._reorder()

    # -- configuration ---------------------------------------------------------------------

    @property
    def kind(self) -> str:
        """The kind shown."""
        return self._kind

    @property
    def columns(self) -> list[Column]:
        """The columns of the kind shown."""
        return COLUMNS[self._kind]

    def set_kind(self, kind: str) -> None:
        """Show another kind (its own columns)."""
        if kind == self._kind:
            return
        self._kind = kind
        self._texts.clear()
        self._sort = (0, Qt.SortOrder.AscendingOrder)
        self._reorder()

    def set_search(self, text: str) -> None:
        """Keep parts whose name, brand or key specs contain every word of ``text``."""
        if text == self._text:
            return
        old = self._text
        self._text = text
        # Typing forward (the old words are a prefix of the new ones) only narrows what
        # is shown, so the rows shown now are the pool; anything else starts over.
        narrowing = bool(old.strip()) and text.lower().startswith(old.lower())
        self.beginResetModel()
        self._rows = self._filtered(self._rows, self._rows_hay) if narrowing else self._filtered()
        self.endResetModel()

    def set_fit_filter(self, fits: Callable[[PartBase], bool] | None) -> None:
        """Keep only parts for which ``fits`` is true (None: no compatibility filter)."""
        self._fits = fits
        self._apply_fit()
        rows = self._filtered()
        if len(rows) == len(self._rows) and all(
            a is b for a, b in zip(rows, self._rows, strict=True)
        ):
            return  # nothing shown changes: keep the view (selection, scroll) and skip a repaint
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    @property
    def fit_predicate(self) -> Callable[[PartBase], bool] | None:
        """The compatibility filter in force (None: every part is shown)."""
        return self._fits

    def set_catalog(self, catalog: Catalog) -> None:
        """Show another catalog (after a price import, or a value the user filled in)."""
        self._catalog = catalog
        self._texts.clear()
        self._reorder()

    # -- filtering and sorting -------------------------------------------------------------

    def _filtered(
        self, pool: list[PartBase] | None = None, hay: list[str] | None = None
    ) -> list[PartBase]:
        """Filter ``pool`` (default: every part of the kind, sorted and fit) by the search.

        ``hay`` holds the search text of each part of ``pool``; the texts of the rows
        returned are kept in ``_rows_hay`` for the next, narrower search.
        """
        if pool is None or hay is None:
            pool, hay = self._fit_pool, self._fit_hay
        for word in self._text.lower().split():  # narrow word by word
            kept = [i for i, text in enumerate(hay) if word in text]
            pool = [pool[i] for i in kept]
            hay = [hay[i] for i in kept]
        self._rows_hay = hay
        return pool

    def _apply_fit(self) -> None:
        # Once per build change, not per keystroke: the fit check is the costly part.
        fits = self._fits
        self._fit_pool = self._ordered if fits is None else [p for p in self._ordered if fits(p)]
        hay = self._catalog.haystack
        self._fit_hay = [hay(p.id) for p in self._fit_pool]

    def _sorted(self, rows: list[PartBase]) -> list[PartBase]:
        column, order = self._sort
        col = self.columns[min(column, len(self.columns) - 1)]
        known = [p for p in rows if col.get(p) is not None]
        unknown = [p for p in rows if col.get(p) is None]
        try:
            known.sort(key=col.get, reverse=order == Qt.SortOrder.DescendingOrder)
        except TypeError:
            known.sort(key=lambda p: str(col.get(p)), reverse=order == Qt.SortOrder.DescendingOrder)
        return known + unknown  # unknown values last, whatever the order

    def _reorder(self) -> None:
        self._ordered = self._sorted(list(self._catalog.kinds.get(self._kind, [])))
        self._apply_fit()
        self._refilter()

    def _refilter(self) -> None:
        self.beginResetModel()
        self._rows = self._filtered()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column (unknown values last)."""
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._ordered = self._sorted(self._ordered)
        self._apply_fit()
        self._rows = self._filtered()
        self.layoutChanged.emit()

    # -- Qt model API ----------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Rows shown (0 under any parent: a flat table)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Columns of the kind shown."""
        return 0 if parent.isValid() else len(self.columns)

    def part_at(self, row: int) -> PartBase | None:
        """Return the part in a row."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, part_id: str) -> int:
        """Return the row showing a part, or -1."""
        return next((i for i, p in enumerate(self._rows) if p.id == part_id), -1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text, alignment, tooltip and the part itself (``PartRole``)."""
        if role not in _ROLES:
            return None  # a view asks for every role of every cell on each repaint
        row = index.row()
        if not 0 <= row < len(self._rows) or not index.isValid():
            return None
        part = self._rows[row]
        if role == _DISPLAY:
            key = (part.id, index.column())
            text = self._texts.get(key)
            if text is None:
                text = self._texts[key] = self.columns[index.column()].text(part)
            return text
        col = self.columns[index.column()]
        if role == _TOOLTIP:
            return part_tooltip(part)
        if role == _ALIGN and col.numeric:
            return _RIGHT
        if role == _ACCESSIBLE:
            return f"{col.header}: {col.text(part) or 'unknown'}"
        if role == PartRole:
            return part.id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column headers and their tooltips."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        col = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.header
        if role == Qt.ItemDataRole.ToolTipRole:
            return col.tooltip or None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Rows can be selected and dragged into the parts list."""
        return _FLAGS_ROW if index.isValid() else _NO_FLAGS

    def mimeTypes(self) -> list[str]:
        """Offer the part-id payload."""
        return [PART_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        """Encode the ids of the dragged rows, each once, in row order."""
        rows = sorted({i.row() for i in indexes if i.isValid()})
        return encode_part_ids([self._rows[r].id for r in rows])

    def supportedDragActions(self) -> Qt.DropAction:
        """Dragging from the catalog copies."""
        return Qt.DropAction.CopyAction
