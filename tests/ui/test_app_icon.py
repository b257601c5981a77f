"""The application icon: rendered from its SVG master, readable by Qt, shown by the window."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage, QImageReader

from dlplanner.app import app_icon, make_app
from dlplanner.io import resources

ROOT = Path(__file__).resolve().parents[2]
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def _make_icons():
    spec = importlib.util.spec_from_file_location("make_icons", ROOT / "packaging/make_icons.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _mean_difference(a: QImage, b: QImage) -> float:
    """Mean absolute difference per channel (0-255) of two same-sized images."""
    a = a.convertToFormat(QImage.Format.Format_RGBA8888)
    b = b.convertToFormat(QImage.Format.Format_RGBA8888)
    assert a.size() == b.size()
    da, db = bytes(a.constBits()), bytes(b.constBits())
    return sum(abs(x - y) for x, y in zip(da, db, strict=True)) / len(da)


@pytest.mark.parametrize("size", [16, 64, 256])
@pytest.mark.parametrize("stem", ["apps/dlplanner", "mimetypes/application-x-dlplanner-build"])
def test_committed_pngs_are_renders_of_the_svg_master(qapp, stem, size):
    make_icons = _make_icons()
    master = resources.icons_dir() / f"{Path(stem).name}.svg"
    fresh = QImage.fromData(make_icons.render_png(master, size))
    committed = QImage(str(resources.icons_dir() / f"hicolor/{size}x{size}/{stem}.png"))
    # Tolerant: another Qt version may anti-alias a little differently; a changed master
    # that was not re-rendered differs by far more (run packaging/make_icons.py).
    assert _mean_difference(fresh, committed) < 2.0


@pytest.mark.parametrize(("name", "fmt"), [("dlplanner.ico", b"ico"), ("dlplanner.icns", b"icns")])
def test_qt_reads_the_ico_and_icns(qapp, name, fmt):
    if fmt not in QImageReader.supportedImageFormats():
        pytest.skip(f"this Qt has no {fmt.decode()} image plugin")
    reader = QImageReader(str(resources.icons_dir() / name))
    sizes = set()
    for i in range(reader.imageCount()):
        reader.jumpToImage(i)
        image = reader.read()
        assert not image.isNull(), reader.errorString()
        sizes.add(image.width())
    assert {16, 32, 128, 256} <= sizes


def test_the_app_and_its_windows_carry_the_icon(qapp, qtbot):
    from PySide6.QtWidgets import QWidget

    app = make_app()
    icon = app.windowIcon()
    assert not icon.isNull()
    assert {s.width() for s in icon.availableSizes()} >= set(SIZES)
    assert app.desktopFileName() == "org.dlplanner.dlplanner"
    window = QWidget()
    qtbot.addWidget(window)
    assert window.windowIcon().cacheKey() == icon.cacheKey()
    pixmap = window.windowIcon().pixmap(QSize(48, 48))
    expected = QImage(str(resources.icons_dir() / "hicolor/48x48/apps/dlplanner.png"))
    assert _mean_difference(pixmap.toImage(), expected) < 0.5
    assert not app_icon().isNull()
