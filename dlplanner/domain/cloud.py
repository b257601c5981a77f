"""Cloud offers as the cost model sees them: an offer with a plan, and its hourly rate."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from dlplanner.domain.build import CLOUD_PLANS, CloudPlan, CompareEntry
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.parts import CloudOffer

ThroughputBasis = Literal["fp32", "mixed"]

COMMITMENT_MONTHS: dict[CloudPlan, int] = {"reserved-1y": 12, "reserved-3y": 36}
"""Term of each commitment plan; plans not listed are billed per used hour."""


@dataclass(frozen=True, slots=True)
class CloudChoice:
    """One cloud offer rented under one plan."""

    offer: CloudOffer
    plan: CloudPlan = "on-demand"

    @property
    def key(self) -> str:
        """A stable name for the choice: ``offer-id:plan``."""
        return f"{self.offer.id}:{self.plan}"


def plan_rate(offer: CloudOffer, plan: CloudPlan) -> float | None:
    """Return the offer's price per instance-hour under ``plan``, or None if it has none.

    A commitment uses its own hourly price when the offer has one, else the on-demand
    price less the commitment's discount.
    """
    if plan == "on-demand":
        return offer.price_usd
    if plan == "spot":
        return offer.spot_usd_per_hour
    if plan == "reserved-1y":
        price, discount = offer.reserved_1y_usd_per_hour, offer.reserved_1y_discount
    else:
        price, discount = offer.reserved_3y_usd_per_hour, offer.reserved_3y_discount
    if price is not None:
        return price
    if discount is not None and offer.price_usd is not None:
        return offer.price_usd * (1.0 - discount)
    return None


def available_plans(offer: CloudOffer) -> tuple[CloudPlan, ...]:
    """Every plan the offer has a price for, in the usual order."""
    return tuple(plan for plan in CLOUD_PLANS if plan_rate(offer, plan) is not None)


def offer_throughput(offer: CloudOffer, basis: ThroughputBasis) -> float | None:
    """Relative throughput of one of the offer's GPUs (V100 = 1.0), or None if unknown."""
    if offer.throughput is None:
        return None
    return offer.throughput.fp32 if basis == "fp32" else offer.throughput.mixed


def resolve_compare(
    entries: Iterable[CompareEntry],
    catalog: Catalog,
    extra: Iterable[CloudOffer] = (),
) -> tuple[list[CloudChoice], list[str]]:
    """Look up a build's compare entries; ids that are not cloud offers become notes."""
    offers: dict[str, CloudOffer] = {offer.id: offer for offer in extra}
    choices: list[CloudChoice] = []
    notes: list[str] = []
    for entry in entries:
        part = offers.get(entry.offer) or catalog.get(entry.offer)
        if isinstance(part, CloudOffer):
            choices.append(CloudChoice(part, entry.plan))
        elif part is None:
            notes.append(f"unknown cloud offer {entry.offer!r}: left out of the comparison")
        else:
            notes.append(f"{entry.offer!r} is not a cloud offer: left out of the comparison")
    return choices, notes
