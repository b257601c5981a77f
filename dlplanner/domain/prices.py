"""The one price resolver: what a part costs, where the figure comes from, and how old it is.

In order: the user's own price on the build line; the catalog's dated price (a shop's
street price, or the maker's launch MSRP when the entry says ``price_kind: launch``);
otherwise the catalog's launch MSRP, dated at launch. A part with none of these has no
price: it is never counted as $0, and the totals that leave it out say so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from dlplanner.domain.parts import PartBase

PriceOrigin = Literal["user", "street", "launch", "none"]


@dataclass(frozen=True, slots=True)
class Price:
    """A resolved unit price and where it comes from."""

    usd: float | None
    origin: PriceOrigin
    date: dt.date | None = None
    year: int | None = None
    """The launch year, when a launch price has no exact date."""
    source: str | None = None

    @property
    def known(self) -> bool:
        """Whether there is a price at all."""
        return self.usd is not None

    @property
    def is_launch(self) -> bool:
        """Whether the price is the maker's launch MSRP rather than a shop's price."""
        return self.origin == "launch"

    @property
    def when(self) -> str:
        """The price's date as text: ``2023-11-21``, ``2023`` or ``""``."""
        if self.date is not None:
            return self.date.isoformat()
        return str(self.year) if self.year is not None else ""


NO_PRICE = Price(None, "none")


def catalog_price(part: PartBase | None) -> Price:
    """Return the catalog's price of a part: dated price first, then the launch MSRP."""
    if part is None:
        return NO_PRICE
    if part.price_usd is not None:
        origin: PriceOrigin = "launch" if part.price_kind == "launch" else "street"
        return Price(part.price_usd, origin, part.price_date, None, part.price_source)
    if part.launch_price_usd is not None:
        return Price(
            part.launch_price_usd,
            "launch",
            part.launch_date,
            part.release_year,
            part.launch_price_source,
        )
    return NO_PRICE


def resolve_price(
    user_usd: float | None, part: PartBase | None, user_date: dt.date | None = None
) -> Price:
    """Return what one unit of a build line costs: the user's price, else the catalog's.

    ``user_date`` is the day the user's price was true, when it came with one (an import).
    """
    if user_usd is not None:
        return Price(user_usd, "user", user_date)
    return catalog_price(part)


MAX_TYPED_USD = 1_000_000
"""The highest unit price a person may type for a line."""


def typed_price(text: str, override: float | None, catalog_usd: float | None) -> float | None:
    """Return the unit price typed for a build line; None clears the line's own price.

    ``$1,234.50`` reads as 1234.5. Empty or 0 clears an own price (``override``), and so
    does the catalog's price (``catalog_usd``) typed back. ValueError for text that is no
    number, or a price outside 0 .. :data:`MAX_TYPED_USD`.
    """
    text = text.strip().replace("$", "").replace(",", "")
    if text in ("", "0", "0.0") and override is not None:
        return None
    price = float(text)
    if not 0 <= price <= MAX_TYPED_USD:
        raise ValueError(f"{text!r} is not a price from 0 to {MAX_TYPED_USD:,} dollars")
    if catalog_usd is not None and abs(price - catalog_usd) < 0.005:
        return None  # typing the catalog price back clears the override
    return price
