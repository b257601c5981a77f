"""Money and dates as people read them: the one formatter every view uses."""

from __future__ import annotations

import datetime as dt
import math

UNKNOWN = "—"
"""What an unknown amount prints as."""


def usd(value: float | None, digits: int = 2) -> str:
    """Format dollars with thousands separators: ``$1,234.50``, ``-$12``; ``—`` when unknown.

    Parameters
    ----------
    value
        The amount; ``None`` or a non-finite number is unknown.
    digits
        Decimals: 2 for prices and totals, 0 for chart axes and round sums, 3 for hourly rates.
        A rounding residue never prints as ``-$0.00``.
    """
    if value is None or not math.isfinite(value):
        return UNKNOWN
    shown = round(value, digits) + 0.0
    return ("-$" if shown < 0 else "$") + f"{abs(shown):,.{digits}f}"


def unit_price(value: float) -> str:
    """Format a unit price: cents when exact (``$0.20``), else four significant digits."""
    return usd(value) if round(value, 2) == value else f"${value:.4g}"


def date_text(value: dt.date | None) -> str:
    """Format a date as ``2026-11-27``; empty when unknown."""
    return value.isoformat() if value else ""
