"""Peak memory of a session with the article build.

The parent starts a fresh child process (``python tests/benchmarks/bench_memory.py --child``,
offscreen, empty settings) that does what a user's first minute does: open the main window on
the example build and let it paint, show the Cost and the Timeline tab (which import pyqtgraph
and numpy and draw the charts), go back to the parts list, make a few edits (add a GPU, change a
quantity and a price through the parts model, undo, redo), then print its own peak RSS
(``VmHWM``, which is ``ru_maxrss`` without the parent's share; see :func:`_peak_mb`) as JSON.
Target: 250 MB (10^6 bytes).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from harness import EXAMPLE, ROOT, Context, check_process, make_row, progress, run_process  # noqa: E402

TARGET_MB = 250.0


def measure(ctx: Context) -> dict[str, Any]:
    """Peak RSS (MB) of ``reps`` child sessions."""
    env = ctx.child_env()
    runs = ctx.reps(3, 1)
    peaks: list[float] = []
    info: dict[str, Any] = {}
    for i in range(runs):
        run = check_process(
            run_process(
                [sys.executable, str(Path(__file__).resolve()), "--child", str(EXAMPLE)], env, 120
            ),
            "memory session",
        )
        line = next(ln for ln in reversed(run.stderr.splitlines()) if ln.startswith("{"))
        info = json.loads(line)
        peaks.append(info["peak_mb"])
        progress(f"memory session {i + 1}/{runs}: {info['peak_mb']:.0f} MB peak")
    return {"peaks": peaks, "info": info}


def memory_row(data: dict[str, Any]) -> dict[str, Any]:
    """Row 2."""
    info = data["info"]
    stages = ", ".join(f"{k} {v:.0f}" for k, v in info["stages_mb"].items())
    return make_row(
        "memory",
        "Peak memory, session with the article build (Cost + Timeline tabs, edits)",
        "MB",
        data["peaks"],
        TARGET_MB,
        note=(
            f"peak RSS (VmHWM) of a fresh child process; peak so far after each step, "
            f"MB: {stages}; "
            f"{info['catalog_parts']} catalog parts"
        ),
        extra=info,
    )


# -- the child -----------------------------------------------------------------------------------


def _maxrss_mb() -> float:
    import resource

    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1e6


def _peak_mb() -> float:
    """This process's peak RSS.

    On Linux ``VmHWM`` from /proc/self/status: ``ru_maxrss`` would also count the spawning
    process's high-water mark, which Linux carries into the child across fork and exec (run from
    ``run.py`` after PySide6 is imported, that alone is ~120 MB). Elsewhere ``ru_maxrss``.
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return _maxrss_mb()
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024 / 1e6
    return _maxrss_mb()


def _pump(app: Any, ms: float = 100.0) -> None:
    """Process events (timers included) for ``ms`` milliseconds."""
    from PySide6.QtCore import QEventLoop

    end = time.perf_counter() + ms / 1000.0
    while time.perf_counter() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        time.sleep(0.002)


def child(build_file: str) -> int:
    """Run the session; print one JSON line on stderr (stdout may carry Qt's chatter)."""
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QSettings

    from dlplanner.app import create_window, make_app
    from dlplanner.report.plan import COL_PRICE, COL_QTY
    from dlplanner.ui.theme import apply_theme

    stages: dict[str, float] = {"imports": _peak_mb()}
    app = make_app([sys.argv[0]])
    apply_theme(app, "system")
    # The parent points XDG_CONFIG_HOME at an empty temp folder: default settings, as on first run.
    window, loaded, error = create_window(build_file, settings=QSettings())
    if error:
        raise SystemExit(f"could not open {build_file}: {error}")
    window.show()
    _pump(app, 300)
    stages["window painted"] = _peak_mb()
    for index, label in ((1, "cost tab"), (2, "timeline tab")):
        window.tabs.setCurrentIndex(index)
        _pump(app, 300)
        stages[label] = _peak_mb()
    window.tabs.setCurrentIndex(0)
    _pump(app, 100)
    doc = window.doc
    gpus = [p.id for p in doc.catalog.of_kind("gpu")]
    doc.add_parts([gpus[len(gpus) // 2]])
    _pump(app, 50)
    model = window.parts_panel.model
    row = next(
        r for r in range(model.rowCount()) if model.item_at(r).part.startswith("corsair-vengeance")
    )
    model.setData(model.index(row, COL_QTY), 2)
    _pump(app, 50)
    model.setData(model.index(row, COL_PRICE), "399")
    _pump(app, 50)
    for _ in range(3):
        doc.undo_stack.undo()
        _pump(app, 30)
    for _ in range(3):
        doc.undo_stack.redo()
        _pump(app, 30)
    window.tabs.setCurrentIndex(1)  # the cost chart redraws for the edited build
    _pump(app, 200)
    stages["edits"] = _peak_mb()
    # Close without the "unsaved changes" prompt.
    doc.undo_stack.setClean()
    window.close()
    info = {
        "peak_mb": _peak_mb(),
        "ru_maxrss_mb": _maxrss_mb(),
        "stages_mb": stages,
        "catalog_parts": len(loaded.catalog),
        "undo_steps": doc.undo_stack.count(),
    }
    print(json.dumps(info), file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        sys.exit(child(sys.argv[2]))
    print(f"usage: {sys.argv[0]} --child BUILD_FILE (run.py runs this)", file=sys.stderr)
    sys.exit(2)
