"""The wall circuit: what the machine draws from the socket against the breaker."""

from __future__ import annotations

from collections.abc import Iterator

from dlplanner.rules.context import StageContext
from dlplanner.rules.finding import Finding, Reporter, Severity
from dlplanner.rules.loads import BEST_EFFICIENCY, WORST_EFFICIENCY, efficiency, wall_w
from dlplanner.rules.registry import rule
from dlplanner.rules.text import ids, missing, num, watts


@rule(
    "wall-circuit",
    "Wall circuit can carry the machine",
    Severity.ERROR,
    reads=("load", "psu", "cpu", "gpus"),
)
def wall_circuit(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Check the machine's draw at the wall against the circuit's continuous limit.

    Wall draw = DC load (GPUs + CPU + 100 W for the rest) / PSU efficiency. The efficiency
    is the 80 PLUS minimum at 50 % load for 115 V internal supplies (80 PLUS program,
    CLEAResult): white 80 %, bronze 85 %, silver 88 %, gold 90 %, platinum 92 %,
    titanium 94 %. A circuit carries volts × amps at its breaker (US 120 V × 15 A = 1800 W),
    and a continuous load should use at most 80 % of that (1440 W; the site settings hold
    volts, amps and the factor). Lambda recommends against workstations above 1440 W on a
    US circuit; Puget measured 1717 W at the wall for four power-limited RTX 3090s. Above
    the breaker rating the breaker trips (error); above the continuous limit the circuit
    runs hot (warning). Power-limit the GPUs, use a 20 A or 230 V circuit, or plan fewer
    GPUs.
    """
    if not ctx.gpus and ctx.cpu is None:
        return
    site, load, psu = ctx.site, ctx.load, ctx.psu
    breaker, limit = site.breaker_w, site.continuous_limit_w
    eff = efficiency(psu)
    if not load.complete:
        lowest = wall_w(load.system_w, eff or BEST_EFFICIENCY)
        if lowest > limit:
            yield out.fail(
                f"The parts with a known TDP already draw at least {watts(lowest)} at the wall, "
                f"over {_circuit(ctx)}.",
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
    if eff is None:
        best = wall_w(load.system_w, BEST_EFFICIENCY)
        worst = wall_w(load.system_w, WORST_EFFICIENCY)
        if best > limit:
            yield out.fail(
                f"Even at {num(BEST_EFFICIENCY * 100)} % efficiency the wall draw is "
                f"{watts(best)} for {_dc(ctx)}, over {_circuit(ctx)}.",
                parts=_parts(ctx),
                hint=HINT,
                severity=Severity.ERROR if best > breaker else Severity.WARNING,
            )
        elif worst > limit:
            what = missing(psu, "efficiency") if psu else "there is no power supply"
            yield out.unknown(
                f"Wall draw not checked: {what}; at {num(WORST_EFFICIENCY * 100)} % it would "
                f"be {watts(worst)} for {_dc(ctx)}, over {_circuit(ctx)}.",
                parts=_parts(ctx),
                hint=HINT,
            )
        return
    wall = wall_w(load.system_w, eff)
    if wall <= limit:
        return
    rating = f"80 PLUS {psu.efficiency.title()}" if psu and psu.efficiency else ""
    over = (
        f"the {watts(breaker)} breaker rating"
        if wall > breaker
        else f"the {watts(limit)} continuous limit"
    )
    yield out.fail(
        f"Estimated wall draw {watts(wall)} ({_dc(ctx)}, at {num(eff * 100)} % for {rating}) "
        f"exceeds {over} of {_circuit(ctx)}.",
        parts=_parts(ctx),
        hint=HINT,
        severity=Severity.ERROR if wall > breaker else Severity.WARNING,
    )


HINT = (
    "Power-limit the GPUs (nvidia-smi -pl), use a 20 A or 230 V circuit (an electrician's "
    "job) that nothing else shares, or plan fewer GPUs."
)


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
    return f"{watts(load.system_w)} DC: {watts(load.total_w)} GPUs and CPU + 100 W other parts"


def _parts(ctx: StageContext) -> tuple[str, ...]:
    return ids((ctx.psu, ctx.cpu, *ctx.gpus))
