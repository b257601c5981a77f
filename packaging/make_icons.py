"""Render the icon set from the SVG masters in ``resources/icons/``.

    python packaging/make_icons.py          # rewrite the PNGs, dlplanner.ico and dlplanner.icns
    python packaging/make_icons.py --check  # exit 1 if a committed file is missing or stale

The masters are ``dlplanner.svg`` (the application) and ``application-x-dlplanner-build.svg``
(a build file). Qt's SVG renderer (QtSvg, part of PySide6-Essentials) draws each size; the
PNGs go into a freedesktop ``hicolor`` tree (``hicolor/<N>x<N>/{apps,mimetypes}/``) that
``dlplanner desktop-integration install`` copies as it is. The Windows ``.ico`` and the macOS
``.icns`` hold PNG images (Windows Vista and later, macOS 10.7 and later read those), written
by the small writers below. The results are committed, so building needs none of this.
"""

from __future__ import annotations

import argparse
import struct
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
APP = "dlplanner"
MIME_ICON = "application-x-dlplanner-build"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_TYPES = (
    # (OSType, pixel size) of the PNG-based entries; the @2x ones are the larger renders.
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256),
    (b"ic09", 512), (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256),
    (b"ic14", 512),
)  # fmt: skip


def render_png(svg: Path, size: int) -> bytes:
    """Draw an SVG at size × size pixels on a transparent background; return PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    if QGuiApplication.instance() is None:
        render_png.app = QGuiApplication(["make_icons", "-platform", "offscreen"])  # type: ignore[attr-defined]
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.convertToFormat(QImage.Format.Format_ARGB32).save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows icon file holding the given PNG images (ICONDIR, entries, then the data)."""
    sizes = sorted(pngs)
    offset = 6 + 16 * len(sizes)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    entries = b""
    for size in sizes:
        side = 0 if size >= 256 else size  # 0 means 256 pixels
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(pngs[size]), offset)
        offset += len(pngs[size])
    return header + entries + b"".join(pngs[s] for s in sizes)


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS icon file: 'icns', its length, then (OSType, length, PNG) for each entry."""
    body = b"".join(
        ostype + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for ostype, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def expected_files() -> dict[Path, bytes]:
    """Every generated file and its content."""
    files: dict[Path, bytes] = {}
    app_svg, mime_svg = ICONS / f"{APP}.svg", ICONS / f"{MIME_ICON}.svg"
    app = {size: render_png(app_svg, size) for size in {*PNG_SIZES, 1024}}
    for size in PNG_SIZES:
        folder = ICONS / "hicolor" / f"{size}x{size}"
        files[folder / "apps" / f"{APP}.png"] = app[size]
        files[folder / "mimetypes" / f"{MIME_ICON}.png"] = render_png(mime_svg, size)
    files[ICONS / f"{APP}.ico"] = ico_bytes({s: app[s] for s in ICO_SIZES})
    files[ICONS / f"{APP}.icns"] = icns_bytes(app)
    return files


def main(argv: list[str] | None = None) -> int:
    """Write the icon set, or with --check report files that are missing or stale."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if stale")
    args = parser.parse_args(argv)
    stale = []
    for path, data in expected_files().items():
        if path.is_file() and path.read_bytes() == data:
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    for path in stale:
        print(f"{'stale' if args.check else 'wrote'} {path.relative_to(ICONS.parent.parent)}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
