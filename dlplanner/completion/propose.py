"""Complete a build: the cheapest passing build, up to two alternatives, and why.

:func:`complete` keeps every part of the user's build first and fills the kinds it
lacks; when no build keeps them all, it may replace the parts the user did not pin
(the GPUs always stay). The best build has the fewest rules warning about it, and of
those the lowest cost: warnings are accepted only when no build avoids them, and then
only as few as any build needs. Every proposal passes every rule at every stage with no
error and with the key multi-GPU checks (lanes, x16 slots, slot geometry, GPU power
cables) actually run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from dlplanner.completion.goals import Goals, gpu_variants, with_goals
from dlplanner.completion.levels import Found, Memo, SearchStats
from dlplanner.completion.runs import (
    ALL_WARNINGS,
    KEY_RULES,
    Cancel,
    Progress,
    Run,
    cheapest,
    gpu_ids,
)
from dlplanner.domain.build import Build, BuildItem, PlanStep
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.power import limit_build, limit_problem
from dlplanner.rules.context import StageContext, build_contexts
from dlplanner.rules.engine import Evaluation, evaluate
from dlplanner.rules.finding import Finding, Reporter, Severity
from dlplanner.rules.registry import Rule

__all__ = ["ALL_WARNINGS", "KEY_RULES", "Completion", "Pick", "Proposal", "complete"]


@dataclass(frozen=True, slots=True)
class Pick:
    """One part a proposal adds: what it costs and how it was chosen."""

    kind: str
    items: tuple[BuildItem, ...]
    price_usd: float
    cheaper_turned_down: int
    reasons: tuple[tuple[str, int, str], ...]
    """Why cheaper candidates were turned down: (reason id, count, an example message),
    most frequent first. A reason id is a rule id, ``fit`` or ``no-completion``."""


@dataclass(frozen=True, slots=True)
class Proposal:
    """A complete build that passes, and how it differs from the user's."""

    label: str
    build: Build
    total_usd: float
    """What the build and its plan cost, every part priced."""
    evaluation: Evaluation
    picks: tuple[Pick, ...]
    removed: tuple[BuildItem, ...]
    """Lines of the user's build the proposal replaced."""
    accepted_warnings: frozenset[str]
    """Rules whose warnings were accepted because no build within the goals avoids them
    (:data:`ALL_WARNINGS` when the goals accept every warning)."""
    unpriced: tuple[str, ...] = ()
    """Ids of the build's own parts without a price: the total leaves them out."""


@dataclass(frozen=True, slots=True)
class Completion:
    """What :func:`complete` found: proposals, or the constraint that binds."""

    proposals: tuple[Proposal, ...]
    binding: str | None = None
    """None when a build was found; else ``gpus``, ``gpu-cooler``, ``budget``, ``brands``,
    ``sockets``, ``kept`` or the id of the rule that ruled out the most candidates."""
    cheapest_without_goal_usd: float | None = None
    """With a binding goal: what the cheapest build that ignores it costs."""
    blocked_by: tuple[tuple[str, int, str], ...] = ()
    """(rule id, candidates ruled out, an example message), most first."""
    unpriced: int = 0
    """Catalog parts left out because they have no price."""
    notes: tuple[str, ...] = ()
    stats: SearchStats = field(default_factory=SearchStats)

    @property
    def found(self) -> bool:
        """Whether at least one build satisfies the goals."""
        return bool(self.proposals)


def _final_slots_lanes(ctx: StageContext) -> int:
    plan = ctx.slots
    if not plan.known or plan.unplaced or not plan.placed:
        return 0
    return min(place.link_lanes for place in plan.placed)


def lanes_per_gpu(build: Build, catalog: Catalog) -> int:
    """Return the fewest lanes any GPU links at, over every stage (0 when not placed)."""
    contexts = build_contexts(build, catalog)
    return min((_final_slots_lanes(ctx) for ctx in contexts if ctx.gpus), default=0)


def _more_lanes_rule(than: int) -> Rule:
    def more_lanes(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
        """Every GPU must link at more lanes than the cheapest proposal gives it."""
        if ctx.gpus and _final_slots_lanes(ctx) <= than:
            yield out.fail(
                f"GPUs link at x{_final_slots_lanes(ctx)}, not more than x{than}.",
                parts=(),
                hint="",
            )

    return Rule(
        "goal-more-lanes",
        f"More than x{than} per GPU",
        Severity.ERROR,
        more_lanes.__doc__ or "",
        more_lanes,
        "completion",
        frozenset({"cpu", "board", "storage", "case", "gpus"}),
    )


def one_more_gpu(build: Build, catalog: Catalog) -> Callable[[Build], Build] | None:
    """Return a function adding a final plan stage with one more of the last GPU added."""
    gpus = gpu_ids(build, catalog)
    if not gpus or len(build.plan) >= 20:
        return None
    last_month = max((step.month for step in build.plan), default=0)
    step = PlanStep(
        month=min(last_month + 1, 240), label="one more GPU", add=(BuildItem(part=gpus[-1]),)
    )

    def extend(candidate: Build) -> Build:
        return candidate.model_copy(update={"plan": (*candidate.plan, step)})

    return extend


def _picks(found: Found) -> tuple[Pick, ...]:
    picks = []
    for choice, rejections in zip(found.choices, found.rejections, strict=True):
        reasons = tuple(
            (reason, count, rejections.examples[reason])
            for reason, count in rejections.counts.most_common()
        )
        picks.append(Pick(choice.kind, choice.items, choice.price_usd, rejections.cheaper, reasons))
    return tuple(picks)


def _proposal(
    label: str,
    found: Found,
    removed: tuple[BuildItem, ...],
    accepted: frozenset[str],
    catalog: Catalog,
) -> Proposal | None:
    evaluation = evaluate(found.build, catalog)
    if evaluation.has_errors:  # the search and the checks disagree: never propose it
        return None
    lines = [*found.build.items, *(i for step in found.build.plan for i in step.add)]
    unpriced = tuple(dict.fromkeys(i.part for i in lines if catalog.unit_price(i) is None))
    if accepted != ALL_WARNINGS:  # name only the accepted warnings this build really has
        warned = {f.rule for f in evaluation.problems if f.severity is Severity.WARNING}
        accepted = accepted & warned
    return Proposal(
        label,
        found.build,
        found.cost_usd,
        evaluation,
        _picks(found),
        removed,
        accepted,
        unpriced,
    )


def _blocked(runs: Sequence[Run]) -> tuple[tuple[str, int, str], ...]:
    counts: dict[str, int] = {}
    examples: dict[str, str] = {}
    for run in runs:
        for rule_id, count in run.stats.blocked_by.items():
            counts[rule_id] = counts.get(rule_id, 0) + count
            examples.setdefault(rule_id, run.stats.examples.get(rule_id, ""))
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    return tuple((rule_id, count, examples[rule_id]) for rule_id, count in ranked)


def complete(
    build: Build,
    catalog: Catalog,
    goals: Goals | None = None,
    *,
    cancel: Cancel | None = None,
    progress: Progress | None = None,
) -> Completion:
    """Propose complete builds that pass every check; see the module docstring.

    Raises
    ------
    Cancelled
        When ``cancel()`` turned true during the search.
    """
    goals = goals or Goals()
    if not gpu_ids(build, catalog):
        return Completion((), binding="gpus")
    variants = gpu_variants(with_goals(build, goals), catalog, goals)
    if variants is None:
        return Completion((), binding="gpu-cooler")
    memo = Memo()
    runs: list[Run] = []
    tried: list[_Candidate] = []
    # Stock power first (always searched in full: it is shown beside a power-limited
    # build), then the limits from the lowest up: the lowest needs the fewest warnings,
    # and every higher limit is searched only for a build that needs no more of them,
    # which keeps those searches small (the "Complete four GPUs" rows).
    for limit in (None, *sorted(power_steps(variants[0], catalog))):
        known = min(tried, key=_Candidate.rank, default=None)
        cap = None
        if known is not None:
            if goals.allow_warnings:
                break
            # A power limit is worth proposing only if it needs fewer warnings than stock
            # power; between limits, the higher one wins a tie.
            cap = _warning_count(known.accepted) - (1 if known.limit is None else 0)
            if cap < 0:
                break
        for variant in variants:
            target = variant if limit is None else limit_build(variant, catalog, limit)
            found, removed, accepted, done = cheapest(
                target,
                catalog,
                goals,
                limit_usd=goals.budget_usd,
                cancel=cancel,
                progress=progress,
                memo=memo,
                max_warnings=cap,
            )
            runs.extend(done)
            if found is not None:
                kept = {(i.part, i.qty) for i in target.items}
                swapped = tuple(i for i in build.items if (i.part, i.qty) not in kept)
                tried.append(_Candidate(found, removed + swapped, accepted, target, limit))
    unpriced = max((run.unpriced for run in runs), default=0)
    stats = runs[-1].stats if runs else SearchStats()
    if not tried:
        return _diagnose(variants[0], catalog, goals, runs, unpriced, cancel, memo)
    best = min(tried, key=_Candidate.rank)
    target = best.target
    proposals: list[Proposal] = []
    notes: list[str] = []
    label = "Cheapest" if best.limit is None else f"Cheapest at {best.limit} W per GPU"
    first = _proposal(label, best.found, best.removed, best.accepted, catalog)
    if first is not None:
        proposals.append(first)
    stock = min((c for c in tried if c.limit is None), key=_Candidate.rank, default=None)
    if first is not None and best.limit is not None and stock is not None:
        at_stock = _proposal("At stock power", stock.found, stock.removed, stock.accepted, catalog)
        if at_stock is not None:
            proposals.append(at_stock)
    if goals.alternatives > len(proposals) and first is not None:
        proposals.extend(_alternatives(target, catalog, goals, first, notes, cancel, memo))
    return Completion(
        tuple(proposals[: max(goals.alternatives, 1)]),
        unpriced=unpriced,
        notes=tuple(notes),
        stats=stats,
    )


POWER_SHARES = (0.9, 0.8, 0.7)
"""Power limits tried, as shares of the strongest GPU's stock power, when stock power
forces a warning (the circuit, the PSU): the first share that avoids it wins."""

POWER_STEP_W = 5


def power_steps(build: Build, catalog: Catalog) -> list[int]:
    """Return the power limits (watts per GPU) a completion may propose, highest first.

    Only limits every GPU of the build accepts (its minimum, its maximum) are offered, and
    none when a GPU's stock power is unknown or a line already has a limit of its own.
    """
    lines = [*build.items, *(i for step in build.plan for i in step.add)]
    gpus = [(catalog.gpu(i.part), i) for i in lines if catalog.gpu(i.part) is not None]
    if not gpus or any(g.tdp_w is None or i.power_limit_w for g, i in gpus):  # type: ignore[union-attr]
        return []
    top = max(g.tdp_w or 0 for g, _ in gpus)  # type: ignore[union-attr]
    steps = []
    for share in POWER_SHARES:
        limit = int(top * share) // POWER_STEP_W * POWER_STEP_W
        capped = [g for g, _ in gpus if (g.tdp_w or 0) > limit]  # type: ignore[union-attr]
        if capped and all(limit_problem(g, limit) is None for g in capped):  # type: ignore[arg-type]
            steps.append(limit)
    return steps


@dataclass(frozen=True, slots=True)
class _Candidate:
    found: Found
    removed: tuple[BuildItem, ...]
    accepted: frozenset[str]
    target: Build
    limit: int | None

    def rank(self) -> tuple[int, int, float]:
        """Fewest accepted warnings, then the highest power (stock first), then cost."""
        return (_warning_count(self.accepted), -(self.limit or 100_000), self.found.cost_usd)


def _warning_count(accepted: frozenset[str]) -> int:
    return 99 if accepted == ALL_WARNINGS else len(accepted)


def _alternatives(
    build: Build,
    catalog: Catalog,
    goals: Goals,
    first: Proposal,
    notes: list[str],
    cancel: Cancel | None,
    memo: Memo,
) -> Iterator[Proposal]:
    seen = {first.build.items}
    lanes = lanes_per_gpu(first.build, catalog)
    if lanes < 16:
        found, removed, accepted, _ = cheapest(
            build,
            catalog,
            goals,
            limit_usd=goals.budget_usd,
            extra_rules=(_more_lanes_rule(lanes),),
            cancel=cancel,
            memo=memo,
        )
        if found is not None and found.build.items not in seen:
            proposal = _proposal("More lanes per GPU", found, removed, accepted, catalog)
            if proposal is not None:
                seen.add(found.build.items)
                yield proposal
        else:
            notes.append(f"No build within the goals links every GPU at more than x{lanes}.")
    extend = one_more_gpu(build, catalog)
    if extend is None:
        return
    found, removed, accepted, _ = cheapest(
        build,
        catalog,
        goals,
        limit_usd=goals.budget_usd,
        check_build=extend,
        cancel=cancel,
        memo=memo,
    )
    if found is not None and found.build.items not in seen:
        proposal = _proposal("Room for one more GPU", found, removed, accepted, catalog)
        if proposal is not None:
            yield proposal
    elif found is None:
        notes.append("No build within the goals has room for one more GPU.")


def _diagnose(
    build: Build,
    catalog: Catalog,
    goals: Goals,
    runs: Sequence[Run],
    unpriced: int,
    cancel: Cancel | None,
    memo: Memo,
) -> Completion:
    blocked = _blocked(runs)
    relaxations: list[tuple[str, Goals, float | None]] = []
    if goals.budget_usd is not None:
        relaxations.append(("budget", goals, None))
    if goals.brands:
        relaxations.append(("brands", replace(goals, brands=frozenset()), goals.budget_usd))
    if goals.sockets:
        relaxations.append(("sockets", replace(goals, sockets=frozenset()), goals.budget_usd))
    if not goals.replace:
        relaxations.append(("kept", replace(goals, replace=True), goals.budget_usd))
    for name, relaxed, limit in relaxations:
        # other goals give other candidate lists: only the budget can share the memo
        shared = memo if name == "budget" else None
        found, _, _, _ = cheapest(
            build, catalog, relaxed, limit_usd=limit, cancel=cancel, memo=shared
        )
        if found is not None:
            return Completion(
                (),
                binding=name,
                cheapest_without_goal_usd=found.cost_usd,
                blocked_by=blocked,
                unpriced=unpriced,
            )
    binding = blocked[0][0] if blocked else "catalog"
    return Completion((), binding=binding, blocked_by=blocked, unpriced=unpriced)
