"""A cost comparison as JSON-ready data and as a compact text table."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dlplanner.domain.costs import CloudOption, CostComparison
from dlplanner.domain.price_age import STALE_MARK, age_days, age_text, is_stale
from dlplanner.report.format import usd
from dlplanner.report.prices import unpriced_headline
from dlplanner.report.text import NO_GPUS, cost_sentence


def _money(value: float) -> float:
    return round(value, 2)


def _maybe(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _option_json(option: CloudOption, today: dt.date | None) -> dict[str, Any]:
    date = option.choice.offer.price_date
    return {
        "offer": option.offer_id,
        "price_date": date.isoformat() if date else None,
        "price_age_days": age_days(date, today) if date else None,
        "price_stale": is_stale(date, today),
        "plan": option.plan,
        "basis": option.basis,
        "total_usd": _money(option.total_usd),
        "ratio": _maybe(option.ratio, 4),
        "break_even_months": _maybe(option.break_even_months, 3),
        "break_even_utilization": _maybe(option.break_even_utilization, 4),
        "renting_cheaper": option.renting_cheaper,
        "usd_per_gpu_hour": _maybe(option.usd_per_gpu_hour, 4),
        "usd_per_v100_hour": _maybe(option.usd_per_v100_hour, 4),
        "compute_usd": _money(option.compute_usd),
        "storage_usd": _money(option.storage_usd),
        "egress_usd": _money(option.egress_usd),
        "gpu_hours": round(option.gpu_hours, 3),
    }


def to_json(comparison: CostComparison, today: dt.date | None = None) -> dict[str, Any]:
    """Return the comparison as plain data (dollars to the cent), for ``--json`` and tests.

    Each cloud option carries its offer's price date, age in days and whether it is older
    than six months (on ``today``).
    """
    own = comparison.own
    series = comparison.series
    return {
        "own": {
            "value_usd": _money(own.value_usd),
            "cash_usd": _money(own.cash_usd),
            "depreciation_usd": _money(own.depreciation_usd),
            "electricity_usd": _money(own.electricity_usd),
            "purchase_usd": _money(own.purchase_usd),
            "book_value_usd": _money(own.book_value_usd),
            "gpu_hours": round(own.gpu_hours, 3),
            "usd_per_gpu_hour": _maybe(own.usd_per_gpu_hour, 4),
            "usd_per_v100_hour": _maybe(own.usd_per_v100_hour, 4),
        },
        "cloud": [_option_json(option, today) for option in comparison.options],
        "series": {
            "months": list(series.months),
            "own_value": [_money(v) for v in series.own_value],
            "own_cash": [_money(v) for v in series.own_cash],
            "cloud": {key: [_money(v) for v in values] for key, values in series.cloud.items()},
        },
        "assumptions": comparison.assumptions.model_dump(mode="json"),
        "notes": list(comparison.notes),
        "gpus": comparison.gpus,
        "unpriced": list(comparison.unpriced),
        "unpriced_headline": unpriced_headline(comparison.unpriced),
    }


def _per_hour(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _utilization(option: CloudOption) -> str:
    if option.break_even_utilization is None:
        return "-"
    sign = "<" if option.renting_cheaper == "below" else ">"
    return f"{sign} {option.break_even_utilization:.1%}"


def _priced(option: CloudOption, today: dt.date | None) -> str:
    date = option.choice.offer.price_date
    if date is None:
        return "-"
    mark = f" {STALE_MARK}" if is_stale(date, today) else ""
    return f"{date.isoformat()} ({age_text(date, today)}){mark}"


def format_text(comparison: CostComparison, today: dt.date | None = None) -> str:
    """Format the answer in one sentence, owning's two views, then one line per cloud option.

    Each option shows the date and age of its price; one older than six months is marked.
    When parts have no price, the first line says so and names them.
    """
    a, own = comparison.assumptions, comparison.own
    preset = f", preset {a.preset}" if a.preset else ""
    headline = unpriced_headline(comparison.unpriced)
    lines = [
        cost_sentence(comparison),
        *([headline] if headline else []),
        "",
        f"Over {a.months} months at {a.utilization:.0%} utilization{preset} "
        "(change with --utilization, --months):",
        f"  own, value consumed  {usd(own.value_usd)} = depreciation "
        f"{usd(own.depreciation_usd)} + electricity {usd(own.electricity_usd)}",
        f"  own, cash spent      {usd(own.cash_usd)} = purchases "
        f"{usd(own.purchase_usd)} + electricity {usd(own.electricity_usd)}",
        f"  own, $/GPU-h {_per_hour(own.usd_per_gpu_hour)}, "
        f"$/V100-h {_per_hour(own.usd_per_v100_hour)}",
    ]
    if comparison.options:
        rows = [("offer", "plan", "total", "ratio", "break-even", "b-e util", "$/GPU-h", "priced")]
        for option in comparison.options:
            plan = option.plan + (" (work)" if option.basis == "equal-work" else "")
            month = option.break_even_months
            rows.append(
                (
                    option.offer_id,
                    plan,
                    usd(option.total_usd),
                    "-" if option.ratio is None else f"{option.ratio:.2f}x",
                    "never" if month is None else f"month {month:.1f}",
                    _utilization(option),
                    _per_hour(option.usd_per_gpu_hour),
                    _priced(option, today),
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        lines.append("")
        for row in rows:
            cells = [
                cell.ljust(width) if i < 2 or i == 7 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            ]
            lines.append("  ".join(cells).rstrip())
    elif comparison.no_gpus:
        lines.append("")
        lines.append(NO_GPUS)
    else:
        lines.append("No cloud offers to compare (name some with --cloud or --cloud-price).")
    lines.extend(f"note: {note}" for note in comparison.notes)
    return "\n".join(lines)
