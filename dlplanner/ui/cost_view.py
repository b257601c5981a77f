"""What the cost chart and panel show, as plain data: labels, shown options, purchase steps.

No Qt here: these are pure functions of a :class:`CostComparison`, tested without widgets.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

from dlplanner.domain.costs import CloudOption, CostComparison

ChartView = Literal["value", "cash", "both"]
CHART_VIEWS: tuple[ChartView, ...] = ("value", "cash", "both")

OWN_VALUE_KEY = "own:value"
OWN_CASH_KEY = "own:cash"
"""Series keys of owning's two views (cloud options use :attr:`CloudOption.key`)."""
OWN_VALUE_LABEL = "Own: value consumed"
OWN_CASH_LABEL = "Own: cash spent"

_MIN_STEP_USD = 0.005


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


def break_even_text(option: CloudOption, months: int) -> str:
    """Return ``1.4`` (the month), or ``> 12`` when it is not within the horizon."""
    if option.break_even_months is None:
        return f"> {months}"
    return f"{option.break_even_months:.1f}"
