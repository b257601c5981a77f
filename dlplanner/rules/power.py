"""Power supply sizing: wattage now and for the whole plan, single-PSU limit, spikes, limits."""

from __future__ import annotations

from collections.abc import Iterator

from dlplanner.domain.parts import GpuPart
from dlplanner.rules.context import StageContext
from dlplanner.rules.finding import Finding, Reporter, Severity
from dlplanner.rules.loads import (
    SINGLE_PSU_MAX_W,
    WORST_EFFICIENCY,
    efficiency,
    required_psu_w,
    wall_w,
)
from dlplanner.rules.registry import rule
from dlplanner.rules.text import counted, ids, join, missing, num, plural, tally, watts

HIGH_POWER_GPU_W = 300
"""GPUs from this TDP on have spikes worth a transient-ready (ATX 3.x) supply."""

POWER_LIMIT_SHARE = 0.8
"""Power limit suggested for training: Puget ran 4 × RTX 3090 at 280 of 350 W (80 %)."""


def load_text(ctx: StageContext) -> str:
    """Spell out the DC load: ``4 × 450 W GPU + 180 W CPU = 1980 W``."""
    terms = [
        f"{n} × {watts(tdp)} GPU"
        for tdp, n in tally(g.tdp_w for g in ctx.gpus if g.tdp_w is not None).items()
    ]
    if ctx.cpu is not None and ctx.cpu.tdp_w is not None:
        terms.append(f"{watts(ctx.cpu.tdp_w)} CPU")
    if len(terms) == 1 and " × " not in terms[0]:
        return terms[0]
    return f"{' + '.join(terms)} = {watts(ctx.load.total_w)}"


def headroom_text(headroom: float) -> str:
    """Format the headroom factor: ``× 1.21 headroom``."""
    return f"× {num(round(headroom, 3))} headroom"


def _command(targets: dict[str, tuple[GpuPart, int, int]]) -> str:
    limits = {target for _, _, target in targets.values()}
    if len(limits) == 1:
        return f"Run `sudo nvidia-smi -pl {limits.pop()}`"
    return "Run " + join(
        f"`sudo nvidia-smi -i <{gpu.title} index> -pl {target}`"
        for gpu, _, target in targets.values()
    )


def _power_parts(ctx: StageContext) -> tuple[str, ...]:
    return ids((ctx.psu, ctx.cpu, *ctx.gpus))


@rule("psu-wattage", "Power supply wattage", Severity.ERROR, reads=("psu", "load", "cpu", "gpus"))
def psu_wattage(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Check that the power supply covers the GPUs and CPU with headroom.

    Dettmers' formula: add the GPUs' and the CPU's TDP, then add 10 % for the other parts
    and power spikes and another 10 % margin (× 1.21; the site's PSU headroom setting), then
    buy the next PSU size up. Dettmers' example: four 250 W GPUs, a 150 W CPU and 100 W for
    the rest, plus 10 %, ask for a 1400 W supply. Below the bare
    TDP sum the machine shuts down under load (error); below the headroom it runs the PSU
    at its limit (warning). Choose a larger supply, fewer GPUs, or power-limit the GPUs.
    """
    psu, load = ctx.psu, ctx.load
    if psu is None or (not ctx.gpus and ctx.cpu is None):
        return
    hint = "Choose a larger power supply, or power-limit the GPUs (nvidia-smi -pl)."
    if not load.complete:
        if load.total_w > psu.wattage_w:
            yield out.fail(
                f"The parts with a known TDP already draw {watts(load.total_w)}; the "
                f"{psu.title} gives {watts(psu.wattage_w)}.",
                parts=_power_parts(ctx),
                hint=hint,
            )
        else:
            part = next(p for p in (*ctx.gpus, ctx.cpu) if p is not None and p.id in load.missing)
            yield out.unknown(
                f"PSU wattage not checked: {missing(part, 'tdp_w')}; the known parts draw "
                f"{watts(load.total_w)} of the {psu.title}'s {watts(psu.wattage_w)}.",
                parts=_power_parts(ctx),
                hint=hint,
            )
        return
    need = required_psu_w(load, ctx.site.psu_headroom)
    if psu.wattage_w < load.total_w:
        yield out.fail(
            f"The GPUs and CPU draw {load_text(ctx)}, more than the {psu.title}'s "
            f"{watts(psu.wattage_w)}; with {headroom_text(ctx.site.psu_headroom)} the build "
            f"needs {watts(need)}.",
            parts=_power_parts(ctx),
            hint=hint,
        )
    elif psu.wattage_w < need:
        yield out.fail(
            f"The GPUs and CPU draw {load_text(ctx)}; with "
            f"{headroom_text(ctx.site.psu_headroom)} the build needs {watts(need)}, and the "
            f"{psu.title} gives {watts(psu.wattage_w)}.",
            parts=_power_parts(ctx),
            hint=hint,
            severity=Severity.WARNING,
        )


@rule(
    "psu-future",
    "Power supply sized for the whole plan",
    Severity.WARNING,
    reads=("psu", "load", "final"),
)
def psu_future(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Buy the power supply for the last stage of the upgrade plan, not just for today.

    Dettmers: get a PSU that accommodates all your future GPUs. A supply that is enough for
    one GPU today has to be bought again when the third arrives. Choose the supply the
    final stage needs now, or plan the PSU replacement together with the GPUs.
    """
    psu, final = ctx.psu, ctx.final
    if psu is None or final is None or final.psu is None or final.psu.id != psu.id:
        return
    if not ctx.load.complete or not final.load.complete:
        return  # psu-wattage reports the missing TDP
    now = required_psu_w(ctx.load, ctx.site.psu_headroom)
    later = required_psu_w(final.load, ctx.site.psu_headroom)
    if psu.wattage_w < now or psu.wattage_w >= later:
        return
    yield out.fail(
        f"The {psu.title} ({watts(psu.wattage_w)}) covers this stage ({watts(now)} needed) but "
        f"not stage {final.stage}, {final.label} (month {final.month}, "
        f"{plural(len(final.gpus), 'GPU')}), which needs {watts(later)}.",
        parts=ids((psu, *final.gpus)),
        hint=f"Buy a {watts(later)} or larger supply now, or plan the PSU upgrade with the GPUs.",
    )


@rule(
    "single-psu-limit",
    "Within what one power supply can give",
    Severity.WARNING,
    reads=("load", "gpus", "psu", "cpu"),
)
def single_psu_limit(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Above 1600 W, no single workstation power supply for a home or office circuit will do.

    Lambda: the highest-rated workstation PSUs give at most 1600 W at standard home and
    office voltages, and failures rise near 1500 W. Beyond that, use two supplies joined by
    a sync adapter (an advanced build), power-limit the GPUs, or plan fewer GPUs.
    """
    load = ctx.load
    if not ctx.gpus or not load.complete:
        return
    need = required_psu_w(load, ctx.site.psu_headroom)
    if need <= SINGLE_PSU_MAX_W:
        return
    yield out.fail(
        f"The build needs a {watts(need)} power supply ({watts(load.total_w)} "
        f"{headroom_text(ctx.site.psu_headroom)}); the largest single workstation supplies "
        f"give {watts(SINGLE_PSU_MAX_W)}.",
        parts=_power_parts(ctx),
        hint="Power-limit the GPUs (nvidia-smi -pl), plan fewer GPUs, or use two synced PSUs.",
    )


@rule(
    "transient-spikes",
    "Power supply rides through GPU spikes",
    Severity.WARNING,
    reads=("psu", "gpus"),
)
def transient_spikes(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """High-power GPUs draw short spikes far above their TDP; an ATX 3.x supply is made for them.

    PCIe CEM 5.0 allows a GPU power excursions of up to 3 × its sustained power for 100 µs,
    and ATX 3.0 requires supplies to hold 200 % of their rating for 100 µs. Older (ATX 2.x)
    supplies may trip their over-current protection and switch off under training load, as
    seen with four RTX 3090s. Choose an ATX 3.x supply, or keep generous headroom.
    """
    psu = ctx.psu
    hot = [g for g in ctx.gpus if g.tdp_w is not None and g.tdp_w >= HIGH_POWER_GPU_W]
    if psu is None or not hot or psu.atx_version in ("3.0", "3.1"):
        return
    peak = max(g.tdp_w or 0 for g in hot)
    hint = "Choose an ATX 3.x power supply, or one with generous headroom."
    if psu.atx_version is None:
        yield out.unknown(
            f"Spike tolerance for {counted(hot)} (up to {watts(3 * peak)} spikes) not checked: "
            f"{missing(psu, 'atx_version')}.",
            parts=ids((psu, *hot)),
            hint=hint,
        )
        return
    yield out.fail(
        f"{counted(hot)} ({watts(peak)}) can spike to about {watts(3 * peak)} per card for "
        f"100 µs; the {psu.title} is ATX {psu.atx_version}, which specifies no such "
        f"excursions (ATX 3.x asks {watts(2 * psu.wattage_w)} of it, 200 %, for 100 µs).",
        parts=ids((psu, *hot)),
        hint=hint,
    )


@rule("power-limit-hint", "Power-limit the GPUs", Severity.INFO, reads=("load", "gpus", "psu"))
def power_limit_hint(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """When the PSU or the wall circuit is tight, limit the GPUs' power with nvidia-smi.

    Training loses little at a lower power limit: Puget Systems ran four RTX 3090s at
    280 W instead of 350 W and kept about 95 % of their TensorFlow throughput. Set it after
    every boot with ``sudo nvidia-smi -pl WATTS`` (``-i N`` for one GPU); it never goes
    below the card's minimum limit.
    """
    load, psu = ctx.load, ctx.psu
    if not ctx.gpus or not load.complete:
        return
    eff = efficiency(psu) or WORST_EFFICIENCY
    wall = wall_w(load.system_w, eff)
    limit = ctx.site.continuous_limit_w
    need = required_psu_w(load, ctx.site.psu_headroom)
    if wall <= limit and (psu is None or need <= psu.wattage_w):
        return
    targets: dict[str, tuple[GpuPart, int, int]] = {}
    for gpu in ctx.gpus:
        tdp = gpu.tdp_w or 0
        target = max(gpu.power_limit_min_w or 0, round(tdp * POWER_LIMIT_SHARE))
        targets[gpu.id] = (gpu, tdp, target)
    saved = sum(targets[g.id][1] - targets[g.id][2] for g in ctx.gpus)
    new_dc = load.total_w - saved
    new_wall = wall_w(load.system_w - saved, eff)
    counts = tally(g.id for g in ctx.gpus)
    steps = join(
        f"{counts[gid]} × {gpu.title} {watts(tdp)} → {watts(target)}"
        for gid, (gpu, tdp, target) in targets.items()
    )
    limits = f"circuit limit {watts(limit)}" + (f", PSU {watts(psu.wattage_w)}" if psu else "")
    yield out.fail(
        f"Power-limiting the GPUs ({steps}) cuts the GPU and CPU load from "
        f"{watts(load.total_w)} to {watts(new_dc)} and the wall draw from {watts(wall)} to "
        f"{watts(new_wall)} ({limits}).",
        parts=ids(ctx.gpus),
        hint=f"{_command(targets)} after each boot; about 95 % of training speed remains at "
        "80 % power.",
    )
