"""What the cost chart and table show, as plain data: no widgets (report.cost_view)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from dlplanner.domain.build import BuildItem, CompareEntry, PlanStep
from dlplanner.domain.costs import CostComparison, compare_costs
from dlplanner.report.cost_view import (
    HEADERS,
    MAX_NOTES,
    OWN_CASH_KEY,
    OWN_CASH_LABEL,
    OWN_VALUE_KEY,
    OWN_VALUE_LABEL,
    break_even_text,
    break_evens,
    checked_view,
    cost_rows,
    drawn_series,
    headline_html,
    notes_html,
    option_row,
    purchase_steps,
    shown_options,
    stagger_labels,
    stepped,
    value_at,
)
from tests.unit.costs.helpers import build, catalog, cpu, flat, gpu, offer, speed


def small_comparison(**assumptions) -> CostComparison:
    """A two-GPU plan (the second at month 4) against three cloud options over 12 months."""
    parts = catalog(
        gpu(price=1500.0),
        cpu(price=500.0),
        offer("cloud-a", price=2.0, reserved_1y_discount=0.3, throughput=speed(1.0, 1.0)),
        offer("cloud-b", price=0.8, spot_usd_per_hour=0.3, throughput=speed(0.5, 0.8)),
    )
    plan = (PlanStep(month=4, label="Second GPU", add=(BuildItem(part="gpu-a"),)),)
    b = build([BuildItem(part="gpu-a"), BuildItem(part="cpu-a")], plan=plan).model_copy(
        update={
            "assumptions": flat(months=12, **assumptions),
            "compare": (
                CompareEntry(offer="cloud-a", plan="on-demand"),
                CompareEntry(offer="cloud-a", plan="reserved-1y"),
                CompareEntry(offer="cloud-b", plan="spot"),
            ),
        }
    )
    return compare_costs(b, parts)


def test_purchase_steps_recover_the_purchases():
    for extra in ({}, {"sales_tax": 0.1, "residual_fraction": 0.2}, {"depreciation_years": 0.25}):
        comparison = small_comparison(**extra)
        steps = purchase_steps(comparison)
        tax = 1 + extra.get("sales_tax", 0.0)
        expected = [0.0] * 13
        expected[0], expected[4] = 2000.0 * tax, 1500.0 * tax
        assert steps == pytest.approx(expected, abs=1e-6)
        assert sum(steps) == pytest.approx(comparison.own.purchase_usd)


def test_stepped_and_value_at_helpers():
    assert stepped([10.0, 12.0, 30.0], [10.0, 0.0, 15.0]) == (
        [0.0, 0.0, 1.0, 2.0, 2.0],
        [0.0, 10.0, 12.0, 15.0, 30.0],
    )
    assert value_at([0.0, 10.0, 30.0], 1.5) == pytest.approx(20.0)
    assert value_at([0.0, 10.0], 7.0) == 10.0
    assert value_at([], 1.0) == 0.0


def test_equal_work_shows_each_choice_once():
    hours = small_comparison()
    assert shown_options(hours) == hours.options
    work = small_comparison(normalize="mixed")
    assert [o.basis for o in shown_options(work)] == ["equal-work"] * len(hours.options)


def test_cost_rows_are_owning_twice_then_each_option():
    comparison = small_comparison()
    rows = cost_rows(comparison, comparison.options)
    assert [r.key for r in rows] == [OWN_VALUE_KEY, OWN_CASH_KEY] + [
        o.key for o in comparison.options
    ]
    assert all(len(r.cells) == len(r.tips) == len(HEADERS) for r in rows)
    own, cash = rows[0], rows[1]
    assert own.cells[1] == f"${comparison.own.value_usd:,.0f}" and own.cells[2] == "1.00×"
    assert cash.dashed and not own.dashed
    assert "still worth" in cash.tips[1]


def test_option_row_words_break_even_and_the_price_date():
    option = small_comparison().options[0]
    undated = option_row(option, 12)
    assert undated.cells[3] == break_even_text(option, 12)
    assert undated.cells[-1] == "undated" and not undated.stale
    dated = option.choice.offer.model_copy(update={"price_date": dt.date(2025, 5, 1)})
    option = replace(option, choice=replace(option.choice, offer=dated))
    old = option_row(option, 12, today=dt.date(2026, 5, 1))
    assert old.stale and "older than six months" in old.tips[-1]
    assert old.cells[-1].startswith("2025-05-01")
    assert not option_row(option, 12, today=dt.date(2025, 6, 1)).stale


def test_break_even_text_outside_the_horizon():
    option = replace(small_comparison().options[0], break_even_months=None)
    assert break_even_text(option, 12) == "> 12"


def test_headline_answers_first_then_names_the_cheapest_rental():
    comparison = small_comparison()
    html = headline_html(comparison, shown_options(comparison))
    answer, rest = html.split("<br>", 1)
    assert answer.startswith("<b>Building is ") or answer.startswith("<b>Renting ")
    assert rest.startswith("<small>Owning uses up $") and rest.endswith("</small>")
    assert "Cheapest to rent: Offer cloud-b, spot" in rest
    assert headline_html(comparison, ()).startswith("No cloud offer to compare")


def test_notes_show_a_few_and_keep_all_for_the_tooltip():
    assert notes_html(()) == ("", "")
    notes = [f"note <{i}>" for i in range(MAX_NOTES + 2)]
    shown, tip = notes_html(notes)
    assert shown.count("• ") == MAX_NOTES + 1 and "… and 2 more" in shown
    assert tip.count("&lt;") == len(notes)


def test_break_even_labels_never_overlap():
    assert stagger_labels([1.9, 3.0, 4.5], 1.5) == [False, True, False]
    assert stagger_labels([1.0, 1.2, 1.4], 1.5) == [False, True, None]  # no room: not shown
    assert stagger_labels([4.5, 1.9], 1.5) == [False, False]  # placed in month order


def test_drawn_series_follow_the_view_then_each_option():
    comparison = small_comparison()
    options = shown_options(comparison)
    both = drawn_series(comparison, options, "both")
    assert [label for _k, label, _v in both[:2]] == [OWN_VALUE_LABEL, OWN_CASH_LABEL]
    assert [key for key, _l, _v in both[2:]] == [o.key for o in options]
    assert both[1][2] == comparison.series.own_cash
    assert [k for k, _l, _v in drawn_series(None, (), "cash")] == [OWN_CASH_KEY]
    assert drawn_series(None, (), "cash")[0][2] == ()


def test_break_evens_sit_on_their_curves():
    options = shown_options(small_comparison())
    points = break_evens(options)
    assert points and all(options[i].key == key for i, key, _x, _y in points)
    for i, _key, x, y in points:
        assert y == pytest.approx(value_at(options[i].series, x))


def test_an_unknown_chart_view_is_refused():
    assert checked_view("cash") == "cash"
    with pytest.raises(ValueError, match="unknown chart view 'pie'"):
        checked_view("pie")
