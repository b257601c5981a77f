"""Print, print preview and PDF/HTML export of the build report.

The report is HTML from :mod:`dlplanner.report.html`, laid out by ``QTextDocument`` on
the printer itself and painted page by page, so every page gets a footer with the build's
name and "Page i of n". The bundled DejaVu fonts are registered and used as the document
font: text never goes blank on a machine without fonts, and PDFs embed them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLocale, QMarginsF
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QWidget

from dlplanner import __version__
from dlplanner.domain.build import Build
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.costs import CostComparison
from dlplanner.io.atomic import atomic_write_bytes
from dlplanner.io.resources import font_path
from dlplanner.report.contents import ChartRenderer, ReportContents, ReportSource
from dlplanner.report.html import write_report_html
from dlplanner.ui.chart_png import render_chart_png
from dlplanner.ui.pagination import Pages, headings_on, paginate, paint_pages

FONT_POINTS = 9.0
MARGIN_MM = 15.0
CHART_PIXELS = (900, 450)
"""The size the chart is rendered at; the report scales it to the text width."""
FOOTER_POINTS = 7.5
_CSS_DPI = 96.0
LAST_PAGE_MIN = 0.35
"""A last page filled less than this share tries a shorter chart to save the page."""
CHART_HEIGHTS = (0.9, 0.8, 0.7, 0.6)
"""The chart's heights (share of the full height, width kept) tried to save a last page."""

_family: str | None = None


def register_fonts() -> str:
    """Register the bundled fonts (once) and return their family name."""
    global _family
    if _family is None:
        fonts = sorted(font_path().parent.glob("*.ttf"))
        if not fonts:
            raise FileNotFoundError(f"the bundled fonts are missing from {font_path().parent}")
        families: list[str] = []
        for path in fonts:
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id < 0:
                raise OSError(f"could not load the bundled font {path}")
            families.extend(QFontDatabase.applicationFontFamilies(font_id))
        _family = families[0] if families else "DejaVu Sans"
    return _family


def report_font(points: float = FONT_POINTS) -> QFont:
    """Return the bundled font at ``points``."""
    font = QFont(register_fonts())
    font.setPointSizeF(points)
    return font


def render_chart(comparison: CostComparison, height: float = 1.0) -> bytes:
    """Render the cost chart as PNG bytes for the report (light colours, for paper).

    ``height`` is the share of the full height (:data:`CHART_PIXELS`); the width stays,
    so a shorter chart keeps its text size on the page.
    """
    register_fonts()  # the chart's text falls back to them on a machine without fonts
    width, full = CHART_PIXELS
    return bytes(render_chart_png(comparison, width=width, height=round(full * height)))


@dataclass
class Report(ReportContents):
    """A report as the window prints it: its chart drawn with Qt unless ``render`` is given.

    See :class:`~dlplanner.report.contents.ReportContents` (``render=None`` leaves the
    chart out when ``chart_png`` is not given either).
    """

    render: ChartRenderer | None = field(default=render_chart)

    def document(
        self, layout: QPageLayout | None = None, chart_height: float = 1.0
    ) -> QTextDocument:
        """Return the report as a text document; the chart spans ``layout``'s text width."""
        layout = layout or default_page_layout()
        text_width = layout.paintRect(QPageLayout.Unit.Inch).width() * _CSS_DPI
        doc = QTextDocument()
        doc.setDefaultFont(report_font())
        doc.setDocumentMargin(0)
        doc.setMetaInformation(QTextDocument.MetaInformation.CssMedia, "print")
        doc.setHtml(self.html(int(text_width) - 2, chart_height))
        doc.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, self.build.name)
        return doc


def default_page_layout() -> QPageLayout:
    """Return Letter in the US locale, A4 elsewhere, portrait with 15 mm margins."""
    us = QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    size = QPageSize(QPageSize.PageSizeId.Letter if us else QPageSize.PageSizeId.A4)
    margins = QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM)
    return QPageLayout(size, QPageLayout.Orientation.Portrait, margins, QPageLayout.Unit.Millimeter)


def _footer(report: Report) -> str:
    return f"{report.build.name} · dlplanner {__version__}"


def report_pages(report: Report, device: QPagedPaintDevice) -> Pages:
    """Lay the report out on ``device``'s pages, without a nearly blank last page if it can.

    When the last page would hold only a scrap (the assumptions, say, after the chart
    moved on with its heading), the chart is drawn shorter, step by step, and the first
    layout that needs one page fewer is taken. If none does, the last sections of the
    page before move on with the scrap: the latest heading on that page whose move fills
    the last page to :data:`LAST_PAGE_MIN` without adding a page starts a new page.
    """
    font = report_font(FOOTER_POINTS)
    layout = device.pageLayout()
    pages = paginate(report.document(layout), device, font)
    if pages.count < 2 or pages.last_fill >= LAST_PAGE_MIN:
        return pages
    if report.can_shorten_chart:
        for height in CHART_HEIGHTS:
            shorter = paginate(report.document(layout, height), device, font)
            if shorter.count < pages.count:
                return shorter
    for number in reversed(headings_on(pages, pages.count - 2)):
        moved = paginate(report.document(layout), device, font, breaks=(number,))
        if moved.count == pages.count and moved.last_fill >= LAST_PAGE_MIN:
            return moved
    return pages


def print_report(report: Report, printer: QPagedPaintDevice) -> int:
    """Lay the report out for ``printer`` and print it; return the page count."""
    font = report_font(FOOTER_POINTS)
    return paint_pages(report_pages(report, printer), printer, font, _footer(report))


def _printer(report: Report) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(default_page_layout())
    printer.setDocName(report.build.name)
    printer.setCreator(f"dlplanner {__version__}")
    return printer


def print_preview(parent: QWidget | None, document: Report | ReportSource) -> int:
    """Show the print preview of the report; returns the dialog's result."""
    report = Report.of(document)
    printer = _printer(report)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(f"Print preview — {report.build.name}")
    dialog.paintRequested.connect(lambda p: print_report(report, p))
    return int(dialog.exec())


def print_dialog(parent: QWidget | None, document: Report | ReportSource) -> bool:
    """Ask for a printer and print the report; False if the user cancelled."""
    report = Report.of(document)
    printer = _printer(report)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print build report")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    print_report(report, printer)
    return True


def pdf_bytes(report: Report, layout: QPageLayout | None = None) -> bytes:
    """Return the report as the bytes of a PDF file."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(600)
    writer.setPageLayout(layout or default_page_layout())
    writer.setTitle(report.build.name)
    writer.setCreator(f"dlplanner {__version__}")
    print_report(report, writer)  # the painter's end finishes the file
    buffer.close()
    return bytes(data.data())


def export_pdf(
    document: Report | Build | ReportSource,
    catalog: Catalog | None,
    path: str | os.PathLike[str],
    *,
    layout: QPageLayout | None = None,
) -> Path:
    """Write the report as PDF, atomically (``layout``: paper and margins, else the default)."""
    report = Report.of(document, catalog)
    atomic_write_bytes(path, pdf_bytes(report, layout))
    return Path(path)


def export_html(
    document: Report | Build | ReportSource,
    catalog: Catalog | None,
    path: str | os.PathLike[str],
) -> Path:
    """Write the report as one standalone HTML file (chart inside), atomically."""
    report = Report.of(document, catalog)
    write_report_html(
        report.build,
        report.catalog,
        path,
        chart_png=report.chart_png,
        evaluation=report.evaluation,
        comparison=report.comparison,
    )
    return Path(path)
