"""The build's totals, the upgrade plan and the price dates in a few words, for the Parts tab.

"Plan: +1 GPU at months 3, 6, 9 → 4 GPUs, $6,017.04" so a finding about month 6 is never
a mystery, and "prices from 2017 to 2025; the oldest are launch prices" so a total never
mixes a 2017 price with a 2025 one silently.
"""

from __future__ import annotations

from dlplanner.domain.build import Build
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.power import estimate_stage
from dlplanner.report.format import usd
from dlplanner.report.prices import unpriced_sentence
from dlplanner.report.shopping import ShoppingRow, shopping_list
from dlplanner.rules.text import plural

SPAN_YEARS = 2
"""Prices this many years apart or more are said to span years."""

_WORDS = {
    "gpu": "GPU",
    "cpu": "CPU",
    "psu": "PSU",
    "memory": "memory kit",
    "storage": "drive",
    "case": "case",
    "cooler": "CPU cooler",
    "motherboard": "board",
}


def _count(kind: str, qty: int) -> str:
    word = _WORDS.get(kind, "part")
    return f"{qty} {word}{'s' if qty != 1 else ''}"


def _added(rows: tuple[ShoppingRow, ...]) -> str:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.kind] = counts.get(row.kind, 0) + row.qty
    return "+" + " and ".join(_count(kind, n) for kind, n in counts.items())


def _months(months: list[int]) -> str:
    if len(months) == 1:
        return f"month {months[0]}"
    return f"months {', '.join(map(str, months[:-1]))} and {months[-1]}"


def plan_strip(build: Build, catalog: Catalog) -> str:
    """Return the plan in one line, or "" when nothing later is planned."""
    if not build.plan:
        return ""
    stages = shopping_list(build, catalog).stages
    groups: dict[str, list[int]] = {}
    for stage in stages[1:]:
        if stage.rows:
            groups.setdefault(_added(stage.rows), []).append(stage.month)
    if not groups:
        return ""
    gpus = sum(r.qty for s in stages for r in s.rows if r.kind == "gpu")
    total = sum(s.total_usd for s in stages)
    unpriced = sum(1 for s in stages for r in s.rows if r.unit_price_usd is None)
    steps = "; ".join(f"{added} at {_months(months)}" for added, months in groups.items())
    money = usd(total) + (f" (+{unpriced} unpriced)" if unpriced else "")
    return f"Plan: {steps} → {gpus} GPU{'s' * (gpus != 1)}, {money} in all"


def price_dates_note(build: Build, catalog: Catalog) -> str:
    """Return "prices from 2017 to 2025; the oldest are launch prices" ("" if close in time).

    Only the catalog's dated prices of the build as bought now count; your own prices are
    today's by definition.
    """
    dated = []
    for item in build.items:
        price = catalog.price(item)
        year = price.date.year if price.date is not None else price.year
        if price.origin in ("street", "launch") and year is not None:
            dated.append((year, "launch" if price.is_launch else "street"))
    if not dated:
        return ""
    oldest, newest = min(y for y, _ in dated), max(y for y, _ in dated)
    if newest - oldest < SPAN_YEARS:
        return ""
    text = f"prices from {oldest} to {newest}"
    kinds = {kind for year, kind in dated if year == oldest}
    if kinds == {"launch"}:
        text += "; the oldest are launch prices"
    elif "launch" in kinds:
        text += "; some of the oldest are launch prices"
    return text


def totals_html(build: Build, catalog: Catalog) -> str:
    """Return the build as bought now in one line: total, GPUs, estimated draw, price dates.

    The total and an unpriced-parts warning are in bold (``<b>``).
    """
    total = 0.0
    unpriced = 0
    for item in build.items:
        unit = catalog.unit_price(item)
        if unit is None:
            unpriced += 1
        else:
            total += unit * item.qty
    power = estimate_stage(build, catalog, 0)
    text = f"Total <b>{usd(total)}</b>"
    if unpriced:
        text = f"<b>{unpriced_sentence(unpriced)}</b> {text}"
    text += f" · {plural(power.gpu_count, 'GPU')}"
    text += f" · est. {power.system_w:,.0f} W DC under load"
    if power.wall_w is not None:
        text += f", {power.wall_w:,.0f} W at the wall"
    dates = price_dates_note(build, catalog)
    if dates:
        text += f" · {dates}"
    return text
