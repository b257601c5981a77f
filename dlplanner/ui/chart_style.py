"""The charts' look: series colours, money and month axes, and ranges fitted to tick labels."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QFont, QFontMetrics

from dlplanner.report.format import usd

# Medium-lightness colours for a light background and lighter ones for a dark background,
# in the same order, so a series keeps its hue when the theme changes.
LIGHT_COLOURS = {
    "own": "#1e8449",
    "cloud": (
        "#1f6fc5",
        "#d35400",
        "#8e44ad",
        "#c0392b",
        "#00897b",
        "#8d6e63",
        "#c2185b",
        "#7d8a00",
        "#546e7a",
        "#0097a7",
    ),
}
"""Series colours on a light background: ``own``, then ``cloud`` in option order."""
DARK_COLOURS = {
    "own": "#58d68d",
    "cloud": (
        "#6aa8ff",
        "#ffa24c",
        "#c89af0",
        "#ff7a6b",
        "#4dd0c0",
        "#d2ad98",
        "#ff77b0",
        "#c6d44a",
        "#a9bcc8",
        "#4fd6e8",
    ),
}
"""Series colours on a dark background, hue for hue with :data:`LIGHT_COLOURS`."""


class DollarAxisItem(pg.AxisItem):  # type: ignore[misc]  # pyqtgraph has no type hints
    """A money axis: ``$12,000``, never ``12 k$``."""

    def __init__(self, orientation: str = "left", **kwargs: object):
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)
        # Major and minor ticks only: a third level doubles the grid lines to paint.
        self.setStyle(maxTickLevel=1)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        """Format whole dollars with thousands separators (cents when ticks are under $1 apart)."""
        cents = spacing < 1
        return [usd(v * scale + 0.0, 2 if cents else 0) for v in values]


class MonthAxisItem(pg.AxisItem):  # type: ignore[misc]  # pyqtgraph has no type hints
    """A month axis with whole-month ticks."""

    def __init__(self, orientation: str = "bottom", **kwargs: object):
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)
        self.setStyle(maxTickLevel=1)

    def tickSpacing(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, float]]:
        """Use pyqtgraph's spacing, never finer than a month."""
        levels = super().tickSpacing(minVal, maxVal, size)
        whole = [(max(step, 1.0), offset) for step, offset in levels if step >= 1.0]
        return whole or [(1.0, 0.0)]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        """Format month numbers."""
        return [f"{v * scale:g}" for v in values]


def fit_money_ranges(plot: pg.PlotItem, font: QFont, top: float, horizon: float) -> None:
    """Show months 0 to ``horizon`` and $0 to ``top`` (``font``: when the axis sets none).

    The margins are in pixels, so the $0 and last-month tick labels are never cut off.
    """
    axis = plot.getAxis("left")
    metrics = QFontMetrics(axis.style.get("tickFont") or font)
    widest = max(metrics.horizontalAdvance(usd(v, 0)) for v in (top, -top / 10))
    label = axis.label.boundingRect().height() if axis.label else 0
    if axis.width() != widest + 16 + label:
        axis.setWidth(widest + 16 + label)
        plot.layout.activate()
    view_box = plot.getViewBox()
    size = view_box.size()
    below = (metrics.height() / 2 + 2) / max(size.height(), 100.0)
    beside = (metrics.horizontalAdvance("240") / 2 + 4) / max(size.width(), 100.0)
    span_y = top * 1.04 / (1 - below)
    span_x = horizon / (1 - 2 * beside)
    view_box.setRange(
        xRange=(-span_x * beside, horizon + span_x * beside),
        yRange=(-span_y * below, top * 1.04),
        padding=0.0,
    )
