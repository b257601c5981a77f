"""``dlplanner selftest``: start the real app offscreen, exercise it end to end, and report.

Each step is a small function run in order and timed; the output is one line per step
(``ok  load example        12 ms``) and the exit status is 0, or 1 at the first step that
fails (the rest are listed as skipped). It is meant for a freshly built bundle and for
bug reports: it checks that the shipped catalog, examples and fonts are found, that Qt,
its platform plugin, pyqtgraph and printing load, and that the main window works.

Qt runs offscreen unless ``--visible`` is given (and even then when there is no display).
Settings and autosaves go to a temporary folder, never the user's; the user catalog
folders are layered in as the app does. A modal dialog would hang an offscreen run, so
message boxes are answered automatically and any that appears fails the step. A watchdog
ends a run that hangs anyway (``--timeout``).

The PDF is read back with pypdf when it is installed (a test dependency, not a runtime
one: the bundle does not ship it): page count, and the build's name in the first page's
text. Without pypdf the file's structure is checked instead: the ``%PDF-`` header, the
``%%EOF`` trailer, the page tree's ``/Count`` against the ``/Type /Page`` objects, and the
build's name in the document information's ``/Title``. Qt writes those dictionaries
uncompressed; only page contents are compressed, so the body text is not searched.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_FAILED = 1
CHART_SIZE = (900, 450)
PAINT_TIMEOUT_S = 10.0
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class SelftestError(Exception):
    """A step's check failed; the message says what was expected and what was found."""


def check(condition: object, message: str) -> None:
    """Raise :class:`SelftestError` with ``message`` unless ``condition`` holds."""
    if not condition:
        raise SelftestError(message)


@dataclass
class Context:
    """What the steps hand on to each other."""

    tmp: Path
    visible: bool = False
    verbose: bool = False
    app: Any = None
    created_app: bool = False
    settings: Any = None
    window: Any = None
    article: Path | None = None
    comparison: Any = None
    chart_png: bytes = b""
    dialogs: list[str] = field(default_factory=list)

    @property
    def doc(self) -> Any:
        """The window's BuildDocument."""
        check(self.window is not None, "no main window")
        return self.window.doc


# -- steps -------------------------------------------------------------------------------


def step_resources(ctx: Context) -> str:
    """Check that the shipped catalog, example builds and fonts are where the resolver says."""
    from dlplanner.io import resources

    catalog = resources.catalog_dir()
    check(sorted(catalog.glob("*.yaml")), f"no catalog files in {catalog}")
    examples = resources.example_builds()
    check(examples, f"no example builds in {resources.examples_dir()}")
    ctx.article = next((p for p in examples if p.name.startswith("article")), examples[0])
    font = resources.font_path()
    check(font.is_file(), f"the bundled font is missing: {font}")
    where = "bundle" if getattr(sys, "frozen", False) else "source"
    return f"{where}: {resources.install_root()}"


def step_start_qt(ctx: Context) -> str:
    """Start a QApplication on the chosen platform, themed as the app does."""
    from PySide6.QtWidgets import QApplication

    from dlplanner.app import make_app
    from dlplanner.ui.theme import apply_theme

    ctx.created_app = QApplication.instance() is None
    if ctx.created_app:
        quiet_offscreen_notices()
    ctx.app = make_app(["dlplanner"])
    if ctx.created_app:
        apply_theme(ctx.app, "system")
    return f"platform {ctx.app.platformName()}"


def step_open_window(ctx: Context) -> str:
    """Create the real main window with private settings, show it and wait for its paint."""
    from PySide6.QtCore import QSettings

    from dlplanner.app import create_window

    ctx.settings = QSettings(str(ctx.tmp / "settings.ini"), QSettings.Format.IniFormat)
    window, loaded, error = create_window(new=True, settings=ctx.settings)
    ctx.window = window
    private_autosaves(window, ctx.tmp / "autosave")
    check(error is None, f"could not start: {error}")
    window.show()
    painted = wait_for_paint(window, PAINT_TIMEOUT_S)
    check(painted, f"the window was not painted within {PAINT_TIMEOUT_S:g} s")
    check(window.isVisible(), "the window is not visible")
    note = f", {len(loaded.problems)} user-catalog problems" if loaded.problems else ""
    return f"{len(window.doc.catalog)} catalog parts{note}"


def step_load_example(ctx: Context) -> str:
    """Open the article's example build through the window, as File > Open would."""
    check(ctx.article is not None, "no example build found")
    assert ctx.article is not None
    opened = ctx.window.open_path(ctx.article, confirmed=True, as_example=True)
    check(opened, f"could not open {ctx.article.name}")
    doc = ctx.doc
    check(doc.build.items, f"{ctx.article.name} has no parts")
    check(not doc.missing_parts(), f"parts not in the catalog: {', '.join(doc.missing_parts())}")
    check(doc.path is None, "an example must open as an untitled template")
    ctx.app.processEvents()
    return f"{len(doc.build.items)} lines, {doc.evaluation.summary['total']} findings"


def _a_gpu(doc: Any) -> str:
    """Return the build's first GPU, else the catalog's first."""
    for item in doc.build.items:
        part = doc.catalog.get(item.part)
        if part is not None and part.kind == "gpu":
            return str(item.part)
    gpus = doc.catalog.of_kind("gpu")
    check(gpus, "the catalog has no GPUs")
    return str(gpus[0].id)


def step_add_gpu(ctx: Context) -> str:
    """Add one more GPU through the document: findings_changed fires, the findings change."""
    doc = ctx.doc
    before = doc.evaluation
    emitted: list[object] = []
    doc.findings_changed.connect(emitted.append)
    try:
        doc.add_parts([_a_gpu(doc)])
    finally:
        doc.findings_changed.disconnect(emitted.append)
    ctx.app.processEvents()
    check(emitted, "findings_changed was not emitted")
    check(emitted[-1] is doc.evaluation, "findings_changed did not carry the new evaluation")
    check(doc.evaluation.findings != before.findings, "the findings did not change")
    check(doc.dirty, "the document is not marked as changed")
    return f"findings {before.summary['total']} → {doc.evaluation.summary['total']}"


def step_autosave(ctx: Context) -> str:
    """Autosave the unsaved edit (to the temporary folder) as the app's timer would."""
    autosaver = getattr(ctx.window, "autosaver", None)
    if autosaver is None:
        return "no autosaver"
    check(autosaver.save_now(), f"nothing was autosaved ({autosaver.last_error or 'not dirty'})")
    check(autosaver.session.build_path.is_file(), "the autosave file was not written")
    return ""


def step_undo_redo(ctx: Context) -> str:
    """Undo, which restores the findings, and redo, which brings the edit back."""
    doc = ctx.doc
    after = doc.evaluation.findings
    doc.undo_stack.undo()
    check(not doc.dirty, "undo did not return to the opened build")
    check(doc.evaluation.findings != after, "undo did not restore the findings")
    doc.undo_stack.redo()
    check(doc.evaluation.findings == after, "redo did not bring the findings back")
    ctx.app.processEvents()
    return ""


def step_compare_costs(ctx: Context) -> str:
    """Compare owning the build with the cloud."""
    from dlplanner.domain.costs import compare_costs

    doc = ctx.doc
    comparison = compare_costs(doc.build, doc.catalog)
    check(comparison.own.purchase_usd > 0, "the build costs nothing")
    check(comparison.options, "no cloud options were compared")
    months = comparison.series.months
    check(len(comparison.series.own_cash) == len(months), "the own series has the wrong length")
    ctx.comparison = comparison
    return f"{len(comparison.options)} cloud options over {months[-1]} months"


def step_render_chart(ctx: Context) -> str:
    """Draw the cost chart offscreen as PNG (pyqtgraph)."""
    from PySide6.QtGui import QImage

    from dlplanner.ui import charts

    check(ctx.comparison is not None, "no cost comparison")
    width, height = CHART_SIZE
    png = bytes(charts.render_chart_png(ctx.comparison, width=width, height=height))
    check(png.startswith(PNG_SIGNATURE), "the chart is not a PNG")
    image = QImage.fromData(png)
    check(not image.isNull(), "the chart PNG does not decode")
    check(
        (image.width(), image.height()) == CHART_SIZE,
        f"the chart is {image.width()}x{image.height()}, not {width}x{height}",
    )
    ctx.chart_png = png
    return f"{len(png) // 1024} kB"


def step_export_pdf(ctx: Context) -> str:
    """Export the report as PDF to a temporary folder and read it back."""
    from dlplanner.ui import printing

    doc = ctx.doc
    report = printing.Report(
        doc.build,
        doc.catalog,
        evaluation=doc.evaluation,
        comparison=ctx.comparison,
        chart_png=ctx.chart_png or None,
    )
    path = printing.export_pdf(report, None, ctx.tmp / "selftest.pdf")
    data = path.read_bytes()
    pages, how = check_pdf(data, doc.build.name)
    return f"{pages} pages, {len(data) // 1024} kB, {how}"


def step_close_window(ctx: Context) -> str:
    """Close the window as the user would, and check it saved its layout to the settings."""
    doc = ctx.doc
    # Back to the opened build: nothing unsaved, so closing asks nothing.
    doc.undo_stack.setIndex(doc.undo_stack.cleanIndex())
    check(not doc.dirty, "the build is still marked as changed")
    closed = ctx.window.close()
    ctx.app.processEvents()
    check(closed and not ctx.window.isVisible(), "the window did not close")
    ctx.settings.sync()
    check(ctx.settings.value("window/geometry") is not None, "the layout was not saved")
    autosaver = getattr(ctx.window, "autosaver", None)
    if autosaver is not None:
        check(not autosaver.session.build_path.exists(), "the autosave was not removed")
    return ""


Step = tuple[str, Callable[[Context], str]]
STEPS: tuple[Step, ...] = (
    ("find resources", step_resources),
    ("start Qt", step_start_qt),
    ("open window", step_open_window),
    ("load example", step_load_example),
    ("add a GPU", step_add_gpu),
    ("autosave", step_autosave),
    ("undo and redo", step_undo_redo),
    ("compare costs", step_compare_costs),
    ("render chart", step_render_chart),
    ("export PDF", step_export_pdf),
    ("close window", step_close_window),
)
"""The steps, in order; each gets the context and returns a short detail (or "")."""


# -- helpers -----------------------------------------------------------------------------


def private_autosaves(window: Any, directory: Path) -> None:
    """Send the window's autosaves to ``directory``, not the user's state folder."""
    autosaver = getattr(window, "autosaver", None)
    if autosaver is None:
        return
    from dlplanner.io.autosave import AutosaveSession

    autosaver.session = AutosaveSession(directory)


def wait_for_paint(widget: Any, timeout_s: float) -> bool:
    """Process events until ``widget`` has been painted once; False on timeout."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    class _Watcher(QObject):
        painted = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.painted = True
            return False

    watcher = _Watcher()
    widget.installEventFilter(watcher)
    try:
        widget.update()
        deadline = time.monotonic() + timeout_s
        while not watcher.painted and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.001)
        return watcher.painted
    finally:
        widget.removeEventFilter(watcher)


def check_pdf(data: bytes, name: str) -> tuple[int, str]:
    """Check a PDF's bytes and that it names the build; return its page count and how checked."""
    check(data.startswith(b"%PDF-"), "the PDF has no %PDF- header")
    check(len(data) > 10_000, f"the PDF is suspiciously small ({len(data)} bytes)")
    check(data.rstrip().endswith(b"%%EOF"), "the PDF has no %%EOF trailer")
    squashed = re.sub(r"\s+", "", name)
    try:
        from pypdf import PdfReader
    except ImportError:
        pages = pdf_page_count(data)
        title = pdf_title(data)
        check(
            title is not None and re.sub(r"\s+", "", title) == squashed,
            f"the PDF's title is {title!r}, not the build's name",
        )
        return pages, "structure and title checked (pypdf not installed)"
    reader = PdfReader(io.BytesIO(data))
    pages = len(reader.pages)
    check(pages >= 1, "the PDF has no pages")
    text = re.sub(r"\s+", "", reader.pages[0].extract_text() or "")
    check(squashed in text, f"the build's name {name!r} is not on the PDF's first page")
    return pages, "text checked with pypdf"


def pdf_page_count(data: bytes) -> int:
    """Count pages without a PDF library: the page tree's /Count must match the page objects."""
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data, re.S)]
    counts += [int(n) for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", data, re.S)]
    objects = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    check(objects >= 1, "the PDF has no page objects")
    check(not counts or max(counts) == objects, f"page tree /Count {counts} ≠ {objects} pages")
    return objects


def pdf_title(data: bytes) -> str | None:
    """Return the document information's /Title (a literal string), or None."""
    match = re.search(rb"/Title\s*\(((?:\\.|[^\\)])*)\)", data, re.S)
    if not match:
        return None
    raw = re.sub(rb"\\(.)", lambda m: m.group(1), match.group(1), flags=re.S)
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", errors="replace")
    return raw.decode("latin-1")


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


QUIET_MESSAGES = ("This plugin does not support propagateSizeHints",)
"""Qt notices that say nothing about the app: the offscreen platform cannot size windows."""


def quiet_offscreen_notices() -> None:
    """Drop Qt's known offscreen notices; pass every other Qt message on to stderr."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode: object, _context: object, message: str) -> None:
        if not message.startswith(QUIET_MESSAGES):
            print(message, file=sys.stderr, flush=True)

    qInstallMessageHandler(handler)


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
