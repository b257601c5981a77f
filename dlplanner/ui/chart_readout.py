"""The cost chart's read-out: a crosshair and every drawn series at a month.

A part of :class:`~dlplanner.ui.charts.CostChart` (composition, not a base class): it owns
its crosshair and text box and reads only the chart's public API (``comparison``,
``options``, ``view``, ``colour``, ``view_box``, ``legend``).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPalette

from dlplanner.report.cost_view import drawn_series
from dlplanner.report.format import usd

if TYPE_CHECKING:
    from dlplanner.ui.charts import CostChart

_KEY_MOVES = {
    Qt.Key.Key_Left: -1,
    Qt.Key.Key_Right: 1,
    Qt.Key.Key_PageUp: -12,
    Qt.Key.Key_PageDown: 12,
}


class ChartReadout:
    """The crosshair and the values at one month, following the pointer or the keyboard."""

    def __init__(self, chart: CostChart):
        self._chart = chart
        self.month: int | None = None
        """The month shown, or None when hidden."""
        self.crosshair = pg.InfiniteLine(angle=90, movable=False)
        self.crosshair.setZValue(30)
        self.item = pg.TextItem(anchor=(0, 0))
        """The text box."""
        self.item.setZValue(40)
        for hover in (self.crosshair, self.item):
            hover.hide()
            chart.view_box.addItem(hover, ignoreBounds=True)
        chart.scene().sigMouseMoved.connect(self._on_mouse_moved)

    def _horizon(self) -> int | None:
        comparison = self._chart.comparison
        return None if comparison is None else comparison.series.months[-1]

    def text(self, month: int) -> str:
        """Return every drawn series at one month, as plain text lines."""
        return "\n".join(
            f"{name}: {usd(amount, 0)}" if name else f"Month {month}"
            for name, amount, _colour in self._rows(month)
        )

    def show(self, month: int) -> None:
        """Show the crosshair and the values at a month (within the horizon)."""
        horizon = self._horizon()
        if horizon is None:
            return
        month = min(max(int(month), 0), horizon)
        self.month = month
        lines = [f"<b>Month {month}</b>"]
        for name, amount, colour in self._rows(month)[1:]:
            lines.append(
                f"<span style='color:{colour}'>&#9632;</span> {escape(name)}: "
                f"<b>{usd(amount, 0)}</b>"
            )
        text = self._chart.palette().color(QPalette.ColorRole.ToolTipText).name()
        self.item.setHtml(f"<div style='color:{text}'>{'<br>'.join(lines)}</div>")
        self._place(month)
        self.crosshair.setPos(month)
        self.crosshair.show()
        self.item.show()

    def hide(self) -> None:
        """Hide the crosshair and read-out."""
        self.month = None
        self.crosshair.hide()
        self.item.hide()

    def refresh(self) -> None:
        """Show the same month again after the chart changed (new data, colours)."""
        if self.month is not None:
            self.show(self.month)

    def recolour(self, line: QColor, fill: QColor, frame: QColor) -> None:
        """Set the crosshair's colour and the text box's fill and frame."""
        self.crosshair.setPen(pg.mkPen(line, width=1, style=Qt.PenStyle.DashLine))
        self.item.fill = pg.mkBrush(fill)
        self.item.border = pg.mkPen(frame)
        self.refresh()

    def key_pressed(self, key: int) -> bool:
        """Left/Right, PgUp/PgDown, Home/End move by month, Escape hides; False if not used."""
        horizon = self._horizon()
        if horizon is None:
            return False
        if key in _KEY_MOVES:
            self.show(0 if self.month is None else self.month + _KEY_MOVES[Qt.Key(key)])
        elif key in (Qt.Key.Key_Home, Qt.Key.Key_End):
            self.show(0 if key == Qt.Key.Key_Home else horizon)
        elif key == Qt.Key.Key_Escape and self.month is not None:
            self.hide()
        else:
            return False
        return True

    def _rows(self, month: int) -> list[tuple[str, float, str]]:
        chart, comparison = self._chart, self._chart.comparison
        rows: list[tuple[str, float, str]] = [("", 0.0, "")]
        if comparison is None:
            return rows
        month = min(max(month, 0), comparison.series.months[-1])
        for key, label, values in drawn_series(comparison, chart.options, chart.view):
            rows.append((label, values[month], chart.colour(key).name()))
        return rows

    def _place(self, month: int) -> None:
        """Beside the crosshair, inside the plot, below the legend where they would overlap."""
        view_box, legend = self._chart.view_box, self._chart.legend
        box = view_box.sceneBoundingRect()
        size = self.item.textItem.boundingRect()
        x = view_box.mapViewToScene(QPointF(month, 0.0)).x()
        gap = 8.0
        left = x + gap if x + gap + size.width() <= box.right() else x - gap - size.width()
        left = max(left, box.left())
        top = box.top() + gap
        area = legend.sceneBoundingRect()
        if legend.isVisible() and left < area.right() and left + size.width() > area.left():
            top = area.bottom() + gap
        self.item.setAnchor((0.0, 0.0))
        self.item.setPos(view_box.mapSceneToView(QPointF(left, top)))

    def _on_mouse_moved(self, pos: QPointF) -> None:
        view_box = self._chart.view_box
        if self._chart.comparison is None or not view_box.sceneBoundingRect().contains(pos):
            self.hide()
            return
        self.show(round(view_box.mapSceneToView(pos).x()))
