"""The wall circuit: what the machine draws from the socket against the breaker."""

from __future__ import annotations

from collections.abc import Iterator

from dlplanner.domain.power import BEST_EFFICIENCY, WORST_EFFICIENCY, circuit_walls
from dlplanner.rules.context import StageContext
from dlplanner.rules.finding import Finding, Reporter, Severity
from dlplanner.rules.registry import rule
from dlplanner.rules.text import ids, missing, num, watts


@rule(
    "wall-circuit",
    "Wall circuit can carry the machine",
    Severity.ERROR,
    reads=("load", "cpu", "gpus"),
)
def wall_circuit(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Check the machine's draw at the wall against the circuit's continuous limit.

    Wall draw = DC load (GPUs at their power limits, CPU, 100 W for the rest) / the
    supply's efficiency at that load, interpolated between the 80 PLUS minimums at 20, 50
    and 100 % load for 115 V internal supplies (80 PLUS program, CLEAResult; e.g. Platinum
    90/92/89 %). A circuit carries volts × amps at its breaker (US 120 V × 15 A = 1800 W),
    and a continuous load should use at most 80 % of that (1440 W; the site settings hold
    volts, amps and the factor). With two supplies on two circuits (site ``circuits: 2``)
    each circuit carries its own unit. Lambda recommends against workstations above
    1440 W on a US circuit; Puget measured 1717 W at the wall for four power-limited RTX
    3090s. Above the breaker rating the breaker trips (error); above the continuous limit
    the circuit runs hot (warning). Power-limit the GPUs, use a second circuit, a 20 A or
    230 V circuit, or plan fewer GPUs.
    """
    if not ctx.gpus and ctx.cpu is None:
        return
    site, load = ctx.site, ctx.load
    breaker, limit = site.breaker_w, site.continuous_limit_w
    known = all(u.efficiency is not None for u in load.psus) and bool(load.psus)
    if not load.complete:
        lowest = max(circuit_walls(load, site.circuits, BEST_EFFICIENCY))
        if lowest > limit:
            yield out.fail(
                f"The parts with a known power figure already draw at least {watts(lowest)} "
                f"at the wall, over {_circuit(ctx)}.",
                parts=_parts(ctx),
                hint=HINT,
                severity=Severity.ERROR if lowest > breaker else Severity.WARNING,
            )
        else:
            part = next(p for p in (*ctx.gpus, ctx.cpu) if p is not None and p.id in load.missing)
            yield out.unknown(
                f"Wall draw not checked: {missing(part, 'tdp_w')}.",
                parts=_parts(ctx),
                hint=HINT,
            )
        return
    if not known:
        best = max(circuit_walls(load, site.circuits, BEST_EFFICIENCY))
        worst = max(circuit_walls(load, site.circuits, WORST_EFFICIENCY))
        if best > limit:
            yield out.fail(
                f"Even at {num(BEST_EFFICIENCY * 100)} % efficiency the wall draw is "
                f"{watts(best)} for {_dc(ctx)}, over {_circuit(ctx)}.",
                parts=_parts(ctx),
                hint=HINT,
                severity=Severity.ERROR if best > breaker else Severity.WARNING,
            )
        elif worst > limit:
            unknown = next((u.psu for u in load.psus if u.efficiency is None), None)
            what = missing(unknown, "efficiency") if unknown else "there is no power supply"
            yield out.unknown(
                f"Wall draw not checked: {what}; at {num(WORST_EFFICIENCY * 100)} % it would "
                f"be {watts(worst)} for {_dc(ctx)}, over {_circuit(ctx)}.",
                parts=_parts(ctx),
                hint=HINT,
            )
        return
    walls = circuit_walls(load, site.circuits)
    wall = max(walls)
    if wall <= limit:
        return
    over = (
        f"the {watts(breaker)} breaker rating"
        if wall > breaker
        else f"the {watts(limit)} continuous limit"
    )
    where = "the busier circuit" if len(walls) > 1 else _circuit(ctx)
    yield out.fail(
        f"Estimated wall draw {watts(wall)} ({_dc(ctx)}, {_efficiency(ctx)}) exceeds {over} "
        f"of {where}.",
        parts=_parts(ctx),
        hint=HINT,
        severity=Severity.ERROR if wall > breaker else Severity.WARNING,
        key=str(round(wall)),  # a stage's finding says that stage's draw
    )


HINT = (
    "Power-limit the GPUs (nvidia-smi -pl), put a second power supply on a second circuit, "
    "use a 20 A or 230 V circuit (an electrician's job) that nothing else shares, or plan "
    "fewer GPUs."
)


def _efficiency(ctx: StageContext) -> str:
    parts = []
    for unit in ctx.load.psus:
        rating = f"80 PLUS {(unit.psu.efficiency or '').title()}"
        share = round(unit.load_share * 100)
        eff = num(round((unit.efficiency or 0) * 100, 1))
        parts.append(f"{eff} % for {rating} at {share} % load")
    return "; ".join(parts)


def _circuit(ctx: StageContext) -> str:
    site = ctx.site
    breaker = site.volts * site.breaker_amps
    share = f"{num(round(site.continuous_factor * 100, 1))} %"
    return (
        f"a {num(site.volts)} V / {num(site.breaker_amps)} A circuit ({watts(breaker)} "
        f"breaker rating, {watts(breaker * site.continuous_factor)} continuous limit at "
        f"{share})"
    )


def _dc(ctx: StageContext) -> str:
    load = ctx.load
    return (
        f"{watts(load.system_w)} DC: {watts(load.total_w)} GPUs and CPU + "
        f"{watts(load.other_w)} other parts"
    )


def _parts(ctx: StageContext) -> tuple[str, ...]:
    return ids((*ctx.psus, ctx.cpu, *ctx.gpus))
