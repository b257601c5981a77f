"""Print, print preview and PDF/HTML export of the build report.

The report is HTML from :mod:`dlplanner.report.html`, laid out by ``QTextDocument`` on
the printer itself and painted page by page, so every page gets a footer with the build's
name and "Page i of n". The bundled DejaVu fonts are registered and used as the document
font: text never goes blank on a machine without fonts, and PDFs embed them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLocale, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrame,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QWidget

from dlplanner import __version__
from dlplanner.domain.build import Build
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.costs import CostComparison, compare_costs
from dlplanner.io.atomic import atomic_write_bytes
from dlplanner.io.resources import font_path
from dlplanner.report.html import report_html, write_report_html
from dlplanner.rules.engine import Evaluation, evaluate
from dlplanner.ui.chart_png import render_chart_png

FONT_POINTS = 9.0
MARGIN_MM = 15.0
CHART_PIXELS = (900, 450)
"""The size the chart is rendered at; the report scales it to the text width."""
_CSS_DPI = 96.0
_KEEP_LINES = 5
"""A heading closer than this many lines to the page's foot moves to the next page."""
_OBJECT = "\ufffc"
"""The character that stands for an image in a text block."""
_SMALL_TABLE = 0.4
"""A table shorter than this share of a page is not split across pages."""

_family: str | None = None


class ReportSource(Protocol):
    """What a report is made from: ``BuildDocument`` has these."""

    @property
    def build(self) -> Build:
        """The build."""

    @property
    def evaluation(self) -> Evaluation:
        """The build's findings."""

    @property
    def comparison(self) -> CostComparison:
        """The build's cost comparison (the document computes it once per change)."""

    catalog: Catalog


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


def render_chart(comparison: CostComparison) -> bytes:
    """Render the cost chart as PNG bytes for the report (light colours, for paper)."""
    register_fonts()  # the chart's text falls back to them on a machine without fonts
    width, height = CHART_PIXELS
    return bytes(render_chart_png(comparison, width=width, height=height))


@dataclass
class Report:
    """Everything one report shows: findings, costs and chart are computed when not given.

    ``render=None`` leaves the chart out (when ``chart_png`` is not given either).
    """

    build: Build
    catalog: Catalog
    evaluation: Evaluation | None = None
    comparison: CostComparison | None = None
    chart_png: bytes | None = None
    render: Callable[[CostComparison], bytes | None] | None = field(default=render_chart)

    def __post_init__(self) -> None:
        """Compute what was not given."""
        if self.evaluation is None:
            self.evaluation = evaluate(self.build, self.catalog)
        if self.comparison is None:
            self.comparison = compare_costs(self.build, self.catalog)
        if self.chart_png is None and self.render is not None:
            self.chart_png = self.render(self.comparison)
            self.render = None

    @classmethod
    def of(cls, source: Report | Build | ReportSource, catalog: Catalog | None = None) -> Report:
        """Make a report of a build (with a catalog) or of a document (build, catalog, findings)."""
        if isinstance(source, Report):
            return source
        if isinstance(source, Build):
            if catalog is None:
                raise ValueError("a catalog is needed to report on a build")
            return cls(source, catalog)
        return cls(
            source.build,
            catalog or source.catalog,
            evaluation=source.evaluation,
            comparison=source.comparison,
        )

    def html(self, chart_width: int = 680) -> str:
        """Return the report as HTML, the chart embedded."""
        return report_html(
            self.build,
            self.catalog,
            evaluation=self.evaluation,
            comparison=self.comparison,
            chart=self.chart_png,
            chart_width=chart_width,
        )

    def document(self, layout: QPageLayout | None = None) -> QTextDocument:
        """Return the report as a text document; the chart spans ``layout``'s text width."""
        layout = layout or default_page_layout()
        text_width = layout.paintRect(QPageLayout.Unit.Inch).width() * _CSS_DPI
        doc = QTextDocument()
        doc.setDefaultFont(report_font())
        doc.setDocumentMargin(0)
        doc.setMetaInformation(QTextDocument.MetaInformation.CssMedia, "print")
        doc.setHtml(self.html(int(text_width) - 2))
        doc.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, self.build.name)
        return doc


def default_page_layout() -> QPageLayout:
    """Return Letter in the US locale, A4 elsewhere, portrait with 15 mm margins."""
    us = QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    size = QPageSize(QPageSize.PageSizeId.Letter if us else QPageSize.PageSizeId.A4)
    margins = QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM)
    return QPageLayout(size, QPageLayout.Orientation.Portrait, margins, QPageLayout.Unit.Millimeter)


def _break_before(target: QTextBlock | QTextFrame) -> None:
    if isinstance(target, QTextFrame):
        frame_format = target.frameFormat()
        frame_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        target.setFrameFormat(frame_format)
    else:
        block_format = QTextBlockFormat()
        block_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        QTextCursor(target).mergeBlockFormat(block_format)


def keep_together(doc: QTextDocument, page_height: float, line: float) -> None:
    """Keep headings with what follows them, and small tables and figures whole.

    A heading near a page's foot moves to the next page, with it a small table that would
    split, or a figure (the chart) that moved on without its heading and lead paragraph.
    ``QTextDocument`` has no ``page-break-inside: avoid`` and no keep-with-next, so this
    sets page breaks where the layout shows the need, top to bottom.
    """
    layout = doc.documentLayout()

    def page(y: float) -> int:
        return int(y // page_height)

    heading: QTextBlock | None = None  # directly before the current element
    section: QTextBlock | None = None  # the heading of the current run of paragraphs
    it = doc.rootFrame().begin()
    while not it.atEnd():
        frame, block = it.currentFrame(), it.currentBlock()
        if frame is not None:
            rect = layout.frameBoundingRect(frame)
            splits = page(rect.top()) != page(rect.bottom() - 1)
            small = rect.height() < page_height * _SMALL_TABLE
            if splits and small and rect.top() % page_height > line:
                _break_before(heading or frame)
            heading = section = None
        elif block.isValid():
            rect = layout.blockBoundingRect(block)
            if block.blockFormat().headingLevel() > 0:
                top = rect.top() % page_height
                if top > line and page_height - top < rect.height() + _KEEP_LINES * line:
                    _break_before(block)
                heading = section = block
            elif _OBJECT in block.text():
                if section is not None:
                    head = layout.blockBoundingRect(section).top()
                    if page(head) != page(rect.bottom() - 1) and head % page_height > line:
                        _break_before(section)
                heading = section = None
            elif block.text().strip():
                heading = None
        it += 1


def paint_document(document: QTextDocument, device: QPagedPaintDevice, footer: str = "") -> int:
    """Lay ``document`` out on ``device`` and paint its pages, each with a numbered footer.

    A printer's page range (from the print dialog) is honoured. Returns the page count.
    """
    page = device.pageLayout().paintRectPixels(device.logicalDpiY())
    footer_font = report_font(7.5)
    footer_height = QFontMetricsF(footer_font, device).height() * 2.2
    body = QSizeF(page.width(), page.height() - footer_height)

    doc = document.clone()
    doc.setDefaultFont(document.defaultFont())
    doc.documentLayout().setPaintDevice(device)
    doc.setPageSize(body)
    root = doc.rootFrame().frameFormat()
    # A gap at each page's foot (in CSS pixels, which the layout scales to the device)
    # keeps a line that moves to the next page from leaving a clipped sliver behind.
    root.setBottomMargin(QFontMetricsF(doc.defaultFont()).lineSpacing() / 2)
    doc.rootFrame().setFrameFormat(root)
    keep_together(doc, body.height(), QFontMetricsF(doc.defaultFont(), device).lineSpacing())
    pages = doc.pageCount()
    first, last = _page_range(device, pages)

    painter = QPainter()
    if not painter.begin(device):
        raise OSError("could not start printing (is the printer or file available?)")
    try:
        for index in range(first - 1, last):
            if index > first - 1 and not device.newPage():
                raise OSError("could not start a new page")
            painter.save()
            painter.translate(0, -index * body.height())
            doc.drawContents(painter, QRectF(0, index * body.height(), body.width(), body.height()))
            painter.restore()
            _paint_footer(painter, footer_font, body, page.width(), footer, index + 1, pages)
    finally:
        painter.end()
    return pages


def _page_range(device: QPagedPaintDevice, pages: int) -> tuple[int, int]:
    """Return the first and last page to paint, both counted from 1."""
    if isinstance(device, QPrinter) and device.printRange() == QPrinter.PrintRange.PageRange:
        first = max(1, device.fromPage())
        last = min(pages, device.toPage() or pages)
        if first <= last:
            return first, last
    return 1, pages


def _paint_footer(
    painter: QPainter, font: QFont, body: QSizeF, width: float, text: str, page: int, pages: int
) -> None:
    metrics = QFontMetricsF(font, painter.device())
    top = body.height() + metrics.height() * 0.6
    painter.save()
    pen = QPen(QColor("#9fb3c8"))
    pen.setWidthF(max(1.0, painter.device().logicalDpiY() / 150.0))
    painter.setPen(pen)
    painter.drawLine(0, int(top), int(width), int(top))
    painter.setFont(font)
    painter.setPen(QColor("#57606a"))
    box = QRectF(0, top + metrics.height() * 0.3, width, metrics.height() * 1.2)
    number = f"Page {page} of {pages}"
    room = width - metrics.horizontalAdvance(number) - metrics.averageCharWidth() * 4
    left = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
    painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, left)
    painter.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, number)
    painter.restore()


def _footer(report: Report) -> str:
    return f"{report.build.name} · dlplanner {__version__}"


def print_report(report: Report, printer: QPagedPaintDevice) -> int:
    """Lay the report out for ``printer`` and print it; return the page count."""
    return paint_document(report.document(printer.pageLayout()), printer, _footer(report))


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
