"""Property tests: costs move the right way, commitments ignore utilization."""

from __future__ import annotations

import itertools
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlplanner.domain.cloud import CloudChoice
from dlplanner.domain.costs import compare_machine
from dlplanner.domain.machine import quick_build
from dlplanner.report.costs import to_json
from tests.unit.costs.helpers import flat, offer

money = st.floats(min_value=0.0, max_value=50_000.0, allow_nan=False)
price = st.floats(min_value=0.01, max_value=100.0, allow_nan=False)
fraction = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
kwh = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
kw = st.floats(min_value=0.05, max_value=10.0, allow_nan=False)
months = st.integers(min_value=1, max_value=60)
gpus = st.integers(min_value=1, max_value=8)

FULL = offer(
    price=3.0, reserved_1y_discount=0.35, reserved_3y_usd_per_hour=1.1, spot_usd_per_hour=0.9
)


def on_demand(build_cost, n, cloud_price, **assumptions):
    result = compare_machine(
        quick_build(build_cost, n), flat(**assumptions), [CloudChoice(offer(price=cloud_price))]
    )
    return result.own, result.options[0]


def later(a, b):
    """Whether break-even month a is no earlier than b (None: never, i.e. latest)."""
    a = math.inf if a is None else a
    b = math.inf if b is None else b
    return a >= b - 1e-9


@given(money, gpus, price, price, fraction, months)
def test_cloud_cost_rises_with_its_price(build_cost, n, p1, p2, u, m):
    low, high = sorted((p1, p2))
    _, cheap = on_demand(build_cost, n, low, utilization=u, months=m)
    _, dear = on_demand(build_cost, n, high, utilization=u, months=m)
    assert dear.total_usd >= cheap.total_usd - 1e-9
    assert later(cheap.break_even_months, dear.break_even_months)


@given(money, money, gpus, price, fraction)
def test_owning_rises_with_build_cost_and_breaks_even_later(c1, c2, n, p, u):
    low, high = sorted((c1, c2))
    own_low, opt_low = on_demand(low, n, p, utilization=u)
    own_high, opt_high = on_demand(high, n, p, utilization=u)
    assert own_high.value_usd >= own_low.value_usd - 1e-9
    assert own_high.cash_usd >= own_low.cash_usd - 1e-9
    assert later(opt_high.break_even_months, opt_low.break_even_months)


@given(money, kwh, kwh, kw, kw, fraction)
def test_electricity_rises_with_its_price_and_the_draw(build_cost, e1, e2, k1, k2, u):
    def own(e, k):
        return compare_machine(
            quick_build(build_cost, 1), flat(electricity_usd_per_kwh=e, power_kw=k, utilization=u)
        ).own

    e_low, e_high = sorted((e1, e2))
    k_low, k_high = sorted((k1, k2))
    assert own(e_high, k_low).electricity_usd >= own(e_low, k_low).electricity_usd - 1e-9
    assert own(e_low, k_high).electricity_usd >= own(e_low, k_low).electricity_usd - 1e-9


@given(money, gpus, price, fraction, fraction, months, months)
def test_costs_rise_with_hours(build_cost, n, p, u1, u2, m1, m2):
    u_low, u_high = sorted((u1, u2))
    m_low, m_high = sorted((m1, m2))
    own_a, cloud_a = on_demand(build_cost, n, p, utilization=u_low, months=m_low)
    own_b, cloud_b = on_demand(build_cost, n, p, utilization=u_high, months=m_low)
    own_c, cloud_c = on_demand(build_cost, n, p, utilization=u_low, months=m_high)
    assert cloud_b.total_usd >= cloud_a.total_usd - 1e-9
    assert own_b.electricity_usd >= own_a.electricity_usd - 1e-9
    assert cloud_c.total_usd >= cloud_a.total_usd - 1e-9
    assert own_c.value_usd >= own_a.value_usd - 1e-9


@given(
    money,
    gpus,
    fraction,
    fraction,
    months,
    st.booleans(),
    st.sampled_from(["reserved-1y", "reserved-3y"]),
)
def test_a_commitment_costs_the_same_at_any_utilization(build_cost, n, u1, u2, m, full_term, plan):
    def total(u):
        a = flat(utilization=u, months=m, commitment_full_term=full_term)
        return (
            compare_machine(quick_build(build_cost, n), a, [CloudChoice(FULL, plan)])
            .options[0]
            .total_usd
        )

    assert total(u1) == pytest.approx(total(u2), rel=1e-12)


@given(
    money,
    gpus,
    fraction,
    months,
    kwh,
    st.sampled_from(["on-demand", "reserved-1y", "reserved-3y", "spot"]),
)
def test_series_are_cumulative_and_end_at_the_totals(build_cost, n, u, m, e, plan):
    a = flat(utilization=u, months=m, electricity_usd_per_kwh=e, storage_gb=100.0)
    result = compare_machine(quick_build(build_cost, n), a, [CloudChoice(FULL, plan)])
    option = result.options[0]
    for series in (result.series.own_value, result.series.own_cash, option.series):
        assert len(series) == m + 1
        assert all(b >= a - 1e-9 for a, b in itertools.pairwise(series))
    assert option.series[-1] == pytest.approx(option.total_usd)
    assert result.series.own_value[-1] == pytest.approx(result.own.value_usd)
    json.dumps(to_json(result))


@settings(max_examples=50)
@given(money, gpus, price, months, fraction)
def test_at_the_break_even_utilization_both_sides_cost_the_same(build_cost, n, p, m, idle):
    _, option = on_demand(build_cost, n, p, months=m, idle_power_w=idle * 500)
    u = option.break_even_utilization
    if u is None:
        return
    own_u, option_u = on_demand(build_cost, n, p, months=m, idle_power_w=idle * 500, utilization=u)
    assert option_u.total_usd == pytest.approx(own_u.value_usd, rel=1e-6, abs=1e-6)
