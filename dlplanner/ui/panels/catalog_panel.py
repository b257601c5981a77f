"""The catalog browser: kinds as tabs, search as you type, sortable specs, drag or Enter to add.

Each kind's tab keeps its own search text. When "only parts that fit" hides parts, the
count under the table says how many and the most common reason (the tooltip lists every
reason); a search that shows nothing gets an empty state that says so and offers to clear
the search, or to show the parts that match but do not fit.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dlplanner.domain.build import Build
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.parts import KIND_TITLES, PART_KINDS, PartBase
from dlplanner.report.browse import count_text, empty_text, kind_plural
from dlplanner.rules.fit import Conflict, fit_conflict, fit_filter
from dlplanner.ui.document import BuildDocument
from dlplanner.ui.models.catalog_model import CatalogTableModel
from dlplanner.ui.panels.catalog_empty import CatalogEmptyState
from dlplanner.ui.widgets.part_details import PartDetailsView

PART_KINDS_IN_BUILD = tuple(k for k in PART_KINDS if k != "cloud")


class CatalogTableView(QTableView):
    """A table of parts; Enter adds the selected parts, drags carry their ids."""

    add_requested = Signal(list)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter or Return adds the selection to the build."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            ids = self.selected_ids()
            if ids:
                self.add_requested.emit(ids)
                return
        super().keyPressEvent(event)

    def selected_ids(self) -> list[str]:
        """Ids of the selected rows, in row order."""
        model = self.model()
        assert isinstance(model, CatalogTableModel)
        rows = sorted({i.row() for i in self.selectionModel().selectedRows()})
        return [p.id for r in rows if (p := model.part_at(r)) is not None]


class CatalogPanel(QWidget):
    """Browse and search the catalog; add parts by drag, double-click, Enter or the Add button."""

    def __init__(self, document: BuildDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self._doc = document
        self._last_fit_key: tuple[str, ...] = ()
        self._searches: dict[str, str] = {}
        """Each kind's search text (the field shows the current tab's)."""
        self._conflict: Callable[[PartBase], Conflict | None] | None = None
        self._hidden: dict[str, list[tuple[PartBase, Conflict]]] = {}
        """The parts of each kind the fit filter hides, with why (worked out when shown)."""
        self.model = CatalogTableModel(document.catalog, "gpu", self)

        self.tabs = QTabBar(self)
        self.tabs.setExpanding(False)
        self.tabs.setAccessibleName("Part kinds")
        for kind in PART_KINDS_IN_BUILD:
            index = self.tabs.addTab(KIND_TITLES[kind])
            self.tabs.setTabData(index, kind)
            self.tabs.setTabToolTip(index, f"Show {KIND_TITLES[kind].lower()} parts")
        self.tabs.setCurrentIndex(PART_KINDS_IN_BUILD.index("gpu"))

        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search the catalog")
        self.search.setToolTip(
            "Every word must match: name, brand, chipset, socket, VRAM …\n"
            "(e.g. 3090 blower, 24gb, TR4)\n"
            "Each kind's tab keeps its own search.\n"
            "Enter adds the top result, Down goes to the list, "
            "Ctrl+PgDown / Ctrl+PgUp switch kinds"
        )

        self.fit_only = QCheckBox("Only parts that fit this build", self)
        self.fit_only.setChecked(True)
        self.fit_only.setToolTip(
            "Hide parts with a hard conflict with what the build already has (socket, memory "
            "type, form factor, card length). Turn off to see everything."
        )

        self.view = CatalogTableView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName("Catalog parts")
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

        self.add_button = QPushButton("&Add to build", self)
        self.add_button.setToolTip("Add the selected parts to the parts list (Enter)")
        self.count_label = QLabel(self)
        self.count_label.setWordWrap(True)
        self.details = PartDetailsView(self)

        self.empty = CatalogEmptyState(self)
        self.results = QStackedWidget(self)
        self.results.addWidget(self.view)
        self.results.addWidget(self.empty)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.fit_only)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.add_button)
        table_box = QWidget(self)
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.results, 1)
        table_layout.addLayout(bottom)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(table_box)
        split.addWidget(self.details)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tabs)
        layout.addLayout(top)
        layout.addWidget(split, 1)

        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.search.textChanged.connect(self._on_search_changed)
        # Keyboard: from the search field, Down goes to the results, Enter adds the top (or
        # selected) result; Ctrl+PgDown / Ctrl+PgUp switch kinds from the field or the table.
        self.search.installEventFilter(self)
        self.view.installEventFilter(self)
        self.fit_only.toggled.connect(lambda _on: self._update_fit_filter())
        self.empty.clear_button.clicked.connect(self._clear_search)
        self.empty.show_all_button.clicked.connect(lambda: self.fit_only.setChecked(False))
        self.view.doubleClicked.connect(self._on_double_clicked)
        self.view.add_requested.connect(self._add)
        self.add_button.clicked.connect(lambda: self._add(self.view.selected_ids()))
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.model.modelReset.connect(self._update_count)
        document.build_changed.connect(self._on_build_changed)
        document.catalog_changed.connect(self._on_catalog_changed)
        self._update_fit_filter()
        self._show_search_of(self.model.kind)
        self._fit_columns()

    # -- slots -----------------------------------------------------------------------------

    def _on_tab_changed(self, index: int) -> None:
        kind = str(self.tabs.tabData(index))
        self.model.set_kind(kind)
        self._show_search_of(kind)
        self.view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self._fit_columns()
        self._on_selection_changed()

    def _show_search_of(self, kind: str) -> None:
        """Put the kind's own search text in the field (selected, so typing replaces it)."""
        self.search.setPlaceholderText(f"Search {kind_plural(kind)} by name, brand or specs")
        text = self._searches.get(kind, "")
        if self.search.text() != text:
            self.search.setText(text)  # filters through _on_search_changed
        else:
            self.model.set_search(text)
        if self.search.hasFocus():
            self.search.selectAll()

    def _on_search_changed(self, text: str) -> None:
        self._searches[self.model.kind] = text
        self.model.set_search(text)

    def _clear_search(self) -> None:
        self.search.clear()
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_build_changed(self, build: Build) -> None:
        # Only the parts the fit checks read decide what fits: skip the refilter (and the
        # table's reset and repaint) when an edit leaves them alone (a quantity, storage).
        key = self._fit_key(build)
        if self.fit_only.isChecked() and key != self._last_fit_key:
            self._update_fit_filter()

    def _on_catalog_changed(self, catalog: Catalog) -> None:
        self._hidden.clear()
        self.model.set_catalog(catalog)
        self._update_fit_filter()
        self._on_selection_changed()

    def _fit_key(self, build: Build) -> tuple[str, ...]:
        kinds = {"cpu", "motherboard", "case", "memory", "cooler", "psu", "gpu"}
        catalog = self._doc.catalog
        parts = (catalog.get(i.part) for i in build.items)
        return tuple(p.id for p in parts if p is not None and p.kind in kinds)  # type: ignore[attr-defined]

    def _update_fit_filter(self) -> None:
        build, catalog = self._doc.build, self._doc.catalog
        self._last_fit_key = self._fit_key(build)
        on = self.fit_only.isChecked()
        self._conflict = fit_conflict(build, catalog) if on else None
        self._hidden.clear()
        self.model.set_fit_filter(fit_filter(build, catalog) if on else None)

    def _on_double_clicked(self, index: QModelIndex) -> None:
        part = self.model.part_at(index.row())
        if part is not None:
            self._add([part.id])

    def _add(self, ids: list[str]) -> None:
        if ids:
            self._doc.add_parts(ids)

    def _on_selection_changed(
        self, selected: QItemSelection | None = None, deselected: QItemSelection | None = None
    ) -> None:
        ids = self.view.selected_ids()
        self.add_button.setEnabled(bool(ids))
        part = self._doc.catalog.get(ids[0]) if ids else None
        self.details.show_part(part)

    def hidden_parts(self) -> list[tuple[PartBase, Conflict]]:
        """Return the parts of the kind shown that the fit filter hides, each with its conflict."""
        kind, conflict = self.model.kind, self._conflict
        if conflict is None or self.model.fit_predicate is None:
            return []
        if kind not in self._hidden:
            parts = self._doc.catalog.kinds.get(kind, [])
            self._hidden[kind] = [(p, c) for p in parts if (c := conflict(p)) is not None]
        return self._hidden[kind]

    def _update_count(self) -> None:
        kind = self.model.kind
        total, shown = len(self._doc.catalog.kinds.get(kind, [])), self.model.rowCount()
        hidden = self.hidden_parts()
        searched = self.search.text().strip()
        text, tip = count_text(kind, shown, total, searched, [c for _p, c in hidden])
        self.count_label.setText(text)
        self.count_label.setToolTip(tip)
        self._update_empty_state(searched, shown, hidden)
        self._on_selection_changed()

    def _update_empty_state(
        self, searched: str, shown: int, hidden: list[tuple[PartBase, Conflict]]
    ) -> None:
        if shown:
            self.results.setCurrentWidget(self.view)
            return
        words = searched.lower().split()
        hay = self._doc.catalog.haystack
        matching = [c for p, c in hidden if all(w in hay(p.id) for w in words)]
        headline, detail = empty_text(self.model.kind, searched, [c for _p, c in hidden], matching)
        self.empty.show_state(headline, detail, clear=bool(searched), show_all=bool(matching))
        self.results.setCurrentWidget(self.empty)

    def _fit_columns(self) -> None:
        self.view.resizeColumnsToContents()
        header = self.view.horizontalHeader()
        # Narrow enough that the price and the next key specs show at the default width
        # (the full name is in the tooltip and the details below).
        header.resizeSection(0, min(max(header.sectionSize(0), 160), 220))

    # -- API -------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keys that make the catalog usable without a mouse (see ``__init__``)."""
        if event.type() != QEvent.Type.KeyPress or watched not in (self.search, self.view):
            return False
        assert isinstance(event, QKeyEvent)
        key, mods = event.key(), event.modifiers()
        if mods & Qt.KeyboardModifier.ControlModifier and key in (
            Qt.Key.Key_PageDown,
            Qt.Key.Key_PageUp,
        ):
            step = 1 if key == Qt.Key.Key_PageDown else -1
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())
            return True
        if watched is self.search and key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown):
            self._select_first()
            self.view.setFocus(Qt.FocusReason.TabFocusReason)
            return True
        if watched is self.search and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._select_first()
            self._add(self.view.selected_ids())
            return True
        return False

    def _select_first(self) -> None:
        if self.model.rowCount() and not self.view.selectionModel().hasSelection():
            self.view.selectRow(0)

    def focus_search(self) -> None:
        """Put the cursor in the search field (Find)."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def show_kind(self, kind: str) -> None:
        """Switch to a kind's tab."""
        for i in range(self.tabs.count()):
            if self.tabs.tabData(i) == kind:
                self.tabs.setCurrentIndex(i)
