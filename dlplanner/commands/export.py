"""``dlplanner export FILE -o OUT --format md|csv|html|pdf``: the shopping list or report, headless.

Markdown and CSV are the shopping list. HTML and PDF are the printed report (parts,
totals, findings, upgrade plan, cost comparison with its chart, assumptions). The PDF and
the chart need Qt: it runs offscreen when there is no display. ``--no-chart`` makes the
HTML without Qt.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from dlplanner.commands.common import UsageError, cli_build_and_catalog
from dlplanner.domain.build import Build
from dlplanner.domain.catalog import Catalog
from dlplanner.report.export import TEXT_FORMATS, export_text
from dlplanner.report.html import write_report_html
from dlplanner.report.shopping import shopping_list

REPORT_FORMATS = ("html", "pdf")
FORMATS = (*TEXT_FORMATS, *REPORT_FORMATS)
PAPER_SIZES = ("a4", "letter")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the ``export`` arguments."""
    parser.add_argument("file", metavar="FILE", help="a .dlbuild.yaml build file")
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="where to write; '-' writes md or csv to standard output (a device, FIFO or "
        "socket is never replaced)",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        help="output format (default: from OUT's extension)",
    )
    parser.add_argument(
        "--paper",
        choices=PAPER_SIZES,
        help="PDF paper size (default: Letter in the US locale, A4 elsewhere)",
    )
    parser.add_argument(
        "--no-chart",
        action="store_true",
        help="leave the cost chart out of the report (HTML is then made without Qt)",
    )


def _format_of(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    ext = Path(args.output).suffix.lower().lstrip(".")
    ext = {"markdown": "md", "htm": "html"}.get(ext, ext)
    if ext not in FORMATS:
        raise UsageError(f"cannot tell the format from {args.output!r}; give --format")
    return ext


def headless_qt() -> tuple[Any, bool]:
    """Return the application and whether it was made here (offscreen without a display)."""
    if sys.platform not in ("win32", "darwin") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from PySide6.QtWidgets import QApplication
    except ImportError as exc:
        raise OSError(f"this export needs PySide6, which could not be loaded: {exc}") from None
    app = QApplication.instance()
    if app is not None:
        return app, False
    return QApplication(["dlplanner"]), True


def _export_report(build: Build, catalog: Catalog, fmt: str, args: argparse.Namespace) -> None:
    if fmt == "html" and args.no_chart:
        write_report_html(build, catalog, args.output)
        return
    app, created = headless_qt()
    try:
        from PySide6.QtGui import QPageSize

        from dlplanner.ui.printing import Report, default_page_layout, export_html, export_pdf

        report = Report(build, catalog, render=None) if args.no_chart else Report(build, catalog)
        if fmt == "html":
            export_html(report, None, args.output)
        else:
            layout = default_page_layout()
            if args.paper:
                size = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
                layout.setPageSize(QPageSize(size[args.paper]))
            export_pdf(report, None, args.output, layout=layout)
    finally:
        if created:
            # Tear Qt down now, in order, rather than during the interpreter's exit.
            app.processEvents()
            app.shutdown()


def run(args: argparse.Namespace) -> int:
    """Write the export."""
    fmt = _format_of(args)
    if args.output == "-" and fmt not in TEXT_FORMATS:
        raise UsageError(f"{fmt} cannot go to standard output; give a file name with -o")
    build, catalog = cli_build_and_catalog(args.file)
    what = {"pdf": "PDF report", "html": "HTML report", "md": "Markdown shopping list"}
    said = f"wrote {what.get(fmt, 'CSV shopping list')} of '{build.name}'"
    if args.output == "-":
        # The one place an export writes into something that is not a regular file: what
        # the user asked for by name. Everything else goes through the atomic writer.
        text = TEXT_FORMATS[fmt](shopping_list(build, catalog))
        sys.stdout.write(text)
        sys.stdout.flush()
        # The list is the output: what was written is said apart from it, on stderr.
        size = len(text.encode())
        print(f"{said} to standard output ({size:,} bytes)", file=sys.stderr)
        return 0
    if fmt in TEXT_FORMATS:
        export_text(build, catalog, fmt, args.output)
    else:
        _export_report(build, catalog, fmt, args)
    out = Path(args.output)
    size = out.stat().st_size if out.is_file() else 0
    print(f"{said} to {out} ({size:,} bytes)")
    return 0
