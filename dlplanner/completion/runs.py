"""One completion search and the phases around it: what rules a build out, what it costs.

:func:`search` fills the kinds a build lacks with the branch and bound of
:mod:`dlplanner.completion.search` (after the candidates that fail alone are dropped);
:func:`cheapest` runs it on the user's build as it is, then, when allowed, without the
parts the user did not pin. :mod:`dlplanner.completion.propose` turns the results into
proposals.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from dlplanner.completion.domains import Domains, drop_unfit
from dlplanner.completion.goals import Goals, make_level
from dlplanner.completion.levels import (
    ALWAYS_DECIDED,
    CHECK_INTERVAL_S,
    LEVEL_KINDS,
    STAGE_KEY,
    Blocking,
    Cancelled,
    Found,
    Level,
    Memo,
    SearchStats,
    assign_rules,
    namespace_of,
    namespaces,
    rule_findings,
)
from dlplanner.completion.search import Search
from dlplanner.domain.build import Build, BuildItem
from dlplanner.domain.catalog import Catalog
from dlplanner.rules.context import StageContext, build_contexts
from dlplanner.rules.finding import Finding, Severity, Status
from dlplanner.rules.registry import REGISTRY, Rule

KEY_RULES: frozenset[str] = frozenset(
    {"cpu-pcie-lanes", "gpu-x16-slots", "gpu-slot-geometry", "pcie-power-cables", "cooler-socket"}
)
"""The checks a proposal must actually run (an *unknown* rules a build out): the multi-GPU
checks, and the cooler's mount — a completion never proposes a cooler that is only *not
known* not to fit (a partial socket list that does not name the CPU's socket)."""


ALL_WARNINGS = frozenset({"*"})
"""Accept a warning from any rule."""


def hard_blocking(finding: Finding) -> bool:
    """Whether a finding rules a build out whatever the goals.

    It does when it is an error, or a key check that could not run.
    """
    if finding.status is Status.FAIL:
        return finding.severity is Severity.ERROR
    return finding.status is Status.UNKNOWN and finding.rule in KEY_RULES


def counted_for(accepted: frozenset[str]) -> Blocking:
    """Return the test for a warning that counts against a build (not in ``accepted``)."""
    if accepted == ALL_WARNINGS:
        return lambda finding: False
    fail, warning = Status.FAIL, Severity.WARNING

    def counts(finding: Finding) -> bool:
        return (
            finding.status is fail and finding.severity is warning and finding.rule not in accepted
        )

    return counts


Cancel = Callable[[], bool]
Progress = Callable[[float], None]


def build_price(build: Build, catalog: Catalog) -> tuple[float, int]:
    """Return what a build and its plan cost, and how many lines have no price."""
    total, unpriced = 0.0, 0
    lines = [*build.items, *(item for step in build.plan for item in step.add)]
    for item in lines:
        price = catalog.unit_price(item)
        if price is None:
            unpriced += 1
        else:
            total += price * item.qty
    return total, unpriced


def _present(build: Build, catalog: Catalog) -> set[str]:
    kinds: set[str] = set()
    for item in build.items:
        part = catalog.get(item.part)
        if part is not None:
            kinds.add(part.kind)  # type: ignore[attr-defined]
    return kinds


def gpu_ids(build: Build, catalog: Catalog) -> list[str]:
    """Return the ids of the build's GPUs (its items and plan)."""
    return [pid for pid in build.part_ids() if catalog.gpu(pid) is not None]


@dataclass(slots=True)
class Run:
    """What one search found, how it went, and what ruled the build out before it began."""

    found: Found | None
    stats: SearchStats
    blocked_upfront: Finding | None = None
    unpriced: int = 0


def search(
    base: Build,
    catalog: Catalog,
    goals: Goals,
    *,
    accepted: frozenset[str],
    limit_usd: float | None,
    max_warnings: int | None = None,
    extra_rules: Sequence[Rule] = (),
    check_build: Callable[[Build], Build] | None = None,
    cancel: Cancel | None = None,
    progress: Progress | None = None,
    memo: Memo | None = None,
) -> Run:
    """Find the build with the fewest warning rules (not in ``accepted``), then cheapest.

    ``max_warnings`` rules out builds with more warning rules than that.
    """
    memo = Memo() if memo is None else memo
    present = _present(base, catalog)
    extend = check_build or (lambda b: b)
    checked = extend(base)
    contexts = build_contexts(checked, catalog)
    gpus = max((len(ctx.gpus) for ctx in contexts), default=0)
    gpu_w = max((ctx.load.gpu_w for ctx in contexts), default=0)
    lengths = [g.length_mm for ctx in contexts for g in ctx.gpus]
    longest = None if None in lengths or not lengths else max(x for x in lengths if x is not None)
    levels: list[Level] = []
    unpriced = 0
    for kind in LEVEL_KINDS:
        if kind in present:
            continue
        cached = memo.levels.get((kind, goals, longest))
        if cached is None:
            made, missing_price = make_level(kind, catalog, goals, longest)
            cached = memo.levels[kind, goals, longest] = (made.choices, missing_price)
        level, missing_price = Level(kind, list(cached[0])), cached[1]
        drop_unfit(level, base, catalog, gpus, gpu_w)
        levels.append(level)
        unpriced += missing_price
    decided = set(ALWAYS_DECIDED) | {STAGE_KEY[k] for k in present if k in STAGE_KEY}
    if base.items:
        decided.add("items")
    rules = (*REGISTRY.rules(), *extra_rules)
    counted = counted_for(accepted)
    stats = SearchStats()
    spaces = namespaces(base, check_build is not None)
    for depth, level in enumerate(levels):
        # node consistency: what a candidate fails alone, it fails with any other parts
        _filter_alone(
            base, level, decided, rules, catalog, extend, stats, depth, memo, spaces, cancel
        )
    upfront = assign_rules(levels, decided, rules)
    warned: set[str] = set()
    for entry in upfront:
        for finding in rule_findings(contexts, entry):
            if hard_blocking(finding):
                stats.block(finding, -1)
                return Run(None, stats, finding, unpriced)
            if counted(finding):
                warned.add(finding.rule)
    if any(not level.choices for level in levels):
        return Run(None, stats, None, unpriced)
    search = Search(
        base,
        levels,
        catalog,
        stats=stats,
        memo=memo,
        namespaces=spaces,
        blocking=hard_blocking,
        counted=counted,
        max_warnings=max_warnings,
        domains=Domains(base, levels, catalog, memo.fits),
        check_build=check_build,
        limit_usd=limit_usd,
        cancel=cancel,
        progress=progress,
    )
    base_cost, _ = build_price(base, catalog)
    found = search.run(base_cost, warned)
    return Run(found, search.stats, None, unpriced)


def _filter_alone(
    base: Build,
    level: Level,
    decided: set[str],
    rules: Sequence[Rule],
    catalog: Catalog,
    extend: Callable[[Build], Build],
    stats: SearchStats,
    depth: int,
    memo: Memo,
    spaces: tuple[object, object],
    cancel: Cancel | None,
) -> None:
    """Drop the choices that a rule reading only them and the fixed parts rules out."""
    known = decided | {STAGE_KEY[level.kind]}
    alone = [
        r for r in rules if r.reads is not None and r.reads <= known and not r.reads <= decided
    ]
    if not alone:
        return
    kept = []
    asked = time.monotonic() + CHECK_INTERVAL_S
    for choice in level.choices:
        if cancel is not None and time.monotonic() > asked:
            asked = time.monotonic() + CHECK_INTERVAL_S
            if cancel():
                raise Cancelled
        contexts: list[StageContext] | None = None
        blocker: Finding | None = None
        for entry in alone:
            key = (namespace_of(entry, spaces), entry.id, choice.key)
            found = memo.get(key)
            if found is None:
                if contexts is None:
                    trial = base.model_copy(update={"items": base.items + choice.items})
                    contexts = build_contexts(extend(trial), catalog)
                found = memo[key] = rule_findings(contexts, entry)
            blocker = next((f for f in found if hard_blocking(f)), None)
            if blocker is not None:
                break
        if blocker is None:
            kept.append(choice)
        else:
            stats.block(blocker, depth)
            level.dropped.append((choice.price_usd, blocker.rule, blocker.message))
    level.choices = kept


def _phases(
    build: Build, catalog: Catalog, goals: Goals
) -> Iterator[tuple[Build, tuple[BuildItem, ...]]]:
    """Yield the builds to complete: the user's as it is, then without unpinned parts."""
    yield build, ()
    if not goals.replace:
        return
    keep = set(goals.keep) | set(gpu_ids(build, catalog))
    kept = tuple(item for item in build.items if item.part in keep or item.part not in catalog)
    removed = tuple(item for item in build.items if item not in kept)
    if removed:
        yield build.model_copy(update={"items": kept}), removed


def cheapest(
    build: Build,
    catalog: Catalog,
    goals: Goals,
    *,
    limit_usd: float | None,
    max_warnings: int | None = None,
    extra_rules: Sequence[Rule] = (),
    check_build: Callable[[Build], Build] | None = None,
    cancel: Cancel | None = None,
    progress: Progress | None = None,
    memo: Memo | None = None,
) -> tuple[Found | None, tuple[BuildItem, ...], frozenset[str], list[Run]]:
    """Search phase by phase; return the best build found and how.

    Returns the build (or None), what it replaced, the warning rules it has (accepted
    because no build within the goals has fewer), and the runs. Replacing parts of the
    user's build is worth it only for a build with fewer warnings.
    """
    runs: list[Run] = []
    memo = Memo() if memo is None else memo  # phases and alternatives share every rule's findings
    accepted = ALL_WARNINGS if goals.allow_warnings else frozenset()
    best: tuple[Found, tuple[BuildItem, ...]] | None = None
    for base, removed in _phases(build, catalog, goals):
        cap = max_warnings if best is None else len(best[0].warnings) - 1
        if cap is not None and cap < 0:
            break
        run = search(
            base,
            catalog,
            goals,
            accepted=accepted,
            limit_usd=limit_usd,
            max_warnings=cap,
            extra_rules=extra_rules,
            check_build=check_build,
            cancel=cancel,
            progress=progress,
            memo=memo,
        )
        runs.append(run)
        if run.found is not None:
            best = (run.found, removed)
    if best is None:
        return None, (), accepted, runs
    found, removed = best
    return found, removed, accepted if goals.allow_warnings else found.warnings, runs
