"""What part makers recommend: a second opinion from the GPU maker on the power supply."""

from __future__ import annotations

from collections.abc import Iterator

from dlplanner.rules.context import StageContext
from dlplanner.rules.finding import Finding, Reporter, Severity
from dlplanner.rules.registry import rule
from dlplanner.rules.text import article, ids, plural, watts


@rule(
    "gpu-maker-psu",
    "Power supply meets the GPU maker's recommendation",
    Severity.WARNING,
    reads=("psu", "gpus", "load"),
)
def gpu_maker_psu(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Compare the power supply with the GPU maker's recommended system power.

    Card makers state the power supply they recommend for a system with one such card
    (NVIDIA: 850 W for an RTX 4090). It is a second opinion beside the planner's own
    power estimate, which adds up the parts: for more cards, each further card's board
    power (its power limit where one is set) is added to the maker's figure. A supply
    below it may shut down under load spikes. When the catalog has no maker's figure for
    the cards, the planner's own estimate (``psu-wattage``) stands alone and this check
    stays silent. Choose a larger supply, or set a power limit on the cards.
    """
    psu = ctx.psu
    loads = list(ctx.load.gpus)
    rated = [g for g in loads if g.part.recommended_psu_w is not None]
    if psu is None or not rated:
        return
    lead = max(rated, key=lambda g: g.part.recommended_psu_w or 0)
    others = [g for g in loads if g is not lead]
    if any(g.board_w is None for g in others):
        return  # the maker's figure cannot be extended without the other cards' power
    base = lead.part.recommended_psu_w or 0
    extra = sum(g.board_w or 0 for g in others)  # board power from the one power model
    suggested = base + extra
    supplied = sum(unit.wattage_w for unit in ctx.psus) or psu.wattage_w
    if supplied >= suggested:
        return
    more = f" plus {watts(extra)} for {plural(len(others), 'more card')}" if others else ""
    units = f"the {psu.title}" if len(ctx.psus) <= 1 else f"{len(ctx.psus)} power supplies"
    yield out.fail(
        f"The {lead.part.title}'s maker recommends {article(watts(base))} power supply for one "
        f"card{more}: {watts(suggested)}; {units} give {watts(supplied)}.",
        parts=ids((psu, *ctx.gpus)),
        hint=f"Choose a supply of {watts(suggested)} or more, or power-limit the cards.",
    )
