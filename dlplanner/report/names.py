"""Names of parts, cloud plans, offers and plan stages, as every view writes them."""

from __future__ import annotations

import re

from dlplanner.domain.build import Build, CloudPlan
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.costs import CloudOption
from dlplanner.domain.parts import CloudOffer

PLAN_WORDS: dict[str, str] = {
    "on-demand": "on demand",
    "reserved-1y": "1-year commitment",
    "reserved-3y": "3-year commitment",
    "spot": "spot",
}
"""Cloud pricing plans in words, as the printed report says them."""

PLAN_TITLES: dict[CloudPlan, str] = {
    "on-demand": "on-demand",
    "reserved-1y": "1-year",
    "reserved-3y": "3-year",
    "spot": "spot",
}
"""Short names of the cloud plans, as the chart's legend and the tables say them."""

_TRAILING_PARENS = re.compile(r"\s*\(.*\)\s*$")


def part_name(catalog: Catalog, part_id: str) -> str:
    """Return a part's title, or its id as it stands when the catalog does not have it."""
    part = catalog.get(part_id)
    return part.title if part else part_id


def offer_name(offer: CloudOffer) -> str:
    """Return the offer's name without its trailing details: ``AWS p3.2xlarge``."""
    return _TRAILING_PARENS.sub("", offer.name) or offer.name


def plan_name(option: CloudOption) -> str:
    """Return the plan in words, with the equal-work basis when it applies."""
    words = PLAN_WORDS.get(option.plan, option.plan)
    return words + (", equal work" if option.basis == "equal-work" else "")


def option_label(option: CloudOption) -> str:
    """Return a legend label: ``AWS p3.2xlarge, 1-year`` (``, equal work`` for that basis)."""
    text = f"{offer_name(option.choice.offer)}, {PLAN_TITLES[option.plan]}"
    return text + (", equal work" if option.basis == "equal-work" else "")


def when_text(month: int, index: int) -> str:
    """Return ``Now`` for the build today, else ``Month 3``."""
    return "Now" if index == 0 else f"Month {month}"


def stage_name(index: int, month: int) -> str:
    """Return ``Stage 3 (month 12)`` or ``Stage 0 (now)``."""
    when = "now" if index == 0 else f"month {month}"
    return f"Stage {index} ({when})"


def stage_when(build: Build, stage: int) -> str:
    """Return when a stage of the build is bought: ``now``, ``month 9`` (``stage 7`` if unknown)."""
    if stage == 0:
        return "now"
    if stage <= len(build.plan):
        return f"month {build.plan[stage - 1].month}"
    return f"stage {stage}"
