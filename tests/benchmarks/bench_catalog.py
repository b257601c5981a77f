"""Loading catalogs in process: the shipped one, and a generated 10,000-part one.

Both time ``load_catalog(folder, user_dirs=[])`` (read, check and parse the YAML, validate every
entry, build the :class:`Catalog` index) after the imports and a warm-up call. The 10,000-part
catalog is generated once per run by ``gen_catalog.py`` into the run's temp folder; the last
loaded copy is kept in the run context for the catalog-browser search benchmark.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from gen_catalog import TOTAL, generate
from harness import Context, make_row, progress, time_calls

from dlplanner.io.catalog_files import load_catalog

SHIPPED_TARGET_MS = 100.0
GENERATED_TARGET_MS = 1000.0


def shipped_row(ctx: Context) -> dict[str, Any]:
    """Row 3a: the shipped catalog."""
    count = len(load_catalog(user_dirs=[]).catalog)
    cpu: list[float] = []
    times = time_calls(
        lambda: load_catalog(user_dirs=[]),
        ctx.reps(15, 7),
        warmup=ctx.reps(2, 1),
        budget_s=ctx.reps(20, 6),
        min_repeats=5,
        cpu=cpu,
    )
    progress(f"shipped catalog: median {sorted(times)[len(times) // 2]:.1f} ms over {len(times)}")
    return make_row(
        "catalog_shipped",
        f"Load the shipped catalog ({count} parts)",
        "ms",
        times,
        SHIPPED_TARGET_MS,
        note=(
            "load_catalog(user_dirs=[]) in process, after imports and warm-up loads; "
            f"n={len(times)}"
        ),
        cpu=cpu,
    )


def generated_catalog_dir(ctx: Context) -> Path:
    """The run's 10,000-part catalog folder (generated on first use)."""
    if "catalog10k_dir" not in ctx.shared:
        folder = ctx.tmp / "catalog-10k"
        start = time.perf_counter()
        info = generate(folder)
        info["seconds"] = time.perf_counter() - start
        ctx.shared["catalog10k_dir"] = folder
        ctx.shared["catalog10k_info"] = info
        progress(
            f"generated {TOTAL:,} parts ({info['total_bytes'] / 1e6:.1f} MB) "
            f"in {info['seconds']:.1f} s"
        )
    return ctx.shared["catalog10k_dir"]


def generated_row(ctx: Context) -> dict[str, Any]:
    """Row 3b: the generated 10,000-part catalog."""
    folder = generated_catalog_dir(ctx)
    info = ctx.shared["catalog10k_info"]
    loaded: list[Any] = []

    def load() -> None:
        loaded[:] = [load_catalog(folder, user_dirs=[])]

    # Every load proves the generated files valid: the shipped-catalog rules apply, so any
    # problem raises CatalogError. The shipped-catalog row has already warmed up the code paths;
    # --quick skips the extra warm-up load.
    cpu: list[float] = []
    times = time_calls(
        load,
        ctx.reps(5, 3),
        warmup=ctx.reps(1, 0),
        budget_s=ctx.reps(20, 4),
        min_repeats=ctx.reps(3, 1),
        cpu=cpu,
    )
    catalog = loaded[0].catalog
    if len(catalog) != TOTAL:
        raise RuntimeError(f"the generated catalog has {len(catalog)} parts, not {TOTAL}")
    ctx.shared["catalog10k"] = catalog
    kinds = ", ".join(f"{k} {len(v)}" for k, v in catalog.kinds.items())
    progress(f"10k catalog: {[round(t) for t in times]} ms")
    return make_row(
        "catalog_10k",
        f"Load a generated {TOTAL:,}-part catalog",
        "ms",
        times,
        GENERATED_TARGET_MS,
        note=(
            f"load_catalog(tmp, user_dirs=[]); {info['total_bytes'] / 1e6:.1f} MB "
            f"of YAML in 9 files ({kinds}); n={len(times)}"
        ),
        extra={"generated": info},
        cpu=cpu,
    )
