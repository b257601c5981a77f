"""Printing and PDF/HTML export, read back: pypdf text, page numbers, fonts, the chart image."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QSizeF
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QImage,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog

from dlplanner.domain.build import Build, BuildItem, PlanStep
from dlplanner.domain.costs import compare_costs
from dlplanner.report.findings import finding_word
from dlplanner.report.format import usd
from dlplanner.report.shopping import shopping_list
from dlplanner.report.text import SEVERITY_WORDS, break_even_text
from dlplanner.ui import pagination, printing
from dlplanner.ui.chart_png import render_chart_png

GPU_4090 = "nvidia-geforce-rtx-4090-fe"
FAILING = Build(
    name="Overreaching 4090 box",
    items=(
        BuildItem(part="amd-ryzen-9-7950x"),
        BuildItem(part="gigabyte-b650m-ds3h"),
        BuildItem(part="corsair-vengeance-32gb-2x16-ddr5-6000-c30"),
        BuildItem(part="nvidia-geforce-rtx-4090-fe", qty=2),
        BuildItem(part="seasonic-focus-gx-850-atx30"),
        BuildItem(part="corsair-4000d-airflow"),
    ),
    plan=(
        PlanStep(month=6, label="More GPUs", add=(BuildItem(part="nvidia-geforce-rtx-4090-fe"),)),
    ),
)


def squash(text: str) -> str:
    """Text without whitespace: PDF extraction breaks lines wherever the layout wrapped."""
    return re.sub(r"\s+", "", text)


def word(finding) -> str:
    """The severity word the report prints before a finding's message."""
    return finding_word(finding, SEVERITY_WORDS)


def read_pdf(data: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    return reader, [" ".join(page.extract_text().split()) for page in reader.pages]


def pdf_images(reader: PdfReader) -> list[tuple[int, int]]:
    """The size of every image drawn on the pages (read from the XObjects, no Pillow)."""
    sizes = []
    for page in reader.pages:
        for ref in page["/Resources"].get("/XObject", {}).values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Image":
                sizes.append((int(xobject["/Width"]), int(xobject["/Height"])))
    return sizes


def png_stats(png: bytes) -> tuple[int, int, int, float]:
    image = QImage.fromData(png, "PNG")
    assert not image.isNull()
    small = image.scaled(120, 60)
    colours = {small.pixel(x, y) for x in range(small.width()) for y in range(small.height())}
    white = QColor("white").rgb()
    inked = sum(
        1 for x in range(small.width()) for y in range(small.height()) if small.pixel(x, y) != white
    )
    return image.width(), image.height(), len(colours), inked / (small.width() * small.height())


@pytest.fixture
def article_report(article, catalog, qapp) -> printing.Report:
    return printing.Report(article, catalog)


def test_bundled_fonts_are_registered(qapp):
    family = printing.register_fonts()
    assert family == "DejaVu Sans"
    assert printing.register_fonts() == family  # once
    assert "Bold" in QFontDatabase.styles(family)
    assert printing.report_font().family() == family


def test_article_pdf_holds_parts_totals_break_even_findings_and_plan(article_report):
    data = printing.pdf_bytes(article_report)
    reader, pages = read_pdf(data)
    text = squash(" ".join(pages))
    sl = shopping_list(article_report.build, article_report.catalog)
    for stage in sl.stages:
        for row in stage.rows:
            assert squash(row.item) in text, row.item
    assert squash(f"Total now {usd(sl.now.total_usd)}") in text
    assert squash(f"Grand total: {usd(sl.grand_total_usd)}") in text
    for stage in sl.stages[1:]:
        assert squash(f"Stage {stage.index}, month {stage.month}: {stage.label}") in text
    first = article_report.comparison.options[0]
    assert squash(f"pays for itself after {break_even_text(first)}") in text
    assert squash(usd(first.total_usd)) in text
    for letter, finding in article_report.evaluation.lettered():
        assert squash(letter + word(finding) + finding.message) in text, finding.message
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in page
    assert reader.metadata.title == article_report.build.name


def test_failing_build_pdf_letters_every_finding(catalog, qapp):
    report = printing.Report(FAILING, catalog, render=None)
    assert any(f.severity == "error" for f in report.evaluation.findings)
    _reader, pages = read_pdf(printing.pdf_bytes(report))
    text = squash(" ".join(pages))
    assert "Problem" in text
    for letter, finding in report.evaluation.lettered():
        assert squash(letter + word(finding) + finding.message) in text, finding.message


def test_pdf_embeds_the_bundled_font_and_the_chart(article_report):
    reader, _pages = read_pdf(printing.pdf_bytes(article_report))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("DejaVuSans" in f for f in fonts), fonts
    assert any("DejaVuSans-Bold" in f for f in fonts), fonts
    # One chart, full width; drawn shorter when that saves a nearly blank last page.
    width, height = printing.CHART_PIXELS
    heights = {round(height * share) for share in (1.0, *printing.CHART_HEIGHTS)}
    [(drawn_width, drawn_height)] = pdf_images(reader)
    assert drawn_width == width and drawn_height in heights


def test_chart_png_is_not_trivial(article, catalog, qapp):
    png = render_chart_png(compare_costs(article, catalog), *printing.CHART_PIXELS)
    width, height, colours, inked = png_stats(png)
    assert (width, height) == printing.CHART_PIXELS
    assert colours > 8  # axes, grid, several series, labels
    assert 0.02 < inked < 0.9


def test_letter_and_a4_pages(article_report):
    for size, points in (
        (QPageSize.PageSizeId.Letter, (612, 792)),
        (QPageSize.PageSizeId.A4, (595, 842)),
    ):
        layout = QPageLayout(
            QPageSize(size),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
        reader, pages = read_pdf(printing.pdf_bytes(article_report, layout))
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == points
        assert pages[-1].endswith(f"Page {len(pages)} of {len(pages)}")


def test_export_pdf_and_html_write_atomically(article, catalog, tmp_path: Path, qapp):
    report = printing.Report(article, catalog)
    pdf = printing.export_pdf(report, None, tmp_path / "list.pdf")
    assert pdf.read_bytes().startswith(b"%PDF-")
    html_path = printing.export_html(report, None, tmp_path / "list.html")
    html = html_path.read_text(encoding="utf-8")
    srcs = re.findall(r'src="([^"]*)"', html)
    assert srcs and all(s.startswith("data:image/png;base64,") for s in srcs)
    # the only other references are the price source links, one per line
    assert all(h.startswith("https://") for h in re.findall(r'href="([^"]*)"', html))
    png = base64.b64decode(srcs[0].split(",", 1)[1])
    assert png == report.chart_png and not QImage.fromData(png, "PNG").isNull()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["list.html", "list.pdf"]


def test_export_from_a_build_and_from_a_document(document, tmp_path: Path):
    path = printing.export_pdf(document.build, document.catalog, tmp_path / "a.pdf")
    assert PdfReader(path).pages
    path = printing.export_pdf(document, None, tmp_path / "b.pdf")
    assert PdfReader(path).pages
    with pytest.raises(ValueError, match="catalog"):
        printing.export_pdf(document.build, None, tmp_path / "c.pdf")


def test_export_pdf_to_a_missing_folder_is_one_line(article_report, tmp_path: Path):
    with pytest.raises(OSError, match="folder does not exist") as info:
        printing.export_pdf(article_report, None, tmp_path / "nope" / "x.pdf")
    assert "\n" not in str(info.value)


def test_document_uses_the_bundled_font_and_print_media(article_report):
    doc = article_report.document()
    assert doc.defaultFont().family() == "DejaVu Sans"
    assert doc.metaInformation(QTextDocument.MetaInformation.CssMedia) == "print"
    assert doc.metaInformation(QTextDocument.MetaInformation.DocumentTitle) == (
        article_report.build.name
    )


def test_paint_pages_numbers_every_page(qapp):
    doc = QTextDocument()
    doc.setDefaultFont(printing.report_font())
    doc.setHtml("".join(f"<p>Paragraph {i}</p>" for i in range(300)))
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageLayout(printing.default_page_layout())
    font = printing.report_font(printing.FOOTER_POINTS)
    pages = pagination.paint_pages(
        pagination.paginate(doc, writer, font), writer, font, "footer text"
    )
    buffer.close()
    reader, text = read_pdf(bytes(array.data()))
    assert pages == len(reader.pages) > 2
    for n, page in enumerate(text, start=1):
        assert f"Page {n} of {pages}" in page and "footer text" in page
    # Every paragraph once: nothing lost or drawn twice at the page breaks.
    joined = " ".join(text)
    for i in range(300):
        assert len(re.findall(rf"\bParagraph {i}\b", joined)) == 1, i


def test_keep_together_moves_a_heading_off_the_foot_of_a_page(qapp):
    doc = QTextDocument()
    doc.setDefaultFont(printing.report_font())
    doc.setDocumentMargin(0)
    doc.setHtml(
        "".join(f"<p>Line {i}</p>" for i in range(20))
        + "<h2>Heading</h2><table><tr><td>a</td></tr><tr><td>b</td></tr></table>"
    )
    doc.setTextWidth(400)
    layout = doc.documentLayout()
    heading = doc.findBlockByNumber(20)
    assert heading.blockFormat().headingLevel() == 2
    top = layout.blockBoundingRect(heading).top()
    line = layout.blockBoundingRect(doc.begin()).height()
    page_height = top + line * 2  # the heading would sit on the page's last lines
    doc.setPageSize(QSizeF(400, page_height))
    pagination.keep_together(doc, page_height, line)
    policy = doc.findBlockByNumber(20).blockFormat().pageBreakPolicy()
    assert policy & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore


def test_print_preview_paints_the_report(document, tmp_path: Path, monkeypatch):
    target = tmp_path / "preview.pdf"
    seen = {}

    def fake_exec(dialog):
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        seen["title"] = dialog.windowTitle()
        dialog.paintRequested.emit(printer)
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", fake_exec)
    assert printing.print_preview(None, document) == 0
    assert document.build.name in seen["title"]
    _reader, pages = read_pdf(target.read_bytes())
    assert "Page 1 of" in pages[0] and squash(document.build.name) in squash(pages[0])


def test_print_dialog_prints_when_accepted_and_not_when_cancelled(document, tmp_path, monkeypatch):
    target = tmp_path / "printed.pdf"

    def accept(dialog):
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(target))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    assert printing.print_dialog(None, document) is True
    assert PdfReader(target).pages

    monkeypatch.setattr(QPrintDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    target.unlink()
    assert printing.print_dialog(None, document) is False
    assert not target.exists()


def test_keep_together_moves_a_section_heading_with_its_figure(qapp):
    image = QImage(400, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("steelblue"))
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    uri = "data:image/png;base64," + base64.b64encode(bytes(array.data())).decode()
    doc = QTextDocument()
    doc.setDefaultFont(printing.report_font())
    doc.setDocumentMargin(0)
    doc.setHtml(
        "".join(f"<p>Line {i}</p>" for i in range(10))
        + f'<h2>Costs</h2><p>The lead sentence.</p><p><img src="{uri}" width="400"></p>'
    )
    doc.setTextWidth(400)
    layout = doc.documentLayout()
    heading = doc.findBlockByNumber(10)
    line = layout.blockBoundingRect(doc.begin()).height()
    # Room for the heading, the lead and more than five lines, not for the figure.
    page_height = layout.blockBoundingRect(heading).top() + line * 9
    doc.setPageSize(QSizeF(400, page_height))
    pagination.keep_together(doc, page_height, line)
    policy = doc.findBlockByNumber(10).blockFormat().pageBreakPolicy()
    assert policy & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore
    figure = doc.findBlockByNumber(12)
    assert int(layout.blockBoundingRect(figure).bottom() // page_height) == 1


def test_print_dialog_page_range_prints_only_those_pages(document, tmp_path, monkeypatch):
    target = tmp_path / "range.pdf"

    def accept(dialog):
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setFromTo(2, 2)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    assert printing.print_dialog(None, document) is True
    _reader, pages = read_pdf(target.read_bytes())
    assert len(pages) == 1 and re.search(r"Page 2 of \d+$", pages[0])
