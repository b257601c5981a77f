"""Benchmark the cost model: a 60-month series against 10 cloud offers.

Run with ``python tests/benchmarks/bench_costs.py`` (after ``pip install -e .``). It prints
``name | median | target | pass/fail``; :func:`run` returns the same rows as dicts.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from dlplanner.domain.build import Assumptions, Build, BuildItem, PlanStep
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.cloud import CloudChoice
from dlplanner.domain.costs import compare_costs
from dlplanner.domain.parts import CloudOffer, CpuPart, GpuPart, Throughput
from dlplanner.report.costs import format_text, to_json

URL = "https://example.com/bench"
TARGET_MS = 5.0
REPEATS = 300
PLANS = ("on-demand", "reserved-1y", "reserved-3y", "spot")


def _speed(value: float) -> Throughput:
    return Throughput(fp32=value * 1.4, mixed=value, basis="measured", source=URL)


def _fixture() -> tuple[Build, Catalog, list[CloudChoice]]:
    """A 4-stage plan (1 to 4 GPUs) and 10 offers across all four plans."""
    gpu = GpuPart(
        id="bench-gpu",
        brand="NVIDIA",
        name="Bench GPU",
        chipset="Bench",
        tdp_w=450,
        price_usd=1599.0,
        throughput=_speed(1.98),
        sources=[URL],
    )
    cpu = CpuPart(
        id="bench-cpu",
        brand="AMD",
        name="Bench CPU",
        socket="AM5",
        tdp_w=170,
        price_usd=549.0,
        sources=[URL],
    )
    offers = [
        CloudOffer(
            id=f"bench-offer-{i}",
            brand="Cloud",
            name=f"Offer {i}",
            provider="Cloud",
            instance=f"i{i}",
            gpu_model="Bench",
            gpu_count=(1, 2, 4, 8)[i % 4],
            price_usd=1.0 + i,
            reserved_1y_discount=0.35,
            reserved_3y_usd_per_hour=(1.0 + i) * 0.45,
            spot_usd_per_hour=(1.0 + i) * 0.3,
            throughput=_speed(0.5 + i / 4),
            sources=[URL],
        )
        for i in range(10)
    ]
    build = Build(
        items=(
            BuildItem(part="bench-gpu"),
            BuildItem(part="bench-cpu"),
            BuildItem(part="x", price_usd=900.0),
        ),
        plan=tuple(
            PlanStep(month=month, add=(BuildItem(part="bench-gpu"),)) for month in (6, 12, 24)
        ),
        assumptions=Assumptions(months=60, utilization=0.6, storage_gb=500, egress_gb_per_month=50),
    )
    choices = [CloudChoice(offer, PLANS[i % 4]) for i, offer in enumerate(offers)]
    return build, Catalog([gpu, cpu, *offers]), choices


def _median_ms(func: Callable[[], object], repeats: int = REPEATS) -> float:
    func()  # warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def run() -> list[dict[str, object]]:
    """Time each case; one row per case with its median, target and verdict."""
    build, catalog, choices = _fixture()
    work = build.assumptions.model_copy(update={"normalize": "mixed"})
    full = build.assumptions.model_copy(update={"commitment_full_term": True})
    result = compare_costs(build, catalog, offers=choices)
    cases: list[tuple[str, Callable[[], object], float | None]] = [
        (
            "costs 60 months x 10 offers",
            lambda: compare_costs(build, catalog, offers=choices),
            TARGET_MS,
        ),
        (
            "costs 60 months x 10 offers, equal work",
            lambda: compare_costs(build, catalog, work, choices),
            TARGET_MS,
        ),
        (
            "costs 60 months x 10 offers, full-term",
            lambda: compare_costs(build, catalog, full, choices),
            TARGET_MS,
        ),
        ("to_json + format_text", lambda: (to_json(result), format_text(result)), None),
    ]
    rows: list[dict[str, object]] = []
    for name, func, target in cases:
        median = _median_ms(func)
        rows.append(
            {
                "name": name,
                "median_ms": median,
                "target_ms": target,
                "passed": target is None or median <= target,
            }
        )
    return rows


def main() -> int:
    """Print the table; exit 1 if a case misses its target."""
    rows = run()
    print("name | median | target | pass/fail")
    for row in rows:
        target = row["target_ms"]
        target_text = "-" if target is None else f"{target:.1f} ms"
        verdict = "pass" if row["passed"] else "fail"
        print(f"{row['name']} | {row['median_ms']:.3f} ms | {target_text} | {verdict}")
    return 0 if all(row["passed"] for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
