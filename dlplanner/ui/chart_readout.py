"""The cost chart's colours and read-out: a crosshair and every series at a month."""

from __future__ import annotations

from html import escape

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor, QFocusEvent, QKeyEvent, QPalette

from dlplanner.domain.costs import CloudOption, CostComparison
from dlplanner.report.format import usd
from dlplanner.report.names import option_label
from dlplanner.ui.chart_style import DARK_COLOURS, LIGHT_COLOURS
from dlplanner.ui.cost_view import (
    OWN_CASH_KEY,
    OWN_CASH_LABEL,
    OWN_VALUE_KEY,
    OWN_VALUE_LABEL,
    ChartView,
)


class ReadoutPlotWidget(pg.PlotWidget):  # type: ignore[misc]  # pyqtgraph has no type hints
    """The base of :class:`~dlplanner.ui.charts.CostChart`: its colours, and its read-out."""

    # CostChart creates these and keeps them current; the read-out only reads them.
    view_box: pg.ViewBox
    legend: pg.LegendItem
    crosshair: pg.InfiniteLine
    readout: pg.TextItem
    _comparison: CostComparison | None
    _options: tuple[CloudOption, ...]
    _view: ChartView
    _readout_month: int | None
    _forced_dark: bool | None

    def colour(self, key: str) -> QColor:
        """Return the colour a series is drawn in (an option key, or an own series key)."""
        if key in (OWN_VALUE_KEY, OWN_CASH_KEY):
            return QColor((DARK_COLOURS if self.is_dark() else LIGHT_COLOURS)["own"])
        keys = [o.key for o in self._options]
        return self._cloud_colour(keys.index(key) if key in keys else 0)

    def _cloud_colour(self, index: int) -> QColor:
        cloud = (DARK_COLOURS if self.is_dark() else LIGHT_COLOURS)["cloud"]
        return QColor(cloud[index % len(cloud)])

    def is_dark(self) -> bool:
        """Whether the chart uses its dark-background colours."""
        if self._forced_dark is not None:
            return self._forced_dark
        return bool(self.palette().color(QPalette.ColorRole.Window).lightness() < 128)

    def readout_text(self, month: int) -> str:
        """Return every drawn series at one month, as plain text lines."""
        return "\n".join(
            f"{name}: {usd(amount, 0)}" if name else f"Month {month}"
            for name, amount, _colour in self._readout_rows(month)
        )

    def show_readout(self, month: int) -> None:
        """Show the crosshair and the values at a month."""
        if self._comparison is None:
            return
        horizon = self._comparison.series.months[-1]
        month = min(max(int(month), 0), horizon)
        self._readout_month = month
        rows = self._readout_rows(month)
        lines = [f"<b>Month {month}</b>"]
        for name, amount, colour in rows[1:]:
            lines.append(
                f"<span style='color:{colour}'>&#9632;</span> {escape(name)}: "
                f"<b>{usd(amount, 0)}</b>"
            )
        text = self.palette().color(QPalette.ColorRole.ToolTipText).name()
        self.readout.setHtml(f"<div style='color:{text}'>{'<br>'.join(lines)}</div>")
        self._place_readout(month)
        self.crosshair.setPos(month)
        self.crosshair.show()
        self.readout.show()

    def _place_readout(self, month: int) -> None:
        """Beside the crosshair, inside the plot, below the legend where they would overlap."""
        box = self.view_box.sceneBoundingRect()
        size = self.readout.textItem.boundingRect()
        x = self.view_box.mapViewToScene(QPointF(month, 0.0)).x()
        gap = 8.0
        left = x + gap if x + gap + size.width() <= box.right() else x - gap - size.width()
        left = max(left, box.left())
        top = box.top() + gap
        legend = self.legend.sceneBoundingRect()
        if (
            self.legend.isVisible()
            and left < legend.right()
            and left + size.width() > legend.left()
        ):
            top = legend.bottom() + gap
        self.readout.setAnchor((0.0, 0.0))
        self.readout.setPos(self.view_box.mapSceneToView(QPointF(left, top)))

    def hide_readout(self) -> None:
        """Hide the crosshair and read-out."""
        self._readout_month = None
        self.crosshair.hide()
        self.readout.hide()

    @property
    def readout_month(self) -> int | None:
        """The month the read-out shows, or None when hidden."""
        return self._readout_month

    # -- drawing -----------------------------------------------------------------------------

    def _readout_rows(self, month: int) -> list[tuple[str, float, str]]:
        comparison = self._comparison
        rows: list[tuple[str, float, str]] = [("", 0.0, "")]
        if comparison is None:
            return rows
        month = min(max(month, 0), comparison.series.months[-1])
        if self._view in ("value", "both"):
            rows.append(
                (OWN_VALUE_LABEL, comparison.series.own_value[month], self._hex(OWN_VALUE_KEY))
            )
        if self._view in ("cash", "both"):
            rows.append(
                (OWN_CASH_LABEL, comparison.series.own_cash[month], self._hex(OWN_CASH_KEY))
            )
        for option in self._options:
            rows.append((option_label(option), option.series[month], self._hex(option.key)))
        return rows

    def _hex(self, key: str) -> str:
        return self.colour(key).name()

    # -- events ------------------------------------------------------------------------------

    def _on_mouse_moved(self, pos: QPointF) -> None:
        if self._comparison is None or not self.view_box.sceneBoundingRect().contains(pos):
            self.hide_readout()
            return
        month = self.view_box.mapSceneToView(pos).x()
        self.show_readout(round(month))

    def leaveEvent(self, event: QEvent) -> None:
        """Hide the read-out when the pointer leaves (unless the keyboard moves it)."""
        if not self.hasFocus():
            self.hide_readout()
        super().leaveEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        """Hide the read-out when focus leaves."""
        self.hide_readout()
        super().focusOutEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Left/Right, Home/End move the read-out by month; Escape hides it."""
        if self._comparison is None:
            super().keyPressEvent(event)
            return
        horizon = self._comparison.series.months[-1]
        current = self._readout_month
        key = event.key()
        moves = {
            Qt.Key.Key_Left: -1,
            Qt.Key.Key_Right: 1,
            Qt.Key.Key_PageUp: -12,
            Qt.Key.Key_PageDown: 12,
        }
        if key in moves:
            start = 0 if current is None else current + moves[Qt.Key(key)]
            self.show_readout(min(max(start, 0), horizon))
        elif key == Qt.Key.Key_Home:
            self.show_readout(0)
        elif key == Qt.Key.Key_End:
            self.show_readout(horizon)
        elif key == Qt.Key.Key_Escape and current is not None:
            self.hide_readout()
        else:
            super().keyPressEvent(event)
            return
        event.accept()
