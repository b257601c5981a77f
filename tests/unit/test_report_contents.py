"""What one report shows, worked out without Qt; its chart comes from a renderer given."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from dlplanner.domain.build import Build
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.costs import CostComparison, compare_costs
from dlplanner.io.buildfile import load_build
from dlplanner.io.catalog_files import load_catalog
from dlplanner.io.resources import example_builds
from dlplanner.report.contents import ReportContents
from dlplanner.rules.engine import Evaluation, evaluate


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(user_dirs=[]).catalog


@pytest.fixture(scope="module")
def article() -> Build:
    return load_build(next(p for p in example_builds() if p.name.startswith("article")))


def test_findings_and_costs_are_worked_out_and_the_chart_drawn_once_per_height(article, catalog):
    drawn: list[float] = []

    def render(comparison: CostComparison, height: float) -> bytes:
        drawn.append(height)
        return f"png {height}".encode()

    report = ReportContents(article, catalog, render=render)
    assert report.evaluation == evaluate(article, catalog)
    assert report.comparison is not None and report.chart_png == b"png 1.0"
    assert report.can_shorten_chart
    assert report.chart(0.7) == report.chart(0.7) == b"png 0.7" and drawn == [1.0, 0.7]
    assert "<html" in report.html(chart_height=0.7).lower()


def test_a_given_chart_is_never_redrawn_and_no_renderer_means_no_chart(article, catalog):
    given = ReportContents(article, catalog, chart_png=b"given", render=lambda c, h: b"drawn")
    assert not given.can_shorten_chart and given.chart(0.6) == b"given"
    bare = ReportContents(article, catalog)
    assert bare.chart_png is None and bare.chart(0.6) is None


@dataclass
class Source:
    build: Build
    catalog: Catalog
    evaluation: Evaluation
    comparison: CostComparison


def test_a_report_of_a_document_takes_its_findings_and_costs(article, catalog):
    source = Source(article, catalog, evaluate(article, catalog), compare_costs(article, catalog))
    report = ReportContents.of(source)
    assert report.evaluation is source.evaluation and report.comparison is source.comparison
    assert ReportContents.of(report) is report
    assert ReportContents.of(article, catalog).build is article
    with pytest.raises(ValueError, match="a catalog is needed"):
        ReportContents.of(article)
