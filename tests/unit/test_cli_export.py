"""``dlplanner export`` to HTML and PDF through the real entry point, headless, in a subprocess."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from dlplanner.domain.costs import compare_costs
from dlplanner.io.buildfile import load_build
from dlplanner.io.catalog_files import load_catalog
from dlplanner.report.format import usd
from dlplanner.report.shopping import shopping_list
from dlplanner.report.text import break_even_text
from tests.conftest import ROOT

EXAMPLES = sorted((ROOT / "resources" / "examples").glob("*.dlbuild.yaml"))
ARTICLE = next(p for p in EXAMPLES if p.name.startswith("article"))

pytestmark = pytest.mark.slow


def headless_env() -> dict[str, str]:
    """The environment of a machine without a display (no QT_QPA_PLATFORM either)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    return env


def dlp(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dlplanner", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=headless_env(),
        cwd=ROOT,
    )


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_pdf_export_headless_holds_parts_totals_findings_plan_and_chart(tmp_path: Path):
    target = tmp_path / "list.pdf"
    out = dlp("export", str(ARTICLE), "-o", str(target), "--format", "pdf")
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""
    assert out.stdout.startswith("wrote PDF report of ") and str(target) in out.stdout
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    text = squash(" ".join(pages))

    catalog = load_catalog(user_dirs=[]).catalog
    build = load_build(ARTICLE)
    sl = shopping_list(build, catalog)
    for stage in sl.stages:
        for row in stage.rows:
            assert squash(row.item) in text, row.item
    assert squash(f"Grand total: {usd(sl.grand_total_usd)}") in text
    assert squash(f"Total now {usd(sl.now.total_usd)}") in text
    first = compare_costs(build, catalog).options[0]
    assert squash(f"pays for itself after {break_even_text(first)}") in text
    assert "Compatibility" in text and "Upgradeplan" in text and "Assumptions" in text
    assert pages[0].endswith(f"Page 1 of {len(pages)}")
    images = [
        ref.get_object()
        for page in reader.pages
        for ref in page["/Resources"].get("/XObject", {}).values()
    ]
    assert any(x.get("/Subtype") == "/Image" and int(x["/Width"]) >= 600 for x in images)


def test_pdf_paper_size(tmp_path: Path):
    target = tmp_path / "list.pdf"
    out = dlp("export", str(ARTICLE), "-o", str(target), "--paper", "letter")
    assert out.returncode == 0, out.stderr
    box = PdfReader(target).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_html_export_is_standalone_with_the_chart(tmp_path: Path):
    target = tmp_path / "list.html"
    out = dlp("export", str(ARTICLE), "-o", str(target))
    assert out.returncode == 0, out.stderr
    html = target.read_text(encoding="utf-8")
    srcs = re.findall(r'src="([^"]*)"', html)
    assert len(srcs) == 1 and srcs[0].startswith("data:image/png;base64,")
    # nothing to load: the only other references are links, one price source per line
    links = re.findall(r'href="([^"]*)"', html)
    assert links and all(link.startswith(("https://", "http://")) for link in links)
    assert html.count("price source (where to buy)") == len(links)


def test_html_export_without_chart_needs_no_qt(tmp_path: Path):
    target = tmp_path / "list.htm"
    code = (
        "import sys\n"
        "from dlplanner.cli import main\n"
        f"status = main(['export', {str(ARTICLE)!r}, '-o', {str(target)!r}, '--no-chart'])\n"
        "qt = sorted(n for n in sys.modules if n.split('.')[0] in ('PySide6', 'pyqtgraph'))\n"
        "print(status, ','.join(qt))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    said, status = out.stdout.strip().splitlines()
    assert said.startswith("wrote HTML report of ") and status == "0", out.stdout + out.stderr
    html = target.read_text(encoding="utf-8")
    assert "<img" not in html and "Grand total" in html


@pytest.mark.parametrize("fmt", ["pdf", "html"])
def test_unwritable_output_is_one_line_exit_2(fmt: str, tmp_path: Path):
    out = dlp("export", str(ARTICLE), "-o", str(tmp_path / "missing" / f"x.{fmt}"))
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "folder does not exist" in out.stderr


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_example_exports_to_pdf(example: Path, tmp_path: Path):
    target = tmp_path / "x.pdf"
    out = dlp("export", str(example), "-o", str(target))
    assert out.returncode == 0, out.stderr
    assert PdfReader(target).pages


EMPTY_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fontconfig is Linux's")
def test_pdf_export_on_a_machine_without_fonts(tmp_path: Path):
    """With no system fonts at all, the bundled fonts carry the report and the chart."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(EMPTY_FONTCONFIG.format(cache=tmp_path / "cache"), encoding="utf-8")
    env = headless_env() | {"FONTCONFIG_FILE": str(conf)}
    code = (
        "import os\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtGui import QFont, QFontMetrics\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "before = QFontMetrics(app.font()).inFont('$')\n"
        "from dlplanner.ui.printing import register_fonts\n"
        "register_fonts()\n"
        "print(before, QFontMetrics(QFont(app.font())).inFont('$'))\n"
    )
    probe = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env, cwd=ROOT
    )
    assert probe.stdout.split() == ["False", "True"], probe.stdout + probe.stderr

    target = tmp_path / "list.pdf"
    out = subprocess.run(
        [sys.executable, "-m", "dlplanner", "export", str(ARTICLE), "-o", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
    )
    assert out.returncode == 0 and out.stderr == "", out.stderr
    reader = PdfReader(target)
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    assert fonts and all("DejaVuSans" in f for f in fonts), fonts
    assert "Grandtotal:$" in squash(" ".join(p.extract_text() for p in reader.pages))
