"""The cost chart widget: cumulative cost of owning against renting, with break-even markers.

Items are created once and fed with ``setData``; :mod:`dlplanner.ui.chart_png` draws the same
chart offscreen for the printed report, and :mod:`dlplanner.ui.chart_readout` adds its read-out.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFocusEvent, QKeyEvent, QPalette, QPen, QResizeEvent
from PySide6.QtWidgets import QWidget

from dlplanner.domain.costs import CloudOption, CostComparison
from dlplanner.report.cost_view import (
    OWN_CASH_KEY,
    OWN_CASH_LABEL,
    OWN_VALUE_KEY,
    OWN_VALUE_LABEL,
    ChartView,
    break_evens,
    checked_view,
    drawn_series,
    purchase_steps,
    shown_options,
    stagger_labels,
    stepped,
)
from dlplanner.report.names import option_label
from dlplanner.ui.chart_readout import ChartReadout
from dlplanner.ui.chart_style import (
    DARK_COLOURS,
    LIGHT_COLOURS,
    DollarAxisItem,
    MonthAxisItem,
    fit_money_ranges,
)


class CostChart(pg.PlotWidget):  # type: ignore[misc]  # pyqtgraph has no type hints
    """Cumulative cost by month: owning (value consumed, cash spent) against cloud options."""

    def __init__(self, parent: QWidget | None = None, *, dark: bool | None = None):
        super().__init__(
            parent,
            axisItems={"left": DollarAxisItem("left"), "bottom": MonthAxisItem("bottom")},
        )
        self._forced_dark = dark
        self._comparison: CostComparison | None = None
        self._options: tuple[CloudOption, ...] = ()
        self._view: ChartView = "both"
        self._legend_keys: tuple[tuple[str, str], ...] = ()
        self._legend_columns = 1
        self.setAccessibleName("Cost chart")
        self.setAccessibleDescription(
            "Cumulative cost by month of owning the build and of renting each cloud option"
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(320, 180)

        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.showGrid(x=True, y=True, alpha=0.18)
        item.setLabel("bottom", "Months after the first purchase")
        item.setLabel("left", "Cumulative cost")
        self.view_box = item.getViewBox()
        self.view_box.setMouseEnabled(x=False, y=False)
        self.view_box.setDefaultPadding(0.02)

        # The key sits below the plot, never over the curves it names.
        self.legend = pg.LegendItem(labelTextSize="9pt", verSpacing=-4, colCount=2)
        item.layout.addItem(self.legend, 4, 1)
        self.own_value_curve = _curve(OWN_VALUE_LABEL)
        self.own_cash_curve = _curve(OWN_CASH_LABEL)
        self._cloud_curves: list[pg.PlotCurveItem] = []
        for curve in (self.own_value_curve, self.own_cash_curve):
            self.view_box.addItem(curve)
        self.break_even_markers = pg.ScatterPlotItem(size=10, pxMode=True, antialias=True)
        self.break_even_markers.setZValue(20)
        self.view_box.addItem(self.break_even_markers)
        self._labels: list[pg.TextItem] = []
        self._label_keys: list[str] = []
        self._brushes: dict[str, QBrush] = {}
        self._marker_pen = QPen()
        self._label_fill = QBrush()

        self.readout = ChartReadout(self)
        self.view_box.sigResized.connect(self._set_ranges)
        self._relabel = QTimer(self)
        self._relabel.setSingleShot(True)
        self._relabel.setInterval(0)
        self._relabel.timeout.connect(self._update_markers)
        self._ready = True
        self._apply_colours()

    # -- public API --------------------------------------------------------------------------

    @property
    def view(self) -> ChartView:
        """Which own series are drawn: ``value``, ``cash`` or ``both``."""
        return self._view

    @property
    def comparison(self) -> CostComparison | None:
        """The comparison drawn last."""
        return self._comparison

    @property
    def options(self) -> tuple[CloudOption, ...]:
        """The cloud options drawn, in the order of their curves."""
        return self._options

    def set_view(self, view: ChartView) -> None:
        """Show owning's value consumed, cash spent, or both."""
        if self._comparison is not None:
            self.set_comparison(self._comparison, view)
        else:
            self._view = checked_view(view)

    def set_comparison(self, comparison: CostComparison, view: ChartView | None = None) -> None:
        """Draw a comparison (``view`` defaults to the current one)."""
        self._view = checked_view(view or self._view)
        self._comparison = comparison
        self._options = shown_options(comparison)
        series = comparison.series
        months = np.asarray(series.months, dtype=float)
        self.own_value_curve.setData(months, np.asarray(series.own_value, dtype=float))
        xs, ys = stepped(series.own_cash, purchase_steps(comparison))
        self.own_cash_curve.setData(np.asarray(xs), np.asarray(ys))
        self.own_value_curve.setVisible(self._view in ("value", "both"))
        self.own_cash_curve.setVisible(self._view in ("cash", "both"))

        while len(self._cloud_curves) < len(self._options):
            curve = _curve("")
            curve.setPen(self._cloud_pen(len(self._cloud_curves)))
            self._cloud_curves.append(curve)
            self.view_box.addItem(curve)
        for i, curve in enumerate(self._cloud_curves):
            if i < len(self._options):
                curve.setData(months, np.asarray(self._options[i].series, dtype=float))
                curve.opts["name"] = option_label(self._options[i])
                curve.show()
            elif curve.isVisible():
                curve.setData(np.empty(0), np.empty(0))
                curve.hide()
        self._update_markers()
        self._update_legend()
        self._set_ranges()
        self.readout.refresh()

    def curve(self, key: str) -> pg.PlotCurveItem:
        """Return the curve of an option key (:attr:`CloudOption.key`) or of an own series."""
        if key == OWN_VALUE_KEY:
            return self.own_value_curve
        if key == OWN_CASH_KEY:
            return self.own_cash_curve
        for option, curve in zip(self._options, self._cloud_curves, strict=False):
            if option.key == key:
                return curve
        raise KeyError(key)

    def cloud_curves(self) -> dict[str, pg.PlotCurveItem]:
        """Return the curves drawn for cloud options, by option key."""
        return {o.key: c for o, c in zip(self._options, self._cloud_curves, strict=False)}

    def break_even_labels(self) -> list[pg.TextItem]:
        """Return the visible break-even labels, in the order of :meth:`break_even_points`."""
        return [label for label in self._labels if label.isVisible()]

    def break_even_points(self) -> list[tuple[str, float, float]]:
        """Return each marker as (option key, month, dollars)."""
        return [(key, x, y) for _i, key, x, y in self._break_evens()]

    def _break_evens(self) -> list[tuple[int, str, float, float]]:
        return break_evens(self._options)

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

    def _cloud_pen(self, index: int) -> QPen:
        pen: QPen = pg.mkPen(self._cloud_colour(index), width=2)
        return pen

    # -- drawing -----------------------------------------------------------------------------

    def _horizon(self) -> float:
        if self._comparison is None:
            return 1.0
        return max(float(self._comparison.series.months[-1]), 1.0)

    def _set_ranges(self, *_args: object) -> None:
        """Show the whole horizon from $0 to the highest drawn value."""
        if self._comparison is None:
            return
        drawn = drawn_series(self._comparison, self._options, self._view)
        top = max((max(values, default=0.0) for _key, _label, values in drawn), default=0.0)
        fit_money_ranges(self.getPlotItem(), self.font(), max(top, 1.0), self._horizon())

    def _update_markers(self) -> None:
        points = self._break_evens()
        self._label_keys = [key for _i, key, _x, _y in points]
        self.break_even_markers.setData(
            x=[x for _i, _k, x, _y in points],
            y=[y for _i, _k, _x, y in points],
            data=self._label_keys,
            brush=[self._marker_brush(i) for i, _k, _x, _y in points],
            pen=self._marker_pen,
        )
        while len(self._labels) < len(points):
            label = pg.TextItem(anchor=(0.0, 1.0))
            label.setZValue(25)
            label.fill = self._label_fill
            self._labels.append(label)
            self.view_box.addItem(label, ignoreBounds=True)
        pixels = max(self.view_box.width(), 1.0)
        wide = self.fontMetrics().horizontalAdvance("00.0 mo") + 8
        below = stagger_labels([x for _i, _k, x, _y in points], wide * self._horizon() / pixels)
        for n, label in enumerate(self._labels):
            if n >= len(points) or below[n] is None:
                label.hide()
                continue
            index, _key, x, y = points[n]
            colour = self._cloud_colour(index)
            if label.color != colour:
                label.setColor(colour)
            anchor = (0.0, -0.1) if below[n] else (0.0, 1.1)
            if tuple(label.anchor) != anchor:
                label.setAnchor(anchor)
            label.setText(f"{x:.1f} mo")
            label.setToolTip(f"Break-even at month {x:.1f}")
            label.setPos(x, y)
            label.show()

    def _columns_for_width(self) -> int:
        """As many key columns as fit beside each other (about 230 px each), 1 to 3."""
        return max(1, min(3, int(self.width()) // 230))

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Re-flow the key below the plot, and re-place the break-even labels, on a resize."""
        super().resizeEvent(event)
        if not getattr(self, "_ready", False):
            return
        if self._columns_for_width() != self._legend_columns:
            self._update_legend(force=True)
        if self._labels:
            # label widths in months change with the plot's width; placed once the layout
            # has settled (a timer of the chart's own, so it dies with the chart)
            self._relabel.start()

    def _update_legend(self, force: bool = False) -> None:
        drawn = drawn_series(self._comparison, self._options, self._view)
        entries = [(label, self.curve(key)) for key, label, _values in drawn]
        keys = tuple((name, str(id(curve))) for name, curve in entries)
        if keys == self._legend_keys and not force:
            return
        self._legend_keys = keys
        self.legend.clear()
        self._legend_columns = self._columns_for_width()
        self.legend.setColumnCount(self._legend_columns)
        for name, curve in entries:
            self.legend.addItem(curve, name)

    def _marker_brush(self, index: int) -> QBrush:
        name = self._cloud_colour(index).name()
        if name not in self._brushes:
            self._brushes[name] = pg.mkBrush(name)
        return self._brushes[name]

    def _apply_colours(self) -> None:
        """Style everything for the current palette (at start and on a theme change only)."""
        dark = self.is_dark()
        pal = self.palette()
        background = pal.color(QPalette.ColorRole.Base)
        if self._forced_dark is not None:
            background = QColor("#252528" if dark else "#ffffff")
        foreground = QColor("#e6e6e6" if dark else "#202020")
        self.setBackground(background)
        item = self.getPlotItem()
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(foreground))
            axis.setTextPen(pg.mkPen(foreground))
        self.legend.setLabelTextColor(foreground)
        legend_fill = QColor(background)
        legend_fill.setAlpha(215)
        self.legend.setBrush(pg.mkBrush(legend_fill))
        frame = QColor(foreground)
        frame.setAlpha(60)
        self.legend.setPen(pg.mkPen(frame))

        own = self.colour(OWN_VALUE_KEY)
        self.own_value_curve.setPen(pg.mkPen(own, width=3))
        self.own_cash_curve.setPen(pg.mkPen(own, width=2.5, style=Qt.PenStyle.DashLine))
        for i, curve in enumerate(self._cloud_curves):
            curve.setPen(self._cloud_pen(i))
        self._brushes = {}
        self._marker_pen = pg.mkPen(background, width=1.5)
        label_fill = QColor(background)
        label_fill.setAlpha(200)
        self._label_fill = pg.mkBrush(label_fill)
        for label in self._labels:
            label.fill = self._label_fill
            label.setColor(foreground)  # the keyed colour follows in _update_markers
        if self._comparison is not None:
            self._update_markers()
            self._update_legend(force=True)
        hover = QColor(foreground)
        hover.setAlpha(140)
        tip = pal.color(QPalette.ColorRole.ToolTipBase)
        tip.setAlpha(235)
        self.readout.recolour(hover, tip, frame)
        self.update()

    # -- events ------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        """Follow the theme: recolour on a palette change."""
        super().changeEvent(event)
        if not self.__dict__.get("_ready") or self.getPlotItem() is None:
            return  # during construction, or after close()
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._apply_colours()

    def leaveEvent(self, event: QEvent) -> None:
        """Hide the read-out when the pointer leaves (unless the keyboard moves it)."""
        if not self.hasFocus():
            self.readout.hide()
        super().leaveEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        """Hide the read-out when focus leaves."""
        self.readout.hide()
        super().focusOutEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Left/Right, PgUp/PgDown, Home/End move the read-out by month; Escape hides it."""
        if self.readout.key_pressed(event.key()):
            event.accept()
        else:
            super().keyPressEvent(event)


def _curve(name: str) -> pg.PlotCurveItem:
    """Make a curve item (the series are finite: skip pyqtgraph's check)."""
    return pg.PlotCurveItem(name=name, antialias=True, skipFiniteCheck=True)
