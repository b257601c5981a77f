"""Prices into words: how a price is marked, and the headline for totals missing some."""

from __future__ import annotations

from collections.abc import Iterable

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
