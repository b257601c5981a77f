"""The stage editor: when a planned stage happens, its name, and the parts it buys."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dlplanner.domain.build import BuildItem, PlanStep
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.parts import KIND_TITLES, PART_KINDS
from dlplanner.domain.prices import catalog_price
from dlplanner.domain.timeline import MAX_MONTH, add_parts_to_step
from dlplanner.report.format import usd
from dlplanner.ui.models.catalog_model import decode_part_ids

NO_PRICE = -1.0
"""The price spin box's minimum: use the catalog price (no override)."""
PART_ROLE = Qt.ItemDataRole.UserRole + 20
NOTE_ROLE = Qt.ItemDataRole.UserRole + 21
_COL_PART, _COL_QTY, _COL_PRICE = range(3)


class _PartsTable(QTableWidget):
    """The stage's lines; Delete removes the selected line."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Delete and Backspace remove the current line."""
        delete = event.matches(QKeySequence.StandardKey.Delete)
        if (delete or event.key() == Qt.Key.Key_Backspace) and self.currentRow() >= 0:
            self.removeRow(self.currentRow())
            return
        super().keyPressEvent(event)


class StageDialog(QDialog):
    """Edit one planned stage; :meth:`step` gives the result as a new :class:`PlanStep`."""

    def __init__(
        self, catalog: Catalog, step: PlanStep, title: str = "Edit stage",
        parent: QWidget | None = None,
    ):  # fmt: skip
        super().__init__(parent)
        self._catalog = catalog
        self.setWindowTitle(title)
        self.setAcceptDrops(True)

        self.month = QSpinBox(self)
        self.month.setRange(0, MAX_MONTH)
        self.month.setPrefix("month ")
        self.month.setValue(step.month)
        self.month.setAccessibleName("Month")
        self.month.setToolTip("Months after the first purchase (0–240)")
        self.month.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.month.setMinimumWidth(self.fontMetrics().horizontalAdvance("month 240") + 48)
        self.label = QLineEdit(step.label, self)
        self.label.setMaxLength(200)
        self.label.setPlaceholderText("e.g. Second GPU")
        self.label.setAccessibleName("Stage name")

        self.table = _PartsTable(0, 3, self)
        self.table.setHorizontalHeaderLabels(["Part", "Qty", "Unit price"])
        self.table.setAccessibleName("Parts bought at this stage")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(_COL_PART, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(_COL_QTY, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(_COL_PRICE, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        for item in step.add:
            self._append(item)

        self.picker = QComboBox(self)
        self.picker.setEditable(True)
        self.picker.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # Long part names must not make the dialog as wide as the longest of them.
        self.picker.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.picker.setMinimumContentsLength(28)
        self.picker.setAccessibleName("Part to add")
        self.picker.setToolTip("Type any words of a part's name, brand or specs, then Add")
        search = self.picker.lineEdit()
        assert search is not None  # an editable combo box has one
        search.setPlaceholderText("Search the catalog…")
        for kind in PART_KINDS:
            if kind == "cloud":
                continue
            for part in catalog.of_kind(kind):
                self.picker.addItem(f"{part.title} — {KIND_TITLES[kind]}", part.id)
        self.picker.setCurrentIndex(-1)
        completer = QCompleter(self.picker.model(), self.picker)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.picker.setCompleter(completer)
        self.add_button = QPushButton("&Add part", self)
        self.add_button.setToolTip(
            "Add the chosen part to this stage (or drop parts here from the catalog)"
        )
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self._on_add)
        search.returnPressed.connect(self._on_add)
        self.remove_button = QPushButton("&Remove part", self)
        self.remove_button.setToolTip("Remove the selected line (Delete)")
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self._on_remove)
        self.message = QLabel(self)
        self.message.setAccessibleName("Message")

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        month_label = QLabel("&When:", self)
        month_label.setBuddy(self.month)
        name_label = QLabel("&Name:", self)
        name_label.setBuddy(self.label)
        form.addRow(month_label, self.month)
        form.addRow(name_label, self.label)
        add_row = QHBoxLayout()
        add_row.addWidget(self.picker, 1)
        add_row.addWidget(self.add_button)
        add_row.addWidget(self.remove_button)
        parts_label = QLabel("&Parts bought at this stage:", self)
        parts_label.setBuddy(self.table)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(parts_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(add_row)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(640, 420)

    # -- lines -----------------------------------------------------------------------------

    def _append(self, item: BuildItem) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        part = self._catalog.get(item.part)
        name = QTableWidgetItem(part.title if part else f"Unknown part '{item.part}'")
        name.setData(PART_ROLE, item.part)
        name.setData(NOTE_ROLE, item.note)
        name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        name.setToolTip(item.part)
        self.table.setItem(row, _COL_PART, name)
        qty = QSpinBox(self.table)
        qty.setRange(1, 64)
        qty.setValue(item.qty)
        qty.setAccessibleName("Quantity")
        self.table.setCellWidget(row, _COL_QTY, qty)
        price = QDoubleSpinBox(self.table)
        price.setRange(NO_PRICE, 1_000_000)
        price.setDecimals(2)
        price.setPrefix("$")
        catalog_usd = catalog_price(part).usd
        price.setSpecialValueText(f"catalog ({usd(catalog_usd)})")
        price.setValue(NO_PRICE if item.price_usd is None else item.price_usd)
        price.setAccessibleName("Unit price")
        price.setToolTip("What you expect to pay per unit; the minimum uses the catalog price")
        self.table.setCellWidget(row, _COL_PRICE, price)

    def items(self) -> tuple[BuildItem, ...]:
        """Return the lines as edited."""
        result = []
        for row in range(self.table.rowCount()):
            name = self.table.item(row, _COL_PART)
            qty = self.table.cellWidget(row, _COL_QTY)
            price = self.table.cellWidget(row, _COL_PRICE)
            assert name is not None
            assert isinstance(qty, QSpinBox) and isinstance(price, QDoubleSpinBox)
            value = price.value()
            result.append(
                BuildItem(
                    part=name.data(PART_ROLE),
                    qty=qty.value(),
                    price_usd=None if value <= NO_PRICE else value,
                    note=name.data(NOTE_ROLE) or "",
                )
            )
        return tuple(result)

    def step(self) -> PlanStep:
        """Return the stage as edited."""
        return PlanStep(month=self.month.value(), label=self.label.text().strip(), add=self.items())

    def add_parts(self, part_ids: list[str]) -> None:
        """Add catalog parts (a repeated GPU, memory kit or drive raises its quantity)."""
        before = self.items()
        after = add_parts_to_step(PlanStep(month=0, add=before), part_ids, self._catalog).add
        for row, item in enumerate(after):
            if row < len(before):
                qty = self.table.cellWidget(row, _COL_QTY)
                assert isinstance(qty, QSpinBox)
                qty.setValue(item.qty)
            else:
                self._append(item)
        self.table.selectRow(self.table.rowCount() - 1 if len(after) > len(before) else 0)

    def _on_add(self) -> None:
        text = self.picker.currentText().strip()
        index = self.picker.findText(text)
        part_id = self.picker.itemData(index) if index >= 0 else None
        if part_id is None and text:
            found = [p for p in self._catalog.search(text) if getattr(p, "kind", "") != "cloud"]
            part_id = found[0].id if len(found) == 1 else None
            if len(found) > 1:
                self.message.setText(f"{len(found)} parts match “{text}”: pick one from the list.")
                return
        if part_id is None:
            self.message.setText("No part matches: type part of its name, then pick it.")
            return
        self.message.clear()
        self.add_parts([part_id])
        self.picker.setCurrentIndex(-1)
        self.picker.clearEditText()

    def _on_remove(self) -> None:
        if self.table.currentRow() >= 0:
            self.table.removeRow(self.table.currentRow())

    # -- drops -----------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept catalog parts."""
        if decode_part_ids(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        """Accept catalog parts."""
        if decode_part_ids(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Add dropped catalog parts to the stage."""
        ids = decode_part_ids(event.mimeData())
        if ids:
            self.add_parts(ids)
            event.acceptProposedAction()


def edit_step(
    parent: QWidget | None, catalog: Catalog, step: PlanStep, title: str = "Edit stage"
) -> PlanStep | None:
    """Show the editor modally; the edited step, or None when cancelled (tests patch this)."""
    dialog = StageDialog(catalog, step, title, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.step()
    finally:
        dialog.deleteLater()
