"""Benchmark the build completion (Build > Complete Build…, ``dlplanner complete``).

Rows: four RTX 3090 Turbo cards completed from the shipped catalog (target 1 s) and from
the generated 10,000-part catalog (target 10 s), each the whole ``complete()`` call with
its three proposals; and how long a running completion takes to stop once cancelled half-way
through (target 100 ms). Run from the repository root with ``python tests/benchmarks/run.py``.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from harness import BenchError, Context, make_row, progress, time_calls

from dlplanner.completion.levels import Cancelled
from dlplanner.completion.propose import complete
from dlplanner.domain.build import Build, BuildItem
from dlplanner.domain.catalog import Catalog
from dlplanner.io.catalog_files import load_catalog

SHIPPED_TARGET_MS = 1000.0
GENERATED_TARGET_MS = 10_000.0
CANCEL_TARGET_MS = 100.0
QUAD = Build(name="Quad", items=(BuildItem(part="asus-turbo-geforce-rtx-3090", qty=4),))


def _row(ctx: Context, key: str, name: str, catalog: Catalog, target: float) -> dict[str, Any]:
    found: list[Any] = []

    def run() -> None:
        found[:] = [complete(QUAD, catalog)]

    cpu: list[float] = []
    times = time_calls(run, ctx.reps(5, 2), warmup=0, budget_s=ctx.reps(30, 10), cpu=cpu)
    result = found[0]
    progress(f"{name}: {[round(t) for t in times]} ms")
    labels = ", ".join(p.label for p in result.proposals) or "none"
    return make_row(
        key,
        name,
        "ms",
        times,
        target,
        note=f"complete(4 × RTX 3090 Turbo); proposals: {labels}; "
        f"{result.stats.nodes} candidates tried in the first search; n={len(times)}",
        cpu=cpu,
    )


def shipped_rows(ctx: Context) -> list[dict[str, Any]]:
    """Complete four GPUs from the shipped catalog."""
    catalog = load_catalog(user_dirs=[]).catalog
    return [
        _row(ctx, "complete", "Complete four GPUs, shipped catalog", catalog, SHIPPED_TARGET_MS)
    ]


def generated_rows(ctx: Context) -> list[dict[str, Any]]:
    """Complete four GPUs from the generated 10,000-part catalog (loaded by the catalog row)."""
    catalog = ctx.shared.get("catalog10k")
    if catalog is None:  # run alone (--only): generate and load it here
        from bench_catalog import generated_catalog_dir

        catalog = load_catalog(generated_catalog_dir(ctx), user_dirs=[]).catalog
    return [
        _row(ctx, "complete_10k", "Complete four GPUs, 10,000 parts", catalog, GENERATED_TARGET_MS)
    ]


def cancel_rows(ctx: Context) -> list[dict[str, Any]]:
    """How long a completion runs on after it is told to stop."""
    catalog = load_catalog(user_dirs=[]).catalog
    start = time.perf_counter()
    complete(QUAD, catalog)
    delay = (time.perf_counter() - start) / 2  # half-way: a completion is then surely running
    latencies: list[float] = []
    for _ in range(ctx.reps(7, 3)):
        flag = threading.Event()
        stopped: list[float] = []

        def work(flag: threading.Event = flag, stopped: list[float] = stopped) -> None:
            try:
                complete(QUAD, catalog, cancel=flag.is_set)
            except Cancelled:
                stopped.append(time.perf_counter())

        thread = threading.Thread(target=work)
        thread.start()
        time.sleep(delay)
        asked = time.perf_counter()
        flag.set()
        thread.join()
        if stopped:
            latencies.append((stopped[0] - asked) * 1000.0)
    progress(f"cancel: {[round(t) for t in latencies]} ms")
    if not latencies:
        raise BenchError(f"each completion ended before the cancel ({delay * 1e3:.0f} ms in)")
    return [
        make_row(
            "complete_cancel",
            "Cancel a running completion",
            "ms",
            latencies,
            CANCEL_TARGET_MS,
            note=f"cancel flag set half-way into a completion ({delay * 1e3:.0f} ms), until "
            f"Cancelled is raised; n={len(latencies)}",
        )
    ]
