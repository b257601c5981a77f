"""Power limits in the window: the parts list's Limit column and the hint's one-click Apply."""

from __future__ import annotations

from PySide6.QtCore import QUrl

from dlplanner.domain.build import Build, BuildItem, Site
from dlplanner.report.plan import COL_LIMIT, COL_POWER
from dlplanner.ui.document import BuildDocument
from dlplanner.ui.panels.findings_panel import FindingsPanel
from dlplanner.ui.panels.parts_panel import PartsPanel

GPU = "gigabyte-geforce-rtx-3090-turbo-24g"
QUAD = Build(
    name="Quad RTX 3090 Turbo",
    items=(
        BuildItem(part="intel-xeon-w-2275"),
        BuildItem(part=GPU, qty=4),
        BuildItem(part="evga-supernova-1600-p2"),
    ),
    site=Site(volts=120, breaker_amps=15),
)


def rules_of(doc: BuildDocument) -> set[str]:
    return {f.rule for f in doc.evaluation.findings}


def test_limit_column_edits_undoably(qtbot, catalog, qapp):
    doc = BuildDocument(catalog, QUAD)
    panel = PartsPanel(doc)
    qtbot.addWidget(panel)
    model = panel.model
    assert model.index(1, COL_LIMIT).data() == "stock"
    assert model.index(0, COL_LIMIT).data() == ""  # the CPU takes no limit
    assert model.index(1, COL_POWER).data() == "1,400 W"
    assert "wall-circuit" in rules_of(doc)
    assert model.setData(model.index(1, COL_LIMIT), "230 W")
    assert doc.build.items[1].power_limit_w == 230
    assert model.index(1, COL_LIMIT).data() == "230 W"
    assert model.index(1, COL_POWER).data() == "920 W"
    assert "wall-circuit" not in rules_of(doc)
    assert "1,185 W DC" in panel.totals_text(doc.build, rich=False)
    refused: list[str] = []
    doc.edit_refused.connect(refused.append)
    assert not model.setData(model.index(1, COL_LIMIT), "900")  # over the 375 W the sockets give
    assert refused and "375 W" in refused[0] and doc.build.items[1].power_limit_w == 230
    assert not model.setData(model.index(0, COL_LIMIT), "100")
    doc.undo_stack.undo()
    assert doc.build.items[1].power_limit_w is None and "wall-circuit" in rules_of(doc)
    assert model.setData(model.index(1, COL_LIMIT), "250")
    assert model.setData(model.index(1, COL_LIMIT), "stock")
    assert doc.build.items[1].power_limit_w is None


def test_hint_offers_its_limit_as_one_click(qtbot, catalog, qapp):
    doc = BuildDocument(catalog, QUAD)
    panel = FindingsPanel(doc)
    qtbot.addWidget(panel)
    panel.resize(700, 500)
    panel.show()
    qtbot.waitExposed(panel)
    row = next(
        i
        for i in range(panel.tree.topLevelItemCount())
        if "to 255 W" in panel.tree.topLevelItem(i).text(2)
    )
    panel.tree.setCurrentItem(panel.tree.topLevelItem(row))
    html = panel.detail.toHtml()
    assert "apply-limit:255" in html and "Apply: set the GPUs to 255 W" in html
    panel.detail.anchorClicked.emit(QUrl("apply-limit:255"))
    assert doc.build.items[1].power_limit_w == 255
    assert doc.undo_stack.undoText() == "Power-limit the GPUs to 255 W"
    assert not {"wall-circuit", "psu-wattage", "power-limit-hint"} & rules_of(doc)
    doc.undo_stack.undo()
    assert doc.build.items[1].power_limit_w is None
