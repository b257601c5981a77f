"""``dlplanner selftest``: start the real app offscreen, exercise it end to end, and report.

Each step (:mod:`dlplanner.commands.selftest_steps`) is a small function run in order and
timed; the output is one line per step (``ok  load example        12 ms``) and the exit
status is 0, or 1 at the first step that fails (the rest are listed as skipped). It is meant
for a freshly built bundle and for bug reports: it checks that the shipped catalog, examples
and fonts are found, that Qt, its platform plugin, pyqtgraph and printing load, and that the
main window works.

Qt runs offscreen unless ``--visible`` is given (and even then when there is no display).
Settings and autosaves go to a temporary folder, never the user's; the user catalog
folders are layered in as the app does. A modal dialog would hang an offscreen run, so
message boxes are answered automatically and any that appears fails the step. A watchdog
ends a run that hangs anyway (``--timeout``).

The PDF is read back (:mod:`dlplanner.commands.selftest_checks`) with pypdf when it is
installed (a test dependency, not a runtime one: the bundle does not ship it): page count,
and the build's name in the first page's text. Without pypdf the file's structure is checked
instead: the ``%PDF-`` header, the ``%%EOF`` trailer, the page tree's ``/Count`` against the
``/Type /Page`` objects, and the build's name in the document information's ``/Title``. Qt
writes those dictionaries uncompressed; only page contents are compressed, so the body text
is not searched.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dlplanner.commands.common import EXIT_FINDINGS as EXIT_FAILED
from dlplanner.commands.common import EXIT_OK
from dlplanner.commands.selftest_checks import SelftestError
from dlplanner.commands.selftest_steps import STEPS, Context, Step


@contextmanager
def answered_dialogs(ctx: Context) -> Iterator[None]:
    """Answer message boxes instead of showing them (offscreen, they would wait forever)."""
    try:
        from PySide6.QtWidgets import QMessageBox
    except ImportError:
        yield  # the Qt steps will fail and say why
        return

    names = ("critical", "warning", "information", "question", "about")
    saved = {name: getattr(QMessageBox, name) for name in names}

    def answer(kind: str) -> Callable[..., Any]:
        def show(*args: Any, **_kwargs: Any) -> Any:
            text = " — ".join(str(a) for a in args[1:3] if isinstance(a, str))
            ctx.dialogs.append(f"{kind}: {text}")
            return QMessageBox.StandardButton.Cancel

        return show

    for name in names:
        setattr(QMessageBox, name, staticmethod(answer(name)))
    try:
        yield
    finally:
        for name, original in saved.items():
            setattr(QMessageBox, name, original)


def choose_platform(visible: bool) -> None:
    """Offscreen Qt unless --visible; offscreen anyway where there is no display."""
    if not visible:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    elif sys.platform not in ("win32", "darwin") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _line(status: str, name: str, ms: float, detail: str = "") -> str:
    width = max(len(n) for n, _ in STEPS)
    text = f"{status:<4}  {name:<{width}}  {ms:6.0f} ms"
    return f"{text}  ({detail})" if detail else text


def _say(text: str) -> None:
    print(text, flush=True)


class Watchdog:
    """Ends the process if the run takes longer than ``timeout_s`` (a hang offscreen)."""

    def __init__(self, timeout_s: float, cleanup: Path | None = None):
        self.step = "start"
        self.started = time.perf_counter()
        self.cleanup = cleanup
        """A folder to remove before ending the process."""
        self._timer: threading.Timer | None = None
        if timeout_s > 0:
            self._timer = threading.Timer(timeout_s, self._expire, args=(timeout_s,))
            self._timer.daemon = True
            self._timer.start()

    def _expire(self, timeout_s: float) -> None:
        ms = (time.perf_counter() - self.started) * 1000
        _say(_line("FAIL", self.step, ms, f"no answer after {timeout_s:g} s"))
        print(f"dlplanner: selftest hung in step '{self.step}'", file=sys.stderr, flush=True)
        if self.cleanup is not None:
            _remove_tree(self.cleanup)
        os._exit(EXIT_FAILED)

    def cancel(self) -> None:
        """Stop watching."""
        if self._timer is not None:
            self._timer.cancel()


def header() -> str:
    """One line naming the versions and where the app runs from."""
    import platform

    from dlplanner import __version__

    try:
        import PySide6
        from PySide6.QtCore import qVersion

        qt = f"PySide6 {PySide6.__version__}, Qt {qVersion()}"
    except ImportError as exc:
        qt = f"PySide6 not importable ({exc})"
    frozen = "bundle" if getattr(sys, "frozen", False) else "source"
    return (
        f"dlplanner {__version__} ({frozen}) · Python {platform.python_version()} · {qt}"
        f" · {sys.platform} · QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM', '')}"
    )


def run_steps(ctx: Context, steps: tuple[Step, ...], watchdog: Watchdog) -> str | None:
    """Run the steps in order, printing a line each; return the failed step's name, or None."""
    failed: str | None = None
    for name, function in steps:
        if failed:
            _say(f"skip  {name}")
            continue
        watchdog.step = name
        start = time.perf_counter()
        try:
            detail = function(ctx)
            if ctx.dialogs:
                raise SelftestError("unexpected dialog: " + "; ".join(ctx.dialogs))
        except Exception as exc:  # a selftest reports every failure, whatever it is
            ms = (time.perf_counter() - start) * 1000
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            kind = "" if isinstance(exc, SelftestError) else f"{type(exc).__name__}: "
            _say(_line("FAIL", name, ms, f"{kind}{message}".strip()))
            if ctx.verbose:
                traceback.print_exception(exc, file=sys.stderr)
            failed = name
            continue
        _say(_line("ok", name, (time.perf_counter() - start) * 1000, detail))
    return failed


def _tear_down(ctx: Context) -> None:
    """Close what the run opened; quit Qt only if the run started it."""
    if ctx.window is not None:
        ctx.window.doc.undo_stack.setClean()  # never ask about unsaved changes here
        ctx.window.close()
        ctx.window.deleteLater()
        ctx.window = None
    if ctx.app is not None:
        ctx.app.processEvents()
        if ctx.created_app:
            ctx.app.shutdown()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the ``selftest`` arguments."""
    parser.add_argument(
        "--visible",
        action="store_true",
        help="use the real display instead of offscreen Qt (offscreen anyway without a display)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        metavar="S",
        help="fail if the run takes longer than this many seconds (0: no limit; default 60)",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="print the traceback of a failed step"
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the temporary folder (settings, the PDF) and print where it is",
    )


def run(args: argparse.Namespace) -> int:
    """Run every step; 0 if all passed, 1 at the first failure."""
    visible = bool(getattr(args, "visible", False))
    choose_platform(visible)
    keep = bool(getattr(args, "keep", False))
    tmp = Path(tempfile.mkdtemp(prefix="dlplanner-selftest-"))
    watchdog = Watchdog(float(getattr(args, "timeout", 60.0)), None if keep else tmp)
    ctx = Context(tmp=tmp, visible=visible, verbose=bool(getattr(args, "verbose", False)))
    started, cpu = time.perf_counter(), time.process_time()
    try:
        _say(header())
        with answered_dialogs(ctx):
            failed = run_steps(ctx, STEPS, watchdog)
            try:
                _tear_down(ctx)
            except Exception as exc:  # report it like a step, never as a traceback
                _say(f"FAIL  tear down  ({type(exc).__name__}: {exc})")
                failed = failed or "tear down"
    finally:
        watchdog.cancel()
        if keep:
            _say(f"kept {tmp}")
        else:
            _remove_tree(tmp)
    total = (time.perf_counter() - started) * 1000
    cpu_ms = (time.process_time() - cpu) * 1000
    if failed:
        print(f"dlplanner: selftest failed at step '{failed}'", file=sys.stderr)
        return EXIT_FAILED
    _say(f"all {len(STEPS)} steps ok in {total:.0f} ms (CPU {cpu_ms:.0f} ms)")
    return EXIT_OK


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
