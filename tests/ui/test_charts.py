"""The cost chart: data of its plot items, the dollar axis, hover read-out, the PNG renderer."""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage

from dlplanner.domain.cloud import CloudChoice
from dlplanner.domain.costs import CostComparison, compare_machine
from dlplanner.domain.machine import Machine, StageProfile
from dlplanner.report.cost_view import OWN_CASH_KEY, OWN_VALUE_KEY, shown_options, value_at
from dlplanner.report.format import usd
from dlplanner.report.names import option_label
from dlplanner.ui.chart_png import render_chart_png
from dlplanner.ui.chart_style import DollarAxisItem
from dlplanner.ui.charts import CostChart
from tests.unit.costs.helpers import flat, offer
from tests.unit.test_report_cost_view import small_comparison


def big_comparison(months: int = 60, options: int = 10) -> CostComparison:
    machine = Machine((StageProfile(0, 4000.0, 2, 700.0), StageProfile(18, 1500.0, 3, 1000.0)))
    choices = [CloudChoice(offer(f"c{i}", price=1.0 + i / 4)) for i in range(options)]
    return compare_machine(machine, flat(months=months), choices)


@pytest.fixture
def chart(qtbot) -> CostChart:
    widget = CostChart()
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    return widget


def xy(curve) -> tuple[list[float], list[float]]:
    x, y = curve.getData()
    return ([] if x is None else list(x)), ([] if y is None else list(y))


def test_curves_carry_the_comparison_series(chart):
    comparison = small_comparison()
    chart.set_comparison(comparison, "both")
    x, y = xy(chart.own_value_curve)
    assert x == list(comparison.series.months)
    assert y == pytest.approx(comparison.series.own_value)
    curves = chart.cloud_curves()
    assert list(curves) == [o.key for o in comparison.options]
    for option in comparison.options:
        x, y = xy(curves[option.key])
        assert x == list(comparison.series.months)
        assert y == pytest.approx(comparison.series.cloud[option.key])
        assert chart.curve(option.key) is curves[option.key]
    assert chart.curve(OWN_VALUE_KEY) is chart.own_value_curve
    with pytest.raises(KeyError):
        chart.curve("nope:on-demand")


def test_cash_curve_steps_up_at_each_purchase(chart):
    comparison = small_comparison()
    chart.set_comparison(comparison, "cash")
    x, y = xy(chart.own_cash_curve)
    cash = comparison.series.own_cash
    # a vertical jump at month 0 (from $0) and at month 4, the plan's second GPU
    assert x[:2] == [0.0, 0.0] and y[:2] == pytest.approx([0.0, cash[0]])
    jump = [i for i in range(1, len(x)) if x[i] == x[i - 1]]
    assert [x[i] for i in jump] == [0.0, 4.0]
    assert y[jump[1]] - y[jump[1] - 1] == pytest.approx(1500.0)
    # at each month boundary the curve ends on the series' value
    ends = {month: value for month, value in zip(x, y, strict=True)}
    assert [ends[float(m)] for m in comparison.series.months] == pytest.approx(cash)


def test_views_show_and_hide_the_own_curves(chart):
    comparison = small_comparison()
    chart.set_comparison(comparison, "value")
    assert chart.own_value_curve.isVisible() and not chart.own_cash_curve.isVisible()
    chart.set_view("cash")
    assert chart.view == "cash"
    assert not chart.own_value_curve.isVisible() and chart.own_cash_curve.isVisible()
    chart.set_view("both")
    assert chart.own_value_curve.isVisible() and chart.own_cash_curve.isVisible()
    with pytest.raises(ValueError, match="unknown chart view"):
        chart.set_view("pie")  # type: ignore[arg-type]


def test_legend_names_every_drawn_series(chart):
    comparison = small_comparison()
    chart.set_comparison(comparison, "both")
    names = [label.text for _sample, label in chart.legend.items]
    assert names == [
        "Own: value consumed",
        "Own: cash spent",
        *(option_label(o) for o in comparison.options),
    ]
    assert names[2:] == ["Offer cloud-a, on-demand", "Offer cloud-a, 1-year", "Offer cloud-b, spot"]
    chart.set_view("value")
    assert [label.text for _s, label in chart.legend.items][:2] == [
        "Own: value consumed",
        "Offer cloud-a, on-demand",
    ]


def test_fewer_options_hide_the_spare_curves(chart):
    chart.set_comparison(big_comparison(options=10))
    assert len(chart.cloud_curves()) == 10
    chart.set_comparison(small_comparison())
    assert len(chart.cloud_curves()) == 3
    spare = [c for c in chart._cloud_curves if not c.isVisible()]
    assert len(spare) == 7
    assert all(xy(c) == ([], []) for c in spare)
    assert len(chart.legend.items) == 2 + 3


def test_break_even_markers_sit_on_the_cloud_curves(chart):
    comparison = small_comparison()
    chart.set_comparison(comparison)
    expected = [o for o in comparison.options if o.break_even_months is not None]
    assert expected, "the fixture should break even within the horizon"
    x, y = chart.break_even_markers.getData()
    assert list(x) == pytest.approx([o.break_even_months for o in expected])
    assert list(y) == pytest.approx([value_at(o.series, o.break_even_months) for o in expected])
    labels = chart.break_even_labels()
    assert [label.toPlainText() for label in labels] == [
        f"{o.break_even_months:.1f} mo" for o in expected
    ]


def test_break_even_marker_moves_with_utilization(chart):
    chart.set_comparison(small_comparison(utilization=1.0))
    (key, full, _y), *_ = chart.break_even_points()
    chart.set_comparison(small_comparison(utilization=0.5))
    points = {k: x for k, x, _y in chart.break_even_points()}
    assert points[key] > full
    x, _y = chart.break_even_markers.getData()
    assert points[key] in list(x)


def test_dollar_axis_has_no_si_prefix(chart):
    axis = DollarAxisItem()
    assert axis.tickStrings([0.0, 12000.0, 1_500_000.0], 1.0, 1000.0) == [
        "$0",
        "$12,000",
        "$1,500,000",
    ]
    assert axis.tickStrings([0.5, 1.25], 1.0, 0.25) == ["$0.50", "$1.25"]
    assert axis.tickStrings([-2000.0], 1.0, 1000.0) == ["-$2,000"]
    # on a drawn chart with large totals: what the axis actually draws
    chart.set_comparison(big_comparison())
    left = chart.getPlotItem().getAxis("left")
    assert left.autoSIPrefix is False and left.autoSIPrefixScale == 1.0
    low, high = chart.view_box.viewRange()[1]
    assert high > 100_000
    strings = [
        text
        for spacing, values in left.tickValues(low, high, 400)
        for text in left.tickStrings(values, left.autoSIPrefixScale, spacing)
    ]
    assert strings and all(s.startswith(("$", "-$")) for s in strings)
    assert not any(c in s for s in strings for c in "kMGµ")
    assert any("," in s for s in strings)


def test_readout_lists_every_drawn_series_at_a_month(chart):
    comparison = small_comparison()
    chart.set_comparison(comparison, "both")
    text = chart.readout.text(3).splitlines()
    assert text[0] == "Month 3"
    assert text[1] == f"Own: value consumed: {usd(comparison.series.own_value[3], 0)}"
    assert text[2] == f"Own: cash spent: {usd(comparison.series.own_cash[3], 0)}"
    option = comparison.options[0]
    assert text[3] == f"{option_label(option)}: {usd(option.series[3], 0)}"
    chart.readout.show(3)
    assert chart.readout.month == 3
    assert chart.readout.crosshair.isVisible() and chart.readout.crosshair.value() == 3
    assert "Month 3" in chart.readout.item.toPlainText()
    chart.readout.hide()
    assert chart.readout.month is None and not chart.readout.item.isVisible()


def test_mouse_hover_moves_the_readout(chart, qtbot):
    chart.set_comparison(small_comparison())
    chart.show()
    qtbot.waitExposed(chart)
    scene_pos = chart.view_box.mapViewToScene(QPointF(5.2, 100.0))
    chart.scene().sigMouseMoved.emit(scene_pos)
    assert chart.readout.month == 5
    outside = chart.view_box.sceneBoundingRect().topLeft() - QPointF(20, 20)
    chart.scene().sigMouseMoved.emit(outside)
    assert chart.readout.month is None


def test_keyboard_moves_the_readout(chart, qtbot):
    chart.set_comparison(small_comparison())
    chart.show()
    qtbot.waitExposed(chart)
    chart.setFocus()
    qtbot.keyClick(chart, Qt.Key.Key_Right)
    assert chart.readout.month == 0
    qtbot.keyClick(chart, Qt.Key.Key_Right)
    qtbot.keyClick(chart, Qt.Key.Key_Right)
    assert chart.readout.month == 2
    qtbot.keyClick(chart, Qt.Key.Key_End)
    assert chart.readout.month == 12
    qtbot.keyClick(chart, Qt.Key.Key_Right)
    assert chart.readout.month == 12
    qtbot.keyClick(chart, Qt.Key.Key_Home)
    assert chart.readout.month == 0
    qtbot.keyClick(chart, Qt.Key.Key_Escape)
    assert chart.readout.month is None


def test_equal_work_shows_the_equal_work_options(chart):
    hours = small_comparison()
    work = small_comparison(normalize="mixed")
    assert len(work.options) == 2 * len(hours.options)
    shown = shown_options(work)
    assert [o.basis for o in shown] == ["equal-work"] * len(hours.options)
    chart.set_comparison(work)
    assert list(chart.cloud_curves()) == [o.key for o in shown]
    assert all(key.endswith(":equal-work") for key in chart.cloud_curves())


def test_colours_differ_between_light_and_dark(qtbot):
    light, dark = CostChart(dark=False), CostChart(dark=True)
    for widget in (light, dark):
        qtbot.addWidget(widget)
        widget.set_comparison(small_comparison())
    keys = [OWN_VALUE_KEY, OWN_CASH_KEY, *light.cloud_curves()]
    assert len({light.colour(k).name() for k in keys[1:]}) == len(keys) - 1
    for key in keys:
        assert light.colour(key).lightness() < dark.colour(key).lightness()
    assert light.own_value_curve.opts["pen"].color() == light.colour(OWN_VALUE_KEY)


def test_render_chart_png_is_a_real_picture(qapp):
    data = render_chart_png(small_comparison(), width=800, height=400, view="both")
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    image = QImage.fromData(data, "PNG")
    assert not image.isNull()
    assert (image.width(), image.height()) == (800, 400)
    small = image.scaled(200, 100)
    colours = {small.pixel(x, y) for x in range(small.width()) for y in range(small.height())}
    assert len(colours) > 20
    # the page is white (paper) and the curves are drawn on it
    assert QImage.fromData(data).pixelColor(2, 2).name() == "#ffffff"


def test_render_chart_png_rejects_a_silly_size(qapp):
    with pytest.raises(ValueError, match="too small"):
        render_chart_png(small_comparison(), width=10, height=10)


def test_redraw_is_fast_for_sixty_months_and_ten_options(chart):
    comparisons = [big_comparison(60, 10) for _ in range(3)]
    chart.set_comparison(comparisons[0])
    times = []
    for comparison in comparisons * 5:
        start = time.perf_counter()
        chart.set_comparison(comparison)
        times.append(time.perf_counter() - start)
    # a generous bound: this is a smoke test, not a benchmark (a frame is 16 ms)
    assert float(np.median(times)) < 0.05
