"""UI latency in process (offscreen): a search keystroke in the catalog browser, and an edit.

Both measure what the user waits for: the wall time from the change until the widget that
shows the result has *painted*. An event filter counts paint events of the view's viewport, and
after the change ``QApplication.processEvents()`` runs until that count has gone up (it always
does on the first call here; the loop only guards against a deferred layout). A sample whose
view never repainted is an error, not a fast sample.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from harness import EXAMPLE, Context, make_row, progress

SEARCH_TARGET_MS = 16.0
EDIT_TARGET_MS = 16.0
QUERIES = ("rtx 3090 turbo", "24gb blower")
"""Typed one character at a time: every prefix is one keystroke."""


def qapp() -> Any:
    """The process's QApplication (offscreen unless QT_QPA_PLATFORM says otherwise)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication(["dlplanner-bench"])
    return app


def _paint_counter() -> Any:
    from PySide6.QtCore import QEvent, QObject

    class PaintCounter(QObject):
        """Counts paint events of the widgets it is installed on."""

        count = 0

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    return PaintCounter()


def _settle(app: Any, counter: Any, before: int, loops: int = 20) -> int:
    """Process events until the watched widget has painted; return how many calls it took."""
    for i in range(1, loops + 1):
        app.processEvents()
        if counter.count > before:
            return i
    return 0


def _pump(app: Any, ms: float) -> None:
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.001)


def _timed(
    app: Any, counter: Any, change: Callable[[], object], cpu: list[float] | None = None
) -> tuple[float, int]:
    """Milliseconds from the change until the watched viewport painted; processEvents calls."""
    before = counter.count
    start, start_cpu = time.perf_counter(), time.thread_time()
    change()
    calls = _settle(app, counter, before)
    elapsed = (time.perf_counter() - start) * 1000.0
    if cpu is not None:
        cpu.append((time.thread_time() - start_cpu) * 1000.0)
    if not calls:
        raise RuntimeError("the view did not repaint after the change")
    return elapsed, calls


# -- search ----------------------------------------------------------------------------------


def search_row(ctx: Context) -> dict[str, Any]:
    """Row 4: one keystroke in the catalog browser's search over 10,000 parts (GPU tab)."""
    from dlplanner.io.buildfile import load_build
    from dlplanner.ui.document import BuildDocument
    from dlplanner.ui.panels.catalog_panel import CatalogPanel

    app = qapp()
    catalog = ctx.shared["catalog10k"]
    doc = BuildDocument(catalog, load_build(EXAMPLE))
    panel = CatalogPanel(doc)
    panel.resize(450, 900)  # the app's catalog dock is 450 px wide
    panel.show()
    _pump(app, 100)
    assert panel.model.kind == "gpu"
    gpus = len(catalog.kinds["gpu"])
    fit_rows = panel.model.rowCount()
    counter = _paint_counter()
    panel.view.viewport().installEventFilter(counter)

    rounds = ctx.reps(5, 1)
    times: list[float] = []
    cpu: list[float] = []
    per_prefix: dict[str, list[float]] = {}
    calls_needed = set()
    for r in range(rounds + 1):  # round 0 warms up
        for query in QUERIES:
            for k in range(1, len(query) + 1):
                prefix = query[:k]
                one_cpu: list[float] = []
                ms, calls = _timed(app, counter, lambda p=prefix: panel.search.setText(p), one_cpu)
                calls_needed.add(calls)
                if r:
                    times.append(ms)
                    cpu.extend(one_cpu)
                    per_prefix.setdefault(prefix, []).append(ms)
            rows_left = panel.model.rowCount()
            panel.search.setText("")  # clearing is not timed
            _settle(app, counter, counter.count)
            if r == 1:
                per_prefix.setdefault(f"= {query!r} rows", []).append(rows_left)
    panel.close()
    panel.deleteLater()
    _pump(app, 20)
    worst = max(
        (p for p in per_prefix if not p.startswith("=")),
        key=lambda p: sorted(per_prefix[p])[len(per_prefix[p]) // 2],
    )
    worst_ms = sorted(per_prefix[worst])[len(per_prefix[worst]) // 2]
    hits = ", ".join(f"{q!r} → {per_prefix[f'= {q!r} rows'][0]:.0f}" for q in QUERIES)
    progress(
        f"search keystroke: {len(times)} keystrokes, slowest prefix {worst!r} {worst_ms:.1f} ms"
    )
    return make_row(
        "search",
        f"One search keystroke, catalog browser over {len(catalog):,} parts "
        f"(GPU tab, {gpus:,} GPUs)",
        "ms",
        times,
        SEARCH_TARGET_MS,
        note=(
            f"CatalogPanel 450×900 offscreen, article build, 'only parts that fit' on (default; "
            f"{fit_rows:,} GPUs fit); typed {' and '.join(repr(q) for q in QUERIES)} one character "
            f"at a time, setText + processEvents until the table's viewport painted; {len(times)} "
            f"keystrokes over {rounds} round{'s' * (rounds != 1)} after one warm-up round; "
            f"slowest prefix {worst!r} "
            f"(median {worst_ms:.1f} ms); rows left: {hits}"
        ),
        extra={"per_prefix_ms": per_prefix, "process_events_calls": sorted(calls_needed)},
        cpu=cpu,
    )


# -- edits ---------------------------------------------------------------------------------


def _window(ctx: Context) -> tuple[Any, Any]:
    from PySide6.QtCore import QSettings

    from dlplanner.io.buildfile import load_build
    from dlplanner.io.catalog_files import load_catalog
    from dlplanner.ui.document import BuildDocument
    from dlplanner.ui.main_window import MainWindow

    app = qapp()
    settings = QSettings(str(ctx.tmp / "bench-settings.ini"), QSettings.Format.IniFormat)
    doc = BuildDocument(load_catalog(user_dirs=[]).catalog, load_build(EXAMPLE), EXAMPLE)
    window = MainWindow(doc, settings)
    window.show()
    _pump(app, 200)
    return app, window


def edit_rows(ctx: Context) -> list[dict[str, Any]]:
    """Row 6: an edit until the findings panel has redrawn, as an added GPU and as a quantity."""
    from dlplanner.report.plan import COL_QTY

    app, window = _window(ctx)
    doc = window.doc
    counter = _paint_counter()
    window.findings_panel.tree.viewport().installEventFilter(counter)
    emitted: list[int] = []
    doc.findings_changed.connect(lambda ev: emitted.append(len(ev.findings)))
    in_build = {it.part for it in doc.build.items}
    gpu = next(
        p for p in doc.catalog.of_kind("gpu") if p.id not in in_build and p.cooler == "blower"
    )
    model = window.parts_panel.model
    gpu_row = next(r for r in range(model.rowCount()) if doc.catalog.gpu(model.item_at(r).part))
    qty_index = model.index(gpu_row, COL_QTY)

    cases: list[tuple[str, str, Callable[[], object]]] = [
        (
            "edit_add_gpu",
            f"Edit → findings redrawn: add a GPU ({gpu.title})",
            lambda: doc.add_parts([gpu.id]),
        ),
        (
            "edit_qty",
            "Edit → findings redrawn: GPU quantity 1 → 2 (parts model setData)",
            lambda: model.setData(qty_index, 2),
        ),
    ]
    reps = ctx.reps(50, 15)
    rows = []
    # Each edit twice: back to back (the loop's own rhythm), and after the app has idled for
    # 200 ms in its event loop, as between a person's clicks, when caches have gone cold.
    timed_cases = [(key, name, change, 0) for key, name, change in cases]
    timed_cases += [
        (f"{key}_paused", f"{name}, after a 200 ms pause", change, 200)
        for key, name, change in cases
    ]
    for key, name, change, pause_ms in timed_cases:
        times: list[float] = []
        cpu: list[float] = []
        before_findings = len(doc.evaluation.findings)
        for i in range(reps + 3):  # 3 warm-up edits
            emitted.clear()
            one_cpu: list[float] = []
            if pause_ms:
                _pump(app, pause_ms)
            ms, _calls = _timed(app, counter, change, one_cpu)
            if len(emitted) != 1:
                raise RuntimeError(f"{key}: findings_changed emitted {len(emitted)} times")
            after_findings = emitted[0]
            doc.undo_stack.undo()  # not timed
            _settle(app, counter, counter.count)
            if i >= 3:
                times.append(ms)
                cpu.extend(one_cpu)
        progress(f"{key}: median {sorted(times)[len(times) // 2]:.1f} ms over {len(times)}")
        rows.append(
            make_row(
                key,
                name,
                "ms",
                times,
                EDIT_TARGET_MS,
                note=(
                    f"full MainWindow offscreen (Parts tab, default layout) on the article build; "
                    f"edit call + processEvents until the findings list's viewport painted; "
                    f"findings {before_findings} → {after_findings}; "
                    "undo between edits (not timed); "
                    + (f"{pause_ms} ms in the event loop before each edit; " if pause_ms else "")
                    + f"{len(times)} edits after 3 warm-up"
                ),
                cpu=cpu,
            )
        )
    doc.undo_stack.setClean()
    window.close()
    window.deleteLater()
    _pump(app, 20)
    return rows
