"""The selftest's steps: what each one does to the real app and checks, in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dlplanner.commands.selftest_checks import check, check_pdf
from dlplanner.commands.selftest_qt import (
    private_autosaves,
    quiet_offscreen_notices,
    wait_for_paint,
)

CHART_SIZE = (900, 450)
"""Width and height of the chart the selftest draws, in pixels."""
PAINT_TIMEOUT_S = 10.0
"""How long the main window may take to paint for the first time."""
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
"""The bytes every PNG file starts with."""


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
    """Check that the shipped catalog, examples, fonts, icons and desktop files are in place."""
    from dlplanner.io import resources

    catalog = resources.catalog_dir()
    check(sorted(catalog.glob("*.yaml")), f"no catalog files in {catalog}")
    examples = resources.example_builds()
    check(examples, f"no example builds in {resources.examples_dir()}")
    ctx.article = next((p for p in examples if p.name.startswith("article")), examples[0])
    font = resources.font_path()
    check(font.is_file(), f"the bundled font is missing: {font}")
    for shipped in (
        resources.icons_dir() / "hicolor" / "48x48" / "apps" / "dlplanner.png",
        resources.desktop_dir() / "org.dlplanner.dlplanner.desktop",
        resources.desktop_dir() / "org.dlplanner.dlplanner.xml",
    ):
        check(shipped.is_file(), f"missing: {shipped}")
    return f"{resources.install_kind()}: {resources.install_root()}"


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

    from dlplanner.ui import chart_png

    check(ctx.comparison is not None, "no cost comparison")
    width, height = CHART_SIZE
    png = bytes(chart_png.render_chart_png(ctx.comparison, width=width, height=height))
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
"""A step's name, and the function that runs it."""
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
