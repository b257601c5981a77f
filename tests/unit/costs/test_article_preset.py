"""The article-2019 preset reproduces Jeff Chen's numbers, checked by hand arithmetic."""

from __future__ import annotations

import pytest

from dlplanner.domain.build import Assumptions, BuildItem, CompareEntry
from dlplanner.domain.cloud import CloudChoice
from dlplanner.domain.cost_options import CostOptions, compare_from_options
from dlplanner.domain.costs import compare_costs, compare_machine
from dlplanner.domain.machine import quick_build
from dlplanner.domain.presets import (
    ARTICLE_OFFERS,
    PRESETS,
    apply_preset,
    default_choices,
    get_preset,
    offers_to_pick,
    with_preset,
)
from tests.unit.costs.helpers import build, catalog, cpu, gpu, offer

HOURS_A_YEAR = 8760


def article(build_cost: float, gpus: int):
    a = apply_preset(Assumptions(), "article-2019")
    return compare_machine(
        quick_build(build_cost, gpus), a, default_choices("article-2019", catalog(), gpus)
    )


def test_preset_values_are_the_articles():
    a = apply_preset(Assumptions(), "article-2019")
    assert a.preset == "article-2019"
    assert a.months == 12
    assert a.utilization == 1.0
    assert a.electricity_usd_per_kwh == 0.20
    assert a.power_kw == 1.0 and a.power_kw_per_extra_gpu == pytest.approx(1 / 3)
    assert a.depreciation_years == 3.0 and a.residual_fraction == 0.0
    assert a.storage_usd_per_gb_month == 0.10
    assert a.storage_gb == 0.0  # the article's GB amount could not be sourced
    p3_2, p3_8 = ARTICLE_OFFERS
    assert (p3_2.id, p3_2.gpu_count, p3_2.price_usd) == ("aws-p3-2xlarge", 1, 3.06)
    assert (p3_8.id, p3_8.gpu_count, p3_8.price_usd) == ("aws-p3-8xlarge", 4, 12.24)
    assert p3_2.reserved_1y_discount == 0.35 and p3_2.reserved_3y_discount == 0.60


def test_one_gpu_3000_dollar_build():
    result = article(3000.0, 1)
    own = result.own
    # 3000 / 3 + 1 kW x 8760 h x $0.20 = 1000 + 1752
    assert own.depreciation_usd == pytest.approx(1000.0)
    assert own.electricity_usd == pytest.approx(1752.0)
    assert own.value_usd == pytest.approx(2752.0)
    assert own.cash_usd == pytest.approx(4752.0)

    on_demand = result.option("aws-p3-2xlarge", "on-demand")
    one_year = result.option("aws-p3-2xlarge", "reserved-1y")
    three_year = result.option("aws-p3-2xlarge", "reserved-3y")
    assert on_demand.total_usd == pytest.approx(3.06 * HOURS_A_YEAR)
    assert on_demand.total_usd == pytest.approx(26805.60)
    assert one_year.total_usd == pytest.approx(0.65 * 26805.60)
    assert one_year.total_usd == pytest.approx(17423.64)
    assert three_year.total_usd == pytest.approx(0.40 * 26805.60)
    assert three_year.total_usd == pytest.approx(10722.24)
    assert on_demand.ratio == pytest.approx(26805.60 / 2752, rel=1e-9)
    assert round(on_demand.ratio, 2) == 9.74
    assert round(one_year.ratio, 2) == 6.33
    assert round(three_year.ratio, 2) == 3.90
    # cash: $3,000 up front + $146 a month against $2,233.80 a month
    assert on_demand.break_even_months == pytest.approx(3000 / (2233.80 - 146))
    assert on_demand.break_even_utilization == pytest.approx(1000 / (26805.60 - 1752))
    assert [o.plan for o in result.options] == ["on-demand", "reserved-1y", "reserved-3y"]


def test_four_gpu_4500_dollar_build():
    result = article(4500.0, 4)
    own = result.own
    # 4500 / 3 + 2 kW x 8760 h x $0.20 = 1500 + 3504
    assert own.depreciation_usd == pytest.approx(1500.0)
    assert own.electricity_usd == pytest.approx(3504.0)
    assert own.value_usd == pytest.approx(5004.0)
    on_demand = result.option("aws-p3-8xlarge", "on-demand")
    one_year = result.option("aws-p3-8xlarge", "reserved-1y")
    three_year = result.option("aws-p3-8xlarge", "reserved-3y")
    assert on_demand.total_usd == pytest.approx(12.24 * HOURS_A_YEAR)
    assert on_demand.total_usd == pytest.approx(107222.40)
    assert one_year.total_usd == pytest.approx(69694.56)
    assert three_year.total_usd == pytest.approx(42888.96)
    assert round(on_demand.ratio, 2) == 21.43
    assert round(one_year.ratio, 2) == 13.93
    assert round(three_year.ratio, 2) == 8.57
    assert on_demand.break_even_months == pytest.approx(4500 / (8935.20 - 292))
    assert on_demand.usd_per_gpu_hour == pytest.approx(3.06)
    assert own.usd_per_gpu_hour == pytest.approx(5004 / (4 * HOURS_A_YEAR))


def test_power_is_linear_between_one_and_four_gpus():
    for gpus, kw in ((1, 1.0), (2, 4 / 3), (3, 5 / 3), (4, 2.0)):
        assert article(0.0, gpus).own.electricity_usd == pytest.approx(kw * HOURS_A_YEAR * 0.2)


def test_the_p3_2xlarge_scaled_to_four_costs_the_p3_8xlarge():
    a = apply_preset(Assumptions(), "article-2019")
    small, large = ARTICLE_OFFERS
    result = compare_machine(quick_build(4500.0, 4), a, [CloudChoice(small), CloudChoice(large)])
    assert result.options[0].total_usd == pytest.approx(result.options[1].total_usd)


def test_a_build_file_with_the_preset_uses_its_own_offers_over_the_catalogs():
    # A catalog p3 entry without commitment prices must not replace the preset's offer.
    cat = catalog(gpu(price=700.0), cpu(price=2300.0), offer("aws-p3-2xlarge", price=3.06))
    b = build(
        [BuildItem(part="gpu-a"), BuildItem(part="cpu-a")],
        **apply_preset(Assumptions(), "article-2019").model_dump(),
    )
    result = compare_costs(b, cat)
    assert [o.plan for o in result.options] == ["on-demand", "reserved-1y", "reserved-3y"]
    assert result.option("aws-p3-2xlarge", "reserved-1y").total_usd == pytest.approx(17423.64)
    named = b.model_copy(
        update={"compare": (CompareEntry(offer="aws-p3-2xlarge", plan="reserved-3y"),)}
    )
    assert compare_costs(named, cat).options[0].total_usd == pytest.approx(10722.24)


def test_the_offers_to_pick_put_the_presets_own_in_the_catalogs_place():
    cat = catalog(offer("cloud-x"), offer("aws-p3-2xlarge", price=3.06), offer("cloud-y"))
    picked = offers_to_pick("article-2019", cat)
    ids = [o.id for o in picked]
    own = [o.id for o in ARTICLE_OFFERS]
    assert ids == [i for i in own if i != "aws-p3-2xlarge"] + [
        "cloud-x",
        "aws-p3-2xlarge",
        "cloud-y",
    ]
    assert picked[ids.index("aws-p3-2xlarge")] in ARTICLE_OFFERS
    assert [o.id for o in offers_to_pick(None, cat)] == ["cloud-x", "aws-p3-2xlarge", "cloud-y"]


def test_a_preset_with_offers_compares_them_sized_to_the_gpus_today():
    cat = catalog(gpu(price=700.0), cpu(price=2300.0))
    b = build([BuildItem(part="gpu-a", qty=4), BuildItem(part="cpu-a")])
    preset = with_preset(b, cat, "article-2019")
    assert preset.assumptions == apply_preset(b.assumptions, "article-2019")
    assert [(e.offer, e.plan) for e in preset.compare] == [
        ("aws-p3-8xlarge", plan) for plan in ("on-demand", "reserved-1y", "reserved-3y")
    ]
    today = with_preset(b, cat, "today")
    assert today.compare == b.compare and today.assumptions.preset == "today"
    with pytest.raises(ValueError, match="unknown preset"):
        with_preset(b, cat, "nope")


def test_the_cli_options_layer_reproduces_the_article():
    result = compare_from_options(CostOptions(preset="article-2019", build_cost=3000.0), catalog())
    assert result.own.value_usd == pytest.approx(2752.0)
    assert result.option("aws-p3-2xlarge", "on-demand").total_usd == pytest.approx(26805.60)


def test_today_preset_and_unknown_presets():
    a = apply_preset(Assumptions(power_kw=1.0), "today")
    assert (a.months, a.electricity_usd_per_kwh, a.power_kw) == (36, 0.17, None)
    assert set(PRESETS) == {"article-2019", "today"}
    with pytest.raises(ValueError, match="unknown preset 'nope'"):
        get_preset("nope")


def test_default_choices_prefer_the_cheapest_work():
    fast = offer(
        "fast", price=2.0, throughput={"mixed": 4.0, "basis": "measured", "source": "https://x.org"}
    )
    slow = offer(
        "slow", price=1.0, throughput={"mixed": 1.0, "basis": "measured", "source": "https://x.org"}
    )
    unknown = offer("unknown", price=0.1)
    choices = default_choices(None, catalog(fast, slow, unknown), 1)
    assert [c.offer.id for c in choices] == ["fast", "slow", "unknown"]
    assert {c.plan for c in choices} == {"on-demand"}
