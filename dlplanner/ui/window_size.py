"""The main window's first size, from the screen it opens on (no saved layout yet).

1280 × 800 when the screen has room; on a smaller screen the window takes the available
area (less room for a window manager's frame), and the docks keep their share of it.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize

PREFERRED = QSize(1280, 800)
"""The size the layout was designed for."""
FRAME = QSize(0, 0)
"""Room left for a window frame: none needed, the screen's available area excludes panels,
and a frame that does not fit is the window manager's to place."""
CATALOG_SHARE = 450 / 1280
"""Width of the catalog dock, as a share of the window."""
FINDINGS_SHARE = 0.36
"""Height of the findings dock, as a share of the window (on a screen at least 768 high)."""
SMALL_FINDINGS_SHARE = 0.36
"""The share on a lower screen, where the Cost and Timeline tabs need their minimum."""


def findings_height(window_height: int) -> int:
    """Return the first height of the findings dock for a window this high."""
    share = FINDINGS_SHARE if window_height >= 760 else SMALL_FINDINGS_SHARE
    return round(window_height * share)


def first_size(available: QRect) -> QSize:
    """Return the window size for a screen's available geometry: at most :data:`PREFERRED`."""
    width = min(PREFERRED.width(), available.width() - FRAME.width())
    height = min(PREFERRED.height(), available.height() - FRAME.height())
    return QSize(max(width, 640), max(height, 480))


def fit_within(geometry: QRect, available: QRect) -> QRect:
    """Return ``geometry`` moved and shrunk so that it lies inside ``available``."""
    width = min(geometry.width(), available.width())
    height = min(geometry.height(), available.height())
    x = min(max(geometry.x(), available.x()), available.right() + 1 - width)
    y = min(max(geometry.y(), available.y()), available.bottom() + 1 - height)
    return QRect(x, y, width, height)
