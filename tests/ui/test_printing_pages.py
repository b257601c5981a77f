"""The printed report's pages: no nearly blank last page (real PDFs of the examples, read back)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSizeF
from PySide6.QtGui import QImage, QPageSize, QPdfWriter, QTextDocument, QTextFormat

from dlplanner.io.buildfile import load_build
from dlplanner.io.resources import example_builds
from dlplanner.ui import pagination, printing

PAPERS = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
MM = 72 / 25.4
"""PDF points in a millimetre."""


def text_lines(page) -> list[tuple[float, str]]:
    """Every piece of text on a PDF page with the height it is drawn at (points from the foot)."""
    found: list[tuple[float, str]] = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            found.append((tm[4] * cm[1] + tm[5] * cm[3] + cm[5], " ".join(text.split())))

    page.extract_text(visitor_text=visit)
    return found


def last_page_fill(path: Path) -> float:
    """The share of the last page's text area from its top down to its lowest line of text."""
    reader = PdfReader(path)
    page = reader.pages[-1]
    lines = text_lines(page)
    footer = min(y for y, text in lines if re.search(r"Page \d+ of \d+", text))
    top = float(page.mediabox.height) - printing.MARGIN_MM * MM
    lowest = min(y for y, _text in lines if footer + 2 < y <= top)
    return (top - lowest) / (top - footer)


@pytest.fixture(scope="module")
def reports(catalog, qapp) -> dict[str, printing.Report]:
    return {p.name: printing.Report(load_build(p), catalog) for p in example_builds()}


@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_no_example_pdf_ends_on_a_nearly_blank_page(reports, paper, tmp_path: Path):
    assert len(reports) >= 4
    layout = printing.default_page_layout()
    layout.setPageSize(QPageSize(PAPERS[paper]))
    for name, report in reports.items():
        path = printing.export_pdf(report, None, tmp_path / f"{name}.pdf", layout=layout)
        reader = PdfReader(path)
        assert len(reader.pages) >= 2, name
        fill = last_page_fill(path)
        assert fill > 0.3, f"{name} on {paper}: the last page is {fill:.0%} full"
        # Nothing was dropped to save the page: the report still ends with its assumptions.
        last = " ".join(reader.pages[-1].extract_text().split())
        assert "Assumptions" in last and "Horizon" in last, name
        assert f"Page {len(reader.pages)} of {len(reader.pages)}" in last


def _writer(paper: str) -> QPdfWriter:
    buffer = QBuffer(QByteArray(), None)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(300)
    layout = printing.default_page_layout()
    layout.setPageSize(QPageSize(PAPERS[paper]))
    writer.setPageLayout(layout)
    writer.buffer = buffer  # keep the device's buffer alive as long as the writer
    return writer


def test_a_shorter_chart_saves_the_page_when_it_can(reports, qapp):
    report = reports["article-2019-scalable.dlbuild.yaml"]
    writer = _writer("a4")
    font = printing.report_font(printing.FOOTER_POINTS)
    full = pagination.paginate(report.document(writer.pageLayout()), writer, font)
    chosen = printing.report_pages(report, writer)
    assert full.last_fill < printing.LAST_PAGE_MIN  # the full-height chart leaves a scrap
    assert chosen.count == full.count - 1
    shorter = QImage.fromData(report.chart(printing.CHART_HEIGHTS[-1]), "PNG")
    assert shorter.width() == printing.CHART_PIXELS[0]
    assert shorter.height() == round(printing.CHART_PIXELS[1] * printing.CHART_HEIGHTS[-1])


def test_a_report_without_a_chart_is_never_redrawn(reports, catalog, qapp):
    article = reports["article-2019-scalable.dlbuild.yaml"]
    given = printing.Report(article.build, catalog, chart_png=article.chart_png)
    assert not given.can_shorten_chart and given.chart(0.7) is article.chart_png
    bare = printing.Report(article.build, catalog, render=None)
    assert not bare.can_shorten_chart and bare.chart(0.7) is None


def test_paginate_breaks_before_the_given_headings_on_a_copy(qapp):
    doc = QTextDocument()
    doc.setDefaultFont(printing.report_font())
    doc.setHtml(
        "".join(f"<p>Line {i}</p>" for i in range(12))
        + "<h2>Second</h2>"
        + "".join(f"<p>Second line {i}</p>" for i in range(6))
        + "<h2>Last</h2><table><tr><td>a</td></tr><tr><td>b</td></tr></table>"
    )
    writer = _writer("a4")
    font = printing.report_font(printing.FOOTER_POINTS)
    pages = pagination.paginate(doc, writer, font)
    assert pages.count == 1
    headings = pagination.headings_on(pages, 0)
    assert [doc.findBlockByNumber(n).text() for n in headings] == ["Second", "Last"]
    moved = pagination.paginate(doc, writer, font, breaks=(headings[0],))
    assert moved.count == 2
    second = moved.document.findBlockByNumber(headings[0])
    assert second.blockFormat().pageBreakPolicy() & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore
    assert doc.findBlockByNumber(headings[0]).blockFormat().pageBreakPolicy() == (
        QTextFormat.PageBreakFlag.PageBreak_Auto
    )  # the caller's document is left as it was


def test_a_table_head_moves_with_the_first_row_table(qapp):
    doc = QTextDocument()
    doc.setDefaultFont(printing.report_font())
    doc.setDocumentMargin(0)
    row = "<table><tr><td>row a</td></tr><tr><td>row b</td></tr><tr><td>row c</td></tr></table>"
    doc.setHtml(
        "".join(f"<p>Line {i}</p>" for i in range(10))
        + "<h2>Compatibility</h2><p>The lead sentence.</p>"
        + "<table><thead><tr><th>Finding</th></tr></thead></table>"
        + row
        + row
    )
    doc.setTextWidth(400)
    layout = doc.documentLayout()
    heading = doc.findBlockByNumber(10)
    assert heading.blockFormat().headingLevel() == 2
    line = layout.blockBoundingRect(doc.begin()).height()
    # The heading, its lead and the table head fit above the foot with room for five more
    # lines, the first row table (three rows) does not.
    head_table = next(f for f in doc.rootFrame().childFrames())
    below_head = layout.frameBoundingRect(head_table).bottom()
    page_height = below_head + line * 1.5
    assert page_height - layout.blockBoundingRect(heading).top() > line * 6
    doc.setPageSize(QSizeF(400, page_height))
    pagination.keep_together(doc, page_height, line)
    policy = doc.findBlockByNumber(10).blockFormat().pageBreakPolicy()
    assert policy & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore
    first_row = doc.rootFrame().childFrames()[1]
    assert int(layout.frameBoundingRect(first_row).bottom() // page_height) == 1
