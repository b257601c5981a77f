"""Prices into words: how a price is marked, and the headline for totals missing some."""

from __future__ import annotations

from collections.abc import Iterable

from dlplanner.domain.price_age import dated_short, dated_text
from dlplanner.domain.prices import Price


def price_label(price: Price) -> str:
    """How a price is marked beside the figure: ``launch price, 2023-11-21``, ``your price``."""
    if price.origin == "launch":
        return f"launch price, {price.when}" if price.when else "launch price"
    if price.origin == "user":
        return "your price"
    if price.origin == "none":
        return "no price"
    return price.when


def price_date_text(price: Price, *, short: bool = False) -> str:
    """Return a price's date, kind and age, as the parts list shows it.

    Short for the table's cell, so the part names keep the room
    (``launch 2018-09-20 (8.2 y) ⚠``); in words for its tooltip
    (``launch price, 2018-09-20 (8.2 years old) ⚠``).
    """
    dated = dated_short if short else dated_text
    if price.is_launch and price.date is not None:
        return f"{'launch' if short else 'launch price,'} {dated(price.date)}"
    if price.is_launch or price.origin == "none":
        return price_label(price)
    if price.origin == "user" and price.date is None:
        return "your price"
    return dated(price.date)


def unpriced_sentence(count: int) -> str:
    """Return the headline for totals that leave out unpriced parts ("" when none)."""
    if count <= 0:
        return ""
    parts = "1 part has" if count == 1 else f"{count} parts have"
    return f"{parts} no price: the totals are low and building looks cheaper than it is."


def unpriced_headline(names: Iterable[str]) -> str:
    """Return the headline naming the parts it is about ("" when there are none)."""
    listed = list(dict.fromkeys(names))
    if not listed:
        return ""
    return f"{unpriced_sentence(len(listed))[:-1]} ({', '.join(listed)})."
