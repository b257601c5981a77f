"""Power supply sizing: wattage per unit and for the whole plan, single-PSU limit, limits.

Every number comes from the one power model (:mod:`dlplanner.domain.power`) through
``ctx.load``; these rules only compare and word.
"""

from __future__ import annotations

from collections.abc import Iterator

from dlplanner.domain.power import PowerEstimate, PsuLoad, fits_supplies
from dlplanner.domain.power_data import SINGLE_PSU_MAX_W
from dlplanner.rules.context import StageContext
from dlplanner.rules.finding import Finding, Reporter, Severity
from dlplanner.rules.registry import rule
from dlplanner.rules.text import ids, missing, num, plural, tally, watts


def load_text(ctx: StageContext, unit: PsuLoad | None = None) -> str:
    """Spell out the GPU and CPU load: ``4 × 450 W GPU + 180 W CPU = 1980 W``.

    With ``unit``, only what that power supply unit carries.
    """
    load = ctx.load
    cards = [load.gpus[i] for i in unit.gpus] if unit is not None else list(load.gpus)
    terms = []
    for (board, limited), n in tally(
        (g.board_w, g.limit_w is not None) for g in cards if g.board_w is not None
    ).items():
        terms.append(f"{n} × {watts(board)}{' power-limited' if limited else ''} GPU")
    with_cpu = unit is None or unit.main
    if with_cpu and ctx.cpu is not None and load.cpu_w:
        boost = " (max turbo)" if ctx.cpu.max_turbo_power_w else ""
        terms.append(f"{watts(load.cpu_w)}{boost} CPU")
    total = load.total_w if unit is None else load.unit_gpu_cpu_w(unit)
    if len(terms) == 1 and " × " not in terms[0]:
        return terms[0]
    return f"{' + '.join(terms)} = {watts(total)}"


def headroom_text(headroom: float) -> str:
    """Format the headroom factor: ``× 1.21 headroom``."""
    return f"× {num(round(headroom, 3))} headroom"


def unit_name(ctx: StageContext, unit: PsuLoad) -> str:
    """Name a power supply unit: ``the EVGA 1600 P2`` or ``unit 2 of 2 (EVGA 1600 P2)``."""
    if len(ctx.load.psus) == 1:
        return f"the {unit.psu.title}"
    return f"unit {unit.unit + 1} of {len(ctx.load.psus)} ({unit.psu.title})"


def _power_parts(ctx: StageContext) -> tuple[str, ...]:
    return ids((*ctx.psus, ctx.cpu, *ctx.gpus))


HINT = "Choose a larger power supply, add a second one, or power-limit the GPUs (nvidia-smi -pl)."


@rule("psu-wattage", "Power supply wattage", Severity.ERROR, reads=("load", "cpu", "gpus"))
def psu_wattage(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Check that each power supply covers what it feeds, with headroom.

    Dettmers' formula: add the GPUs' and the CPU's power (the GPUs' power limits where
    set), then add 10 % for the other parts and power spikes and another 10 % margin
    (× 1.21; the site's PSU headroom setting). Below the bare sum of the GPUs and the CPU
    the machine shuts down under load (error); below the headroom it runs the PSU at its
    limit (warning). With two supplies each is checked for the GPUs it feeds
    (the main unit also feeds the CPU and board). Choose a larger supply, a second one,
    fewer GPUs, or power-limit the GPUs.
    """
    load = ctx.load
    if not load.psus or (not ctx.gpus and ctx.cpu is None):
        return
    if not load.complete:
        yield from _partial(ctx, out, load)
        return
    headroom = ctx.site.psu_headroom
    for unit in load.psus:
        rating = unit.psu.wattage_w
        base = load.unit_gpu_cpu_w(unit)
        need = load.required_psu_w(headroom, base)
        if (not unit.gpus and not unit.main) or (base <= rating and need <= rating):
            continue
        what = load_text(ctx, unit)
        if base > rating:
            yield out.fail(
                f"{_upper(unit_name(ctx, unit))} feeds {what}, more than its {watts(rating)}; "
                f"with {headroom_text(headroom)} it should give {watts(need)}.",
                parts=_power_parts(ctx),
                hint=HINT,
                key=str(unit.unit),
            )
        else:
            yield out.fail(
                f"{_upper(unit_name(ctx, unit))} feeds {what}; with "
                f"{headroom_text(headroom)} that needs {watts(need)}, and it gives "
                f"{watts(rating)}.",
                parts=_power_parts(ctx),
                hint=HINT,
                severity=Severity.WARNING,
                key=str(unit.unit),
            )


def _upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _partial(ctx: StageContext, out: Reporter, load: PowerEstimate) -> Iterator[Finding]:
    capacity = sum(u.psu.wattage_w for u in load.psus)
    psu_text = ctx.psus[0].title if len(ctx.psus) == 1 else f"{len(ctx.psus)} power supplies"
    if load.total_w > capacity:
        yield out.fail(
            f"The parts with a known power figure already draw {watts(load.total_w)}; the "
            f"{psu_text} give{'s' * (len(ctx.psus) == 1)} {watts(capacity)}.",
            parts=_power_parts(ctx),
            hint=HINT,
        )
        return
    part = next(p for p in (*ctx.gpus, ctx.cpu) if p is not None and p.id in load.missing)
    yield out.unknown(
        f"PSU wattage not checked: {missing(part, 'tdp_w')}; the known parts draw "
        f"{watts(load.total_w)} of the {psu_text}'s {watts(capacity)}.",
        parts=_power_parts(ctx),
        hint=HINT,
    )


@rule(
    "psu-future",
    "Power supply sized for the whole plan",
    Severity.WARNING,
    reads=("load", "final"),
)
def psu_future(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Buy the power supply for the last stage of the upgrade plan, not just for today.

    Dettmers: get a PSU that accommodates all your future GPUs. A supply that is enough for
    one GPU today has to be bought again when the third arrives. Choose the supply the
    final stage needs now, or plan the PSU replacement together with the GPUs.
    """
    final = ctx.final
    if not ctx.psus or final is None or [p.id for p in final.psus] != [p.id for p in ctx.psus]:
        return
    if not ctx.load.complete or not final.load.complete:
        return  # psu-wattage reports the missing power figure
    headroom = ctx.site.psu_headroom
    if not fits_supplies(ctx.load, headroom) or fits_supplies(final.load, headroom):
        return
    later = final.load.required_psu_w(headroom)
    what = counted_psus(ctx)
    yield out.fail(
        f"{what} ({watts(sum(p.wattage_w for p in ctx.psus))}) cover{'s' * (len(ctx.psus) == 1)} "
        f"this stage ({watts(ctx.load.required_psu_w(headroom))} needed) but not stage "
        f"{final.stage}, {final.label} (month {final.month}, {plural(len(final.gpus), 'GPU')}), "
        f"which needs {watts(later)}.",
        parts=ids((*ctx.psus, *final.gpus)),
        hint=f"Buy a {watts(later)} or larger supply now (or a second unit), or plan the PSU "
        "upgrade with the GPUs.",
    )


def counted_psus(ctx: StageContext) -> str:
    """Name the supplies: ``The EVGA 1600 P2`` or ``The 2 power supplies``."""
    if len(ctx.psus) == 1:
        return f"The {ctx.psus[0].title}"
    return f"The {len(ctx.psus)} power supplies"


@rule(
    "single-psu-limit",
    "Within what one power supply can give",
    Severity.WARNING,
    reads=("load", "gpus", "cpu"),
)
def single_psu_limit(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Above 1600 W, no single workstation power supply for a home or office circuit will do.

    Lambda: the highest-rated workstation PSUs give at most 1600 W at standard home and
    office voltages, and failures rise near 1500 W. Beyond that, use two supplies joined by
    a sync adapter (an advanced build), power-limit the GPUs, or plan fewer GPUs.
    """
    load = ctx.load
    if not ctx.gpus or not load.complete or len(load.psus) > 1:
        return
    need = load.required_psu_w(ctx.site.psu_headroom)
    if need <= SINGLE_PSU_MAX_W:
        return
    yield out.fail(
        f"The build needs a {watts(need)} power supply ({watts(load.total_w)} "
        f"{headroom_text(ctx.site.psu_headroom)}); the largest single workstation supplies "
        f"give {watts(SINGLE_PSU_MAX_W)}.",
        parts=_power_parts(ctx),
        hint="Power-limit the GPUs (nvidia-smi -pl), plan fewer GPUs, or use two synced PSUs.",
    )
