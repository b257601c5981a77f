"""Price age in the window: the parts list and the cost table show it; old prices are marked."""

from __future__ import annotations

from PySide6.QtCore import Qt

from dlplanner.domain.build import Build, BuildItem, CompareEntry
from dlplanner.report.plan import COL_DATE
from dlplanner.ui.document import BuildDocument
from dlplanner.ui.panels.cost_panel import CostPanel
from dlplanner.ui.theme import STALE_COLOUR


def test_parts_list_shows_age_and_marks_old_prices(window):
    window.doc.add_parts(["nvidia-geforce-rtx-2080-ti-fe"])  # at the catalog's price
    model = window.parts_panel.model
    row = next(
        r
        for r in range(model.rowCount())
        if model.item_at(r).part == "nvidia-geforce-rtx-2080-ti-fe"
        and model.item_at(r).price_usd is None
    )
    cell = model.item(row, COL_DATE)
    # the catalog's price is NVIDIA's launch MSRP, marked as one (issue 13), with its age
    # short in the cell so the part names keep the room, in words in the tooltip
    assert cell.text().startswith("launch 2018-09-20 (") and cell.text().endswith(" y) ⚠")
    assert (
        cell.toolTip().startswith("launch price, 2018-09-20 (") and "years old) ⚠" in cell.toolTip()
    )
    assert cell.foreground().color().name() == STALE_COLOUR
    assert "Import PCPartPicker List" in cell.toolTip()


def test_cost_table_dates_every_offer(catalog, qtbot):
    build = Build(
        items=(BuildItem(part="nvidia-geforce-rtx-4090-fe"),),
        compare=(CompareEntry(offer="aws-p2-xlarge"),),
    )
    panel = CostPanel(BuildDocument(catalog, build))
    qtbot.addWidget(panel)
    model = panel.table_model
    last = model.columnCount() - 1
    assert "Price" in model.headerData(last, Qt.Orientation.Horizontal)
    row = model.rowCount() - 1
    assert model.index(row, last).data().startswith("2017-03-16 (")
    assert model.index(row, last).data().endswith("⚠")
    assert model.index(row, last).data(Qt.ItemDataRole.ForegroundRole).name() == STALE_COLOUR
    assert "Import Prices" in model.index(row, last).data(Qt.ItemDataRole.ToolTipRole)
    assert "older than six months" in panel.notes.text()
