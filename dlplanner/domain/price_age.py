"""How old a price is, and when it is too old to trust without a fresh look.

Prices move: a cloud offer read a year ago may be a third off today. Every compared cloud
price and every part price shows its age; one older than :data:`STALE_DAYS` (six months)
is marked, with a pointer to the imports that bring fresh prices in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from dlplanner.domain.parts import PartBase

STALE_DAYS = 183
"""Six months: a price older than this is marked as stale."""

STALE_MARK = "⚠"
"""The mark next to a stale price in tables."""

CLOUD_IMPORT_HINT = (
    "import fresh prices with File > Import Prices… or 'dlplanner prices import FILE'"
)
"""Where fresh cloud prices come from."""

PART_IMPORT_HINT = (
    "enter your price, import a PCPartPicker list (File > Import PCPartPicker List…) or a "
    "price CSV ('dlplanner prices import FILE')"
)
"""Where fresh part prices come from."""


def age_days(date: dt.date, today: dt.date | None = None) -> int:
    """Return how many days old a price dated ``date`` is (0 for a future date)."""
    return max(((today or dt.date.today()) - date).days, 0)


def age_text(date: dt.date, today: dt.date | None = None) -> str:
    """Say a price's age in words: ``today``, ``12 days``, ``5 months``, ``2.3 years``."""
    days = age_days(date, today)
    if days == 0:
        return "today"
    if days < 60:
        return f"{days} day{'s' * (days != 1)}"
    if days < 730:
        return f"{round(days / 30.44)} months"
    return f"{days / 365.25:.1f} years"


def age_short(date: dt.date, today: dt.date | None = None) -> str:
    """Say a price's age in a few characters: ``12 d``, ``5 mo``, ``2.3 y``."""
    days = age_days(date, today)
    if days < 60:
        return f"{days} d"
    if days < 730:
        return f"{round(days / 30.44)} mo"
    return f"{days / 365.25:.1f} y"


def is_stale(date: dt.date | None, today: dt.date | None = None) -> bool:
    """Whether a price dated ``date`` is older than six months (an undated one is not known)."""
    return date is not None and age_days(date, today) > STALE_DAYS


def dated_text(date: dt.date | None, today: dt.date | None = None) -> str:
    """Return ``2025-05-01 (19 months old) ⚠`` or ``2026-11-01 (36 days old)``; ``""`` undated."""
    if date is None:
        return ""
    age = age_text(date, today)
    text = f"{date.isoformat()} ({age if age == 'today' else age + ' old'})"
    return f"{text} {STALE_MARK}" if is_stale(date, today) else text


def dated_short(date: dt.date | None, today: dt.date | None = None) -> str:
    """Return ``2025-05-01 (19 mo) ⚠`` for a narrow table cell; ``""`` when undated."""
    if date is None:
        return ""
    text = f"{date.isoformat()} ({age_short(date, today)})"
    return f"{text} {STALE_MARK}" if is_stale(date, today) else text


def stale_note(parts: Iterable[PartBase], hint: str, today: dt.date | None = None) -> str | None:
    """One note naming the parts or offers whose prices are older than six months, or None."""
    seen: dict[str, PartBase] = {}
    for part in parts:
        if is_stale(part.price_date, today):
            seen.setdefault(part.id, part)
    if not seen:
        return None
    oldest = sorted(seen.values(), key=lambda p: (p.price_date, p.id))
    listed = ", ".join(
        f"{p.id} ({p.price_date}, {age_text(p.price_date, today)} old)"  # type: ignore[arg-type]
        for p in oldest[:6]
    )
    more = f" and {len(oldest) - 6} more" if len(oldest) > 6 else ""
    return f"prices older than six months: {listed}{more}; {hint}"
