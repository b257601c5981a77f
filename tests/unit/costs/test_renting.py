"""Renting: per-hour plans, commitments, storage, egress, GPU scaling, equal work."""

from __future__ import annotations

import pytest

from dlplanner.domain.cloud import CloudChoice, plan_rate
from dlplanner.domain.costs import compare_machine
from dlplanner.domain.machine import Machine, StageProfile, quick_build
from tests.unit.costs.helpers import HOURS, flat, offer, speed


def one(machine, a, choice):
    result = compare_machine(machine, a, [choice])
    assert len(result.options) >= 1, result.notes
    return result.options[0]


def test_on_demand_is_billed_per_used_hour():
    option = one(quick_build(0.0, 1), flat(utilization=0.25), CloudChoice(offer(price=3.0)))
    assert option.total_usd == pytest.approx(3.0 * 0.25 * 8760)
    assert option.total_usd == pytest.approx(6570.0)
    assert option.series[6] == pytest.approx(3.0 * 0.25 * HOURS * 6)


def test_spot_is_billed_per_used_hour_at_the_spot_price():
    o = offer(price=3.0, spot_usd_per_hour=0.9)
    option = one(quick_build(0.0, 1), flat(utilization=0.5), CloudChoice(o, "spot"))
    assert option.total_usd == pytest.approx(0.9 * 0.5 * 8760)


def test_commitment_within_the_horizon_bills_every_hour_of_the_horizon():
    o = offer(price=3.0, reserved_1y_discount=0.35)
    a = flat(utilization=0.1, months=6)
    option = one(quick_build(0.0, 1), a, CloudChoice(o, "reserved-1y"))
    assert option.total_usd == pytest.approx(3.0 * 0.65 * HOURS * 6)
    assert option.series[0] == 0.0


def test_commitment_full_term_charges_the_whole_term_when_it_starts():
    o = offer(price=3.0, reserved_3y_usd_per_hour=1.0, reserved_3y_discount=0.9)
    a = flat(utilization=0.1, months=12, commitment_full_term=True)
    option = one(quick_build(0.0, 1), a, CloudChoice(o, "reserved-3y"))
    # its own hourly price wins over the discount; 36 months of 730 hours
    assert option.total_usd == pytest.approx(1.0 * 36 * HOURS)
    assert option.series[0] == pytest.approx(26280.0)
    assert option.series[12] == pytest.approx(26280.0)


def test_full_term_commitments_renew_inside_the_horizon():
    o = offer(price=2.0, reserved_1y_usd_per_hour=1.0)
    a = flat(months=18, commitment_full_term=True)
    option = one(quick_build(0.0, 1), a, CloudChoice(o, "reserved-1y"))
    assert option.total_usd == pytest.approx(2 * 12 * HOURS)
    assert option.series[11] == pytest.approx(12 * HOURS)
    assert option.series[12] == pytest.approx(24 * HOURS)


def test_plan_rate_and_missing_plan_prices():
    o = offer(price=4.0, reserved_1y_discount=0.25)
    assert plan_rate(o, "on-demand") == 4.0
    assert plan_rate(o, "reserved-1y") == pytest.approx(3.0)
    assert plan_rate(o, "reserved-3y") is None
    assert plan_rate(o, "spot") is None
    result = compare_machine(quick_build(0.0, 1), flat(), [CloudChoice(o, "spot")])
    assert result.options == ()
    assert any("no spot price" in note for note in result.notes)


def test_storage_is_billed_every_month_and_egress_per_gb():
    a = flat(
        utilization=0.0,
        storage_gb=500.0,
        storage_usd_per_gb_month=0.1,
        egress_gb_per_month=200.0,
        egress_usd_per_gb=0.09,
    )
    option = one(quick_build(0.0, 1), a, CloudChoice(offer(price=3.0)))
    assert option.storage_usd == pytest.approx(500 * 0.1 * 12)
    assert option.egress_usd == pytest.approx(200 * 0.09 * 12)
    assert option.total_usd == pytest.approx(600.0 + 216.0)
    assert option.compute_usd == 0.0


def _staged() -> Machine:
    return Machine(
        (
            StageProfile(month=0, purchase_usd=0.0, gpus=1, load_kw=1.0),
            StageProfile(month=6, purchase_usd=0.0, gpus=3, load_kw=1.5),
        )
    )


def test_gpu_count_follows_the_plan_scaling_the_instance():
    four = offer(price=8.0, gpus=4)
    option = one(_staged(), flat(cloud_scaling="instance"), CloudChoice(four))
    # $8 for 4 GPUs: $2 per GPU-hour; 1 GPU for 6 months, then 3 GPUs for 6 months
    assert option.total_usd == pytest.approx(2.0 * HOURS * 6 + 6.0 * HOURS * 6)
    assert option.gpu_hours == pytest.approx((1 * 6 + 3 * 6) * HOURS)


def test_gpu_count_follows_the_plan_in_whole_instances():
    four = offer(price=8.0, gpus=4)
    option = one(_staged(), flat(cloud_scaling="single-gpu"), CloudChoice(four))
    # whole 4-GPU instances: one instance all year
    assert option.total_usd == pytest.approx(8.0 * HOURS * 12)
    single = offer(price=2.0, gpus=1)
    option = one(_staged(), flat(cloud_scaling="single-gpu"), CloudChoice(single))
    # n single-GPU instances: 1, then 3
    assert option.total_usd == pytest.approx(2.0 * HOURS * 6 + 3 * 2.0 * HOURS * 6)


def test_full_term_commitments_follow_added_gpus():
    o = offer(price=4.0, reserved_1y_usd_per_hour=1.0)
    a = flat(months=12, commitment_full_term=True)
    option = one(_staged(), a, CloudChoice(o, "reserved-1y"))
    # one GPU committed at month 0, two more at month 6, each for a whole year
    assert option.series[0] == pytest.approx(12 * HOURS)
    assert option.series[6] == pytest.approx(12 * HOURS + 2 * 12 * HOURS)
    assert option.total_usd == pytest.approx(3 * 12 * HOURS)


def test_equal_work_scales_cloud_gpus_by_throughput():
    machine = quick_build(0.0, 2, mixed=1.5, fp32=2.0)
    cloud = offer(price=3.0, throughput=speed(fp32=1.0, mixed=3.0))
    result = compare_machine(
        machine, flat(normalize="mixed", utilization=0.5), [CloudChoice(cloud)]
    )
    hours = result.option("cloud-a", "on-demand")
    work = result.option("cloud-a", "on-demand", "equal-work")
    assert hours.total_usd == pytest.approx(3.0 * 2 * 0.5 * 8760)
    # cloud hours = own GPU hours x 1.5 / 3.0
    assert work.total_usd == pytest.approx(3.0 * 2 * 0.5 * 8760 * 1.5 / 3.0)
    assert work.key == "cloud-a:on-demand:equal-work"
    assert set(result.series.cloud) == {"cloud-a:on-demand", "cloud-a:on-demand:equal-work"}
    fp32 = compare_machine(machine, flat(normalize="fp32", utilization=0.5), [CloudChoice(cloud)])
    assert fp32.option("cloud-a", "on-demand", "equal-work").total_usd == pytest.approx(
        3.0 * 2 * 0.5 * 8760 * 2.0
    )


def test_equal_work_without_throughput_says_so_instead_of_assuming_one():
    machine = quick_build(0.0, 1, mixed=1.5)
    cloud = offer(price=3.0)  # no throughput
    result = compare_machine(machine, flat(normalize="mixed"), [CloudChoice(cloud)])
    assert [o.basis for o in result.options] == ["equal-hours"]
    assert any("equal work: no mixed throughput for cloud-a" in n for n in result.notes)
    unknown_own = compare_machine(
        quick_build(0.0, 1), flat(normalize="mixed"), [CloudChoice(offer(throughput=speed()))]
    )
    assert [o.basis for o in unknown_own.options] == ["equal-hours"]
    assert any("equal work" in n and "machine's GPUs" in n for n in unknown_own.notes)


def test_cloud_price_per_gpu_hour_and_per_v100_hour():
    cloud = offer(price=6.0, gpus=2, throughput=speed(mixed=1.5))
    option = one(quick_build(0.0, 2), flat(utilization=0.5), CloudChoice(cloud))
    assert option.usd_per_gpu_hour == pytest.approx(3.0)
    assert option.usd_per_v100_hour == pytest.approx(2.0)
    idle = one(quick_build(0.0, 2), flat(utilization=0.0), CloudChoice(cloud))
    assert idle.usd_per_gpu_hour is None


def test_commitment_price_per_used_hour_rises_as_use_falls():
    o = offer(price=3.0, reserved_1y_discount=0.35)
    full = one(quick_build(0.0, 1), flat(utilization=1.0), CloudChoice(o, "reserved-1y"))
    half = one(quick_build(0.0, 1), flat(utilization=0.5), CloudChoice(o, "reserved-1y"))
    assert full.usd_per_gpu_hour == pytest.approx(1.95)
    assert half.usd_per_gpu_hour == pytest.approx(3.9)
