"""The upgrade timeline panel: stage edits through the document, findings per stage, chart data."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent, QPalette

from dlplanner.domain.build import Build, BuildItem, PlanStep, Site
from dlplanner.domain.catalog import Catalog
from dlplanner.report.stages import COL_GPUS, COL_POWER, COL_SPEND, COL_WORST, later_problems
from dlplanner.rules.finding import Severity
from dlplanner.ui.dialogs import stage_dialog
from dlplanner.ui.dialogs.stage_dialog import NO_PRICE, StageDialog
from dlplanner.ui.document import BuildDocument
from dlplanner.ui.models.catalog_model import encode_part_ids
from dlplanner.ui.models.timeline_model import StageRole, WorstRole
from dlplanner.ui.panels.timeline_chart import step_xy
from dlplanner.ui.panels.timeline_panel import TimelinePanel
from dlplanner.ui.theme import _dark_palette
from tests.ui.dnd import drag_and_drop
from tests.unit.test_timeline import small_build, small_catalog

GTX = "nvidia-geforce-gtx-1080-ti-fe"


PLAN = tuple(
    PlanStep(month=m, label=label, add=(BuildItem(part=GTX, price_usd=700.0),))
    for m, label in ((3, "Second GPU"), (6, "Third GPU"), (12, "Fourth GPU"))
)


@pytest.fixture
def document(catalog: Catalog, article: Build, qapp) -> BuildDocument:
    """The article's build (one GTX 1080 Ti, 1600 W PSU) with a fixed plan of three more."""
    return BuildDocument(catalog, article.model_copy(update={"plan": PLAN}))


@pytest.fixture
def panel(document: BuildDocument, qtbot) -> TimelinePanel:
    widget = TimelinePanel(document)
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def small(qapp) -> BuildDocument:
    """One 250 W GPU and a 65 W CPU on a 1000 W PSU; no plan yet."""
    return BuildDocument(small_catalog(), small_build(0))


@pytest.fixture
def small_panel(small: BuildDocument, qtbot) -> TimelinePanel:
    widget = TimelinePanel(small)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _rules(document: BuildDocument, stage: int) -> set[str]:
    return {f.rule for f in document.evaluation.stage_findings(stage)}


# -- the article's build -------------------------------------------------------------------


def test_done_when_three_more_gpus_over_a_year_each_stage_checked(catalog, article, qtbot):
    doc = BuildDocument(catalog, article.model_copy(update={"plan": ()}))
    widget = TimelinePanel(doc)
    qtbot.addWidget(widget)
    # the empty state says what to do
    assert widget.banner_frame.isVisibleTo(widget)
    assert "No upgrades planned yet." in widget.banner.text()
    for _ in range(3):
        widget.add_button.click()
    assert [(s.month, s.label) for s in doc.build.plan] == [
        (3, "Second GPU"), (6, "Third GPU"), (9, "Fourth GPU"),
    ]  # fmt: skip
    # Each new stage buys one more of the build's GTX 1080 Ti at the article's $700.
    assert all(s.add == (BuildItem(part=GTX, price_usd=700.0),) for s in doc.build.plan)
    assert doc.evaluation.stages == (0, 1, 2, 3)
    assert [widget.model.summary(k).gpus for k in range(4)] == [1, 2, 3, 4]
    assert "Every stage checked" in widget.banner.text()
    assert widget.totals.text().count("4 GPUs") == 1


def test_the_article_plan_is_shown_and_checked_stage_by_stage(panel: TimelinePanel, document):
    model = panel.model
    assert model.rowCount() == 4
    rows = [model.index(r, 0).data(StageRole) for r in range(4)]
    assert [r.month for r in rows] == [0, 3, 6, 12]
    assert [r.gpus for r in rows] == [1, 2, 3, 4]
    # 1920X 180 W + n × 250 W GTX 1080 Ti + 100 W for the rest.
    assert [r.power_w for r in rows] == pytest.approx([530, 780, 1030, 1280])
    assert [r.spend_usd for r in rows[1:]] == pytest.approx([700, 700, 700])
    assert model.index(2, COL_GPUS).data() == "3"
    assert model.index(3, COL_POWER).data() == "1,280 W"
    assert model.index(1, COL_SPEND).data() == "$700.00"
    assert document.evaluation.stages == (0, 1, 2, 3)
    for stage in range(4):
        worst = model.index(stage, COL_WORST).data(WorstRole)
        found = document.evaluation.stage_findings(stage)
        assert worst == (found[0] if found else None)
    # The 1600 W PSU and the case carry four GPUs: no new problem in the plan.
    assert later_problems(document.evaluation) == []
    assert panel.banner_frame.isVisibleTo(panel)
    assert "Every stage checked" in panel.banner.text()


def test_the_model_passes_the_model_tester(panel: TimelinePanel, qtmodeltester):
    qtmodeltester.check(panel.model)


# -- adding stages, and findings per stage -------------------------------------------------


def test_three_more_gpus_break_the_1000w_psu_at_the_last_stage_only(small_panel, small):
    for _ in range(3):
        small_panel.add_button.click()
    assert [s.month for s in small.build.plan] == [3, 6, 9]
    assert [s.label for s in small.build.plan] == ["Second GPU", "Third GPU", "Fourth GPU"]
    assert all(s.add == (BuildItem(part="gpu-250"),) for s in small.build.plan)
    # 65 + 3 × 250 = 815 W × 1.21 = 986 W fits 1000 W; 65 + 4 × 250 = 1065 W does not.
    assert ["psu-wattage" in _rules(small, k) for k in range(4)] == [False, False, False, True]
    psu = next(f for f in small.evaluation.findings if f.rule == "psu-wattage")
    assert (psu.stage, psu.severity) == (3, Severity.ERROR)
    assert small_panel.model.worst(3).rule == "psu-wattage"
    assert small_panel.current_stage() == 3
    text = small_panel.banner.text()
    assert "Stage 3 (month 9)" in text and "Power supply wattage" in text
    assert "1065 W" in text

    small.undo_stack.undo()
    assert len(small.build.plan) == 2
    assert "psu-wattage" not in {f.rule for f in small.evaluation.findings}
    assert small_panel.model.rowCount() == 3
    assert "Every stage checked" in small_panel.banner.text()


def test_insert_key_adds_a_gpu_stage(small_panel, small, qtbot):
    small_panel.view.setFocus()
    qtbot.keyClick(small_panel.view, Qt.Key.Key_Insert)
    assert small.build.plan == (
        PlanStep(month=3, label="Second GPU", add=(BuildItem(part="gpu-250"),)),
    )


def test_add_stage_without_a_gpu_plans_an_empty_stage(qtbot, qapp):
    doc = BuildDocument(small_catalog(), Build(items=(BuildItem(part="cpu-65"),)))
    widget = TimelinePanel(doc)
    qtbot.addWidget(widget)
    assert widget.add_button.text() == "Add &stage"
    widget.add_button.click()
    assert doc.build.plan == (PlanStep(month=3, label="Stage 1"),)


def test_a_later_problem_is_told_at_its_worst_stage(document: BuildDocument, panel):
    items = tuple(
        i.model_copy(update={"part": "corsair-rm1000x-2021"})
        if i.part == "evga-supernova-1600-p2"
        else i
        for i in document.build.items
    )
    document.edit("Smaller PSU", items=items)
    problems = later_problems(document.evaluation)
    psu = next(p for p in problems if p.finding.rule == "psu-wattage")
    # 180 + 3 × 250 = 930 W × 1.21 = 1125 W > 1000 W (a warning at stage 2);
    # 180 + 4 × 250 = 1180 W > 1000 W (an error at stage 3).
    assert (psu.first_stage, psu.first_severity) == (2, Severity.WARNING)
    assert (psu.finding.stage, psu.finding.severity) == (3, Severity.ERROR)
    text = panel.banner.text()
    assert "Stage 3 (month 12)" in text and "a warning from stage 2, month 6" in text
    assert "1180 W" in text


# -- editing, moving, removing -------------------------------------------------------------


def test_edit_stage_through_the_dialog(panel, document, monkeypatch):
    seen = []

    def fake_edit(parent, catalog, step, title):
        seen.append((step, title))
        return PlanStep(month=7, label="Two more", add=(BuildItem(part=GTX, qty=2),))

    monkeypatch.setattr(stage_dialog, "edit_step", fake_edit)
    panel.select_stage(1)
    panel.edit_button.click()
    assert seen[0][0].label == "Second GPU" and "Second GPU" in seen[0][1]
    assert [s.month for s in document.build.plan] == [6, 7, 12]
    assert document.build.plan[1].label == "Two more"
    assert panel.current_stage() == 2
    assert panel.model.summary(3).gpus == 5
    assert document.undo_stack.undoText() == "Edit Two more"

    document.undo_stack.undo()
    assert [s.label for s in document.build.plan] == ["Second GPU", "Third GPU", "Fourth GPU"]


def test_cancelled_edit_changes_nothing(panel, document, monkeypatch):
    monkeypatch.setattr(stage_dialog, "edit_step", lambda *args: None)
    panel.select_stage(2)
    count = document.undo_stack.count()
    panel.edit_stage()
    assert document.undo_stack.count() == count


def test_stage_0_cannot_be_edited_moved_or_removed(panel, document, qtbot, monkeypatch):
    monkeypatch.setattr(stage_dialog, "edit_step", lambda *args: pytest.fail("no dialog"))
    panel.select_stage(0)
    assert not panel.edit_button.isEnabled() and not panel.remove_button.isEnabled()
    assert not panel.earlier_button.isEnabled() and not panel.later_button.isEnabled()
    before = document.build
    for key in (Qt.Key.Key_Delete, Qt.Key.Key_F2):
        qtbot.keyClick(panel.view, key)
    qtbot.keyClick(panel.view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert document.build == before


def test_moving_a_stage_by_keyboard_is_one_undo_step(panel, document, qtbot):
    panel.select_stage(1)
    panel.view.setFocus()
    count = document.undo_stack.count()
    for _ in range(2):
        qtbot.keyClick(panel.view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert [s.month for s in document.build.plan] == [5, 6, 12]
    assert document.undo_stack.count() == count + 1
    assert panel.current_stage() == 1
    document.undo_stack.undo()
    assert [s.month for s in document.build.plan] == [3, 6, 12]


def test_moving_past_a_neighbour_reorders_and_follows_the_stage(panel, document):
    panel.select_stage(2)  # Third GPU, month 6
    for _ in range(7):
        panel.later_button.click()
    assert [(s.month, s.label) for s in document.build.plan] == [
        (3, "Second GPU"), (12, "Fourth GPU"), (13, "Third GPU"),
    ]  # fmt: skip
    assert panel.current_stage() == 3
    assert panel.model.summary(3).label == "Third GPU"
    panel.select_stage(1)
    for _ in range(5):
        panel.earlier_button.click()
    assert document.build.plan[0].month == 0
    assert not panel.earlier_button.isEnabled()
    while document.undo_stack.canUndo():
        document.undo_stack.undo()
    assert [s.month for s in document.build.plan] == [3, 6, 12]


def test_delete_key_removes_a_stage(panel, document, qtbot):
    panel.select_stage(2)
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert [s.label for s in document.build.plan] == ["Second GPU", "Fourth GPU"]
    assert document.evaluation.stages == (0, 1, 2)
    assert panel.current_stage() == 2
    assert document.undo_stack.undoText() == "Remove Third GPU"
    document.undo_stack.undo()
    assert len(document.build.plan) == 3
    assert panel.model.rowCount() == 4


# -- drag and drop -------------------------------------------------------------------------


def test_dropping_catalog_parts_on_a_stage_adds_them_to_it(panel, document):
    model = panel.model
    mime = encode_part_ids([GTX, "evga-supernova-1600-p2"])
    assert model.canDropMimeData(mime, Qt.DropAction.CopyAction, -1, -1, model.index(2, 0))
    model.dropMimeData(mime, Qt.DropAction.CopyAction, -1, -1, model.index(2, 0))
    assert document.build.plan[1].add == (
        BuildItem(part=GTX, qty=2, price_usd=700.0),
        BuildItem(part="evga-supernova-1600-p2"),
    )
    assert panel.current_stage() == 2
    document.undo_stack.undo()
    assert document.build.plan[1].add == (BuildItem(part=GTX, price_usd=700.0),)


def test_dropping_on_stage_0_adds_to_the_build_and_outside_plans_a_stage(panel, document):
    model = panel.model
    model.dropMimeData(
        encode_part_ids(["samsung-970-evo-1tb"]),
        Qt.DropAction.CopyAction,
        -1,
        -1,
        model.index(0, 0),
    )
    assert next(i for i in document.build.items if i.part == "samsung-970-evo-1tb").qty == 2
    model.dropMimeData(encode_part_ids([GTX]), Qt.DropAction.CopyAction, -1, -1, QModelIndex())
    assert document.build.plan[-1] == PlanStep(
        month=15, label="Stage 4", add=(BuildItem(part=GTX),)
    )
    assert panel.current_stage() == 4


def test_other_mime_data_is_refused(panel):
    mime = QMimeData()
    mime.setText("gpu")
    index = panel.model.index(1, 0)
    assert not panel.model.canDropMimeData(mime, Qt.DropAction.CopyAction, -1, -1, index)
    assert not panel.model.dropMimeData(mime, Qt.DropAction.CopyAction, -1, -1, index)


def test_a_drop_event_on_a_stage_row(panel, document, qtbot):
    view = panel.view
    pos = view.visualRect(panel.model.index(3, 2)).center()
    drag_and_drop(view.viewport(), pos, encode_part_ids([GTX]))
    assert document.build.plan[2].add == (BuildItem(part=GTX, qty=2, price_usd=700.0),)


# -- findings click-through ----------------------------------------------------------------


def test_show_findings_highlights_the_worst_and_asks_for_the_stage(panel, document, qtbot):
    panel.select_stage(2)
    worst = panel.model.worst(2)
    assert worst is not None
    with (
        qtbot.waitSignal(panel.findings_requested) as asked,
        qtbot.waitSignal(document.highlight_changed) as lit,
    ):
        panel.findings_button.click()
    assert asked.args == [2]
    assert lit.args == [worst.parts]


def test_double_click_on_the_worst_finding_cell(panel, qtbot):
    index = panel.model.index(1, COL_WORST)
    with qtbot.waitSignal(panel.findings_requested) as asked:
        panel.view.doubleClicked.emit(index)
    assert asked.args == [1]


def test_banner_link_selects_the_stage_and_its_finding(small_panel, small, qtbot):
    for _ in range(3):
        small_panel.add_stage()
    small_panel.select_stage(0)
    with (
        qtbot.waitSignal(small_panel.findings_requested) as asked,
        qtbot.waitSignal(small.highlight_changed) as lit,
    ):
        small_panel.banner.linkActivated.emit("finding:0")
    psu = later_problems(small.evaluation)[0].finding
    assert asked.args == [3] and lit.args == [psu.parts]
    assert small_panel.current_stage() == 3


# -- the chart -----------------------------------------------------------------------------


def test_chart_data(panel, document):
    chart = panel.chart
    months = [0.0, 3.0, 6.0, 12.0]
    x, y = chart.power_curve.getData()
    assert list(x) == [*months, 15.0]
    assert list(y) == pytest.approx([530, 780, 1030, 1280, 1280])
    x, y = chart.cumulative_curve.getData()
    first = chart.series.spend_usd[0]
    assert list(y) == pytest.approx([first, first + 700, first + 1400, first + 2100, first + 2100])
    assert list(chart.spend_bars.opts["x"]) == months
    assert list(chart.spend_bars.opts["height"])[1:] == pytest.approx([700, 700, 700])
    _, psu = chart.psu_curve.getData()
    assert list(psu) == [1600.0] * 5
    # The EVGA SuperNOVA 1600 P2 is 80 PLUS platinum: 1280 W is 80 % load, 90.2 % there
    # (between 92 % at half load and 89 % at full load).
    _, wall = chart.wall_curve.getData()
    assert wall[3] == pytest.approx(1280 / 0.902)
    assert chart.circuit_line.value() == pytest.approx(120 * 15 * 0.8)

    document.set_site(Site(volts=230, breaker_amps=16))
    assert chart.circuit_line.value() == pytest.approx(230 * 16 * 0.8)
    panel.add_stage()
    x, y = chart.power_curve.getData()
    assert list(x) == [*months, 15.0, 18.0]
    assert y[4] == pytest.approx(1530)


def test_step_xy_holds_the_last_value_to_the_end(qapp):
    x, y = step_xy([0.0, 3.0], [415.0, 500.0], 6.0)
    assert list(x) == [0, 3, 6] and list(y) == [415, 500, 500]


def test_selecting_a_stage_moves_the_chart_cursor(panel):
    panel.select_stage(3)
    assert panel.chart.cursors[0].isVisible()
    assert panel.chart.cursors[0].value() == 12
    assert "Stage 3" in panel.chart.readout.text()


def test_dark_palette(panel, qtbot):
    panel.setPalette(_dark_palette())
    qtbot.wait(10)
    colour = panel.chart.view.backgroundBrush().color()
    assert colour.lightness() < 128
    assert panel.chart.palette().color(QPalette.ColorRole.Window).lightness() < 128


# -- the stage dialog ----------------------------------------------------------------------


def test_stage_dialog_edits_month_name_and_parts(catalog: Catalog, qtbot):
    step = PlanStep(month=3, label="Second GPU", add=(BuildItem(part=GTX, price_usd=700.0),))
    dialog = StageDialog(catalog, step)
    qtbot.addWidget(dialog)
    assert dialog.step() == step
    dialog.month.setValue(4)
    dialog.label.setText("  GPU and PSU ")
    dialog.add_parts([GTX, "evga-supernova-1600-p2"])
    assert dialog.step() == PlanStep(
        month=4, label="GPU and PSU",
        add=(BuildItem(part=GTX, qty=2, price_usd=700.0), BuildItem(part="evga-supernova-1600-p2")),
    )  # fmt: skip
    price = dialog.table.cellWidget(0, 2)
    price.setValue(NO_PRICE)
    assert dialog.items()[0].price_usd is None
    dialog.table.setCurrentCell(1, 0)
    dialog.remove_button.click()
    assert [i.part for i in dialog.items()] == [GTX]


def test_stage_dialog_search_adds_the_only_match(catalog: Catalog, qtbot):
    dialog = StageDialog(catalog, PlanStep(month=3))
    qtbot.addWidget(dialog)
    dialog.picker.setEditText("supernova 1600 p2")
    dialog.add_button.click()
    assert [i.part for i in dialog.items()] == ["evga-supernova-1600-p2"]
    dialog.picker.setEditText("rtx 4090")
    dialog.add_button.click()
    assert "parts match" in dialog.message.text()
    assert len(dialog.items()) == 1
    index = dialog.picker.findData(GTX)
    dialog.picker.setCurrentIndex(index)
    dialog.add_button.click()
    assert [i.part for i in dialog.items()] == ["evga-supernova-1600-p2", GTX]


def test_stage_dialog_accepts_catalog_drops(catalog: Catalog, qtbot):
    dialog = StageDialog(catalog, PlanStep(month=3))
    qtbot.addWidget(dialog)
    dialog.show()
    mime = encode_part_ids([GTX])  # the event does not own it: keep it alive
    event = QDropEvent(
        QPointF(QPoint(20, 20)), Qt.DropAction.CopyAction, mime,
        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    dialog.dropEvent(event)
    assert dialog.items() == (BuildItem(part=GTX),)


def test_every_cell_has_text_and_a_tooltip(panel):
    model = panel.model
    for row in range(model.rowCount()):
        for col in range(model.columnCount()):
            index = model.index(row, col)
            assert isinstance(index.data(), str) and index.data()
            assert index.data(Qt.ItemDataRole.ToolTipRole)
            assert index.data(Qt.ItemDataRole.AccessibleTextRole)
    assert "1,600 W" in model.index(3, COL_POWER).data(Qt.ItemDataRole.ToolTipRole)
    assert "Double-click" in model.index(3, COL_WORST).data(Qt.ItemDataRole.ToolTipRole)
    worst = model.index(3, COL_WORST).data(Qt.ItemDataRole.AccessibleTextRole)
    # Real problems outrank checks that could not run (a spec missing from the catalog).
    assert worst.startswith("Worst finding: Note: System memory vs GPU memory")
