"""Break-even month (cash basis) and break-even utilization (value basis)."""

from __future__ import annotations

import pytest

from dlplanner.domain.cloud import CloudChoice
from dlplanner.domain.costs import break_even_month, break_even_utilization, compare_machine
from dlplanner.domain.machine import Machine, StageProfile, quick_build
from tests.unit.costs.helpers import HOURS, flat, offer


def test_break_even_month_is_linear_within_the_month():
    # own: $3,000 at once + 1 kW x 730 h x $0.20 = $146 a month; cloud: $3.06 x 730 = $2,233.80
    option = compare_machine(
        quick_build(3000.0, 1), flat(), [CloudChoice(offer(price=3.06))]
    ).options[0]
    assert option.break_even_months == pytest.approx(3000 / (3.06 * HOURS - 146.0))
    assert option.break_even_months == pytest.approx(1.4369, abs=1e-4)


def test_break_even_month_is_none_when_renting_stays_cheaper():
    option = compare_machine(
        quick_build(3000.0, 1), flat(), [CloudChoice(offer(price=0.1))]
    ).options[0]
    assert option.break_even_months is None


def test_break_even_month_is_zero_when_owning_costs_nothing_up_front():
    option = compare_machine(quick_build(0.0, 1), flat(), [CloudChoice(offer(price=1.0))]).options[
        0
    ]
    assert option.break_even_months == 0.0


def test_a_later_purchase_moves_own_cash_up_at_its_month():
    machine = Machine(
        (
            StageProfile(month=0, purchase_usd=1000.0, gpus=1, load_kw=1.0),
            StageProfile(month=2, purchase_usd=5000.0, gpus=1, load_kw=1.0),
        )
    )
    a = flat(electricity_usd_per_kwh=0.0, months=12)
    price = 3000.0 / HOURS  # the cloud spends $3,000 a month
    option = compare_machine(machine, a, [CloudChoice(offer(price=price))]).options[0]
    assert option.break_even_months == pytest.approx(1000 / 3000)
    late = Machine(
        (
            StageProfile(month=0, purchase_usd=4000.0, gpus=1, load_kw=1.0),
            StageProfile(month=1, purchase_usd=5000.0, gpus=1, load_kw=1.0),
        )
    )
    option = compare_machine(late, a, [CloudChoice(offer(price=price))]).options[0]
    # 4000 at 0, 9000 from month 1: cloud reaches 9000 at month 3
    assert option.break_even_months == pytest.approx(3.0)


def test_break_even_month_function_directly():
    assert break_even_month([0, 10, 20], [15, 15, 15], [10, 10], [0, 0]) == pytest.approx(1.5)
    assert break_even_month([0, 1], [5, 5], [1], [0]) is None


def test_break_even_utilization_for_pay_per_hour_is_closed_form():
    # owning: $1,000 depreciation + $1,752 x u; on demand: $26,805.60 x u
    option = compare_machine(
        quick_build(3000.0, 1), flat(), [CloudChoice(offer(price=3.06))]
    ).options[0]
    expected = 1000 / (3.06 * 8760 - 0.2 * 8760)
    assert option.break_even_utilization == pytest.approx(expected)
    assert option.break_even_utilization == pytest.approx(0.0399, abs=1e-4)
    assert option.renting_cheaper == "below"


def test_break_even_utilization_is_the_same_at_any_utilization_setting():
    choice = CloudChoice(offer(price=3.06))
    values = {
        compare_machine(quick_build(3000.0, 1), flat(utilization=u), [choice])
        .options[0]
        .break_even_utilization
        for u in (0.0, 0.3, 1.0)
    }
    assert len({round(v, 12) for v in values if v is not None}) == 1


def test_a_commitment_is_cheaper_above_its_break_even_utilization():
    # a commitment costing $2,000 over the year against $1,000 + $1,752 x u
    o = offer(price=1.0, reserved_1y_usd_per_hour=2000 / 8760)
    option = compare_machine(
        quick_build(3000.0, 1), flat(), [CloudChoice(o, "reserved-1y")]
    ).options[0]
    assert option.break_even_utilization == pytest.approx(1000 / 1752)
    assert option.renting_cheaper == "above"


def test_break_even_utilization_none_outside_zero_to_one():
    expensive = offer(price=10.0, reserved_1y_usd_per_hour=5.0)
    option = compare_machine(
        quick_build(3000.0, 1), flat(), [CloudChoice(expensive, "reserved-1y")]
    ).options[0]
    assert option.break_even_utilization is None and option.renting_cheaper is None
    cheap = compare_machine(
        quick_build(3000.0, 1), flat(), [CloudChoice(offer(price=0.01))]
    ).options[0]
    assert cheap.break_even_utilization is None


def test_break_even_utilization_function_directly():
    assert break_even_utilization(0.0, 100.0, 50.0, 0.0) == (pytest.approx(0.5), "below")
    assert break_even_utilization(80.0, 0.0, 40.0, 80.0) == (pytest.approx(0.5), "above")
    assert break_even_utilization(10.0, 5.0, 10.0, 5.0) == (None, None)
