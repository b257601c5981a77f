"""Loading catalogs in process: the shipped one, and a generated 10,000-part one.

Each is timed two ways with ``load_catalog(folder, user_dirs=[])``, after the imports:

* **first read**: no cache; read, check and parse the YAML, validate every entry, build the
  :class:`Catalog` index. This is what happens once, after a catalog file changes.
* **cached**: the app's normal start — every file's bytes are read and hashed, and a file seen
  clean before comes from the checked-catalog cache (its parts validated again by the models,
  see :mod:`dlplanner.io.catalog_cache`) instead of being parsed.

The 10,000-part catalog is generated once per run by ``gen_catalog.py`` into the run's temp
folder; the last loaded copy is kept in the run context for the catalog-browser search benchmark.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from gen_catalog import TOTAL, generate
from harness import Context, make_row, progress, time_calls

from dlplanner.io.catalog_cache import CatalogCache
from dlplanner.io.catalog_files import load_catalog

SHIPPED_TARGET_MS = 100.0
GENERATED_TARGET_MS = 1000.0


def _cache(ctx: Context, name: str) -> CatalogCache:
    """A cache folder of this run's own, so a cache from earlier runs cannot help."""
    return CatalogCache(ctx.tmp / "catalog-cache" / name)


def shipped_rows(ctx: Context) -> list[dict[str, Any]]:
    """Rows 3a: the shipped catalog, first read and cached."""
    count = len(load_catalog(user_dirs=[], cache=False).catalog)
    cache = _cache(ctx, "shipped")
    rows = []
    for cached in (False, True):
        cpu: list[float] = []
        times = time_calls(
            lambda cached=cached: load_catalog(user_dirs=[], cache=cache if cached else False),
            ctx.reps(15, 7),
            warmup=ctx.reps(2, 1),  # the first warm-up load fills the cache
            budget_s=ctx.reps(20, 6),
            min_repeats=5,
            cpu=cpu,
        )
        label = "cached" if cached else "first read"
        progress(f"shipped catalog, {label}: median {sorted(times)[len(times) // 2]:.1f} ms")
        rows.append(
            make_row(
                "catalog_shipped" if cached else "catalog_shipped_first",
                f"Load the shipped catalog ({count} parts), "
                + ("checked files cached" if cached else "first read, no cache"),
                "ms",
                times,
                SHIPPED_TARGET_MS,
                note=(
                    f"load_catalog(user_dirs=[]) in process, {label}, after imports and "
                    f"warm-up loads; n={len(times)}"
                ),
                cpu=cpu,
            )
        )
    return rows


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


def generated_rows(ctx: Context) -> list[dict[str, Any]]:
    """Rows 3b: the generated 10,000-part catalog, first read and cached."""
    folder = generated_catalog_dir(ctx)
    info = ctx.shared["catalog10k_info"]
    loaded: list[Any] = []
    cache = _cache(ctx, "generated")
    rows = []
    for cached in (False, True):

        def load(cached: bool = cached) -> None:
            loaded[:] = [load_catalog(folder, user_dirs=[], cache=cache if cached else False)]

        # Every load proves the generated files valid: the shipped-catalog rules apply, so any
        # problem raises CatalogError. The cached row's warm-up load fills the cache (a first
        # read); --quick skips the first-read row's warm-up.
        cpu: list[float] = []
        times = time_calls(
            load,
            ctx.reps(5, 3),
            warmup=1 if cached else ctx.reps(1, 0),
            budget_s=ctx.reps(20, 4),
            min_repeats=ctx.reps(3, 1),
            cpu=cpu,
        )
        catalog = loaded[0].catalog
        if len(catalog) != TOTAL:
            raise RuntimeError(f"the generated catalog has {len(catalog)} parts, not {TOTAL}")
        label = "cached" if cached else "first read"
        progress(f"10k catalog, {label}: {[round(t) for t in times]} ms")
        kinds = ", ".join(f"{k} {len(v)}" for k, v in catalog.kinds.items())
        rows.append(
            make_row(
                "catalog_10k" if cached else "catalog_10k_first",
                f"Load a generated {TOTAL:,}-part catalog, "
                + ("checked files cached" if cached else "first read, no cache"),
                "ms",
                times,
                GENERATED_TARGET_MS if cached else None,
                note=(
                    f"load_catalog(tmp, user_dirs=[], {label}); {info['total_bytes'] / 1e6:.1f} "
                    f"MB of YAML in 9 files ({kinds}); n={len(times)}"
                    + (
                        ""
                        if cached
                        else "; once per changed file: parsing YAML through PyYAML's libyaml "
                        "events is most of it (see the README)"
                    )
                ),
                extra={"generated": info},
                cpu=cpu,
            )
        )
    ctx.shared["catalog10k"] = loaded[0].catalog
    return rows
