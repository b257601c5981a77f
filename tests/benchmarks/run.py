"""Run every dlplanner benchmark and print the README table.

    python tests/benchmarks/run.py [--quick] [--json FILE] [--skip-bundle] [--bundle EXE]

Prints ``| benchmark | median | target | result |`` (Markdown) with the spread of every median,
the notes on how each row was measured, and the machine it ran on; exits 1 if any row misses
its target (or could not be measured). Progress goes to stderr, the report to stdout.
See tests/benchmarks/README.md for what each row means.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
for _p in (str(ROOT), str(HERE)):
    if _p not in sys.path:
        sys.path.insert(0, _p)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import harness  # noqa: E402
from harness import Context, error_row, median_cell, progress, target_cell  # noqa: E402


def _quiet_qt() -> None:
    """Drop the offscreen plugin's harmless 'propagateSizeHints' chatter; keep other Qt messages."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode: Any, _context: Any, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(f"qt: {message}", file=sys.stderr)

    qInstallMessageHandler(handler)


# -- the machine ---------------------------------------------------------------------------------


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def machine() -> dict[str, Any]:
    """CPU, cores, RAM, OS, and the versions that matter."""
    cpuinfo = _read("/proc/cpuinfo")
    cpu = next(
        (ln.split(":", 1)[1].strip() for ln in cpuinfo.splitlines() if ln.startswith("model name")),
        platform.processor() or platform.machine(),
    )
    physical = {
        (_field(block, "physical id"), _field(block, "core id"))
        for block in cpuinfo.split("\n\n")
        if _field(block, "core id")
    }
    mem_kb = next(
        (
            int(ln.split()[1])
            for ln in _read("/proc/meminfo").splitlines()
            if ln.startswith("MemTotal:")
        ),
        0,
    )
    os_name = next(
        (
            ln.split("=", 1)[1].strip().strip('"')
            for ln in _read("/etc/os-release").splitlines()
            if ln.startswith("PRETTY_NAME=")
        ),
        platform.system(),
    )
    import pydantic
    import pyqtgraph
    import PySide6
    import yaml
    from PySide6.QtCore import qVersion

    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": cpu,
        "logical_cpus": os.cpu_count(),
        "usable_cpus": usable,
        "physical_cores": len(physical) or None,
        "ram_gb": round(mem_kb / 1024 / 1024, 1) if mem_kb else None,
        "os": f"{os_name} (kernel {platform.release()}, {platform.machine()})",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "pyside6": PySide6.__version__,
        "qt": qVersion(),
        "pyqtgraph": pyqtgraph.__version__,
        "pydantic": pydantic.VERSION,
        "pyyaml": yaml.__version__
        + (" (libyaml)" if getattr(yaml, "__with_libyaml__", False) else ""),
        "qpa": os.environ.get("QT_QPA_PLATFORM", ""),
        "git": _git(),
        "loadavg_start": _loadavg(),
        "cpu_check_start_ms": cpu_check(),
    }


def _field(block: str, name: str) -> str:
    return next(
        (ln.split(":", 1)[1].strip() for ln in block.splitlines() if ln.startswith(name)), ""
    )


def cpu_check() -> float:
    """Median ms of a fixed pure-Python workload: how fast this machine is right now.

    Run at the start and the end of a run, it tells apart "the code got slower" from "the
    machine was slower" (a busy neighbour on a shared core slows every row alike).
    """

    def work() -> None:
        counts: dict[int, int] = {}
        for i in range(200_000):
            counts[i % 997] = counts.get(i % 997, 0) + i

    times = []
    for _ in range(7):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000.0)
    return sorted(times)[len(times) // 2]


def _loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def _git() -> str:
    if not shutil.which("git"):
        return "?"
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", "dlplanner"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"
    return f"{head}{' + uncommitted changes in dlplanner/' if dirty else ''}" if head else "?"


# -- the run -------------------------------------------------------------------------------------


def plan(ctx: Context) -> list[tuple[str, str, str, float | None, Callable[[], Any]]]:
    """Every benchmark, in the order it runs: (key, name, unit, target, function).

    Child processes first, while this process is small; the in-process rows after, the ones
    that hold the 10,000-part catalog last (its garbage-collector cost would tax the others).
    """
    import bench_catalog
    import bench_complete
    import bench_core
    import bench_memory
    import bench_startup
    import bench_ui

    startup: dict[str, Any] = {}

    def run_startup() -> list[dict[str, Any]]:
        startup.update(bench_startup.measure(ctx))
        return [bench_startup.startup_row(startup)]

    def run_bundle() -> list[dict[str, Any]]:
        if not startup:
            raise harness.BenchError("the start-up measurement failed")
        return [bench_startup.bundle_row(startup)]

    def run_search() -> list[dict[str, Any]]:
        if "catalog10k" not in ctx.shared:
            raise harness.BenchError("the 10,000-part catalog did not load")
        try:
            return [bench_ui.search_row(ctx)]
        finally:
            ctx.shared.pop("catalog10k", None)
            gc.collect()

    return [
        (
            "startup",
            "Startup to first paint ÷ empty window",
            "x",
            bench_startup.STARTUP_RATIO,
            run_startup,
        ),
        ("bundle", "Bundle startup ÷ source startup", "x", bench_startup.BUNDLE_RATIO, run_bundle),
        (
            "memory",
            "Peak memory of a session",
            "MB",
            bench_memory.TARGET_MB,
            lambda: [bench_memory.memory_row(bench_memory.measure(ctx))],
        ),
        ("rules", "All rules", "ms", bench_core.PLAN_TARGET_MS, lambda: bench_core.rules_rows(ctx)),
        (
            "costs",
            "Cost series",
            "ms",
            bench_core.COST_TARGET_MS,
            lambda: bench_core.cost_rows(ctx),
        ),
        (
            "catalog_shipped",
            "Load the shipped catalog",
            "ms",
            bench_catalog.SHIPPED_TARGET_MS,
            lambda: bench_catalog.shipped_rows(ctx),
        ),
        (
            "complete",
            "Complete four GPUs",
            "ms",
            bench_complete.SHIPPED_TARGET_MS,
            lambda: bench_complete.shipped_rows(ctx),
        ),
        (
            "complete_cancel",
            "Cancel a running completion",
            "ms",
            bench_complete.CANCEL_TARGET_MS,
            lambda: bench_complete.cancel_rows(ctx),
        ),
        (
            "edit",
            "Edit → findings redrawn",
            "ms",
            bench_ui.EDIT_TARGET_MS,
            lambda: bench_ui.edit_rows(ctx),
        ),
        (
            "catalog_10k",
            "Load a generated 10,000-part catalog",
            "ms",
            bench_catalog.GENERATED_TARGET_MS,
            lambda: bench_catalog.generated_rows(ctx),
        ),
        (
            "complete_10k",
            "Complete four GPUs, 10,000 parts",
            "ms",
            bench_complete.GENERATED_TARGET_MS,
            lambda: bench_complete.generated_rows(ctx),
        ),
        (
            "search",
            "One search keystroke over 10,000 parts",
            "ms",
            bench_ui.SEARCH_TARGET_MS,
            run_search,
        ),
    ]


ORDER = [
    "startup",
    "memory",
    "catalog_shipped",
    "catalog_shipped_first",
    "catalog_10k",
    "catalog_10k_first",
    "search",
    "rules_plan",
    "rules_random",
    "edit_add_gpu",
    "edit_qty",
    "edit_add_gpu_paused",
    "edit_qty_paused",
    "costs",
    "costs_work",
    "costs_full",
    "bundle",
]
"""Table order: the brief's numbering (1 start-up … 8 bundle), not the order of running."""


def run_all(ctx: Context, only: set[str] | None = None) -> list[dict[str, Any]]:
    """Run every benchmark (or those in ``only``); one that raises becomes a failed row."""
    rows: list[dict[str, Any]] = []
    for key, name, unit, target, func in plan(ctx):
        if only and key not in only:
            continue
        start = time.perf_counter()
        progress(f"{key} …")
        try:
            rows.extend(func())
        except Exception as exc:
            progress(f"{key} failed: {exc!r}")
            rows.append(error_row(key, name, unit, target, exc))
        progress(f"{key} done in {time.perf_counter() - start:.1f} s")
    rank = {k: i for i, k in enumerate(ORDER)}
    return sorted(rows, key=lambda r: rank.get(r["key"], len(ORDER)))


def busy_warning(info: dict[str, Any]) -> str:
    """A warning when the machine was visibly busy or changed speed during the run, else ''."""
    reasons = []
    first = float(info["loadavg_start"].split()[0]) if info["loadavg_start"] != "?" else 0.0
    if first >= 0.5:
        reasons.append(f"load average {first:.2f} before the run started (other programs running)")
    check = (info["cpu_check_start_ms"], info["cpu_check_end_ms"])
    if max(check) > 1.3 * min(check):
        reasons.append(
            f"the CPU check changed from {check[0]:.0f} to {check[1]:.0f} ms during the run"
        )
    if not reasons:
        return ""
    return (
        "**Busy machine:** "
        + "; ".join(reasons)
        + ". Absolute times may be off by up to 2-3×; the interleaved ratios less so. "
        "Rerun on an idle machine before quoting these numbers."
    )


def report(rows: list[dict[str, Any]], info: dict[str, Any], command: str, seconds: float) -> str:
    """The Markdown report: table, notes, machine."""
    lines = [
        "| benchmark | median | target | result |",
        "|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['name']} | {median_cell(row)} | {target_cell(row)} | {row['result']} |"
        )
    lines += [
        "",
        "Median of n runs, (min–max) in brackets; ratios are medians of per-round ratios of "
        "interleaved runs.",
        "",
        "Notes:",
        "",
    ]
    for row in rows:
        if row["note"]:
            lines.append(f"- **{row['name']}**: {row['note']}")
    warning = busy_warning(info)
    if warning:
        lines += ["", warning]
    lines += [
        "",
        f"Machine: {info['cpu']}, {info['logical_cpus']} logical CPUs"
        + (f" ({info['physical_cores']} cores)" if info.get("physical_cores") else "")
        + f", {info['ram_gb']} GB RAM; {info['os']}; {info['python']}; PySide6 {info['pyside6']} "
        f"(Qt {info['qt']}, QPA {info['qpa']}); pyqtgraph {info['pyqtgraph']}; pydantic "
        f"{info['pydantic']}; PyYAML {info['pyyaml']}.",
        f"Code: {info['git']}. Load average at start {info['loadavg_start']}, "
        f"at end {info['loadavg_end']}. CPU check (a fixed pure-Python loop, lower is faster): "
        f"{info['cpu_check_start_ms']:.1f} ms at start, {info['cpu_check_end_ms']:.1f} ms at end.",
        f"Command: `{command}` ({seconds:.0f} s, {dt.date.today().isoformat()}).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Parse options, run, print the report, write JSON; exit 1 if a row failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (under a minute)")
    parser.add_argument("--json", metavar="FILE", help="also write every row and sample as JSON")
    parser.add_argument("--skip-bundle", action="store_true", help="do not time dist/dlplanner")
    parser.add_argument(
        "--bundle",
        metavar="EXE",
        type=Path,
        help="the bundle's executable (default dist/dlplanner/dlplanner)",
    )
    parser.add_argument(
        "--only",
        metavar="KEYS",
        help="run only these benchmarks, comma-separated (startup, bundle, memory, rules, "
        "costs, catalog_shipped, edit, catalog_10k, search; search needs catalog_10k)",
    )
    args = parser.parse_args(argv)
    command = " ".join(
        ["python tests/benchmarks/run.py", *(argv if argv is not None else sys.argv[1:])]
    )

    _quiet_qt()
    bundle = args.bundle.resolve() if args.bundle else None
    ctx = Context(quick=args.quick, skip_bundle=args.skip_bundle, bundle=bundle)
    started = time.perf_counter()
    info = machine()
    try:
        rows = run_all(ctx, set(args.only.split(",")) if args.only else None)
    finally:
        shutil.rmtree(ctx.tmp, ignore_errors=True)
    seconds = time.perf_counter() - started
    info["loadavg_end"] = _loadavg()
    info["cpu_check_end_ms"] = cpu_check()
    print(report(rows, info, command, seconds))
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "command": command,
                    "seconds": seconds,
                    "date": dt.datetime.now().isoformat(),
                    "machine": info,
                    "rows": rows,
                },
                indent=2,
                default=str,
            )
            + "\n",
            encoding="utf-8",
        )
    failed = [r["name"] for r in rows if r["result"] == "fail"]
    if failed:
        progress(f"{len(failed)} row(s) missed the target: " + "; ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
