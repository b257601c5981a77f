"""The parts list as a person uses it: spin-box editors, highlighted lines."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDoubleSpinBox, QSpinBox

from dlplanner.report.plan import COL_DATE, COL_PRICE, COL_QTY
from dlplanner.ui.panels.parts_panel import PartsPanel


def gpu_row(document) -> int:
    return next(i for i, it in enumerate(document.build.items) if document.catalog.gpu(it.part))


def panel_for(qtbot, document) -> PartsPanel:
    panel = PartsPanel(document)
    qtbot.addWidget(panel)
    panel.resize(900, 400)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_price_is_edited_in_a_money_spin_box(qtbot, document):
    panel = panel_for(qtbot, document)
    row = gpu_row(document)
    index = panel.model.index(row, COL_PRICE)
    before = document.build.items[row].price_usd  # the article's own price: an override
    panel.view.setCurrentIndex(index)
    panel.view.edit(index)
    editor = panel.view.findChild(QDoubleSpinBox)
    assert editor is not None and editor.value() == before and editor.prefix() == "$"
    editor.setValue(650.5)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next loop pass
    qtbot.waitUntil(lambda: document.build.items[row].price_usd == 650.5)
    assert index.data() == "$650.50" and index.data(Qt.ItemDataRole.FontRole).italic()
    assert panel.model.index(row, COL_DATE).data() == "your price"
    document.undo_stack.undo()
    assert document.build.items[row].price_usd == before
    # Clearing the override (0) shows the catalog price again, upright.
    panel.model.setData(panel.model.index(row, COL_PRICE), 0.0)
    assert document.build.items[row].price_usd is None
    assert panel.model.index(row, COL_PRICE).data(Qt.ItemDataRole.FontRole) is None
    assert panel.model.index(row, COL_DATE).data() != "your price"


def test_quantity_is_edited_in_a_bounded_spin_box(qtbot, document):
    panel = panel_for(qtbot, document)
    row = gpu_row(document)
    index = panel.model.index(row, COL_QTY)
    panel.view.setCurrentIndex(index)
    panel.view.edit(index)
    editor = panel.view.findChild(QSpinBox)
    assert editor is not None and (editor.minimum(), editor.maximum()) == (1, 64)
    editor.setValue(3)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: document.build.items[row].qty == 3)
    assert index.data() == 3


def test_highlighted_parts_are_marked_and_unmarked(qtbot, document):
    panel = panel_for(qtbot, document)
    row = gpu_row(document)
    part = document.build.items[row].part
    model = panel.model

    def marked() -> list[int]:
        return [
            r
            for r in range(model.rowCount())
            if model.index(r, 1).data(Qt.ItemDataRole.BackgroundRole) is not None
        ]

    assert marked() == []
    document.highlight((part,))
    assert marked() == [row]
    assert all(
        model.index(row, c).data(Qt.ItemDataRole.BackgroundRole) is not None
        for c in range(model.columnCount())
    )
    document.highlight(())
    assert marked() == []


def test_part_names_keep_their_room_in_a_narrow_window(qtbot, document):
    from PySide6.QtWidgets import QHeaderView

    from dlplanner.report.plan import COL_PART
    from dlplanner.ui.panels.parts_panel import PART_MIN_CHARS

    panel = panel_for(qtbot, document)
    header = panel.view.horizontalHeader()
    least = panel.view.fontMetrics().averageCharWidth() * PART_MIN_CHARS
    assert header.sectionResizeMode(COL_PART) == QHeaderView.ResizeMode.Stretch
    panel.resize(520, 400)  # narrower than the other columns need: scroll, don't cut names
    qtbot.waitUntil(lambda: header.sectionSize(COL_PART) >= least)
    assert header.sectionResizeMode(COL_PART) == QHeaderView.ResizeMode.Interactive
    panel.resize(1400, 400)  # room again: the names take what is left
    qtbot.waitUntil(lambda: header.sectionResizeMode(COL_PART) == QHeaderView.ResizeMode.Stretch)
    assert header.sectionSize(COL_PART) > least
