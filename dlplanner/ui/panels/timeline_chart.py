"""The timeline chart: spend by stage, and power by stage against the PSU and the wall circuit."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from html import escape

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from dlplanner.domain.timeline import ChartSeries
from dlplanner.report.stages import stage_readout
from dlplanner.ui.chart_style import DollarAxisItem, MonthAxisItem


def step_xy(
    months: Sequence[float], values: Sequence[float], end: float
) -> tuple[np.ndarray, np.ndarray]:
    """Make the points of a step curve: a value holds to the next stage, the last to ``end``."""
    return np.array([*months, end], dtype=float), np.array([*values, *values[-1:]], dtype=float)


def _bar_width(months: Sequence[float]) -> float:
    gaps = [b - a for a, b in itertools.pairwise(months) if b > a]
    return max(0.3, min(1.2, 0.6 * min(gaps, default=3.0)))


def _key(colour: QColor, sample: str, text: str) -> str:
    opaque = QColor(colour)
    opaque.setAlpha(255)
    return (
        f"<span style='white-space:nowrap'><span style='color:{opaque.name()}'><b>{sample}</b>"
        f"</span>&nbsp;{escape(text)}</span> &nbsp; "
    )


class TimelineChart(QWidget):
    """Two plots on a month axis; items are made once and updated with ``setData``."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.series: ChartSeries | None = None
        self.view = pg.GraphicsLayoutWidget(self)
        self.view.setAccessibleName("Spend and power by stage")
        self.view.setToolTip(
            "Left: what each stage costs (bars) and the running total (line).\n"
            "Right: estimated draw under load against the power supply's rating and the "
            "wall circuit's continuous limit."
        )
        self.view.setMinimumHeight(150)
        self.spend_plot: pg.PlotItem = self.view.addPlot(
            row=0, col=0, axisItems={"left": DollarAxisItem(), "bottom": MonthAxisItem()}
        )
        self.power_plot: pg.PlotItem = self.view.addPlot(
            row=0, col=1, axisItems={"bottom": MonthAxisItem()}
        )
        for plot, unit in ((self.spend_plot, "Spent"), (self.power_plot, "Watts")):
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.showGrid(x=False, y=True, alpha=0.25)
            plot.setLabel("bottom", "Month")
            plot.setLabel("left", unit)
            plot.getAxis("left").enableAutoSIPrefix(False)
            plot.getAxis("left").setWidth(self.fontMetrics().horizontalAdvance("$00,000") + 28)

        self.spend_bars = pg.BarGraphItem(x=[0.0], height=[0.0], width=1.0)
        self.cumulative_curve = pg.PlotDataItem(stepMode="right")
        self.spend_plot.addItem(self.spend_bars)
        self.spend_plot.addItem(self.cumulative_curve)

        self.power_curve = pg.PlotDataItem(stepMode="right")
        self.wall_curve = pg.PlotDataItem(stepMode="right")
        self.psu_curve = pg.PlotDataItem(stepMode="right")
        self.circuit_line = pg.InfiniteLine(angle=0, movable=False)
        self.circuit_label = pg.InfLineLabel(
            self.circuit_line, "", position=0.02, anchors=[(0, 0), (0, 0)]
        )
        for item in (self.psu_curve, self.power_curve, self.wall_curve):
            self.power_plot.addItem(item)
        self.power_plot.addItem(self.circuit_line, ignoreBounds=True)

        self.cursors = [pg.InfiniteLine(angle=90, movable=False) for _ in range(2)]
        self.spend_plot.addItem(self.cursors[0], ignoreBounds=True)
        self.power_plot.addItem(self.cursors[1], ignoreBounds=True)

        # Keys as text under each plot: a line of labels takes less height than legend items.
        self.spend_key = QLabel(self)
        self.spend_key.setAccessibleName("Key to the spend plot")
        self.power_key = QLabel(self)
        self.power_key.setAccessibleName("Key to the power plot")
        keys = QHBoxLayout()
        keys.setContentsMargins(8, 0, 8, 0)
        for key in (self.spend_key, self.power_key):
            key.setWordWrap(True)
            keys.addWidget(key, 1)

        self.readout = QLabel(self)
        self.readout.setAccessibleName("Selected stage on the chart")
        self.readout.setWordWrap(True)
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addLayout(keys)
        layout.addWidget(self.readout)
        self._apply_colours()
        self.set_cursor(None)

    # -- data ------------------------------------------------------------------------------

    def set_series(self, series: ChartSeries) -> None:
        """Redraw from new per-stage numbers."""
        self.series = series
        months = list(series.months)
        self.spend_bars.setOpts(x=months, height=list(series.spend_usd), width=_bar_width(months))
        end = series.end_month
        self.cumulative_curve.setData(*step_xy(months, series.cumulative_usd, end))
        self.power_curve.setData(*step_xy(months, series.power_w, end))
        self.wall_curve.setData(*step_xy(months, series.wall_w, end))
        self.psu_curve.setData(*step_xy(months, series.psu_w, end), connect="finite")
        self.circuit_line.setValue(series.circuit_w)
        self.circuit_label.setFormat(f"Circuit limit {series.circuit_w:,.0f} W")
        left = -min(0.95, _bar_width(months) / 2 + 0.3)  # room for the first bar, no month -1
        for plot in (self.spend_plot, self.power_plot):
            plot.setXRange(left, end + 0.3, padding=0)
        top_spend = max([*series.spend_usd, *series.cumulative_usd, 1.0])
        self.spend_plot.setYRange(0, top_spend * 1.08, padding=0)
        psu = [p for p in series.psu_w if not np.isnan(p)]
        top_power = max([*series.power_w, *series.wall_w, *psu, series.circuit_w, 1.0])
        self.power_plot.setYRange(0, top_power * 1.1, padding=0)

    def set_cursor(self, stage: int | None) -> None:
        """Mark one stage on both plots and describe it below (None: a hint instead)."""
        series = self.series
        if series is None or stage is None or not 0 <= stage < len(series.months):
            for line in self.cursors:
                line.hide()
            self.readout.setText("<small>Select a stage to see its numbers here.</small>")
            return
        for line in self.cursors:
            line.setValue(series.months[stage])
            line.show()
        self.readout.setText(stage_readout(series, stage))

    # -- colours ---------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        """Follow light and dark palettes."""
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_colours()
        super().changeEvent(event)

    def _apply_colours(self) -> None:
        pal = self.palette()
        dark = pal.color(QPalette.ColorRole.Window).lightness() < 128
        text = pal.color(QPalette.ColorRole.WindowText)
        self.view.setBackground(pal.color(QPalette.ColorRole.Base))
        blue = QColor("#5dade2" if dark else "#2471a3")
        orange = QColor("#f5b041" if dark else "#ca6f1e")
        red = QColor("#ec7063" if dark else "#c0392b")
        purple = QColor("#bb8fce" if dark else "#7d3c98")
        bar = QColor(blue)
        bar.setAlpha(150 if dark else 110)
        for plot in (self.spend_plot, self.power_plot):
            for name in ("left", "bottom"):
                axis = plot.getAxis(name)
                axis.setPen(pg.mkPen(text))
                axis.setTextPen(pg.mkPen(text))
        self.spend_bars.setOpts(brush=pg.mkBrush(bar), pen=pg.mkPen(blue))
        self.cumulative_curve.setPen(pg.mkPen(blue, width=2))
        self.power_curve.setPen(pg.mkPen(orange, width=2))
        self.wall_curve.setPen(pg.mkPen(orange, width=2, style=Qt.PenStyle.DashLine))
        self.psu_curve.setPen(pg.mkPen(red, width=2, style=Qt.PenStyle.DashDotLine))
        self.circuit_line.setPen(pg.mkPen(purple, width=2, style=Qt.PenStyle.DotLine))
        self.circuit_label.setColor(purple)
        self.spend_key.setText(
            "<b>Spend</b> &nbsp;"
            + _key(bar, "▆▆", "at the stage")
            + _key(blue, "━━", "total spent")
        )
        self.power_key.setText(
            "<b>Power</b> &nbsp;"
            + _key(orange, "━━", "draw (DC, est.)")
            + _key(orange, "╺╸╺╸", "at the wall (est.)")
            + _key(red, "━·━", "PSU rating")
            + _key(purple, "┈┈┈", "circuit limit")
        )
        cursor = QColor(text)
        cursor.setAlpha(90)
        for line in self.cursors:
            line.setPen(pg.mkPen(cursor, width=1, style=Qt.PenStyle.DashLine))
