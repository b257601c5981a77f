"""The build's totals, the upgrade plan and the price dates in a few words, for the Parts tab.

"Plan: +1 GPU at months 3, 6, 9 → 4 GPUs, $6,017.04" so a finding about month 6 is never
a mystery, and "prices from 2017 to 2025; the oldest are launch prices" so a total never
mixes a 2017 price with a 2025 one silently.
"""

from __future__ import annotations

from dlplanner.domain.build import Build, BuildItem
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.parts import KIND_TITLES, GpuPart
from dlplanner.domain.power import estimate_stage, line_power_w
from dlplanner.domain.price_age import PART_IMPORT_HINT
from dlplanner.domain.prices import Price
from dlplanner.report.format import usd
from dlplanner.report.prices import price_date_text, unpriced_sentence
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


# -- the parts table -------------------------------------------------------------------------

HEADERS = ("Type", "Part", "Qty", "Unit price", "Price date", "Line total", "Power", "Limit")
COL_TYPE, COL_PART, COL_QTY, COL_PRICE, COL_DATE, COL_TOTAL, COL_POWER, COL_LIMIT = range(
    len(HEADERS)
)
HEADER_TIPS = {
    COL_QTY: "How many (double-click or F2 to edit)",
    COL_PRICE: "What you pay per unit; edit to override the catalog price, clear to restore it",
    COL_DATE: "The day the price was true, and its age (older than six months: marked)",
    COL_POWER: "Estimated draw under load (TDP or power limit × quantity)",
    COL_LIMIT: "GPU power limit per card (nvidia-smi -pl); F2 to edit, clear for stock",
}
"""What a column's header, and an editable cell, say when hovered."""


def line_cell(item: BuildItem, column: int, catalog: Catalog) -> str | int:
    """Return a parts-list cell of a build line (the quantity as a number)."""
    part = catalog.get(item.part)
    if column == COL_TYPE:
        return KIND_TITLES.get(part.kind_name, "") if part else "Unknown"
    if column == COL_PART:
        return part.title if part else f"{item.part} (not in the catalog)"
    if column == COL_QTY:
        return item.qty
    price = catalog.price(item)
    unit = price.usd
    if column == COL_PRICE:
        return usd(unit) if unit is not None else "no price (F2)"
    if column == COL_DATE:
        return price_date_text(price, short=True)
    if column == COL_TOTAL:
        return usd(unit * item.qty) if unit is not None else "—"
    if column == COL_POWER:
        watts = line_power_w(item, catalog)
        return f"{watts:,.0f} W" if watts is not None else ""
    if column == COL_LIMIT:
        if not isinstance(part, GpuPart):
            return ""
        return "stock" if item.power_limit_w is None else f"{item.power_limit_w} W"
    return ""


def unknown_part_tip(part_id: str) -> str:
    """Return the tooltip of a line whose part the catalog does not have."""
    return (
        f"'{part_id}' is not in the catalog. It is kept in the build and saved "
        "back unchanged; add it to a user catalog folder to check it."
    )


def stale_price_tip(price: Price) -> str:
    """Return the tooltip of a price older than six months: its date, and how to renew it."""
    return f"{price_date_text(price)}. This price is older than six months: {PART_IMPORT_HINT}"
