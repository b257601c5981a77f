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
    reads=("psu", "gpus"),
)
def gpu_maker_psu(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Compare the power supply with the GPU maker's recommended system power.

    Card makers state the power supply they recommend for a system with one such card
    (NVIDIA: 850 W for an RTX 4090). It is a second opinion beside the planner's own
    power estimate, which adds up the parts: for more cards, each further card's board
    power is added to the maker's figure. A supply below it may shut down under load
    spikes. When the catalog has no maker's figure for the cards, the planner's own
    estimate (``psu-wattage``) stands alone and this check stays silent. Choose a larger
    supply, or set a power limit on the cards.
    """
    psu = ctx.psu
    gpus = [g for g in ctx.gpus if g.recommended_psu_w is not None]
    if psu is None or not gpus:
        return
    lead = max(gpus, key=lambda g: g.recommended_psu_w or 0)
    others = list(ctx.gpus)
    others.remove(lead)
    if any(g.tdp_w is None for g in others):
        return  # the maker's figure cannot be extended without the other cards' power
    base = lead.recommended_psu_w or 0
    extra = sum(g.tdp_w or 0 for g in others)
    suggested = base + extra
    if psu.wattage_w >= suggested:
        return
    more = f" plus {watts(extra)} for {plural(len(others), 'more card')}" if others else ""
    yield out.fail(
        f"The {lead.title}'s maker recommends {article(watts(base))} power supply for one "
        f"card{more}: {watts(suggested)}; the {psu.title} is rated {watts(psu.wattage_w)}.",
        parts=ids((psu, *ctx.gpus)),
        hint=f"Choose a supply of {watts(suggested)} or more, or power-limit the cards.",
    )
