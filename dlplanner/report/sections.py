"""The report's HTML sections: parts, upgrade plan, findings, owning versus renting, assumptions."""

from __future__ import annotations

from dlplanner.domain.build import Assumptions, Build, Site
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.costs import CostComparison
from dlplanner.domain.price_age import PART_IMPORT_HINT, STALE_MARK, dated_text, is_stale
from dlplanner.report.findings import NOT_CHECKED_HEX, finding_word
from dlplanner.report.format import usd
from dlplanner.report.markup import SEVERITY_HEX, esc, grid_table
from dlplanner.report.names import offer_name, plan_name, stage_when
from dlplanner.report.prices import unpriced_headline
from dlplanner.report.shopping import PRICES_NOTE, ShoppingList, StageList
from dlplanner.report.text import (
    SEVERITY_WORDS,
    assumption_rows,
    break_even_text,
    headline,
    renting_cheaper_text,
    verdict,
)
from dlplanner.rules.engine import Evaluation
from dlplanner.rules.finding import Finding, Status

# -- parts and plan -----------------------------------------------------------------------


def _parts_table(stage: StageList, total_label: str) -> str:
    rows = []
    for row in stage.rows:
        item = esc(row.item)
        if not row.known:
            item += ' <span class="small">(not in the catalog)</span>'
        if row.note:
            item += f'<br><span class="small">{esc(row.note)}</span>'
        if row.source_url:
            item += (
                f'<br><span class="small"><a href="{esc(row.source_url)}">'
                "price source (where to buy)</a></span>"
            )
        rows.append(
            (
                esc(row.kind_title),
                item,
                str(row.qty),
                usd(row.unit_price_usd),
                esc(dated_text(row.price_date) or row.date_text or "—"),
                esc(row.price_kind),
                usd(row.line_total_usd),
            )
        )
    table = grid_table(
        ("Type", "Brand and model", "Qty", "Unit price", "Price date", "Kind", "Line total"),
        rows,
        numeric=(2, 3, 6),
        widths=("13%", "", "5%", "12%", "12%", "8%", "13%"),
        total=("", total_label, "", "", "", "", usd(stage.total_usd)),
    )
    if any(is_stale(row.price_date) for row in stage.rows):
        table += (
            f'<p class="small">{STALE_MARK} These prices are older than six months: '
            f"{esc(PART_IMPORT_HINT)}.</p>"
        )
    unpriced = unpriced_headline(stage.unpriced_names)
    if unpriced:
        table += f'<p class="small">{esc(unpriced)}</p>'
    return table


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
            f'</p><p class="grand">Grand total: {usd(sl.grand_total_usd)}</p>'
        )
    rows, running = [], 0.0
    for stage in sl.stages:
        running += stage.total_usd
        count = sum(r.qty for r in stage.rows)
        rows.append(
            (
                str(stage.index),
                esc(_when(stage.month).capitalize()),
                esc(stage.label)
                + f' <span class="small">({count} item{"s" * (count != 1)})</span>',
                usd(stage.total_usd),
                usd(running),
            )
        )
    out = [
        "<h2>Upgrade plan</h2>",
        grid_table(
            ("Stage", "When", "What", "Spend", "Cumulative"),
            rows,
            numeric=(3, 4),
            widths=("8%", "12%", "", "15%", "15%"),
        ),
    ]
    later = sl.grand_total_usd - sl.now.total_usd
    out.append(
        f'<p class="grand">Grand total: {usd(sl.grand_total_usd)} '
        f'<span class="part">({usd(sl.now.total_usd)} now, {usd(later)} later)</span></p>'
    )
    for stage in sl.stages[1:]:
        out.append(f"<h3>Stage {stage.index}, month {stage.month}: {esc(stage.label)}</h3>")
        out.append(_parts_table(stage, f"Stage {stage.index} total"))
    return "\n".join(out)


# -- findings -----------------------------------------------------------------------------


def _severity_word(finding: Finding) -> str:
    word = finding_word(finding, SEVERITY_WORDS)
    unknown = finding.status is Status.UNKNOWN
    colour = NOT_CHECKED_HEX if unknown else SEVERITY_HEX[finding.severity]
    return f'<span style="color:{colour}; font-weight:bold">{esc(word)}</span>'


def findings_section(build: Build, catalog: Catalog, evaluation: Evaluation) -> str:
    """Return the findings, lettered worst first, with fixes and what was not checked."""
    out = ["<h2>Compatibility</h2>", f'<p class="lead">{esc(verdict(evaluation))}</p>']
    lettered = evaluation.lettered()
    if lettered:
        # One table per finding keeps each one whole on a page (QTextDocument would split
        # a row); the widths line the tables up as one.
        widths = ("4%", "11%", "", "11%")
        out.append(
            grid_table(("", "Severity", "Finding", "From"), (), widths=widths, css="grid rows")
        )
        for letter, finding in lettered:
            text = esc(finding.message)
            if finding.hint:
                text += f'<br><span class="small">How to fix: {esc(finding.hint)}</span>'
            names = [p.title if (p := catalog.get(pid)) else pid for pid in finding.parts]
            if names:
                text += f'<br><span class="small">Parts: {esc(", ".join(names))}</span>'
            row = (
                f"<b>{letter}</b>",
                _severity_word(finding),
                text,
                esc(stage_when(build, finding.stage)),
            )
            out.append(grid_table((), (row,), widths=widths, css="grid rows"))
        out.append('<p class="after-rows"></p>')
        if any(f.status is Status.UNKNOWN for f in evaluation.findings):
            out.append(
                '<p class="small"><i>Not checked</i> means the check could not be made because '
                "a spec it needs is missing from the catalog.</p>"
            )
    if evaluation.not_checked:
        out.append(
            '<p class="small"><b>Not checked:</b> ' + esc(" ".join(evaluation.not_checked)) + "</p>"
        )
    return "\n".join(out)


# -- costs --------------------------------------------------------------------------------


def costs_section(comparison: CostComparison, chart_src: str | None, chart_width: int) -> str:
    """Owning against renting: the headline, both tables, the chart and the notes."""
    a, own = comparison.assumptions, comparison.own
    out = ["<h2>Owning versus renting</h2>", f'<p class="lead">{esc(headline(comparison))}</p>']
    own_rows = [
        ("Value consumed (depreciation + electricity)", usd(own.value_usd)),
        ("Cash spent (purchases + electricity)", usd(own.cash_usd)),
        ("Purchases in the horizon", usd(own.purchase_usd)),
        ("Depreciation", usd(own.depreciation_usd)),
        ("Electricity", usd(own.electricity_usd)),
        ("Book value at the end", usd(own.book_value_usd)),
        ("Per GPU-hour", usd(own.usd_per_gpu_hour, 3)),
    ]
    if chart_src:
        out.append(
            f'<p class="chart" align="center"><img src="{esc(chart_src)}" width="{chart_width}" '
            'alt="Cumulative cost of owning and of each cloud option, month by month"></p>'
        )
    out.append(f"<h3>Owning for {a.months} months</h3>")
    out.append(grid_table(("", "Amount"), own_rows, numeric=(1,), widths=("", "30%"), width="62%"))
    if comparison.options:
        rows = [
            (
                esc(offer_name(o.choice.offer)),
                esc(plan_name(o)),
                usd(o.total_usd),
                "—" if o.ratio is None else f"{o.ratio:.2f}×",
                esc(break_even_text(o)),
                esc(renting_cheaper_text(o, own.value_usd)),
                usd(o.usd_per_gpu_hour, 3),
                esc(dated_text(o.choice.offer.price_date) or "undated"),
            )
            for o in comparison.options
        ]
        out.append(f"<h3>Renting for {a.months} months</h3>")
        out.append(
            grid_table(
                (
                    "Offer",
                    "Plan",
                    "Total",
                    "× owning",
                    "Break-even",
                    "Renting cheaper",
                    "Per GPU-h",
                    "Price date",
                ),
                rows,
                numeric=(2, 3, 4, 6),
                widths=("", "14%", "11%", "8%", "11%", "13%", "9%", "15%"),
            )
        )
        out.append(
            '<p class="small">× owning: the rental total over the value owning consumes. '
            "Break-even: when the rent paid reaches the cash spent on owning. Renting cheaper: "
            "the GPU utilizations at which renting costs less than owning.</p>"
        )
    if comparison.notes:
        notes = "".join(f"<li>{esc(n)}</li>" for n in comparison.notes)
        out.append(f'<p class="small"><b>Notes</b></p><ul class="small">{notes}</ul>')
    return "\n".join(out)


# -- assumptions --------------------------------------------------------------------------


def assumptions_section(a: Assumptions, site: Site) -> str:
    """Return the assumptions behind the numbers, two pairs a row."""
    pairs = assumption_rows(a, site)
    half = (len(pairs) + 1) // 2
    left, right = pairs[:half], pairs[half:]
    rows = []
    for i, (k, v) in enumerate(left):
        k2, v2 = right[i] if i < len(right) else ("", "")
        rows.append(
            f'<tr><td class="key" width="17%">{esc(k)}</td><td width="33%">{esc(v)}</td>'
            f'<td class="key" width="17%">{esc(k2)}</td><td width="33%">{esc(v2)}</td></tr>'
        )
    return (
        '<h2>Assumptions</h2>\n<table class="grid compact" width="100%" cellspacing="0" '
        'cellpadding="2">' + "".join(rows) + "</table>"
    )
