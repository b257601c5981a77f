"""What a newcomer meets in the window: a typo'd part id fixed in one click, empty states."""

from __future__ import annotations

import re

from PySide6.QtCore import QUrl

from dlplanner.domain.build import Build, BuildItem, PlanStep
from dlplanner.ui.document import BuildDocument
from dlplanner.ui.panels.findings_panel import FindingsPanel

TYPO, REAL = "nvidia-geforce-rtx-3090-fx", "nvidia-geforce-rtx-3090-fe"


def test_one_click_replaces_an_unknown_id_with_the_suggestion(catalog, qtbot):
    build = Build(
        items=(BuildItem(part=TYPO, qty=2),),
        plan=(PlanStep(month=3, add=(BuildItem(part=TYPO),)),),
    )
    doc = BuildDocument(catalog, build)
    panel = FindingsPanel(doc)
    qtbot.addWidget(panel)
    assert panel.select_identity(("unknown-parts", True, TYPO))
    html = panel.detail.toHtml()
    assert f"did you mean {REAL}?" in html
    [link] = re.findall(r'href="(replace:[^"]+)"', html)
    panel.detail.anchorClicked.emit(QUrl(link))
    assert [i.part for i in doc.build.items] == [REAL] and doc.build.items[0].qty == 2
    assert doc.build.plan[0].add[0].part == REAL
    assert not [f for f in doc.evaluation.findings if f.rule == "unknown-parts"]
    doc.undo_stack.undo()  # one undoable step
    assert doc.build.items[0].part == TYPO


def test_empty_build_says_add_parts(catalog, qtbot):
    doc = BuildDocument(catalog, Build())
    panel = FindingsPanel(doc)
    qtbot.addWidget(panel)
    assert "Add parts to check." in panel.banner.text()
    assert "compatible" not in panel.banner.text().lower()


def test_cost_tab_without_gpus_has_nothing_to_compare(catalog, qtbot):
    from dlplanner.ui.panels.cost_panel import CostPanel

    doc = BuildDocument(catalog, Build(items=(BuildItem(part="amd-ryzen-9-9950x"),)))
    panel = CostPanel(doc)
    qtbot.addWidget(panel)
    text = panel.headline.text()
    assert "no GPUs to compare" in text and "0.0×" not in text
    assert panel.chart.options == () or not panel.chart.options
