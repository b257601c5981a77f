"""The printable report of a build as HTML, built from data (no Qt).

One HTML text serves the browser (the HTML export) and ``QTextDocument`` (print, preview,
PDF), so it keeps to what both understand: tables with ``cellpadding``, ``align``
attributes for numbers, class selectors, and no flexbox or floats. The chart comes in as
PNG bytes and is embedded as a ``data:`` URI, so an exported file stands alone.

This module gathers the data and puts the page together; the sections are in
:mod:`~dlplanner.report.sections`, their wording in :mod:`~dlplanner.report.text`, and
the stylesheet and tables in :mod:`~dlplanner.report.markup`.
"""

from __future__ import annotations

import datetime as dt
import os

from dlplanner import __version__
from dlplanner.domain.build import Build
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.costs import CostComparison, compare_costs
from dlplanner.io.atomic import atomic_write_text
from dlplanner.report.findings import counts_text
from dlplanner.report.format import date_text, usd
from dlplanner.report.markup import SEVERITY_HEX, STYLE, esc, png_data_uri
from dlplanner.report.names import offer_name, plan_name
from dlplanner.report.sections import (
    assumptions_section,
    costs_section,
    findings_section,
    parts_section,
    plan_section,
)
from dlplanner.report.shopping import ShoppingList, shopping_list
from dlplanner.report.text import SEVERITY_WORDS, break_even_text
from dlplanner.rules.engine import Evaluation, evaluate
from dlplanner.rules.text import plural

CHART_WIDTH = 680
"""Default width of the chart in CSS pixels (the text width of an A4 page at 96 dpi)."""


def _stages_text(sl: ShoppingList) -> str:
    later = len(sl.stages) - 1
    if not later:
        return "(no upgrades planned)"
    last = max(s.month for s in sl.stages)
    return f"(now and {later} upgrade{'s' * (later != 1)} by month {last})"


def _facts(sl: ShoppingList, evaluation: Evaluation, comparison: CostComparison) -> str:
    found = counts_text(evaluation, SEVERITY_WORDS)
    worst = evaluation.worst
    colour = SEVERITY_HEX[worst] if worst else "#1e8449"
    unpriced = sum(len(s.unpriced_names) for s in sl.stages)
    missing = (
        f' <span class="small">({plural(unpriced, "part")} without a price, not in the sum)</span>'
        if unpriced
        else ""
    )
    rows = [
        ("Buy now", f"<b>{usd(sl.now.total_usd)}</b>"),
        ("Whole plan", f"<b>{usd(sl.grand_total_usd)}</b> {_stages_text(sl)}{missing}"),
        (
            "Compatibility",
            f'<span style="color:{colour}; font-weight:bold">{esc(found or "no findings")}</span>',
        ),
    ]
    if comparison.options:
        first = comparison.options[0]
        rows.append(
            (
                "Against the cloud",
                f"pays for itself after <b>{esc(break_even_text(first))}</b> "
                f"({esc(offer_name(first.choice.offer))}, {esc(plan_name(first))})",
            )
        )
    body = "".join(f'<tr><td class="key" width="20%">{k}</td><td>{v}</td></tr>' for k, v in rows)
    return f'<table class="facts" width="100%" cellspacing="0" cellpadding="2">{body}</table>'


def report_html(
    build: Build,
    catalog: Catalog,
    *,
    evaluation: Evaluation | None = None,
    comparison: CostComparison | None = None,
    chart: bytes | str | None = None,
    chart_width: int = CHART_WIDTH,
    created: dt.date | None = None,
) -> str:
    """Return the whole report as one HTML page.

    Parameters
    ----------
    build, catalog
        What to report on; prices and titles come from the catalog.
    evaluation, comparison
        The findings and the cost comparison; computed when not given.
    chart
        The cost chart: PNG bytes (embedded as a ``data:`` URI) or an image URL.
    chart_width
        The chart's width in CSS pixels.
    created
        The date printed under the title (today by default).
    """
    evaluation = evaluation if evaluation is not None else evaluate(build, catalog)
    comparison = comparison if comparison is not None else compare_costs(build, catalog)
    sl = shopping_list(build, catalog)
    date = date_text(created or dt.date.today())
    src = png_data_uri(chart) if isinstance(chart, bytes) else chart
    notes = f'<p class="notes">{esc(build.notes)}</p>' if build.notes.strip() else ""
    body = [
        f"<h1>{esc(build.name)}</h1>",
        f'<p class="sub">Parts list, compatibility and cost comparison · {date} · '
        f"dlplanner {__version__}</p>",
        _facts(sl, evaluation, comparison),
        notes,
        parts_section(sl),
        plan_section(sl),
        findings_section(build, catalog, evaluation),
        costs_section(comparison, src, chart_width),
        assumptions_section(comparison.assumptions, build.site),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{esc(build.name)} — dlplanner report</title>\n"
        f"<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(b for b in body if b)
        + "\n</body>\n</html>\n"
    )


def write_report_html(
    build: Build,
    catalog: Catalog,
    path: str | os.PathLike[str],
    *,
    chart_png: bytes | None = None,
    evaluation: Evaluation | None = None,
    comparison: CostComparison | None = None,
) -> None:
    """Write the report as a standalone HTML file, atomically (the chart inside it)."""
    html = report_html(
        build, catalog, evaluation=evaluation, comparison=comparison, chart=chart_png
    )
    atomic_write_text(path, html)
