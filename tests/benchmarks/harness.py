"""Shared pieces of the benchmark run: samples and their statistics, result rows, timing helpers.

A *row* is a plain dict (see :func:`make_row`); ``run.py`` prints rows as the README table and
writes them as JSON. Every measured row keeps all its samples, so the spread is reported next to
the median and nothing is hidden behind one number.
"""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "resources" / "examples" / "article-2019-scalable.dlbuild.yaml"
"""The article's build: four stages, one GPU now and one more at each of three plan steps."""


class BenchError(RuntimeError):
    """A benchmark could not be measured (a child process failed, data is missing)."""


@dataclass
class Context:
    """What one run shares between benchmarks: options, a temp folder, expensive fixtures."""

    quick: bool = False
    skip_bundle: bool = False
    bundle: Path | None = None
    """The bundle's executable; None: ``dist/dlplanner/dlplanner``."""
    tmp: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="dlplanner-bench-")))
    shared: dict[str, Any] = field(default_factory=dict)

    def reps(self, full: int, quick: int) -> int:
        """A repetition count: ``full`` normally, ``quick`` with ``--quick``."""
        return quick if self.quick else full

    def child_env(self) -> dict[str, str]:
        """Environment for child processes: offscreen, and settings/state/data in the temp folder.

        Every child starts from the same empty settings, so a saved window layout, recent files,
        an autosave to recover or a user catalog on this machine cannot change what is measured.
        """
        env = dict(os.environ)
        env["QT_QPA_PLATFORM"] = "offscreen"
        for var in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
            folder = self.tmp / "home" / var.lower()
            folder.mkdir(parents=True, exist_ok=True)
            env[var] = str(folder)
        env.pop("DLPLANNER_CATALOG_DIRS", None)
        env.pop("PYTHONPROFILEIMPORTTIME", None)
        return env


# -- statistics ------------------------------------------------------------------------------


def describe(values: Sequence[float]) -> dict[str, float]:
    """Median, min, max and quartiles (the quartiles equal the median for fewer than 2 values)."""
    vals = sorted(values)
    median = statistics.median(vals)
    if len(vals) >= 2:
        q1, _, q3 = statistics.quantiles(vals, n=4, method="inclusive")
    else:
        q1 = q3 = median
    return {"median": median, "min": vals[0], "max": vals[-1], "q1": q1, "q3": q3, "n": len(vals)}


# -- formatting ------------------------------------------------------------------------------


def fmt(value: float, unit: str) -> str:
    """A value in its unit, to a sensible number of digits."""
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "ms":
        if value < 1:
            return f"{value:.3f} ms"
        if value < 100:
            return f"{value:.2f} ms"
        return f"{value:.0f} ms"
    if unit == "x":
        return f"{value:.2f}×"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:g} {unit}"


def make_row(
    key: str,
    name: str,
    unit: str,
    values: Sequence[float] | None,
    target: float | None,
    *,
    note: str = "",
    result: str | None = None,
    extra: dict[str, Any] | None = None,
    cpu: Sequence[float] | None = None,
) -> dict[str, Any]:
    """One result row. ``target`` is an upper bound; ``result`` overrides the verdict (skip, …).

    ``cpu``: CPU-time samples in the row's unit; their median goes into the note and the JSON.
    """
    stats = describe(values) if values else None
    extra = dict(extra or {})
    if cpu:
        extra["cpu"] = describe(cpu)
        extra["cpu_samples"] = list(cpu)
        note = (
            note + "; " if note else ""
        ) + f"CPU time (main thread) median {fmt(extra['cpu']['median'], unit)}"
    if result is None:
        if stats is None:
            result = "skip"
        elif target is None:
            result = "info"
        else:
            result = "pass" if stats["median"] <= target else "fail"
    return {
        "key": key,
        "name": name,
        "unit": unit,
        "target": target,
        "result": result,
        "samples": list(values) if values else [],
        **(stats or {}),
        "note": note,
        "extra": extra,
    }


def error_row(
    key: str, name: str, unit: str, target: float | None, exc: BaseException
) -> dict[str, Any]:
    """A row for a benchmark that could not run: it fails, and says why."""
    message = " ".join(str(exc).split())[:300] or type(exc).__name__
    return make_row(key, name, unit, None, target, note=f"error: {message}", result="fail")


def median_cell(row: dict[str, Any]) -> str:
    """``median (min–max)`` in the row's unit, or what stands in for a missing value."""
    if "median" not in row:
        return "—"
    unit = row["unit"]
    text = fmt(row["median"], unit)
    if row["n"] > 1:
        text += f" ({fmt(row['min'], unit)}–{fmt(row['max'], unit)})"
    return text


def target_cell(row: dict[str, Any]) -> str:
    """``≤ target`` in the row's unit."""
    return "—" if row["target"] is None else f"≤ {fmt(row['target'], row['unit'])}"


# -- timing ----------------------------------------------------------------------------------


def time_calls(
    func: Callable[[], object],
    repeats: int,
    warmup: int = 1,
    *,
    collect: bool = True,
    budget_s: float | None = None,
    min_repeats: int = 1,
    cpu: list[float] | None = None,
) -> list[float]:
    """Wall times (ms) of up to ``repeats`` calls of ``func`` after ``warmup`` untimed ones.

    The garbage collector stays on (the app runs with it), but each call starts after a full
    collection when ``collect`` is true, so garbage left by one call is not charged to the next.
    With ``budget_s``, timing stops early once ``min_repeats`` calls are done and the budget is
    spent: a case that misses its target by a factor of ten needs no fifth sample to say so.
    ``cpu``, if given, receives the CPU time (ms, this thread) of each timed call: unlike wall
    time it does not grow while another process has the CPU.
    """
    for _ in range(warmup):
        func()
    times: list[float] = []
    began = time.perf_counter()
    for _ in range(repeats):
        if collect:
            gc.collect()
        start, start_cpu = time.perf_counter(), time.thread_time()
        func()
        times.append((time.perf_counter() - start) * 1000.0)
        if cpu is not None:
            cpu.append((time.thread_time() - start_cpu) * 1000.0)
        spent = time.perf_counter() - began
        if budget_s is not None and len(times) >= min_repeats and spent > budget_s:
            break
    return times


@dataclass
class ProcessRun:
    """One child process: wall time, CPU time (user + system), exit status, end of its stderr."""

    seconds: float
    cpu_seconds: float
    returncode: int
    stderr: str


def run_process(cmd: Sequence[str], env: dict[str, str], timeout: float = 60.0) -> ProcessRun:
    """Run ``cmd`` and time it from spawn to exit; ``os.wait4`` gives this child's own CPU time.

    (Not its peak RSS: Linux carries the spawning process's high-water mark into a child's
    ``ru_maxrss`` across fork/vfork and exec, so a child of this large process would report
    this process's size. Children that report memory read their own ``VmHWM`` instead.)
    """
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd),
            env=env,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        try:
            _pid, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read()[-4000:].decode("utf-8", "replace")
    return ProcessRun(seconds, usage.ru_utime + usage.ru_stime, proc.returncode, tail)


def check_process(run: ProcessRun, what: str) -> ProcessRun:
    """Raise :class:`BenchError` if the child failed."""
    if run.returncode != 0:
        lines = [ln for ln in run.stderr.splitlines() if ln.strip()]
        raise BenchError(f"{what} exited with {run.returncode}: {' | '.join(lines[-3:])}")
    return run


def progress(message: str) -> None:
    """A progress line on stderr (stdout carries only the table)."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)
