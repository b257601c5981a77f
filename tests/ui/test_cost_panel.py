"""The cost panel: every control edits the document (undoably), and the chart follows."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from dlplanner.domain.build import Assumptions, Build, BuildItem, CompareEntry
from dlplanner.domain.costs import compare_costs
from dlplanner.domain.presets import PRESETS, apply_preset
from dlplanner.io.buildfile import load_build
from dlplanner.report.cost_view import OWN_VALUE_KEY
from dlplanner.report.specs import offer_details
from dlplanner.ui.document import BuildDocument
from dlplanner.ui.panels.cost_panel import CostPanel
from dlplanner.ui.theme import _dark_palette
from dlplanner.ui.widgets.offer_picker import OfferIdRole
from tests.unit.costs.helpers import catalog, cpu, flat, gpu, offer, speed

P3 = "aws-p3-2xlarge"
ARTICLE_PLANS = ["on-demand", "reserved-1y", "reserved-3y"]


@pytest.fixture
def panel(document: BuildDocument, qtbot) -> CostPanel:
    widget = CostPanel(document)
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def small_doc(qapp) -> BuildDocument:
    parts = catalog(
        gpu(price=1500.0),
        cpu(price=500.0),
        offer("cloud-a", price=2.0, reserved_1y_discount=0.3, throughput=speed(1.0, 1.0)),
        offer("cloud-b", price=0.8, spot_usd_per_hour=0.3, throughput=speed(0.5, 0.8)),
        offer("cloud-c", price=5.0, gpus=4, price_date="2025-05-01"),
    )
    build = Build(
        items=(BuildItem(part="gpu-a"), BuildItem(part="cpu-a")),
        assumptions=flat(months=24),
        compare=(CompareEntry(offer="cloud-a"),),
    )
    return BuildDocument(parts, build)


@pytest.fixture
def small_panel(small_doc: BuildDocument, qtbot) -> CostPanel:
    widget = CostPanel(small_doc)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    return widget


def on_demand_break_even(panel: CostPanel) -> float | None:
    points = {key: x for key, x, _y in panel.chart.break_even_points()}
    return points.get(f"{P3}:on-demand")


# -- the article's build: the "done when" ------------------------------------------


def test_article_build_is_compared_with_aws_p3_on_three_plans(panel, document):
    assert document.build.assumptions.preset == "article-2019"
    keys = list(panel.chart.cloud_curves())
    assert keys == [f"{P3}:{plan}" for plan in ARTICLE_PLANS]
    assert panel.picker.chosen_offers() == (P3,)
    assert panel.picker.chosen_plans() == tuple(ARTICLE_PLANS)
    expected = compare_costs(document.build, document.catalog)
    _x, y = panel.chart.own_value_curve.getData()
    assert list(y) == pytest.approx(expected.series.own_value)
    assert panel.table_model.rowCount() == 2 + 3
    assert "AWS p3.2xlarge" in panel.headline.text()


def test_moving_utilization_from_100_to_5_moves_the_break_even(panel, document, qtbot):
    assert panel.utilization_slider.value() == 100
    at_full = on_demand_break_even(panel)
    assert at_full is not None
    months = [at_full]
    for percent in (75, 50, 25):
        panel.utilization_slider.setValue(percent)
        assert document.build.assumptions.utilization == pytest.approx(percent / 100)
        months.append(on_demand_break_even(panel))
    assert all(m is not None for m in months)
    assert months == sorted(months) and len(set(months)) == 4  # later as use drops
    panel.utilization_slider.setValue(5)
    assert document.build.assumptions.utilization == pytest.approx(0.05)
    assert panel.utilization_spin.value() == 5
    # at 5 % renting on demand never catches up within the article's 12 months
    assert on_demand_break_even(panel) is None
    option = panel.comparison.option(P3, "on-demand")
    assert option.break_even_months is None
    row = [panel.table_model.row_key(r) for r in range(panel.table_model.rowCount())].index(
        option.key
    )
    assert panel.table_model.index(row, 3).data() == "> 12"
    tip = panel.table_model.index(row, 3).data(Qt.ItemDataRole.ToolTipRole)
    assert "Not within the 12-month horizon" in tip


def test_a_slider_drag_is_one_undo_step(panel, document):
    before = document.undo_stack.count()
    for percent in range(99, 60, -3):
        panel.utilization_slider.setValue(percent)
    assert document.build.assumptions.utilization == pytest.approx(0.63)
    assert document.undo_stack.count() == before + 1
    document.undo_stack.undo()
    assert document.build.assumptions.utilization == 1.0
    assert panel.utilization_slider.value() == 100
    assert panel.utilization_spin.value() == 100
    document.undo_stack.redo()
    assert panel.utilization_slider.value() == 63


def test_utilization_undo_moves_the_marker_back(panel, document):
    at_full = on_demand_break_even(panel)
    panel.utilization_spin.setValue(40)
    assert document.build.assumptions.utilization == pytest.approx(0.4)
    assert panel.utilization_slider.value() == 40
    assert on_demand_break_even(panel) > at_full
    document.undo_stack.undo()
    assert on_demand_break_even(panel) == pytest.approx(at_full)
    x, _y = panel.chart.break_even_markers.getData()
    assert at_full in list(x)


def test_keyboard_moves_the_utilization_slider(panel, document, qtbot):
    panel.utilization_slider.setFocus()
    qtbot.keyClick(panel.utilization_slider, Qt.Key.Key_PageDown)
    assert document.build.assumptions.utilization == pytest.approx(0.9)
    qtbot.keyClick(panel.utilization_slider, Qt.Key.Key_Left)
    assert document.build.assumptions.utilization == pytest.approx(0.89)


def test_preset_applies_its_assumptions_and_offers_in_one_step(small_panel, small_doc):
    small_doc.set_assumptions(flat(months=24, utilization=0.3, electricity_usd_per_kwh=0.4))
    before = small_doc.undo_stack.count()
    combo = small_panel.preset_combo
    index = combo.findData("article-2019")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    a = small_doc.build.assumptions
    assert a == apply_preset(
        flat(months=24, utilization=0.3, electricity_usd_per_kwh=0.4), "article-2019"
    )
    assert (a.preset, a.months, a.utilization, a.electricity_usd_per_kwh) == (
        "article-2019",
        12,
        1.0,
        0.20,
    )
    assert [(e.offer, e.plan) for e in small_doc.build.compare] == [
        (P3, plan) for plan in ARTICLE_PLANS
    ]
    assert small_doc.undo_stack.count() == before + 1
    # the article's own p3 offer (with its commitment discounts) is listed and ticked
    assert small_panel.picker.chosen_offers() == (P3,)
    assert list(small_panel.chart.cloud_curves()) == [f"{P3}:{p}" for p in ARTICLE_PLANS]
    assert small_panel.utilization_slider.value() == 100
    assert small_panel.months_spin.value() == 12
    assert combo.currentData() == "article-2019"
    small_doc.undo_stack.undo()
    assert small_doc.build.assumptions.preset is None
    assert [e.offer for e in small_doc.build.compare] == ["cloud-a"]
    assert combo.currentData() == ""


def test_preset_without_offers_keeps_the_chosen_offers(small_panel, small_doc):
    small_panel.apply_preset("today")
    assert small_doc.build.assumptions.preset == "today"
    assert small_doc.build.assumptions.electricity_usd_per_kwh == 0.17
    assert [e.offer for e in small_doc.build.compare] == ["cloud-a"]
    assert set(PRESETS) <= {
        small_panel.preset_combo.itemData(i) for i in range(small_panel.preset_combo.count())
    }


def test_electricity_and_horizon_edit_the_assumptions(small_panel, small_doc):
    small_panel.kwh_spin.setValue(0.31)
    assert small_doc.build.assumptions.electricity_usd_per_kwh == pytest.approx(0.31)
    small_panel.months_spin.setValue(60)
    assert small_doc.build.assumptions.months == 60
    x, _y = small_panel.chart.own_value_curve.getData()
    assert list(x) == list(range(61))
    assert small_panel.chart.comparison.assumptions.months == 60
    small_doc.undo_stack.undo()
    assert small_doc.build.assumptions.months == 24
    assert small_doc.build.assumptions.electricity_usd_per_kwh == 0.2


def test_basis_switches_to_equal_work(small_panel, small_doc):
    combo = small_panel.basis_combo
    index = combo.findData("mixed")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    assert small_doc.build.assumptions.normalize == "mixed"
    assert list(small_panel.chart.cloud_curves()) == ["cloud-a:on-demand:equal-work"]
    labels = [small_panel.table_model.index(r, 0).data() for r in range(3)]
    assert labels[2] == "Offer cloud-a, on-demand, equal work"


def test_ticking_offers_and_plans_updates_compare(small_panel, small_doc):
    picker = small_panel.picker
    assert picker.chosen_offers() == ("cloud-a",)
    assert picker.chosen_plans() == ("on-demand",)
    picker.set_checked("cloud-b")
    assert [(e.offer, e.plan) for e in small_doc.build.compare] == [
        ("cloud-a", "on-demand"),
        ("cloud-b", "on-demand"),
    ]
    picker.plan_boxes["spot"].click()
    assert [(e.offer, e.plan) for e in small_doc.build.compare] == [
        ("cloud-a", "on-demand"),
        ("cloud-a", "spot"),
        ("cloud-b", "on-demand"),
        ("cloud-b", "spot"),
    ]
    # cloud-a has no spot price: left out, and the notes say so
    assert list(small_panel.chart.cloud_curves()) == [
        "cloud-a:on-demand",
        "cloud-b:on-demand",
        "cloud-b:spot",
    ]
    assert "cloud-a has no spot price" in small_panel.notes.toolTip()
    small_doc.undo_stack.undo()
    small_doc.undo_stack.undo()
    assert [(e.offer, e.plan) for e in small_doc.build.compare] == [("cloud-a", "on-demand")]
    assert picker.chosen_offers() == ("cloud-a",)
    assert not picker.plan_boxes["spot"].isChecked()


def test_the_last_offer_and_plan_stay_ticked(small_panel, small_doc):
    picker = small_panel.picker
    count = small_doc.undo_stack.count()
    picker.set_checked("cloud-a", False)
    assert picker.chosen_offers() == ("cloud-a",)
    picker.plan_boxes["on-demand"].click()
    assert picker.plan_boxes["on-demand"].isChecked()
    assert small_doc.undo_stack.count() == count
    assert "at least one" in picker.count_label.text()


def test_offer_list_is_searchable_and_shows_gpu_price_and_date(small_panel):
    picker = small_panel.picker
    assert picker.proxy.rowCount() == 3
    picker.search.setText("cloud-c")
    assert picker.proxy.rowCount() == 1
    index = picker.proxy.index(0, 0)
    assert index.data(OfferIdRole) == "cloud-c"
    assert offer_details(picker._offers[2]) == "4× Test GPU · $5.00/h · 2025-05-01"
    assert "4× Test GPU" in index.data(Qt.ItemDataRole.AccessibleTextRole)
    assert "$5.000 per hour" in index.data(Qt.ItemDataRole.ToolTipRole)
    picker.search.setText("offer spot")  # every word must match
    assert [picker.proxy.index(r, 0).data(OfferIdRole) for r in range(picker.proxy.rowCount())] == [
        "cloud-b"
    ]
    picker.search.clear()
    assert picker.proxy.rowCount() == 3


def test_space_ticks_the_current_offer(small_panel, small_doc, qtbot):
    small_panel.show()
    qtbot.waitExposed(small_panel)
    view = small_panel.picker.list
    view.setFocus()
    view.setCurrentIndex(small_panel.picker.proxy.index(1, 0))
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert [e.offer for e in small_doc.build.compare] == ["cloud-a", "cloud-b"]


def test_empty_compare_shows_the_default_offers_ticked(qapp, qtbot):
    parts = catalog(gpu(), cpu(), offer("cheap", price=0.5), offer("dear", price=9.0))
    doc = BuildDocument(parts, Build(items=(BuildItem(part="gpu-a"),)))
    widget = CostPanel(doc)
    qtbot.addWidget(widget)
    assert widget.picker.chosen_offers() == ("cheap", "dear")
    assert list(widget.chart.cloud_curves()) == ["cheap:on-demand", "dear:on-demand"]
    widget.picker.set_checked("dear", False)
    assert [(e.offer, e.plan) for e in doc.build.compare] == [("cheap", "on-demand")]


def test_the_panel_follows_part_edits(small_panel, small_doc):
    before = small_panel.chart.comparison.own.purchase_usd
    small_doc.add_parts(["gpu-a"])
    assert small_panel.chart.comparison.own.purchase_usd == pytest.approx(before + 1500.0)
    _x, y = small_panel.chart.own_value_curve.getData()
    assert list(y) == pytest.approx(small_panel.comparison.series.own_value)


def test_view_buttons_switch_the_chart(small_panel):
    small_panel.view_buttons["cash"].click()
    assert small_panel.view == "cash" and small_panel.chart.view == "cash"
    assert not small_panel.chart.own_value_curve.isVisible()
    small_panel.set_view("value")
    assert small_panel.view_buttons["value"].isChecked()
    assert small_panel.chart.own_value_curve.isVisible()


def test_assumptions_and_offers_are_saved_in_the_build_file(panel, document, tmp_path: Path):
    panel.utilization_slider.setValue(30)
    panel.kwh_spin.setValue(0.25)
    panel.picker.set_checked("aws-p3-8xlarge")
    path = document.save(tmp_path / "saved.dlbuild.yaml")
    saved = load_build(path)
    assert saved.assumptions.utilization == pytest.approx(0.3)
    assert saved.assumptions.electricity_usd_per_kwh == pytest.approx(0.25)
    assert {e.offer for e in saved.compare} == {P3, "aws-p3-8xlarge"}
    assert {e.plan for e in saved.compare} == set(ARTICLE_PLANS)


def test_table_rows_have_totals_ratio_break_even_and_hourly_cost(panel):
    model = panel.table_model
    comparison = panel.comparison
    assert model.row_key(0) == OWN_VALUE_KEY
    on_demand = comparison.option(P3, "on-demand")
    row = next(r for r in range(model.rowCount()) if model.row_key(r) == on_demand.key)
    cells = [model.index(row, c).data() for c in range(model.columnCount())]
    assert cells[0] == "AWS p3.2xlarge, on-demand"
    assert cells[1] == f"${on_demand.total_usd:,.0f}"
    assert cells[2] == f"{on_demand.ratio:.2f}×"
    assert cells[3] == f"{on_demand.break_even_months:.1f}"
    assert cells[4] == f"{on_demand.break_even_utilization:.1%}"
    assert cells[5] == "$3.060"
    assert "renting is cheaper" in model.index(row, 4).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(row, 0).data(Qt.ItemDataRole.DecorationRole) is not None
    assert model.headerData(4, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)


def test_controls_have_accessible_names_and_tooltips(panel):
    for widget in (
        panel.preset_combo,
        panel.utilization_slider,
        panel.utilization_spin,
        panel.kwh_spin,
        panel.months_spin,
        panel.basis_combo,
        panel.picker.search,
        panel.picker.list,
        panel.chart,
        panel.table,
        *panel.picker.plan_boxes.values(),
    ):
        assert widget.accessibleName(), widget
        assert widget.toolTip() or widget in (panel.chart, panel.table), widget


def test_dark_theme_recolours_the_chart(panel, qapp):
    light = panel.chart.colour(OWN_VALUE_KEY).lightness()
    original = QApplication.palette()
    try:
        QApplication.setPalette(_dark_palette())
        QApplication.processEvents()
        assert panel.chart.is_dark()
        assert panel.chart.colour(OWN_VALUE_KEY).lightness() > light
        pen = panel.chart.own_value_curve.opts["pen"]
        assert pen.color() == panel.chart.colour(OWN_VALUE_KEY)
    finally:
        QApplication.setPalette(original)
        QApplication.processEvents()


def test_a_redraw_fits_in_a_frame(small_panel, small_doc):
    small_doc.set_assumptions(flat(months=60))
    offers = ["cloud-a", "cloud-b", "cloud-c"]
    small_doc.set_compare(
        [CompareEntry(offer=o, plan=p) for o in offers for p in ("on-demand", "reserved-1y")]
    )
    times = []
    for percent in range(90, 40, -5):
        start = time.perf_counter()
        small_panel.utilization_slider.setValue(percent)
        times.append(time.perf_counter() - start)
    times.sort()
    assert times[len(times) // 2] < 0.05  # generous: a smoke test, not a benchmark


def test_assumptions_keep_unknown_to_the_panel_fields(small_panel, small_doc):
    small_doc.set_assumptions(
        Assumptions.model_validate({**flat().model_dump(), "storage_gb": 500.0, "sales_tax": 0.08})
    )
    small_panel.utilization_slider.setValue(50)
    a = small_doc.build.assumptions
    assert (a.storage_gb, a.sales_tax, a.utilization) == (500.0, 0.08, 0.5)
