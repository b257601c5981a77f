"""The completion search is exact: it finds the best build brute force finds.

Small catalogs are drawn from the rule tests' realistic parts with random prices; brute
force tries every combination of one part per missing kind (memory in 1–4 kits) and
judges each with the full engine, stage by stage, with the same notion of "passes".
"""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from dlplanner.completion.goals import Goals, _allowed, _options
from dlplanner.completion.levels import LEVEL_KINDS
from dlplanner.completion.runs import ALL_WARNINGS, counted_for, hard_blocking, search
from dlplanner.domain.build import Build, BuildItem, PlanStep
from dlplanner.domain.catalog import Catalog
from dlplanner.rules.context import build_contexts
from dlplanner.rules.engine import run_stage
from tests.unit.rules.samples import BOARDS, CASES, COOLERS, CPUS, GPUS, MEMORY, PSUS, STORAGE

POOLS = {
    "cpu": CPUS,
    "motherboard": BOARDS,
    "memory": MEMORY,
    "storage": STORAGE,
    "psu": PSUS,
    "case": CASES,
    "cooler": COOLERS,
}


def verdict(build: Build, catalog: Catalog, accepted: frozenset[str]):
    """None when the build is out (an error, a key check not run); else its warning rules."""
    counted = counted_for(accepted)
    warned = set()
    for ctx in build_contexts(build, catalog):
        for found in run_stage(ctx).values():
            if any(hard_blocking(f) for f in found):
                return None
            warned.update(f.rule for f in found if counted(f))
    return frozenset(warned)


def brute_force(base: Build, catalog: Catalog, goals: Goals, accepted, cap):
    """The best (fewest warning rules, then cost) of every combination, or None."""
    present = {catalog.get(i.part).kind for i in base.items}
    options = []
    for kind in LEVEL_KINDS:
        if kind in present:
            continue
        level = []
        for part in catalog.of_kind(kind):
            price = catalog.unit_price(BuildItem(part=part.id))  # the one price resolver
            if _allowed(part, goals) and price:
                level.extend(_options(part, price))
        options.append(level)
    best = None
    fixed = sum(catalog.unit_price(i) * i.qty for i in base.items) + sum(
        catalog.unit_price(i) * i.qty for s in base.plan for i in s.add
    )
    for combo in itertools.product(*options):
        cost = round(fixed + sum(price for _, price in combo), 2)
        items = tuple(item for lines, _ in combo for item in lines)
        build = base.model_copy(update={"items": base.items + items})
        warned = verdict(build, catalog, accepted)
        if warned is None or (cap is not None and len(warned) > cap):
            continue
        key = (len(warned), cost)
        if best is None or key < best:
            best = key
    return best


def _pool(kind, cpus):
    """Candidates of a kind, mostly ones that can work with the drawn CPUs."""
    sockets = {c.socket.lower() for c in cpus}
    pool = POOLS[kind]
    if kind == "motherboard":
        fitting = [b for b in pool if b.socket.lower() in sockets]
    elif kind == "cooler":
        fitting = [c for c in pool if sockets & {s.lower() for s in c.sockets}]
    else:
        fitting = pool
    return fitting or pool


@st.composite
def small_problem(draw):
    parts = []
    cpus = draw(st.lists(st.sampled_from(CPUS), min_size=2, max_size=2, unique_by=lambda p: p.id))
    for kind in POOLS:
        pool = cpus if kind == "cpu" else _pool(kind, cpus)
        size = min(2, len(pool))
        chosen = draw(
            st.lists(st.sampled_from(pool), min_size=size, max_size=size, unique_by=lambda p: p.id)
        )
        for part in chosen:
            price = draw(st.integers(min_value=20, max_value=2000))
            parts.append(part.model_copy(update={"price_usd": float(price)}))
    gpu = draw(st.sampled_from(GPUS))
    gpu = gpu.model_copy(update={"price_usd": 700.0})
    parts.append(gpu)
    qty = draw(st.integers(min_value=1, max_value=3))
    later = draw(st.integers(min_value=0, max_value=1))
    plan = tuple(PlanStep(month=6, add=(BuildItem(part=gpu.id),)) for _ in range(later))
    build = Build(items=(BuildItem(part=gpu.id, qty=qty),), plan=plan)
    accepted = draw(st.sampled_from([frozenset(), ALL_WARNINGS]))
    return Catalog(parts), build, accepted


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problem(), st.sampled_from([None, 0, 1]))
def test_search_finds_the_best_passing_build(problem, cap):
    """Fewest warning rules first, then the lowest cost; none over the cap."""
    catalog, build, accepted = problem
    goals = Goals(min_storage_gb=0)
    expected = brute_force(build, catalog, goals, accepted, cap)
    event("none" if expected is None else f"found, {expected[0]} warning rules")
    run = search(build, catalog, goals, accepted=accepted, limit_usd=None, max_warnings=cap)
    if expected is None:
        assert run.found is None
    else:
        assert run.found is not None
        warned = verdict(run.found.build, catalog, accepted)
        assert warned is not None
        assert warned == run.found.warnings
        assert (len(warned), round(run.found.cost_usd, 2)) == expected


@st.composite
def power_bound_problem(draw):
    """Supplies near what the GPUs and CPU need, and CPUs that differ in power.

    This is where the search carries a supply's verdict from one CPU to every CPU that
    draws more (``CPU_POWER_NEVER_UNBLOCKS``); brute force checks it never drops a
    supply that would have passed.
    """
    parts = []
    family = draw(st.sampled_from([c for c in CPUS if c.socket in ("TR4", "LGA2066", "sWRX8")]))
    for n in range(3):
        tdp = draw(st.integers(min_value=40, max_value=450))
        turbo = draw(st.one_of(st.none(), st.integers(min_value=tdp, max_value=tdp + 150)))
        price = draw(st.integers(min_value=100, max_value=1500))
        update = {"id": f"{family.id}-{n}", "tdp_w": tdp, "max_turbo_power_w": turbo}
        parts.append(family.model_copy(update={**update, "price_usd": float(price)}))
    psus = [p for p in PSUS if p.efficiency is not None]
    for n in range(3):
        psu = draw(st.sampled_from(psus))
        watts = draw(st.integers(min_value=550, max_value=2000))
        price = draw(st.integers(min_value=50, max_value=600))
        update = {"id": f"{psu.id}-{n}", "wattage_w": watts, "price_usd": float(price)}
        parts.append(psu.model_copy(update=update))
    for kind in POOLS:
        if kind in ("cpu", "psu"):
            continue
        pool = _pool(kind, [family])
        if kind == "case":  # room for the GPUs: power, not the case, is what binds here
            pool = [c for c in pool if (c.expansion_slots or 0) >= 7]
        size = min(2, len(pool))
        chosen = draw(
            st.lists(st.sampled_from(pool), min_size=size, max_size=size, unique_by=lambda p: p.id)
        )
        for part in chosen:
            price = draw(st.integers(min_value=20, max_value=2000))
            parts.append(part.model_copy(update={"price_usd": float(price)}))
    gpu = draw(st.sampled_from([g for g in GPUS if g.tdp_w is not None and g.tdp_w >= 250]))
    parts.append(gpu.model_copy(update={"price_usd": 700.0}))
    qty = draw(st.integers(min_value=1, max_value=3))
    later = draw(st.integers(min_value=0, max_value=1))
    plan = tuple(PlanStep(month=6, add=(BuildItem(part=gpu.id),)) for _ in range(later))
    build = Build(items=(BuildItem(part=gpu.id, qty=qty),), plan=plan)
    accepted = draw(st.sampled_from([frozenset(), ALL_WARNINGS]))
    return Catalog(parts), build, accepted


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(power_bound_problem(), st.sampled_from([None, 0, 1, 2]))
def test_search_is_exact_where_power_binds(problem, cap):
    """Supplies and CPUs near the limit: the search still finds brute force's best build."""
    catalog, build, accepted = problem
    goals = Goals(min_storage_gb=0)
    expected = brute_force(build, catalog, goals, accepted, cap)
    event("none" if expected is None else f"found, {expected[0]} warning rules")
    run = search(build, catalog, goals, accepted=accepted, limit_usd=None, max_warnings=cap)
    found = run.found
    assert (found and (len(found.warnings), round(found.cost_usd, 2))) == (expected or None)
