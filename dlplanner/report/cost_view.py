"""What the cost chart and table show, as plain data: labels, shown options, purchase steps, rows.

No Qt here: these are pure functions of a :class:`CostComparison`, tested without widgets.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Literal

from dlplanner.domain.costs import CloudOption, CostComparison
from dlplanner.domain.price_age import CLOUD_IMPORT_HINT, dated_short, dated_text, is_stale
from dlplanner.report.format import usd
from dlplanner.report.names import option_label
from dlplanner.report.prices import unpriced_headline
from dlplanner.report.text import NO_GPUS, cost_sentence

ChartView = Literal["value", "cash", "both"]
CHART_VIEWS: tuple[ChartView, ...] = ("value", "cash", "both")

OWN_VALUE_KEY = "own:value"
OWN_CASH_KEY = "own:cash"
"""Series keys of owning's two views (cloud options use :attr:`CloudOption.key`)."""
OWN_VALUE_LABEL = "Own: value consumed"
OWN_CASH_LABEL = "Own: cash spent"

_MIN_STEP_USD = 0.005

MAX_NOTES = 3
"""Notes shown under the cost chart before "and N more"."""


def shown_options(comparison: CostComparison) -> tuple[CloudOption, ...]:
    """Return the options to draw: for equal work, each choice's equal-work one if known."""
    if comparison.assumptions.normalize == "none":
        return comparison.options
    work = {o.choice.key for o in comparison.options if o.basis == "equal-work"}
    return tuple(
        o
        for o in comparison.options
        if o.basis == "equal-work" or (o.basis == "equal-hours" and o.choice.key not in work)
    )


def purchase_steps(comparison: CostComparison) -> tuple[float, ...]:
    """Return what owning buys at each month boundary (tax included), from the two own series.

    Cash spent and value consumed differ only by purchases and depreciation, and depreciation
    is straight-line over ``depreciation_years`` from the month of purchase (see
    :mod:`dlplanner.domain.costs`), so the purchases can be recovered month by month.
    """
    a = comparison.assumptions
    value, cash = comparison.series.own_value, comparison.series.own_cash
    months = len(value) - 1
    life = 12.0 * a.depreciation_years
    kept = 1.0 - a.residual_fraction
    steps = [0.0] * (months + 1)
    steps[0] = max(cash[0], 0.0)
    depreciation = [0.0] * months
    for t in range(months):
        if steps[t] > 0:
            per_month = steps[t] * kept / life
            for j in range(min(math.ceil(life), months - t)):
                depreciation[t + j] += per_month * (min(j + 1.0, life) - j)
        if t + 1 < months:
            gap = (cash[t + 1] - cash[t]) - (value[t + 1] - value[t])
            step = gap + depreciation[t]
            steps[t + 1] = step if step > _MIN_STEP_USD else 0.0
    return tuple(steps)


def stepped(values: Sequence[float], steps: Sequence[float]) -> tuple[list[float], list[float]]:
    """X and y of a cumulative series drawn with a vertical jump at each purchase."""
    xs: list[float] = []
    ys: list[float] = []
    for month, total in enumerate(values):
        lump = steps[month] if month < len(steps) else 0.0
        if lump > _MIN_STEP_USD:
            xs.append(float(month))
            ys.append(total - lump)
        xs.append(float(month))
        ys.append(total)
    return xs, ys


def value_at(values: Sequence[float], month: float) -> float:
    """Return a cumulative series at a fractional month, linear between month boundaries."""
    if not values:
        return 0.0
    month = min(max(month, 0.0), len(values) - 1.0)
    low = math.floor(month)
    high = min(low + 1, len(values) - 1)
    share = month - low
    return values[low] + (values[high] - values[low]) * share


def drawn_series(
    comparison: CostComparison | None, options: Sequence[CloudOption], view: ChartView
) -> list[tuple[str, str, Sequence[float]]]:
    """Return what the chart draws, in the order of its key: (series key, label, dollars).

    Owning's value consumed and cash spent as ``view`` asks, then each option drawn. The
    dollars are cumulative by month (empty for owning while there is no comparison).
    """
    series = comparison.series if comparison is not None else None
    drawn: list[tuple[str, str, Sequence[float]]] = []
    if view in ("value", "both"):
        drawn.append((OWN_VALUE_KEY, OWN_VALUE_LABEL, series.own_value if series else ()))
    if view in ("cash", "both"):
        drawn.append((OWN_CASH_KEY, OWN_CASH_LABEL, series.own_cash if series else ()))
    drawn.extend((o.key, option_label(o), o.series) for o in options)
    return drawn


def break_evens(options: Sequence[CloudOption]) -> list[tuple[int, str, float, float]]:
    """Return each option's break-even point: (its index, key, month, dollars there)."""
    return [
        (i, o.key, o.break_even_months, value_at(o.series, o.break_even_months))
        for i, o in enumerate(options)
        if o.break_even_months is not None
    ]


def stagger_labels(xs: list[float], width: float) -> list[bool | None]:
    """Place each label above (False) or below (True) its marker so none overlap.

    ``width`` is a label's width in x units. A label goes above when the last label above
    ends before it, else below when the last one below does, else it is not shown (None):
    the marker and its tooltip still tell the month.
    """
    placed: list[bool | None] = [None] * len(xs)
    ends = {False: -float("inf"), True: -float("inf")}
    for i in sorted(range(len(xs)), key=lambda i: xs[i]):
        for level in (False, True):
            if xs[i] >= ends[level]:
                placed[i] = level
                ends[level] = xs[i] + width
                break
    return placed


def checked_view(view: str) -> ChartView:
    """Return ``view`` as a chart view; a ValueError names the known ones."""
    for known in CHART_VIEWS:
        if view == known:
            return known
    raise ValueError(f"unknown chart view {view!r} (known: {', '.join(CHART_VIEWS)})")


def break_even_text(option: CloudOption, months: int) -> str:
    """Return ``1.4`` (the month), or ``> 12`` when it is not within the horizon."""
    if option.break_even_months is None:
        return f"> {months}"
    return f"{option.break_even_months:.1f}"


HEADERS = (
    "Series",
    "Total",
    "Times\nowning",
    "Break-even\nmonth",
    "Break-even\nutilization",
    "$ per\nGPU-hour",
    "$ per\nV100-hour",
    "Price\ndate",
)
HEADER_TIPS = (
    "Owning the build, and each cloud offer under each plan",
    "Cumulative cost over the horizon",
    "The cloud total divided by owning's value consumed (depreciation + electricity)",
    "When renting has cost as much as buying has (cash spent): month from the first purchase",
    "The utilization at which renting and owning (value consumed) cost the same",
    "Cost per hour of one GPU training",
    "Cost per hour of V100-equivalent work (the GPUs' relative throughput)",
    "The day the offer's price was read, and its age; ⚠ marks one older than six months",
)


@dataclass(frozen=True, slots=True)
class CostRow:
    """One row of the table: its series key, cells and their tooltips."""

    key: str
    cells: tuple[str, ...]
    tips: tuple[str, ...]
    dashed: bool = False
    stale: bool = False
    """The price is older than six months (its date cell is drawn in the warning colour)."""


def _use_cells(option: CloudOption) -> tuple[str, str]:
    u = option.break_even_utilization
    if u is None:
        return "—", "No utilization from 0 to 100 % makes renting and owning cost the same"
    cheaper = "renting" if option.renting_cheaper == "below" else "owning"
    dearer = "owning" if cheaper == "renting" else "renting"
    return f"{u:.1%}", f"Below {u:.1%} utilization {cheaper} is cheaper; above it, {dearer} is"


def option_row(option: CloudOption, months: int, today: dt.date | None = None) -> CostRow:
    """Return the table row of a cloud option."""
    use, use_tip = _use_cells(option)
    offer = option.choice.offer
    ratio = "—" if option.ratio is None else f"{option.ratio:.2f}×"
    parts = [f"compute {usd(option.compute_usd, 0)}"]
    if option.storage_usd:
        parts.append(f"storage {usd(option.storage_usd, 0)}")
    if option.egress_usd:
        parts.append(f"egress {usd(option.egress_usd, 0)}")
    cells = (
        option_label(option),
        usd(option.total_usd, 0),
        ratio,
        break_even_text(option, months),
        use,
        usd(option.usd_per_gpu_hour, 3),
        usd(option.usd_per_v100_hour, 3),
        dated_short(offer.price_date, today) or "undated",
    )
    stale = is_stale(offer.price_date, today)
    when = dated_text(offer.price_date, today) or "Undated"
    tips = (
        f"{offer.title} ({offer.id})",
        " + ".join(parts),
        "Renting over owning (value consumed)",
        (
            f"Not within the {months}-month horizon: renting has cost less than buying "
            "(cash spent) all along"
            if option.break_even_months is None
            else f"Renting has cost as much as buying (cash spent) "
            f"{option.break_even_months:.1f} months after the first purchase"
        ),
        use_tip,
        f"{option.gpu_hours:,.0f} GPU-hours",
        "Dollars per hour of V100-equivalent work",
        (
            f"{when}: older than six months; {CLOUD_IMPORT_HINT}"
            if stale
            else f"{when}; source {offer.price_source or 'not given'}"
        ),
    )
    return CostRow(option.key, cells, tips, stale=stale)


def cost_rows(comparison: CostComparison, options: Sequence[CloudOption]) -> list[CostRow]:
    """Return the rows: owning's value consumed and cash spent, then each option."""
    own = comparison.own
    months = comparison.assumptions.months
    rows = [
        CostRow(
            OWN_VALUE_KEY,
            (
                OWN_VALUE_LABEL,
                usd(own.value_usd, 0),
                "1.00×" if own.value_usd > 0 else "—",
                "",
                "",
                usd(own.usd_per_gpu_hour, 3),
                usd(own.usd_per_v100_hour, 3),
                "",
            ),
            (
                "What owning uses up: depreciation plus electricity",
                f"depreciation {usd(own.depreciation_usd, 0)} + electricity "
                f"{usd(own.electricity_usd, 0)}",
                "",
                "",
                "",
                f"{own.gpu_hours:,.0f} GPU-hours",
                "",
                "Part prices and their ages are in the parts list",
            ),
        ),
        CostRow(
            OWN_CASH_KEY,
            (OWN_CASH_LABEL, usd(own.cash_usd, 0), "", "", "", "", "", ""),
            (
                "What owning pays out: purchases plus electricity",
                f"purchases {usd(own.purchase_usd, 0)} + electricity "
                f"{usd(own.electricity_usd, 0)}; "
                f"still worth {usd(own.book_value_usd, 0)} at the horizon",
                "",
                "",
                "",
                "",
                "",
                "",
            ),
            dashed=True,
        ),
    ]
    rows.extend(option_row(option, months) for option in options)
    return rows


def headline_html(comparison: CostComparison, options: Sequence[CloudOption]) -> str:
    """Return the cost tab's answer: the sentence for the first drawn option, then the figures.

    ``options`` are the options drawn (:func:`shown_options`). The cheapest one to rent is
    named when there are several; the default 100 % utilization is pointed out.
    """
    a, own = comparison.assumptions, comparison.own
    hours = [o for o in options if o.basis == "equal-hours"]
    if comparison.no_gpus:
        answer = escape(NO_GPUS)
    elif hours:
        answer = f"<b>{escape(cost_sentence(comparison, hours[0]))}</b>"
    else:
        answer = "No cloud offer to compare: tick one under Cloud offers."
    unpriced = unpriced_headline(comparison.unpriced)
    if unpriced:
        answer += f"<br><b>{escape(unpriced)}</b>"
    lines = [
        f"<small>Owning uses up {usd(own.value_usd, 0)} over {a.months} months "
        f"(cash spent {usd(own.cash_usd, 0)})."
    ]
    if len(hours) > 1:
        best = min(hours, key=lambda o: o.total_usd)
        ratio = f" ({best.ratio:.1f}× owning)" if best.ratio else ""
        lines.append(
            f"Cheapest to rent: {escape(option_label(best))}, {usd(best.total_usd, 0)}{ratio}."
        )
    if a.utilization == 1.0 and not a.preset:
        lines.append("Utilization 100 % is the default (training around the clock): set yours.")
    return answer + "<br>" + " ".join(lines) + "</small>"


def notes_html(notes: Sequence[str]) -> tuple[str, str]:
    """Return the comparison's notes as shown (the first :data:`MAX_NOTES`) and in full.

    Both are "" when there are none.
    """
    shown = "<br>".join(f"• {escape(n)}" for n in notes[:MAX_NOTES])
    if len(notes) > MAX_NOTES:
        shown += f"<br>• … and {len(notes) - MAX_NOTES} more (hover to read them)"
    return (f"<small>{shown}</small>" if notes else ""), "<br>".join(escape(n) for n in notes)
