"""Power supplies as people run them: two units, measured GPU spikes, power limits that fit."""

from __future__ import annotations

from collections.abc import Iterator

from dlplanner.domain.build import Build
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.power import (
    PowerEstimate,
    PsuLoad,
    circuit_walls,
    estimate_power,
    excursion,
    fits_circuits,
    fits_supplies,
    load_ceiling_w,
    uniform_limit,
)
from dlplanner.domain.power_data import ATX3_EXCURSION
from dlplanner.rules.context import StageContext, build_contexts
from dlplanner.rules.finding import Finding, Reporter, Severity
from dlplanner.rules.power import unit_name
from dlplanner.rules.registry import rule
from dlplanner.rules.text import counted, ids, join, missing, num, plural, watts

HIGH_POWER_GPU_W = 250
"""Cards from this board power on are checked for spikes when their generation is unmeasured."""


@rule("psu-balance", "Which power supply feeds which GPU", Severity.INFO, reads=("load", "gpus"))
def psu_balance(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """With two or more power supplies, show which unit feeds which GPUs.

    The GPUs are shared out largest first, each to the unit with the most room left; the
    main unit also feeds the motherboard (24-pin) and the CPU (EPS). A card takes all its
    power from one unit: its PCIe cables come from the unit that feeds it (the slot's
    75 W comes from the board, so from the main unit). The units must switch on together:
    join them with a dual-PSU sync adapter (it turns the second unit on with the first),
    and plug both into the same grounded outlet strip or circuits as the site says.
    """
    load = ctx.load
    if len(load.psus) < 2:
        return
    parts = []
    for unit in load.psus:
        cards = [f"GPU {i + 1}" for i in unit.gpus]
        fed = (["the board and CPU"] if unit.main else []) + cards
        parts.append(
            f"{unit_name(ctx, unit)} feeds {join(fed) or 'nothing'} ({watts(unit.dc_w)} DC, "
            f"{round(unit.load_share * 100)} % load)"
        )
    text = "; ".join(parts) + "."
    yield out.fail(
        text[:1].upper() + text[1:],
        parts=ids((*ctx.psus, *ctx.gpus)),
        hint="Join the units with a dual-PSU sync adapter (24-pin splitter or relay board) so "
        "they switch on together; run each card's PCIe cables from the unit that feeds it.",
    )


@rule(
    "transient-spikes",
    "Power supply rides through GPU spikes",
    Severity.WARNING,
    reads=("load", "gpus"),
)
def transient_spikes(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """GPUs draw short peaks above their rated power; check each supply can ride them.

    Peaks are measured, per generation (README, "Power"): an RTX 3090 reached 600 W
    against 350 W on a millisecond scope under a machine-learning load, an RTX 5090 901 W
    for under 1 ms against 575 W (Igor's Lab), an RTX 4090 500 W against 450 W
    (TechPowerUp), a GTX 1080 Ti 343 W against 300 W (Tom's Hardware). Each card's peak is
    its board power (or power limit) times its generation's ratio; the peaks of the cards
    on one unit are added to its other load. ATX 3.x supplies must hold 200 % of their
    rating for 100 µs; an ATX 2.x supply promises nothing above its rating, so only peaks
    beyond the rating put it at risk of an over-current shut-down. Choose an ATX 3.x
    supply, a larger one, a second unit, or power-limit the GPUs.
    """
    load = ctx.load
    hint = "Choose an ATX 3.x or larger supply, add a second unit, or power-limit the GPUs."
    for unit in load.psus:
        if not unit.gpus:
            continue
        peak = unit.peak_w
        if peak is None:
            cards = unit.cards
            unmeasured = [c.part for c in cards if excursion(c.part) is None]
            if any((c.board_w or 0) >= HIGH_POWER_GPU_W for c in cards) and unmeasured:
                yield out.unknown(
                    f"Spikes on {unit_name(ctx, unit)} not checked: no measured power peaks on "
                    f"record for {counted(unmeasured)} (or its power figure is missing).",
                    parts=ids((unit.psu, *unmeasured)),
                    hint=hint,
                    key=f"{unit.unit}:0",
                )
            continue
        # the words only for a unit whose peaks pass its rating (most units carry theirs)
        if peak > unit.psu.wattage_w:
            yield from _unit_spikes(ctx, out, unit, peak, hint)


def _unit_spikes(
    ctx: StageContext, out: Reporter, unit: PsuLoad, peak: float, hint: str
) -> Iterator[Finding]:
    psu = unit.psu
    rating = psu.wattage_w
    atx3 = rating * ATX3_EXCURSION
    cards = unit.cards
    measured = {m.generation: m for c in cards if (m := excursion(c.part)) is not None}
    basis = join(
        f"× {num(round(m.ratio, 2))} as measured on the {m.card}" for m in measured.values()
    )
    gpu_peak = sum(c.peak_w or 0.0 for c in cards)
    what = f"{plural(len(cards), 'GPU')} peak at about {watts(gpu_peak)} ({basis})"
    total = f"{watts(peak)} with the rest of its load"
    parts = ids((psu, *(c.part for c in cards)))
    key = f"{unit.unit}:{round(peak)}"
    if psu.atx_version is None:
        if peak > atx3:
            yield out.fail(
                f"On {unit_name(ctx, unit)}, {what}: {total}, over even the 200 % an ATX 3.x "
                f"supply of {watts(rating)} holds for 100 µs ({watts(atx3)}).",
                parts=parts,
                hint=hint,
                key=key,
            )
        else:
            yield out.unknown(
                f"Spikes on {unit_name(ctx, unit)} not checked: {missing(psu, 'atx_version')}; "
                f"{what} reach {total}, over its {watts(rating)} rating.",
                parts=parts,
                hint=hint,
                key=key,
            )
        return
    if psu.atx_version.startswith("3"):
        if peak > atx3:
            yield out.fail(
                f"On {unit_name(ctx, unit)}, {what}: {total}, over the {watts(atx3)} (200 %) "
                f"ATX {psu.atx_version} asks it to hold for 100 µs.",
                parts=parts,
                hint=hint,
                key=key,
            )
        return
    yield out.fail(
        f"On {unit_name(ctx, unit)}, {what}: {total}, over its {watts(rating)} rating; it is "
        f"ATX {psu.atx_version}, which specifies no excursions (ATX 3.x would hold "
        f"{watts(atx3)} for 100 µs), so its over-current protection may switch it off.",
        parts=parts,
        hint=hint,
        key=key,
    )


def suggested_limit(ctx: StageContext) -> int | None:
    """Return the power limit (W, all GPUs) that makes the stage fit its supplies and circuit."""
    site = ctx.site

    def fits(trial: PowerEstimate) -> bool:
        return fits_supplies(trial, site.psu_headroom) and fits_circuits(
            trial, site.circuits, site.continuous_limit_w
        )

    load = ctx.load
    most = load_ceiling_w(
        [u.psu for u in load.psus],
        site.psu_headroom,
        site.circuits,
        site.continuous_limit_w,
        load.other_w,
    )
    return uniform_limit(load, fits, most_w=most)


@rule("power-limit-hint", "Power-limit the GPUs", Severity.INFO, reads=("load", "gpus"))
def power_limit_hint(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """When the supply or the wall circuit is too small, compute the power limit that fits.

    The hint finds the highest limit (in 5 W steps, never below a card's minimum limit)
    at which every supply carries its load with the site's headroom and every circuit
    stays under its continuous limit, and says what the machine then draws. Training
    loses little at a lower limit: Puget Systems ran four RTX 3090s at 280 W instead of
    350 W and kept over 95 % of their TensorFlow throughput; the speed shown is an
    estimate from a published RTX 3090 curve (README, "Power"). Set it after every boot
    with ``sudo nvidia-smi -pl WATTS`` (``-i N`` for one GPU); the window's "Apply" sets
    it on the build's GPU lines.
    """
    load, site = ctx.load, ctx.site
    if not ctx.gpus or not load.complete:
        return
    if fits_supplies(load, site.psu_headroom) and fits_circuits(
        load, site.circuits, site.continuous_limit_w
    ):
        return
    limit = suggested_limit(ctx)
    if limit is None:
        yield out.fail(
            f"No power limit the cards accept makes the build fit: even at their minimum "
            f"limits {counted(ctx.gpus)} leave a supply or the circuit over its limit.",
            parts=ids(ctx.gpus),
            hint="Add a power supply or a circuit, or plan fewer GPUs.",
        )
        return
    capped = [g for g in load.gpus if (g.part.tdp_w or 0) > limit]
    trial = estimate_power(
        load.cpu,
        [g.part for g in load.gpus],
        [u.psu for u in load.psus],
        [limit if (g.part.tdp_w or 0) > limit else None for g in load.gpus],
        other_w=load.other_w,
    )
    wall = max(circuit_walls(trial, site.circuits))
    share = round(trial.speed_share() * 100)
    yield out.fail(
        f"Set {counted(g.part for g in capped)} to {watts(limit)}: about {watts(trial.system_w)} "
        f"DC and {watts(wall)} at the wall, under the {watts(site.continuous_limit_w)} "
        f"continuous limit, with about {share} % of their training speed (estimate).",
        parts=ids(ctx.gpus),
        hint=f"Run `sudo nvidia-smi -pl {limit}` after each boot, or Apply to set it on the "
        "build's GPU lines.",
        key=str(limit),  # a stage's finding names that stage's limit
    )


def suggested_limit_for(build: Build, catalog: Catalog, stage: int) -> int | None:
    """Return the power limit the hint offers for one stage of a build (None: none fits)."""
    [ctx] = build_contexts(build, catalog, [stage])
    load, site = ctx.load, ctx.site
    if fits_supplies(load, site.psu_headroom) and fits_circuits(
        load, site.circuits, site.continuous_limit_w
    ):
        return None
    return suggested_limit(ctx)
