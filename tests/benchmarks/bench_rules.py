"""Benchmark the compatibility rules.

Run from the repository root::

    python tests/benchmarks/bench_rules.py

It times (``time.perf_counter``, median of many repetitions) every rule over every stage of
a four-stage, four-GPU build (Jeff Chen's Threadripper build: one GPU now, one more at each
of three plan steps; target 2 ms), and over 10,000 random valid builds drawn from the test
catalog (target 10 s for all of them), and prints ``name | median | target | pass/fail``.
:func:`run` returns the same rows as dicts for the README table.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dlplanner.domain.build import Build, BuildItem, PlanStep  # noqa: E402
from dlplanner.rules import evaluate  # noqa: E402
from tests.unit.rules.samples import (  # noqa: E402
    ARTICLE,
    BOARDS,
    CASES,
    CATALOG,
    COOLERS,
    CPUS,
    GPUS,
    MEMORY,
    PSUS,
    STORAGE,
)

RANDOM_BUILDS = 10_000


def _median_of(repeats: int, work: Callable[[], object]) -> float:
    """Median wall time of ``repeats`` runs of ``work``."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def random_build(rng: random.Random) -> Build:
    """A valid build: mostly one part of each kind, 0–4 GPUs, and 0–3 plan steps."""
    items = [
        BuildItem(part=rng.choice(pool).id)
        for pool in (CPUS, BOARDS, MEMORY, STORAGE, PSUS, CASES, COOLERS)
        if rng.random() < 0.9
    ]
    if rng.random() < 0.9:
        items.append(BuildItem(part=rng.choice(GPUS).id, qty=rng.randint(1, 4)))
    if rng.random() < 0.05:
        items.append(BuildItem(part="not-in-the-catalog"))
    plan = tuple(
        PlanStep(month=3 * (k + 1), add=(BuildItem(part=rng.choice(GPUS + STORAGE).id),))
        for k in range(rng.randint(0, 3))
    )
    return Build(items=tuple(items), plan=plan)


def bench_plan_build(repeats: int = 2000) -> dict[str, Any]:
    """Median time of all rules over the four-stage four-GPU build."""
    assert len(ARTICLE.stages()) == 4
    evaluate(ARTICLE, CATALOG)  # warm up
    median = _median_of(repeats, lambda: evaluate(ARTICLE, CATALOG))
    return _row("all rules, 4-stage 4-GPU build", median, 0.002, f"median of {repeats}")


def _evaluate_random(count: int, chunk: int = 500) -> float:
    """Seconds spent in ``evaluate`` for ``count`` random builds (making them is not timed).

    Builds are made ``chunk`` at a time, so that no more of them are alive than an
    application would hold; 10,000 live builds would make the garbage collector, not the
    rules, the thing measured.
    """
    spent = 0.0
    for first in range(0, count, chunk):
        builds = [random_build(random.Random(seed)) for seed in range(first, first + chunk)]
        start = time.perf_counter()
        for build in builds:
            evaluate(build, CATALOG)
        spent += time.perf_counter() - start
    return spent


def bench_random_builds(count: int = RANDOM_BUILDS, rounds: int = 3) -> dict[str, Any]:
    """Median over ``rounds`` of the time to evaluate ``count`` random valid builds."""
    median = statistics.median(_evaluate_random(count) for _ in range(rounds))
    return _row(f"all rules, {count:,} random builds", median, 10.0, f"median of {rounds}")


def _row(name: str, median: float, target: float, note: str) -> dict[str, Any]:
    """One result row; the keys match ``bench_costs.py`` (plus readable ``median``/``target``)."""
    return {
        "name": name,
        "median_ms": median * 1000.0,
        "target_ms": target * 1000.0,
        "passed": median <= target,
        "median": _fmt(median),
        "target": f"≤ {_fmt(target)}",
        "note": note,
    }


def _fmt(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms" if seconds < 1 else f"{seconds:.2f} s"


def run() -> list[dict[str, Any]]:
    """Run every rules benchmark and return its rows."""
    return [bench_plan_build(), bench_random_builds()]


def main() -> int:
    """Print the rows as a table; exit status 1 if a target is missed."""
    rows = run()
    print("name | median | target | pass/fail")
    for row in rows:
        verdict = "pass" if row["passed"] else "fail"
        print(f"{row['name']} | {row['median']} | {row['target']} | {verdict}")
    return 0 if all(row["passed"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
