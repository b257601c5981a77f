"""Start-up to first paint: the app against an empty PySide6 + pyqtgraph window, and the bundle.

Three commands, each a fresh process, timed from spawn to exit (wall clock)::

    baseline  python tests/benchmarks/baseline_window.py
    source    python -m dlplanner resources/examples/article-2019-scalable.dlbuild.yaml \
                  --exit-on-ready
    bundle    dist/dlplanner/dlplanner <the same file> --exit-on-ready

They run interleaved, one of each per round and the order rotated every round, after an untimed
warm-up round (it fills the page cache and writes ``.pyc`` files). A slow spell on a busy machine
then hits all commands alike. The verdict is on the median of the per-round ratios (paired
ratios cancel drift between rounds); the medians of each command are reported next to it.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path
from typing import Any

from harness import (
    EXAMPLE,
    ROOT,
    Context,
    check_process,
    describe,
    fmt,
    make_row,
    progress,
    run_process,
)

STARTUP_RATIO = 1.5
BUNDLE_RATIO = 1.3
BASELINE = Path(__file__).resolve().parent / "baseline_window.py"
BUNDLE = ROOT / "dist" / "dlplanner" / ("dlplanner.exe" if sys.platform == "win32" else "dlplanner")


def commands(bundle: Path | None) -> dict[str, list[str]]:
    """The commands compared, by name."""
    cmds = {
        "baseline": [sys.executable, str(BASELINE)],
        "source": [sys.executable, "-m", "dlplanner", str(EXAMPLE), "--exit-on-ready"],
    }
    if bundle is not None:
        cmds["bundle"] = [str(bundle), str(EXAMPLE), "--exit-on-ready"]
    return cmds


def bundle_state(ctx: Context) -> tuple[Path | None, str]:
    """The bundle to time (None: skip it) and a note: why not, or that it is older than the code."""
    bundle = ctx.bundle or BUNDLE
    if ctx.skip_bundle:
        return None, "skipped (--skip-bundle)"
    if not bundle.is_file():
        return (
            None,
            f"not built ({bundle} is missing): run `bash packaging/build.sh`, "
            "or pass --skip-bundle",
        )
    newest = max(p.stat().st_mtime for p in (ROOT / "dlplanner").rglob("*.py"))
    if newest > bundle.stat().st_mtime:
        return bundle, (
            f"{bundle} is older than the newest file in dlplanner/; "
            "rebuild it to compare like with like"
        )
    return bundle, ""


def measure(ctx: Context) -> dict[str, Any]:
    """Run the interleaved rounds; return wall and CPU times (s) per command."""
    bundle, bundle_note = bundle_state(ctx)
    cmds = commands(bundle)
    env = ctx.child_env()
    names = list(cmds)
    rounds = ctx.reps(12, 4)
    warmup = 1
    times: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, list[float]] = {n: [] for n in names}
    for r in range(warmup + rounds):
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in order:
            run = check_process(run_process(cmds[name], env), name)
            if r >= warmup:
                times[name].append(run.seconds)
                cpu[name].append(run.cpu_seconds)
        if r >= warmup:
            progress(
                f"startup round {r - warmup + 1}/{rounds}: "
                + ", ".join(f"{n} {times[n][-1]:.2f} s" for n in names)
            )
    return {
        "times": times,
        "cpu": cpu,
        "rounds": rounds,
        "bundle_note": bundle_note,
        "with_bundle": bundle is not None,
        "bundle": str(bundle) if bundle else None,
    }


def _ratio_row(
    key: str, name: str, data: dict[str, Any], num: str, den: str, target: float
) -> dict[str, Any]:
    times = data["times"]
    ratios = [a / b for a, b in zip(times[num], times[den], strict=True)]
    med_num = statistics.median(times[num])
    med_den = statistics.median(times[den])
    cpu = data["cpu"]
    cpu_num, cpu_den = statistics.median(cpu[num]), statistics.median(cpu[den])
    spread = describe(ratios)
    note = (
        f"wall time {num} {fmt(med_num, 's')} "
        f"[{fmt(min(times[num]), 's')}–{fmt(max(times[num]), 's')}] "
        f"vs {den} {fmt(med_den, 's')} [{fmt(min(times[den]), 's')}–{fmt(max(times[den]), 's')}]; "
        f"ratio of medians {med_num / med_den:.2f}×, per-round ratios IQR "
        f"{spread['q1']:.2f}–{spread['q3']:.2f}; CPU time (user+sys) {num} {fmt(cpu_num, 's')} vs "
        f"{den} {fmt(cpu_den, 's')} = {cpu_num / cpu_den:.2f}× (less sensitive to a busy machine); "
        f"{data['rounds']} interleaved rounds after a warm-up round"
    )
    return make_row(
        key,
        name,
        "x",
        ratios,
        target,
        note=note,
        extra={
            f"{num}_s": describe(times[num]),
            f"{den}_s": describe(times[den]),
            f"{num}_samples_s": times[num],
            f"{den}_samples_s": times[den],
            f"{num}_cpu_s": cpu[num],
            f"{den}_cpu_s": cpu[den],
            "ratio_of_medians": med_num / med_den,
        },
    )


def startup_row(data: dict[str, Any]) -> dict[str, Any]:
    """Row 1: the app's start-up over the empty window's."""
    return _ratio_row(
        "startup",
        "Startup to first paint (article build) ÷ empty PySide6+pyqtgraph window",
        data,
        "source",
        "baseline",
        STARTUP_RATIO,
    )


def bundle_row(data: dict[str, Any]) -> dict[str, Any]:
    """Row 8: the bundle's start-up over the source install's."""
    name = "Bundle startup ÷ source startup (PyInstaller one-folder)"
    if not data["with_bundle"]:
        return make_row(
            "bundle", name, "x", None, BUNDLE_RATIO, note=data["bundle_note"], result="skip"
        )
    row = _ratio_row("bundle", name, data, "bundle", "source", BUNDLE_RATIO)
    if data["bundle"] != str(BUNDLE):
        row["note"] += f"; bundle {data['bundle']}"
    if data["bundle_note"]:
        row["note"] += "; warning: " + data["bundle_note"]
    return row
