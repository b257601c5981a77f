"""What one report shows: a build, its findings, its costs and a chart (no Qt here).

What is not given is worked out. The chart is PNG bytes from a renderer the caller gives
(the window's draws with Qt: :mod:`dlplanner.ui.printing`); a chart the report drew itself
may be drawn again shorter to save a page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, Self

from dlplanner.domain.build import Build
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.costs import CostComparison, compare_costs
from dlplanner.report.html import report_html
from dlplanner.rules.engine import Evaluation, evaluate

ChartRenderer = Callable[[CostComparison, float], bytes | None]
"""Draws the cost chart as PNG bytes at a share of its full height (None: no chart)."""


class ReportSource(Protocol):
    """What a report is made from: ``BuildDocument`` has these."""

    @property
    def build(self) -> Build:
        """The build."""

    @property
    def evaluation(self) -> Evaluation:
        """The build's findings."""

    @property
    def comparison(self) -> CostComparison:
        """The build's cost comparison (the document computes it once per change)."""

    catalog: Catalog


@dataclass
class ReportContents:
    """Everything one report shows: findings, costs and chart are computed when not given.

    ``render=None`` leaves the chart out (when ``chart_png`` is not given either). The
    renderer is called with the comparison and the chart's height (a share of the full
    height); a chart the report rendered itself may be redrawn shorter to save a page.
    The window's renderer draws with Qt: :class:`dlplanner.ui.printing.Report` uses it.
    """

    build: Build
    catalog: Catalog
    evaluation: Evaluation | None = None
    comparison: CostComparison | None = None
    chart_png: bytes | None = None
    render: ChartRenderer | None = None
    _shorter: dict[float, bytes | None] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        """Compute what was not given."""
        if self.evaluation is None:
            self.evaluation = evaluate(self.build, self.catalog)
        if self.comparison is None:
            self.comparison = compare_costs(self.build, self.catalog)
        if self.chart_png is None and self.render is not None:
            self.chart_png = self.render(self.comparison, 1.0)
        else:
            self.render = None  # a chart given from outside is never redrawn here

    @property
    def can_shorten_chart(self) -> bool:
        """Whether the report drew its chart and can draw it shorter."""
        return self.render is not None and self.chart_png is not None

    def chart(self, height: float = 1.0) -> bytes | None:
        """Return the chart's PNG at ``height`` (a share of the full height; drawn once each)."""
        if height == 1.0 or self.render is None or self.comparison is None:
            return self.chart_png
        if height not in self._shorter:
            self._shorter[height] = self.render(self.comparison, height)
        return self._shorter[height]

    @classmethod
    def of(
        cls, source: ReportContents | Build | ReportSource, catalog: Catalog | None = None
    ) -> Self:
        """Make a report of a build (with a catalog) or of a document (build, catalog, findings)."""
        if isinstance(source, cls):
            return source
        if isinstance(source, Build):
            if catalog is None:
                raise ValueError("a catalog is needed to report on a build")
            return cls(source, catalog)
        return cls(
            source.build,
            catalog or source.catalog,
            evaluation=source.evaluation,
            comparison=source.comparison,
        )

    def html(self, chart_width: int = 680, chart_height: float = 1.0) -> str:
        """Return the report as HTML, the chart embedded (``chart_height``: see :meth:`chart`)."""
        return report_html(
            self.build,
            self.catalog,
            evaluation=self.evaluation,
            comparison=self.comparison,
            chart=self.chart(chart_height),
            chart_width=chart_width,
        )
