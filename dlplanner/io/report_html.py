"""The printable report of a build as HTML, built from data (no Qt).

One HTML text serves the browser (the HTML export) and ``QTextDocument`` (print, preview,
PDF), so it keeps to what both understand: tables with ``cellpadding``, ``align``
attributes for numbers, class selectors, and no flexbox or floats. The chart comes in as
PNG bytes and is embedded as a ``data:`` URI, so an exported file stands alone.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence
from html import escape

from dlplanner import __version__
from dlplanner.domain.build import Assumptions, Build, Site
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.costs import CloudOption, CostComparison, compare_costs
from dlplanner.io.atomic import atomic_write_text
from dlplanner.io.shopping import ShoppingList, ShoppingRow, StageList, money, shopping_list
from dlplanner.rules.engine import Evaluation, evaluate
from dlplanner.rules.finding import Finding, Severity, Status

CHART_WIDTH = 680
"""Default width of the chart in CSS pixels (the text width of an A4 page at 96 dpi)."""

SEVERITY_WORDS = {Severity.ERROR: "Problem", Severity.WARNING: "Warning", Severity.INFO: "Note"}
SEVERITY_HEX = {Severity.ERROR: "#c0392b", Severity.WARNING: "#b9660b", Severity.INFO: "#2471a3"}
"""Severity colours, a shade darker than on screen so they stay legible on paper."""

_TRAILING_PARENS = re.compile(r"\s*\(.*\)\s*$")

PLAN_WORDS = {
    "on-demand": "on demand",
    "reserved-1y": "1-year commitment",
    "reserved-3y": "3-year commitment",
    "spot": "spot",
}

STYLE = """
body { font-family: 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif; font-size: 9pt;
       color: #1f2328; }
h1 { font-size: 18pt; font-weight: bold; margin-top: 0; margin-bottom: 2px; color: #1a3d5c; }
h2 { font-size: 12.5pt; font-weight: bold; margin-top: 16px; margin-bottom: 6px;
     color: #1a3d5c; }
h3 { font-size: 10pt; font-weight: bold; margin-top: 10px; margin-bottom: 4px; }
p { margin-top: 0; margin-bottom: 6px; }
.sub { color: #57606a; font-size: 9pt; margin-bottom: 10px; }
.small { color: #57606a; font-size: 7.5pt; }
.lead { font-size: 10pt; margin-bottom: 8px; }
table.grid { border-collapse: collapse; margin-bottom: 6px; }
table.grid th { background-color: #e8eef4; color: #1a3d5c; font-weight: bold;
                font-size: 8pt; text-align: left; border-bottom: 1px solid #9fb3c8; }
table.grid td { font-size: 8.5pt; border-bottom: 1px solid #d8dee4; vertical-align: top; }
table.rows { margin-bottom: 0; margin-top: 0; }
.after-rows { margin-top: 0; margin-bottom: 2px; font-size: 2pt; }
table.grid tr.total td { font-weight: bold; border-bottom: 0; border-top: 1px solid #57606a; }
table.facts td { font-size: 9pt; vertical-align: top; }
td.key { color: #57606a; }
td.num, th.num { text-align: right; white-space: nowrap; }
.grand { font-size: 11pt; font-weight: bold; margin-top: 8px; }
.part { font-size: 9pt; font-weight: normal; color: #57606a; }
.chart { margin-top: 8px; margin-bottom: 4px; }
.notes { margin-top: 8px; }
img { max-width: 100%; height: auto; }
@media screen { body { max-width: 190mm; margin: 24px auto; padding: 0 16px; } }
@media print { h2, h3 { page-break-after: avoid; } tr { page-break-inside: avoid; } }
@page { margin: 15mm; }
"""


def png_data_uri(png: bytes) -> str:
    """Return a ``data:`` URI holding PNG bytes, for an ``<img src>`` that needs no file."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _table(
    head: Sequence[str],
    rows: Iterable[Sequence[str]],
    numeric: Iterable[int] = (),
    *,
    widths: Sequence[str] = (),
    total: Sequence[str] | None = None,
    width: str = "100%",
    css: str = "grid",
) -> str:
    """Make a grid table; ``numeric`` columns are right-aligned. Cells are HTML already."""
    num = set(numeric)

    def cell(tag: str, i: int, text: str) -> str:
        width = f' width="{widths[i]}"' if i < len(widths) and widths[i] else ""
        align = ' class="num" align="right"' if i in num else ""
        return f"<{tag}{align}{width}>{text}</{tag}>"

    out = [f'<table class="{css}" width="{width}" cellspacing="0" cellpadding="4">']
    if head:
        out.append("<thead><tr>")
        out.extend(cell("th", i, h) for i, h in enumerate(head))
        out.append("</tr></thead>")
    out.append("<tbody>")
    for row in rows:
        out.append("<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>")
    if total is not None:
        out.append('<tr class="total">')
        out.extend(cell("td", i, c) for i, c in enumerate(total))
        out.append("</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


# -- parts and plan -----------------------------------------------------------------------


def _price_date(row: ShoppingRow) -> str:
    if row.price_is_override:
        return "your price"
    return row.price_date.isoformat() if row.price_date else ""


def _parts_table(stage: StageList, total_label: str) -> str:
    rows = []
    for row in stage.rows:
        item = _e(row.item)
        if not row.known:
            item += ' <span class="small">(not in the catalog)</span>'
        if row.note:
            item += f'<br><span class="small">{_e(row.note)}</span>'
        rows.append(
            (
                _e(row.kind_title),
                item,
                str(row.qty),
                money(row.unit_price_usd),
                _e(_price_date(row)),
                money(row.line_total_usd),
            )
        )
    table = _table(
        ("Type", "Brand and model", "Qty", "Unit price", "Price date", "Line total"),
        rows,
        numeric=(2, 3, 5),
        widths=("14%", "", "6%", "13%", "13%", "14%"),
        total=("", total_label, "", "", "", money(stage.total_usd)),
    )
    if stage.unpriced:
        table += (
            f'<p class="small">{stage.unpriced} item(s) have no price in the catalog and are '
            "not in the total.</p>"
        )
    return table


PRICES_NOTE = "Prices are catalog prices as of the date shown, or the price you entered."


def _when(month: int) -> str:
    return "now" if month == 0 else f"month {month}"


def parts_section(sl: ShoppingList) -> str:
    """Return the parts to buy now, with their total."""
    return (
        "<h2>Parts to buy now</h2>\n"
        + _parts_table(sl.now, "Total now")
        + f'<p class="small">{PRICES_NOTE}</p>'
    )


def plan_section(sl: ShoppingList) -> str:
    """Return the upgrade plan: spend per stage, the grand total, what each stage buys."""
    if len(sl.stages) < 2:
        return (
            "<h2>Upgrade plan</h2>\n<p>No later purchases are planned. "
            f'</p><p class="grand">Grand total: {money(sl.grand_total_usd)}</p>'
        )
    rows, running = [], 0.0
    for stage in sl.stages:
        running += stage.total_usd
        count = sum(r.qty for r in stage.rows)
        rows.append(
            (
                str(stage.index),
                _e(_when(stage.month).capitalize()),
                _e(stage.label) + f' <span class="small">({count} item{"s" * (count != 1)})</span>',
                money(stage.total_usd),
                money(running),
            )
        )
    out = [
        "<h2>Upgrade plan</h2>",
        _table(
            ("Stage", "When", "What", "Spend", "Cumulative"),
            rows,
            numeric=(3, 4),
            widths=("8%", "12%", "", "15%", "15%"),
        ),
    ]
    later = sl.grand_total_usd - sl.now.total_usd
    out.append(
        f'<p class="grand">Grand total: {money(sl.grand_total_usd)} '
        f'<span class="part">({money(sl.now.total_usd)} now, {money(later)} later)</span></p>'
    )
    for stage in sl.stages[1:]:
        out.append(f"<h3>Stage {stage.index}, month {stage.month}: {_e(stage.label)}</h3>")
        out.append(_parts_table(stage, f"Stage {stage.index} total"))
    return "\n".join(out)


# -- findings -----------------------------------------------------------------------------


def verdict(evaluation: Evaluation) -> str:
    """Return a one-line verdict for the whole plan (PCPartPicker's wording)."""
    worst = evaluation.worst
    if worst is None:
        return "No issues or incompatibilities found."
    if worst is Severity.ERROR:
        return "These parts have potential incompatibilities. See the findings below."
    if worst is Severity.WARNING:
        return "These parts have potential issues. See the findings below."
    return "No problems; see the notes below."


def _stage_name(build: Build, stage: int) -> str:
    if stage == 0:
        return "now"
    if stage <= len(build.plan):
        return f"month {build.plan[stage - 1].month}"
    return f"stage {stage}"


def _severity_word(finding: Finding) -> str:
    word = SEVERITY_WORDS[finding.severity] + ("?" if finding.status is Status.UNKNOWN else "")
    colour = SEVERITY_HEX[finding.severity]
    return f'<span style="color:{colour}; font-weight:bold">{_e(word)}</span>'


def findings_section(build: Build, catalog: Catalog, evaluation: Evaluation) -> str:
    """Return the findings, lettered worst first, with fixes and what was not checked."""
    out = ["<h2>Compatibility</h2>", f'<p class="lead">{_e(verdict(evaluation))}</p>']
    lettered = evaluation.lettered()
    if lettered:
        # One table per finding keeps each one whole on a page (QTextDocument would split
        # a row); the widths line the tables up as one.
        widths = ("4%", "11%", "", "11%")
        out.append(_table(("", "Severity", "Finding", "From"), (), widths=widths, css="grid rows"))
        for letter, finding in lettered:
            text = _e(finding.message)
            if finding.hint:
                text += f'<br><span class="small">How to fix: {_e(finding.hint)}</span>'
            names = [p.title if (p := catalog.get(pid)) else pid for pid in finding.parts]
            if names:
                text += f'<br><span class="small">Parts: {_e(", ".join(names))}</span>'
            row = (
                f"<b>{letter}</b>",
                _severity_word(finding),
                text,
                _e(_stage_name(build, finding.stage)),
            )
            out.append(_table((), (row,), widths=widths, css="grid rows"))
        out.append('<p class="after-rows"></p>')
        if any(f.status is Status.UNKNOWN for f in evaluation.findings):
            out.append(
                '<p class="small">A question mark means the check could not be made because '
                "a spec it needs is missing from the catalog.</p>"
            )
    if evaluation.not_checked:
        out.append(
            '<p class="small"><b>Not checked:</b> ' + _e(" ".join(evaluation.not_checked)) + "</p>"
        )
    return "\n".join(out)


# -- costs --------------------------------------------------------------------------------


def offer_name(option: CloudOption) -> str:
    """Return the offer's name without its trailing details: ``AWS p3.2xlarge``."""
    name = option.choice.offer.name
    return _TRAILING_PARENS.sub("", name) or name


def plan_name(option: CloudOption) -> str:
    """Return the plan in words, with the equal-work basis when it applies."""
    words = PLAN_WORDS.get(option.plan, option.plan)
    return words + (", equal work" if option.basis == "equal-work" else "")


def break_even_text(option: CloudOption) -> str:
    """Return when owning has paid for itself against this option: ``1.4 months``."""
    months = option.break_even_months
    return "not in the horizon" if months is None else f"{months:.1f} months"


def renting_cheaper_text(option: CloudOption, own_value_usd: float) -> str:
    """Return where renting is cheaper: ``below 2.2 %``, ``never`` or ``always``."""
    u = option.break_even_utilization
    if u is None:
        return "never" if option.total_usd > own_value_usd else "always"
    side = "below" if option.renting_cheaper == "below" else "above"
    return f"{side} {u * 100:.1f} %"


def _usd(value: float) -> str:
    """Format computed dollars; a rounding residue never prints as ``$-0.00``."""
    return money(round(value, 2) + 0.0)


def _per_hour(value: float | None) -> str:
    return "—" if value is None else f"${value:,.3f}"


def headline(comparison: CostComparison) -> str:
    """Return the comparison in one sentence, against the first cloud option."""
    a, own = comparison.assumptions, comparison.own
    if not comparison.options:
        return (
            f"Owning consumes {money(own.value_usd)} of value over {a.months} months; "
            "there are no cloud offers to compare with."
        )
    first = comparison.options[0]
    ratio = "" if first.ratio is None else f", {first.ratio:.2f}× what owning consumes"
    months = first.break_even_months
    pays = (
        f"The build pays for itself after {months:.1f} months."
        if months is not None
        else f"The build does not pay for itself within {a.months} months."
    )
    return (
        f"Renting {offer_name(first)} ({plan_name(first)}) for {a.months} months at "
        f"{a.utilization:.0%} utilization would cost {money(first.total_usd)}{ratio}. {pays}"
    )


def costs_section(comparison: CostComparison, chart_src: str | None, chart_width: int) -> str:
    """Owning against renting: the headline, both tables, the chart and the notes."""
    a, own = comparison.assumptions, comparison.own
    out = ["<h2>Owning versus renting</h2>", f'<p class="lead">{_e(headline(comparison))}</p>']
    own_rows = [
        ("Value consumed (depreciation + electricity)", _usd(own.value_usd)),
        ("Cash spent (purchases + electricity)", _usd(own.cash_usd)),
        ("Purchases in the horizon", _usd(own.purchase_usd)),
        ("Depreciation", _usd(own.depreciation_usd)),
        ("Electricity", _usd(own.electricity_usd)),
        ("Book value at the end", _usd(own.book_value_usd)),
        ("Per GPU-hour", _per_hour(own.usd_per_gpu_hour)),
    ]
    if chart_src:
        out.append(
            f'<p class="chart" align="center"><img src="{_e(chart_src)}" width="{chart_width}" '
            'alt="Cumulative cost of owning and of each cloud option, month by month"></p>'
        )
    out.append(f"<h3>Owning for {a.months} months</h3>")
    out.append(_table(("", "Amount"), own_rows, numeric=(1,), widths=("", "30%"), width="62%"))
    if comparison.options:
        rows = [
            (
                _e(offer_name(o)),
                _e(plan_name(o)),
                money(o.total_usd),
                "—" if o.ratio is None else f"{o.ratio:.2f}×",
                _e(break_even_text(o)),
                _e(renting_cheaper_text(o, own.value_usd)),
                _per_hour(o.usd_per_gpu_hour),
            )
            for o in comparison.options
        ]
        out.append(f"<h3>Renting for {a.months} months</h3>")
        out.append(
            _table(
                (
                    "Offer",
                    "Plan",
                    "Total",
                    "× owning",
                    "Break-even",
                    "Renting cheaper",
                    "Per GPU-h",
                ),
                rows,
                numeric=(2, 3, 4, 6),
                widths=("", "19%", "13%", "9%", "13%", "15%", "10%"),
            )
        )
        out.append(
            '<p class="small">× owning: the rental total over the value owning consumes. '
            "Break-even: when the rent paid reaches the cash spent on owning. Renting cheaper: "
            "the GPU utilizations at which renting costs less than owning.</p>"
        )
    if comparison.notes:
        notes = "".join(f"<li>{_e(n)}</li>" for n in comparison.notes)
        out.append(f'<p class="small"><b>Notes</b></p><ul class="small">{notes}</ul>')
    return "\n".join(out)


def _pct(value: float) -> str:
    return f"{value * 100:.4g} %"


def _rate(value: float) -> str:
    """Format a unit price: cents when exact ($0.20), else four significant digits."""
    return f"${value:,.2f}" if round(value, 2) == value else f"${value:.4g}"


def assumption_rows(a: Assumptions, site: Site) -> list[tuple[str, str]]:
    """Return the cost assumptions and the site, as label and value."""
    if a.power_kw is not None:
        power = f"{a.power_kw:g} kW measured"
        if a.power_kw_per_extra_gpu:
            power += f", +{a.power_kw_per_extra_gpu:.3g} kW per extra GPU"
    else:
        power = f"from the parts' TDP × {a.load_factor:g}, plus {a.base_power_w:g} W for the rest"
    storage = f"{a.storage_gb:g} GB at {_rate(a.storage_usd_per_gb_month)} per GB-month"
    egress = f"{a.egress_gb_per_month:g} GB a month at {_rate(a.egress_usd_per_gb)} per GB"
    scaling = "instance scaled to n GPUs" if a.cloud_scaling == "instance" else "1-GPU instances"
    circuit = f"{site.volts:g} V, {site.breaker_amps:g} A breaker, "
    circuit += f"{_pct(site.continuous_factor)} continuous"
    return [
        ("Preset", a.preset or "none"),
        ("Horizon", f"{a.months} months"),
        ("Utilization", _pct(a.utilization)),
        ("Electricity", f"{_rate(a.electricity_usd_per_kwh)} per kWh"),
        ("Power while training", power),
        ("Power while idle", f"{a.idle_power_w:g} W"),
        ("Depreciation", f"{a.depreciation_years:g} years, {_pct(a.residual_fraction)} residual"),
        ("Sales tax", _pct(a.sales_tax)),
        ("Cloud storage", storage),
        ("Cloud egress", egress),
        ("Compared on", "equal hours" if a.normalize == "none" else f"equal {a.normalize} work"),
        ("Commitments", "whole term charged" if a.commitment_full_term else "charged by month"),
        ("Cloud scaling", scaling),
        ("Wall circuit", circuit),
        ("PSU headroom", f"× {site.psu_headroom:g}"),
    ]


def assumptions_section(a: Assumptions, site: Site) -> str:
    """Return the assumptions behind the numbers, two pairs a row."""
    pairs = assumption_rows(a, site)
    half = (len(pairs) + 1) // 2
    left, right = pairs[:half], pairs[half:]
    rows = []
    for i, (k, v) in enumerate(left):
        k2, v2 = right[i] if i < len(right) else ("", "")
        rows.append(
            f'<tr><td class="key" width="17%">{_e(k)}</td><td width="33%">{_e(v)}</td>'
            f'<td class="key" width="17%">{_e(k2)}</td><td width="33%">{_e(v2)}</td></tr>'
        )
    return (
        '<h2>Assumptions</h2>\n<table class="grid" width="100%" cellspacing="0" cellpadding="4">'
        + "".join(rows)
        + "</table>"
    )


# -- the whole report ---------------------------------------------------------------------


def _stages_text(sl: ShoppingList) -> str:
    later = len(sl.stages) - 1
    if not later:
        return "(no upgrades planned)"
    last = max(s.month for s in sl.stages)
    return f"(now and {later} upgrade{'s' * (later != 1)} by month {last})"


def _facts(sl: ShoppingList, evaluation: Evaluation, comparison: CostComparison) -> str:
    counts = evaluation.summary
    found = ", ".join(
        f"{n} {SEVERITY_WORDS[s].lower()}{'s' * (n != 1)}"
        for s in Severity
        if (n := counts.get(s.value, 0))
    )
    worst = evaluation.worst
    colour = SEVERITY_HEX[worst] if worst else "#1e8449"
    rows = [
        ("Buy now", f"<b>{money(sl.now.total_usd)}</b>"),
        ("Whole plan", f"<b>{money(sl.grand_total_usd)}</b> {_stages_text(sl)}"),
        (
            "Compatibility",
            f'<span style="color:{colour}; font-weight:bold">{_e(found or "no findings")}</span>',
        ),
    ]
    if comparison.options:
        first = comparison.options[0]
        rows.append(
            (
                "Against the cloud",
                f"pays for itself after <b>{_e(break_even_text(first))}</b> "
                f"({_e(offer_name(first))}, {_e(plan_name(first))})",
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
    date = (created or dt.date.today()).isoformat()
    src = png_data_uri(chart) if isinstance(chart, bytes) else chart
    notes = f'<p class="notes">{_e(build.notes)}</p>' if build.notes.strip() else ""
    body = [
        f"<h1>{_e(build.name)}</h1>",
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
        f"<title>{_e(build.name)} — dlplanner report</title>\n"
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
