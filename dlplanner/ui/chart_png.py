"""The cost chart drawn offscreen into PNG bytes, for the printed and exported report."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt

from dlplanner.domain.costs import CostComparison
from dlplanner.report.cost_view import ChartView
from dlplanner.ui.charts import CostChart


def render_chart_png(
    comparison: CostComparison,
    width: int = 1200,
    height: int = 600,
    view: ChartView = "both",
    *,
    dark: bool = False,
) -> bytes:
    """Draw the cost chart offscreen into a PNG of ``width`` x ``height`` pixels (for reports).

    Needs a QApplication. Light colours by default, for paper.
    """
    if width < 50 or height < 50:
        raise ValueError(f"chart size {width}x{height} is too small")
    chart = CostChart(dark=dark)
    try:
        chart.resize(width, height)
        chart.set_comparison(comparison, view)
        # grab() delivers the pending resize, so the plot is laid out at this size.
        pixmap = chart.grab()
    finally:
        chart.deleteLater()
    image = pixmap.toImage()
    if image.width() != width or image.height() != height:
        image = image.scaled(
            width,
            height,
            Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())
