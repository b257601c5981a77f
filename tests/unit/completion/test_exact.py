"""The completion search is exact: it finds the cheapest build brute force finds.

Small catalogs are drawn from the rule tests' realistic parts with random prices; brute
force tries every combination of one part per missing kind (memory in 1–4 kits) and
judges each with the full engine, stage by stage, with the same notion of "passes".
"""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from dlplanner.completion.goals import Goals, _allowed, _options
from dlplanner.completion.propose import ALL_WARNINGS, _search, blocking_for
from dlplanner.completion.search import LEVEL_KINDS
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


def passes(build: Build, catalog: Catalog, accepted: frozenset[str]) -> bool:
    blocking = blocking_for(accepted)
    for ctx in build_contexts(build, catalog):
        for found in run_stage(ctx).values():
            if any(blocking(f) for f in found):
                return False
    return True


def brute_force(base: Build, catalog: Catalog, goals: Goals, accepted: frozenset[str]):
    present = {catalog.get(i.part).kind for i in base.items}
    options = []
    for kind in LEVEL_KINDS:
        if kind in present:
            continue
        level = []
        for part in catalog.of_kind(kind):
            if _allowed(part, goals) and part.price_usd:
                level.extend(_options(part, part.price_usd))
        options.append(level)
    best = None
    fixed = sum(catalog.unit_price(i) * i.qty for i in base.items) + sum(
        catalog.unit_price(i) * i.qty for s in base.plan for i in s.add
    )
    for combo in itertools.product(*options):
        cost = fixed + sum(price for _, price in combo)
        if best is not None and cost >= best:
            continue
        items = tuple(item for lines, _ in combo for item in lines)
        build = base.model_copy(update={"items": base.items + items})
        if passes(build, catalog, accepted):
            best = cost
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
@given(small_problem())
def test_search_finds_the_cheapest_passing_build(problem):
    catalog, build, accepted = problem
    goals = Goals(min_storage_gb=0)
    expected = brute_force(build, catalog, goals, accepted)
    event("found" if expected is not None else "none")
    run = _search(build, catalog, goals, accepted=accepted, limit_usd=None)
    if expected is None:
        assert run.found is None
    else:
        assert run.found is not None
        assert round(run.found.cost_usd, 2) == round(expected, 2)
        assert passes(run.found.build, catalog, accepted)
