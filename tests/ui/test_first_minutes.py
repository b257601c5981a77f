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


def test_break_even_labels_never_overlap(catalog, qtbot):
    from dlplanner.io.buildfile import load_build
    from dlplanner.ui.panels.cost_panel import CostPanel
    from tests.conftest import ROOT

    doc = BuildDocument(
        catalog, load_build(ROOT / "resources/examples/article-2019-scalable.dlbuild.yaml")
    )
    panel = CostPanel(doc)
    qtbot.addWidget(panel)
    panel.resize(700, 500)
    panel.show()
    qtbot.waitExposed(panel)
    labels = panel.chart.break_even_labels()
    assert labels
    boxes = [label.mapRectToScene(label.boundingRect()) for label in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.intersects(b), (a, b)


def test_parts_tab_shows_the_plan_and_the_price_dates(document, qtbot):
    from dlplanner.ui.panels.parts_panel import PartsPanel

    panel = PartsPanel(document)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.plan_strip.isVisible()
    assert panel.plan_strip.text() == "Plan: +1 GPU at months 3, 6 and 9 → 4 GPUs, $6,017.04 in all"
    assert "prices from 2017 to 2025; the oldest are launch prices" in panel.totals.text()
    document.edit("Drop the plan", plan=())
    assert not panel.plan_strip.isVisible()


def test_first_start_guidance_and_empty_timeline(window, qtbot):
    guidance = window.parts_panel.guidance
    assert guidance.isVisible() and "Drag parts in" in guidance.text()
    guidance.linkActivated.emit("hide")
    assert not guidance.isVisible()
    window.doc.edit("Drop the plan", plan=())
    window.tabs.setCurrentIndex(2)
    banner = window.timeline_panel.banner
    assert window.timeline_panel.banner_frame.isVisible()
    assert "No upgrades planned yet." in banner.text()
