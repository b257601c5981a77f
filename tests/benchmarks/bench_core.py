"""Rules and costs, timed with spread, on the fixtures of ``bench_rules.py`` and ``bench_costs.py``.

Those two scripts stay runnable on their own; this module reuses their fixtures (the article's
four-stage build on the rules' test catalog, the random valid builds, the 60-month plan with ten
offers) and times them like every other row here: warm-up, many repetitions, median and spread.
"""

from __future__ import annotations

import time
from typing import Any

import bench_costs
import bench_rules
from harness import Context, make_row, progress, time_calls

from dlplanner.domain.costs import compare_costs
from dlplanner.rules import evaluate

PLAN_TARGET_MS = 2.0
RANDOM_TARGET_MS = 10_000.0
COST_TARGET_MS = bench_costs.TARGET_MS


def rules_rows(ctx: Context) -> list[dict[str, Any]]:
    """Row 5: all rules over the four-stage four-GPU build, and over 10,000 random builds."""
    build, catalog = bench_rules.ARTICLE, bench_rules.CATALOG
    stages = len(build.stages())
    gpus = sum(it.qty for it in build.items if catalog.gpu(it.part)) + sum(
        it.qty for step in build.plan for it in step.add if catalog.gpu(it.part)
    )
    reps = ctx.reps(2000, 300)
    # Sub-millisecond calls: no collection before each (it would cost more than the call).
    plan_cpu: list[float] = []
    plan = time_calls(
        lambda: evaluate(build, catalog), reps, warmup=20, collect=False, cpu=plan_cpu
    )
    progress(f"rules, plan build: median {sorted(plan)[len(plan) // 2]:.3f} ms")
    rows = [
        make_row(
            "rules_plan",
            f"All rules, {stages}-stage {gpus}-GPU build (article)",
            "ms",
            plan,
            PLAN_TARGET_MS,
            note=f"evaluate(build, catalog) on bench_rules' fixture; {reps} calls after 20 warm-up",
            cpu=plan_cpu,
        )
    ]
    count = bench_rules.RANDOM_BUILDS
    rounds = ctx.reps(3, 1)
    spent = []
    for i in range(rounds):
        start = time.perf_counter()
        spent.append(bench_rules._evaluate_random(count) * 1000.0)
        progress(
            f"rules, {count:,} random builds, round {i + 1}/{rounds}: {spent[-1] / 1000:.2f} s "
            f"({time.perf_counter() - start:.1f} s with making the builds)"
        )
    rows.append(
        make_row(
            "rules_random",
            f"All rules, {count:,} random valid builds",
            "s",
            [ms / 1000.0 for ms in spent],
            RANDOM_TARGET_MS / 1000.0,
            note=(
                f"bench_rules._evaluate_random: seeded builds of 0–4 GPUs and 0–3 plan steps "
                f"on the rules' test catalog, 500 alive at a time; only evaluate() is timed; "
                f"{rounds} round{'s' * (rounds != 1)}"
            ),
        )
    )
    return rows


def cost_rows(ctx: Context) -> list[dict[str, Any]]:
    """Row 7: the cost series for 60 months and 10 offers (three ways of comparing)."""
    build, catalog, choices = bench_costs._fixture()
    work = build.assumptions.model_copy(update={"normalize": "mixed"})
    full = build.assumptions.model_copy(update={"commitment_full_term": True})
    cases = [
        (
            "costs",
            "Cost series, 60 months × 10 offers",
            lambda: compare_costs(build, catalog, offers=choices),
        ),
        (
            "costs_work",
            "Cost series, 60 months × 10 offers, equal work",
            lambda: compare_costs(build, catalog, work, choices),
        ),
        (
            "costs_full",
            "Cost series, 60 months × 10 offers, full-term commitments",
            lambda: compare_costs(build, catalog, full, choices),
        ),
    ]
    reps = ctx.reps(300, 100)
    rows = []
    for key, name, func in cases:
        cpu: list[float] = []
        times = time_calls(func, reps, warmup=5, collect=False, cpu=cpu)
        rows.append(
            make_row(
                key,
                name,
                "ms",
                times,
                COST_TARGET_MS,
                note=(
                    "compare_costs on bench_costs' fixture (4-stage plan, 4 pricing plans); "
                    f"{reps} calls"
                ),
                cpu=cpu,
            )
        )
    progress("costs: " + ", ".join(f"{r['key']} {r['median']:.2f} ms" for r in rows))
    return rows
