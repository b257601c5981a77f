"""Pages of a report: keep sections together, measure the last page, paint with footers.

``QTextDocument`` lays rich text out in pages but has no ``page-break-inside: avoid`` and
no keep-with-next, so :func:`keep_together` sets page breaks where the layout shows the
need. :func:`paginate` lays a document out on a paint device and says how full its last
page is, so a caller can try a tighter variant when the last page would be nearly blank;
:func:`paint_pages` then paints the pages, each with a numbered footer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPagedPaintDevice,
    QPainter,
    QPen,
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrame,
    QTextTable,
)
from PySide6.QtPrintSupport import QPrinter

KEEP_LINES = 5
"""A heading closer than this many lines to the page's foot moves to the next page."""
SMALL_TABLE = 0.4
"""A table shorter than this share of a page is not split across pages."""
_OBJECT = "\ufffc"
"""The character that stands for an image in a text block."""


@dataclass
class Pages:
    """A document laid out in pages on one paint device, ready to paint."""

    document: QTextDocument
    """The laid-out copy (page breaks set); the caller's document is left as it was."""
    body: QSizeF
    """The size of one page's text area in device pixels (the footer is below it)."""
    count: int
    """How many pages."""
    last_fill: float
    """The share of the last page's text area that content covers, 0 to 1."""
    source: QTextDocument
    """The document laid out (kept: the copy lives only as long as it does)."""


def _break_before(target: QTextBlock | QTextFrame) -> None:
    if isinstance(target, QTextFrame):
        frame_format = target.frameFormat()
        frame_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        target.setFrameFormat(frame_format)
    else:
        block_format = QTextBlockFormat()
        block_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        QTextCursor(target).mergeBlockFormat(block_format)


def _header_only(frame: QTextFrame) -> bool:
    """Whether ``frame`` is a table of nothing but header rows (the head of row tables)."""
    return isinstance(frame, QTextTable) and frame.rows() <= frame.format().headerRowCount()


def keep_together(doc: QTextDocument, page_height: float, line: float) -> None:
    """Keep headings with what follows them, and small tables and figures whole.

    A heading near a page's foot moves to the next page. A small table that would split
    moves whole, and with it what leads into it on that page: its heading, the heading's
    lead paragraph and a table holding only the column heads. A figure (the chart) that
    moved on without its heading and lead paragraph takes them along. Breaks are set top
    to bottom, each after the layout has taken the ones above.
    """
    layout = doc.documentLayout()

    def page(y: float) -> int:
        return int(y // page_height)

    def top(target: QTextBlock | QTextFrame) -> float:
        if isinstance(target, QTextFrame):
            return layout.frameBoundingRect(target).top()
        return layout.blockBoundingRect(target).top()

    intro: QTextBlock | QTextFrame | None = None  # what moves with the next small table
    lead = False  # the intro is a heading not yet followed by its lead paragraph
    section: QTextBlock | None = None  # the heading of the current run of paragraphs
    it = doc.rootFrame().begin()
    while not it.atEnd():
        frame, block = it.currentFrame(), it.currentBlock()
        if frame is not None:
            if _header_only(frame):
                intro, lead = intro or frame, False
            else:
                rect = layout.frameBoundingRect(frame)
                splits = page(rect.top()) != page(rect.bottom() - 1)
                small = rect.height() < page_height * SMALL_TABLE
                target = (
                    intro if intro is not None and page(top(intro)) == page(rect.top()) else frame
                )
                if splits and small and top(target) % page_height > line:
                    _break_before(target)
                intro, lead, section = None, False, None
        elif block.isValid():
            rect = layout.blockBoundingRect(block)
            if block.blockFormat().headingLevel() > 0:
                head = rect.top() % page_height
                if head > line and page_height - head < rect.height() + KEEP_LINES * line:
                    _break_before(block)
                intro = section = block
                lead = True
            elif _OBJECT in block.text():
                if section is not None:
                    head = layout.blockBoundingRect(section).top()
                    if page(head) != page(rect.bottom() - 1) and head % page_height > line:
                        _break_before(section)
                intro, lead, section = None, False, None
            elif block.text().strip():
                if lead:
                    lead = False
                else:
                    intro = None
        it += 1


def content_bottom(doc: QTextDocument) -> float:
    """Return where the document's last content ends (tables, text, images), in its units."""
    layout = doc.documentLayout()
    bottom = 0.0
    it = doc.rootFrame().begin()
    while not it.atEnd():
        frame, block = it.currentFrame(), it.currentBlock()
        if frame is not None:
            bottom = max(bottom, layout.frameBoundingRect(frame).bottom())
        elif block.isValid() and block.text().strip():
            bottom = max(bottom, layout.blockBoundingRect(block).bottom())
        it += 1
    return bottom


def footer_height(device: QPagedPaintDevice, font: QFont) -> float:
    """Return the room the footer takes at each page's foot, in device pixels."""
    return QFontMetricsF(font, device).height() * 2.2


def paginate(
    document: QTextDocument,
    device: QPagedPaintDevice,
    footer_font: QFont,
    breaks: Iterable[int] = (),
) -> Pages:
    """Lay a copy of ``document`` out on ``device``'s pages, headings kept with their text.

    ``breaks`` are numbers of blocks that start a new page whatever the layout says.
    """
    page = device.pageLayout().paintRectPixels(device.logicalDpiY())
    body = QSizeF(page.width(), page.height() - footer_height(device, footer_font))
    doc = document.clone()
    doc.setDefaultFont(document.defaultFont())
    doc.documentLayout().setPaintDevice(device)
    doc.setPageSize(body)
    root = doc.rootFrame().frameFormat()
    # A gap at each page's foot (in CSS pixels, which the layout scales to the device)
    # keeps a line that moves to the next page from leaving a clipped sliver behind.
    root.setBottomMargin(QFontMetricsF(doc.defaultFont()).lineSpacing() / 2)
    doc.rootFrame().setFrameFormat(root)
    for number in breaks:
        _break_before(doc.findBlockByNumber(number))
    keep_together(doc, body.height(), QFontMetricsF(doc.defaultFont(), device).lineSpacing())
    count = doc.pageCount()
    used = content_bottom(doc) - (count - 1) * body.height()
    return Pages(doc, body, count, min(1.0, max(0.0, used / body.height())), document)


def headings_on(pages: Pages, index: int) -> list[int]:
    """Return the block numbers of the top-level headings on page ``index`` (from 0), in order."""
    doc, height = pages.document, pages.body.height()
    layout = doc.documentLayout()
    found = []
    it = doc.rootFrame().begin()
    while not it.atEnd():
        block = it.currentBlock()
        heading = it.currentFrame() is None and block.blockFormat().headingLevel() > 0
        if heading and int(layout.blockBoundingRect(block).top() // height) == index:
            found.append(block.blockNumber())
        it += 1
    return found


def page_range(device: QPagedPaintDevice, pages: int) -> tuple[int, int]:
    """Return the first and last page to paint, both counted from 1 (a printer's range)."""
    if isinstance(device, QPrinter) and device.printRange() == QPrinter.PrintRange.PageRange:
        first = max(1, device.fromPage())
        last = min(pages, device.toPage() or pages)
        if first <= last:
            return first, last
    return 1, pages


def paint_pages(pages: Pages, device: QPagedPaintDevice, footer_font: QFont, footer: str) -> int:
    """Paint laid-out pages on ``device``, each with a numbered footer; return the page count.

    A printer's page range (from the print dialog) is honoured.
    """
    width = device.pageLayout().paintRectPixels(device.logicalDpiY()).width()
    doc, body = pages.document, pages.body
    first, last = page_range(device, pages.count)
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
            _paint_footer(painter, footer_font, body, width, footer, index + 1, pages.count)
    finally:
        painter.end()
    return pages.count


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
