"""Owning: purchases with tax, electricity with and without idle draw, depreciation."""

from __future__ import annotations

import pytest

from dlplanner.domain.build import Assumptions, BuildItem, PlanStep
from dlplanner.domain.costs import compare_costs, compare_machine
from dlplanner.domain.machine import Machine, StageProfile, machine_from_build, quick_build
from tests.unit.costs.helpers import HOURS, build, catalog, cpu, flat, gpu


def test_purchase_is_quantity_times_price_plus_tax():
    cat = catalog(gpu(price=1000.0), cpu(price=500.0))
    b = build(
        [BuildItem(part="gpu-a", qty=2), BuildItem(part="cpu-a", price_usd=450.0)],
        sales_tax=0.08,
        months=12,
    )
    own = compare_costs(b, cat, offers=[]).own
    # (2 x 1000 + 1 x 450 override) x 1.08
    assert own.purchase_usd == pytest.approx(2450 * 1.08)
    assert own.purchase_usd == pytest.approx(2646.0)


def test_plan_step_is_bought_at_its_month_and_counts_in_cash_from_then():
    cat = catalog(gpu(price=1000.0), cpu(price=500.0))
    b = build(
        [BuildItem(part="gpu-a"), BuildItem(part="cpu-a")],
        plan=(PlanStep(month=6, add=(BuildItem(part="gpu-a", price_usd=800.0),)),),
        months=12,
        electricity_usd_per_kwh=0.0,
    )
    result = compare_costs(b, cat, offers=[])
    assert result.own.purchase_usd == pytest.approx(2300.0)
    cash = result.series.own_cash
    assert cash[0] == pytest.approx(1500.0)
    assert cash[5] == pytest.approx(1500.0)
    assert cash[6] == pytest.approx(2300.0)
    assert cash[12] == pytest.approx(2300.0)


def test_purchase_after_the_horizon_is_left_out_with_a_note():
    cat = catalog(gpu(price=1000.0), cpu())
    b = build(
        [BuildItem(part="gpu-a")],
        plan=(PlanStep(month=24, add=(BuildItem(part="gpu-a"),)),),
        months=12,
    )
    result = compare_costs(b, cat, offers=[])
    assert result.own.purchase_usd == pytest.approx(1000.0)
    assert any("month 24" in note for note in result.notes)


def test_missing_price_is_left_out_and_named():
    cat = catalog(gpu(price=None), cpu(price=500.0))
    b = build([BuildItem(part="gpu-a"), BuildItem(part="cpu-a")], months=12)
    result = compare_costs(b, cat, offers=[])
    assert result.own.purchase_usd == pytest.approx(500.0)
    gpu_title = cat.get("gpu-a").title  # type: ignore[union-attr]
    assert result.unpriced == (gpu_title,)  # the headline names it (see test_prices)


def test_electricity_from_tdp_estimate_without_idle_draw():
    # 2 GPUs x 250 W + CPU 100 W at 80 % load, plus 100 W for the rest: 0.58 kW.
    cat = catalog(gpu(tdp=250), cpu(tdp=100))
    b = build(
        [BuildItem(part="gpu-a", qty=2), BuildItem(part="cpu-a")],
        months=12,
        utilization=0.5,
        electricity_usd_per_kwh=0.15,
        load_factor=0.8,
        base_power_w=100.0,
    )
    own = compare_costs(b, cat, offers=[]).own
    assert own.electricity_usd == pytest.approx(0.58 * 0.5 * 8760 * 0.15)
    assert own.electricity_usd == pytest.approx(381.06)


def test_electricity_with_idle_draw_for_the_remaining_hours():
    cat = catalog(gpu(tdp=250), cpu(tdp=100))
    b = build(
        [BuildItem(part="gpu-a", qty=2), BuildItem(part="cpu-a")],
        months=12,
        utilization=0.5,
        electricity_usd_per_kwh=0.15,
        load_factor=0.8,
        base_power_w=100.0,
        idle_power_w=50.0,
    )
    own = compare_costs(b, cat, offers=[]).own
    # training half the year at 0.58 kW, idle the other half at 0.05 kW
    assert own.electricity_usd == pytest.approx(381.06 + 0.05 * 0.5 * 8760 * 0.15)
    assert own.electricity_usd == pytest.approx(413.91)


def test_given_power_replaces_the_estimate_and_grows_per_extra_gpu():
    machine = quick_build(0.0, gpus=4)
    a = flat(power_kw=1.0, power_kw_per_extra_gpu=0.25)
    own = compare_machine(machine, a).own
    assert own.electricity_usd == pytest.approx((1.0 + 3 * 0.25) * 8760 * 0.2)


def test_unknown_tdp_is_reported_when_the_estimate_is_used():
    cat = catalog(gpu(tdp=None), cpu(tdp=100))
    b = build([BuildItem(part="gpu-a"), BuildItem(part="cpu-a")], months=12)
    result = compare_costs(b, cat, offers=[])
    assert any("no TDP for gpu-a" in note for note in result.notes)
    given = compare_costs(
        b, cat, assumptions=b.assumptions.model_copy(update={"power_kw": 1.0}), offers=[]
    )
    assert not any("TDP" in note for note in given.notes)


def test_depreciation_straight_line_to_a_residual():
    machine = quick_build(3000.0, gpus=1)
    a = flat(depreciation_years=3.0, residual_fraction=0.1, electricity_usd_per_kwh=0.0)
    own = compare_machine(machine, a).own
    assert own.depreciation_usd == pytest.approx(3000 * 0.9 / 3)  # 900 in the first year
    assert own.book_value_usd == pytest.approx(2100.0)
    longer = compare_machine(machine, a.model_copy(update={"months": 48})).own
    assert longer.depreciation_usd == pytest.approx(2700.0)  # stops at the residual after 36 months


def test_depreciation_over_a_fractional_life():
    machine = quick_build(1800.0, gpus=1)
    a = flat(depreciation_years=1.25, electricity_usd_per_kwh=0.0, months=24)  # 15 months
    result = compare_machine(machine, a)
    assert result.own.depreciation_usd == pytest.approx(1800.0)
    assert result.series.own_value[12] == pytest.approx(1800.0 * 12 / 15)
    assert result.series.own_value[15] == pytest.approx(1800.0)


def test_staggered_purchases_depreciate_each_from_its_own_month():
    cat = catalog(gpu(price=1000.0), cpu(price=1000.0))
    b = build(
        [BuildItem(part="gpu-a"), BuildItem(part="cpu-a")],
        plan=(PlanStep(month=6, add=(BuildItem(part="gpu-a", price_usd=1200.0),)),),
        months=12,
        depreciation_years=2.0,
        electricity_usd_per_kwh=0.0,
    )
    result = compare_costs(b, cat, offers=[])
    # 2000 over 24 months for 12 months, 1200 over 24 months for 6 months
    assert result.own.depreciation_usd == pytest.approx(2000 / 24 * 12 + 1200 / 24 * 6)
    assert result.own.depreciation_usd == pytest.approx(1300.0)
    # the second purchase starts depreciating at month 6, not before
    assert result.series.own_value[6] == pytest.approx(2000 / 24 * 6)
    assert result.series.own_value[9] == pytest.approx(2000 / 24 * 9 + 1200 / 24 * 3)


def test_value_consumed_and_cash_spent_are_two_views_of_the_same_money():
    machine = quick_build(3000.0, gpus=1)
    a = flat(months=12)
    result = compare_machine(machine, a)
    own = result.own
    assert own.value_usd == pytest.approx(own.depreciation_usd + own.electricity_usd)
    assert own.cash_usd == pytest.approx(own.purchase_usd + own.electricity_usd)
    assert own.cash_usd - own.value_usd == pytest.approx(own.book_value_usd)
    assert len(result.series.months) == len(result.series.own_value) == 13
    assert result.series.own_value[0] == 0.0
    assert result.series.own_cash[0] == pytest.approx(3000.0)
    assert result.series.own_value[-1] == pytest.approx(own.value_usd)
    assert result.series.own_cash[-1] == pytest.approx(own.cash_usd)


def test_own_price_of_a_gpu_hour_and_a_v100_hour():
    machine = quick_build(3000.0, gpus=2, mixed=2.0)
    a = flat(utilization=0.5)
    own = compare_machine(machine, a).own
    gpu_hours = 2 * 0.5 * 8760
    assert own.gpu_hours == pytest.approx(gpu_hours)
    assert own.usd_per_gpu_hour == pytest.approx(own.value_usd / gpu_hours)
    assert own.usd_per_v100_hour == pytest.approx(own.value_usd / (gpu_hours * 2.0))


def test_missing_throughput_gives_no_v100_price_and_a_note():
    machine = quick_build(3000.0, gpus=1)
    result = compare_machine(machine, flat())
    assert result.own.usd_per_v100_hour is None
    assert any("V100" in note for note in result.notes)


def test_machine_from_build_orders_stages_and_sums_throughput():
    cat = catalog(gpu(mixed=2.0, fp32=None), cpu())
    b = build(
        [BuildItem(part="gpu-a"), BuildItem(part="cpu-a")],
        plan=(
            PlanStep(month=9, add=(BuildItem(part="gpu-a"),)),
            PlanStep(month=3, add=(BuildItem(part="gpu-a"),)),
        ),
    )
    machine = machine_from_build(b, cat)
    assert [s.month for s in machine.stages] == [0, 3, 9]
    assert [s.gpus for s in machine.stages] == [1, 2, 3]
    assert [s.mixed for s in machine.stages] == [2.0, 4.0, 6.0]
    assert machine.stages[0].fp32 is None and machine.stages[0].unknown_fp32 == ("gpu-a",)
    assert machine.stages[2].tdp_w == 3 * 250 + 100


def test_quick_build_rejects_bad_input():
    with pytest.raises(ValueError, match="build cost"):
        quick_build(-1.0)
    with pytest.raises(ValueError, match="GPU count"):
        quick_build(1000.0, gpus=-1)
    with pytest.raises(ValueError, match="power"):
        quick_build(1000.0, power_kw=0.0)


def test_no_machine_before_the_first_stage():
    machine = Machine((StageProfile(month=2, purchase_usd=100.0, gpus=1, load_kw=1.0),))
    result = compare_machine(machine, Assumptions(months=4, electricity_usd_per_kwh=0.1))
    assert result.own.electricity_usd == pytest.approx(2 * HOURS * 0.1)
    assert result.series.own_cash[:3] == (0.0, 0.0, 100.0)
