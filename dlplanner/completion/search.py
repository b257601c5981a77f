"""Branch and bound over the kinds a build lacks, pruned by the rules themselves.

The search fills one kind per level (CPU, case, board, drive, PSU, memory, cooler: the
kinds that constrain the multi-GPU checks most come first). Each candidate is tried in
price order. The best build has the fewest rules warning about it, then the lowest cost
(one search, not a round per accepted warning). A rule is run at the first level where
every part it ``reads`` is decided: from then on its findings cannot change, so an error
there rules out the whole subtree, and a warning counts against it. This is exact (the
pruning uses the rule functions the checks use, not a copy). Rules whose default is a
note run only on complete builds.

What keeps it fast:

- a rule runs on a build of only the parts it reads, and its verdict is remembered by
  those choices: once per combination of the parts it looks at;
- the fit filter (the one set of compatibility predicates) narrows each level by the
  earlier choices its kind is compared with (:mod:`dlplanner.completion.domains`), and a
  candidate ruled out by a rule that reads only some earlier levels is not walked again
  under their other siblings;
- a lower bound (the cost so far plus the cheapest choice of every later level; the
  warnings so far) prunes subtrees that cannot beat the best build found, the budget or
  the warning cap;
- a supply ruled out under one CPU is ruled out under every CPU that draws at least as
  much (the supply-level power rules only compare a growing load with a rating; see
  ``CPU_POWER_NEVER_UNBLOCKS``): a CPU's supplies are not judged one by one again;
- when a level fails for reasons that do not involve the level above, the search jumps
  straight back to the deepest level involved (conflict-directed backjumping): a CPU
  whose power no supply can carry is dropped once, not once per case, board and drive.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dlplanner.completion.levels import (
    CHECK_INTERVAL_S,
    CPU_POWER_NEVER_UNBLOCKS,
    CPU_POWER_NEVER_UNWARNS,
    NO_COMPLETION,
    STAGE_KEY,
    Blocking,
    Cancelled,
    Choice,
    Found,
    Level,
    Memo,
    Rejections,
    SearchStats,
    namespace_of,
    rule_findings,
)
from dlplanner.domain.build import Build, BuildItem
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.parts import CpuPart, PsuPart
from dlplanner.domain.power import cpu_power_w
from dlplanner.rules.context import StageContext, build_contexts
from dlplanner.rules.finding import Finding, Severity
from dlplanner.rules.fit import fit_conflict
from dlplanner.rules.registry import Rule

if TYPE_CHECKING:
    from dlplanner.completion.domains import Domains

_Plan = tuple[Rule, tuple[object, str], tuple[int, ...], int]
"""A rule as a level runs it: the rule, its memo key prefix, the levels it reads, their mask."""


@dataclass(slots=True)
class _Seen:
    """What the rules reading some earlier levels said of a level's candidates (bit masks)."""

    judged: int = 0
    failing: int = 0
    warned: dict[frozenset[str], int] = field(default_factory=dict)
    """The warning rules they count → the candidates they count them for."""


@dataclass(slots=True)
class _Step:
    """What a candidate adds at its level: the warnings it brings, or why it is out."""

    warned: dict[str, int]
    """Rule id → the levels its warning rests on (a bit mask), for the new warnings."""
    blocker: Finding | None = None
    blocker_levels: int = 0
    first_warning: Finding | None = None


_Ranked = list[tuple[int, _Seen]]
"""CPUs judged at a group, with their power (watts), lowest first."""


class Search:
    """One branch-and-bound run over fixed levels; see the module docstring."""

    def __init__(
        self,
        base: Build,
        levels: Sequence[Level],
        catalog: Catalog,
        *,
        stats: SearchStats | None = None,
        memo: Memo | None = None,
        namespaces: tuple[object, object] = (None, None),
        blocking: Blocking,
        counted: Blocking,
        max_warnings: int | None = None,
        domains: Domains | None = None,
        check_build: Callable[[Build], Build] | None = None,
        limit_usd: float | None = None,
        cancel: Callable[[], bool] | None = None,
        progress: Callable[[float], None] | None = None,
    ) -> None:
        self.base = base
        self.levels = list(levels)
        self.catalog = catalog
        self.blocking = blocking
        self.counted = counted
        self.cap = max_warnings
        self.domains = domains
        self.check_build = check_build or (lambda b: b)
        self.limit = limit_usd
        self.cancel = cancel
        self.progress = progress
        self.stats = stats or SearchStats()
        self.best: Found | None = None
        self._best_warnings = 0
        self._next_check = 0.0
        self._suffix = self._suffix_minimum()
        self._stack: list[Rejections] = []
        self._chosen: list[Choice] = []
        self._domains: list[int] = []
        self._fitting: list[int] = []
        self._groups_seen: dict[tuple[object, ...], _Seen] = {}
        self._indices: list[int] = []
        self._warned: dict[str, int] = {}
        """The warnings of the path so far: rule id → the levels it rests on."""
        self._memo: Memo = Memo() if memo is None else memo
        self._namespaces = namespaces
        self._reads = [
            {
                r.id: tuple(
                    i
                    for i in range(depth)
                    if r.reads is None or STAGE_KEY[self.levels[i].kind] in r.reads
                )
                for r in level.rules
            }
            for depth, level in enumerate(self.levels)
        ]
        """Per level and rule: the earlier levels whose choice the rule reads."""
        self._plans = [
            [
                (
                    r,
                    (namespace_of(r, namespaces), r.id),
                    self._reads[depth][r.id],
                    sum(1 << i for i in self._reads[depth][r.id]),
                )
                for r in level.rules
            ]
            for depth, level in enumerate(self.levels)
        ]
        """Per level: each rule, its memo key prefix, the levels it reads and their mask."""
        self._deferred = [
            [plan for plan in plans if plan[0].severity is Severity.INFO] for plans in self._plans
        ]
        """Per level: the rules run only on complete builds. A rule whose default is a note
        (power-limit hints, BIOS notes …) hardly ever rules a build out, and some are
        slow: checking them once per complete build, not per node, keeps the search exact
        and fast (the "Complete four GPUs" rows)."""
        self._plans = [
            [plan for plan in plans if plan[0].severity is not Severity.INFO]
            for plans in self._plans
        ]
        self._groups: list[list[tuple[tuple[int, ...], int, list[_Plan]]]] = []
        """Per level: the rules reading some, not all, earlier levels, by what they read."""
        for depth, plans in enumerate(self._plans):
            by_reads: dict[tuple[int, ...], list[_Plan]] = {}
            for plan in plans:
                if len(plan[2]) < depth:
                    by_reads.setdefault(plan[2], []).append(plan)
            self._groups.append([(r, plans[0][3], plans) for r, plans in by_reads.items()])
        self._group_of = [
            {plan[0].id: reads for reads, _, plans in groups for plan in plans}
            for groups in self._groups
        ]
        self._by_power = self._power_ranked(catalog)
        """The supply level's groups whose verdicts carry over to a CPU that draws more: per
        (level, the CPU level read), the CPUs judged there with their power, lowest first."""

    def _power_ranked(self, catalog: Catalog) -> dict[tuple[int, tuple[int, ...]], _Ranked]:
        """Return the groups where :data:`CPU_POWER_NEVER_UNBLOCKS` applies, each with no CPU yet.

        It applies to the supply level's rules that read the CPU level and nothing else
        chosen, when every one of them is such a rule and the build has no power supply of
        its own at any stage (the one the level adds feeds everything).
        """
        kinds = [level.kind for level in self.levels]
        if "cpu" not in kinds or "psu" not in kinds:
            return {}
        lines = [*self.base.items, *(i for step in self.base.plan for i in step.add)]
        if any(isinstance(catalog.get(i.part), PsuPart) for i in lines):
            return {}
        depth, cpu = kinds.index("psu"), (kinds.index("cpu"),)
        return {
            (depth, reads): []
            for reads, _, plans in self._groups[depth]
            if reads == cpu and all(plan[0].id in CPU_POWER_NEVER_UNBLOCKS for plan in plans)
        }

    def _seeded(self, depth: int, reads: tuple[int, ...], key: tuple[object, ...]) -> _Seen | None:
        """Start what a power-ranked group knows of a new CPU from the CPUs drawing less.

        A candidate ruled out under a CPU that draws no more than this one is ruled out
        here too, and the warnings of :data:`CPU_POWER_NEVER_UNWARNS` it had there it has
        here at least (lower bounds: the candidates are not marked judged).
        """
        ranked = self._by_power.get((depth, reads))
        if ranked is None:
            return None
        part = self._chosen[reads[0]].part
        power = cpu_power_w(part) if isinstance(part, CpuPart) and part.tdp_w else None
        if power is None:
            return None
        seen = self._groups_seen[key] = _Seen()
        for other, known in ranked:
            if other > power:
                break
            seen.failing |= known.failing
            for rules, candidates in known.warned.items():
                kept = rules & CPU_POWER_NEVER_UNWARNS
                if kept:
                    seen.warned[kept] = seen.warned.get(kept, 0) | candidates
        bisect.insort(ranked, (power, seen), key=lambda entry: entry[0])
        return seen

    def _suffix_minimum(self) -> list[float]:
        """``suffix[i]``: the least the levels from ``i`` on can cost (the static bound)."""
        suffix = [0.0] * (len(self.levels) + 1)
        for i in range(len(self.levels) - 1, -1, -1):
            choices = self.levels[i].choices
            suffix[i] = suffix[i + 1] + (min(c.price_usd for c in choices) if choices else 0.0)
        return suffix

    def _with(self, items: tuple[BuildItem, ...]) -> Build:
        return self.base.model_copy(update={"items": self.base.items + items})

    def _tick(self) -> None:
        now = time.monotonic()
        if now < self._next_check:
            return
        self._next_check = now + CHECK_INTERVAL_S
        if self.cancel is not None and self.cancel():
            raise Cancelled

    def run(self, base_cost: float, warned: Iterable[str] = ()) -> Found | None:
        """Search; return the best passing build (or None). Raises :class:`Cancelled`.

        Best is fewest warning rules first, then cost. ``warned`` are the rules the fixed
        parts alone already warn about (they count towards every build).
        """
        start = time.perf_counter()
        self._warned = dict.fromkeys(warned, 0)
        try:
            if self._out(len(self._warned), base_cost + self._suffix[0]) is None:
                self._descend(0, base_cost, ())
        finally:
            self.stats.seconds = time.perf_counter() - start
        return self.best

    def _out(self, warnings: int, cost_bound: float) -> int | None:
        """Whether a node can no longer beat the best, the budget or the warning cap.

        Returns None when it still can; else 1 when the warnings alone rule it out (the
        reason rests on the levels the warnings read), 2 when its cost does.
        """
        if self.limit is not None and cost_bound > self.limit:
            return 2
        if self.cap is not None and warnings > self.cap:
            return 1
        if self.best is None:
            return None
        if warnings > self._best_warnings:
            return 1
        if warnings == self._best_warnings and cost_bound >= self.best.cost_usd:
            return 2
        return None

    def _descend(self, depth: int, cost: float, items: tuple[BuildItem, ...]) -> tuple[bool, int]:
        """Try the choices of level ``depth``.

        Returns whether a new best build was found below, and the conflict: the mask of
        the earlier levels whose choices made the rest fail. When a child fails for
        reasons that do not involve this level, no other choice here can do better, so
        the search jumps back (conflict-directed backjumping; exact).
        """
        if depth == len(self.levels):
            return self._leaf(cost, items)
        level = self.levels[depth]
        earlier = (1 << depth) - 1
        fitting = self._domain(depth)
        conflict = 0
        if self.domains is not None and fitting != self.domains.unary[depth]:
            conflict = self.domains.reader_masks[depth]  # earlier choices narrowed this level
        passing, narrowed_by = self._rule_domain(depth)
        domain = fitting & passing
        conflict |= narrowed_by
        rejections = Rejections()
        self._stack.append(rejections)
        self._domains.append(domain)
        self._fitting.append(fitting)
        found_any = False
        total = len(level.choices)
        remaining = domain
        warned = self._warned
        try:
            while remaining:
                low = remaining & -remaining
                remaining ^= low
                index = low.bit_length() - 1
                choice = level.choices[index]
                self._tick()
                if depth == 0 and self.progress is not None:
                    self.progress(index / max(total, 1))
                bound = cost + choice.price_usd + self._suffix[depth + 1]
                why = self._out(len(warned), bound)
                if why is not None:
                    self.stats.bound_pruned += 1
                    conflict |= earlier if why == 2 else self._warned_levels(warned)
                    break  # choices are sorted by price: every later one is no better
                self.stats.nodes += 1
                trial = items + choice.items
                self._judge_alone(depth, index, choice)
                step = self._check_level(depth, choice, trial)
                if step.blocker is not None:
                    self.stats.block(step.blocker, depth)
                    rejections.add(step.blocker.rule, step.blocker.message)
                    conflict |= step.blocker_levels
                    continue
                new = step.warned
                why = self._out(len(warned) + len(new), bound) if new else None
                if why is not None:
                    assert step.first_warning is not None
                    self.stats.block(step.first_warning, depth)
                    rejections.add(step.first_warning.rule, step.first_warning.message)
                    both = self._warned_levels(warned) | self._warned_levels(new)
                    conflict |= earlier if why == 2 else both
                    continue
                self.stats.deepest = max(self.stats.deepest, depth)
                self._chosen.append(choice)
                self._indices.append(index)
                warned.update(new)
                try:
                    found, below = self._descend(depth + 1, cost + choice.price_usd, trial)
                finally:
                    for rule_id in new:
                        del warned[rule_id]
                    self._indices.pop()
                    self._chosen.pop()
                if found:
                    found_any = True
                else:
                    rejections.add(NO_COMPLETION, choice.part.title)
                    if not below >> depth & 1:
                        return found_any, below & earlier  # this level is not to blame
                    conflict |= below
        finally:
            self._fitting.pop()
            self._domains.pop()
            self._stack.pop()
        return found_any, conflict & earlier

    @staticmethod
    def _warned_levels(warned: dict[str, int]) -> int:
        mask = 0
        for levels in warned.values():
            mask |= levels
        return mask

    def _rule_domain(self, depth: int) -> tuple[int, int]:
        """Return the mask of the level's candidates not already known to fail here.

        Only the rules that read some but not all earlier levels count here: their verdict
        on a candidate holds for every choice of the levels they do not read, so a
        candidate one of them ruled out (an error, or more warnings than the best build
        or the cap allows) is not walked again under the next sibling (the power rules
        judge a supply by the CPU alone, not once per case, board and drive tried in
        between: the "Complete four GPUs" rows). Also returns the levels whose choices
        narrowed it.
        """
        full = (1 << len(self.levels[depth].choices)) - 1
        mask, narrowed_by = full, 0
        allowed = self._warnings_allowed()
        warned = self._warned
        for reads, levels, _ in self._groups[depth]:
            key = (depth, reads, *[self._chosen[i].key for i in reads])
            seen = self._groups_seen.get(key)
            if seen is None:
                seen = self._seeded(depth, reads, key)
                if seen is None:
                    continue
            if seen.failing:
                narrowed_by |= levels
                mask &= ~seen.failing
            if allowed is None:
                continue
            for rules, candidates in seen.warned.items():
                if len(warned) + sum(1 for r in rules if r not in warned) > allowed:
                    narrowed_by |= levels | self._warned_levels(warned)
                    mask &= ~candidates
        return mask, narrowed_by

    def _warnings_allowed(self) -> int | None:
        """Return the most warning rules a build may have and still beat the best and the cap."""
        limits = [
            n for n in (self.cap, self._best_warnings if self.best else None) if n is not None
        ]
        return min(limits, default=None)

    def _judge_alone(self, depth: int, index: int, choice: Choice) -> None:
        """Record what the level's partial-read rules say of a candidate (once per key)."""
        bit = 1 << index
        for reads, _, plans in self._groups[depth]:
            key = (depth, reads, *[self._chosen[i].key for i in reads])
            seen = self._groups_seen.get(key)
            if seen is None:
                seen = self._groups_seen[key] = _Seen()
            if seen.judged & bit:
                continue
            seen.judged |= bit
            blocked, rules = self._verdict(depth, choice, plans)
            if blocked:
                seen.failing |= bit
            elif rules:
                seen.warned[rules] = seen.warned.get(rules, 0) | bit

    def _verdict(
        self, depth: int, choice: Choice, plans: list[_Plan]
    ) -> tuple[bool, frozenset[str]]:
        """Whether ``plans`` rule the candidate out, and the warning rules they count."""
        rules: set[str] = set()
        for _, found in self._findings(depth, choice, (), plans):
            for finding in found:
                if self.blocking(finding):
                    return True, frozenset()
                if self.counted(finding):
                    rules.add(finding.rule)
        return False, frozenset(rules)

    def _domain(self, depth: int) -> int:
        if self.domains is None:
            return (1 << len(self.levels[depth].choices)) - 1
        return self.domains.domain(depth, self._chosen)

    def _check_level(
        self,
        depth: int,
        choice: Choice,
        items: tuple[BuildItem, ...],
        plans: list[_Plan] | None = None,
    ) -> _Step:
        """Run the rules this level decides: the first finding that blocks, or the warnings.

        Each rule's findings are remembered by the choices it reads: the rest of the
        build is fixed during a search, so equal choices give equal findings. For the same
        reason a rule is run on a build of only the parts it reads (and the fixed ones):
        such a build is cheaper to check (no slot placement for the power rules, the
        hottest of the "Complete four GPUs" rows).
        """
        blocking, counted = self.blocking, self.counted
        step = _Step({})
        own = 1 << depth
        for (_, _, _, mask), found in self._findings(depth, choice, items, plans):
            for finding in found:
                if blocking(finding):
                    step.blocker, step.blocker_levels = finding, mask
                    return step
                if counted(finding) and finding.rule not in self._warned:
                    step.warned[finding.rule] = mask | own
                    if step.first_warning is None:
                        step.first_warning = finding
        return step

    def _findings(
        self,
        depth: int,
        choice: Choice,
        items: tuple[BuildItem, ...],
        plans: list[_Plan] | None = None,
    ) -> Iterator[tuple[_Plan, tuple[Finding, ...]]]:
        """Yield each rule of the level (or ``plans``) with its findings for ``choice``."""
        contexts: dict[tuple[int, ...], list[StageContext]] = {}
        chosen, memo = self._chosen, self._memo
        for plan in self._plans[depth] if plans is None else plans:
            entry, prefix, reads, _ = plan
            key = (*prefix, *[chosen[i].key for i in reads], choice.key)
            found = memo.get(key)
            if found is None:
                ctx = contexts.get(reads)
                if ctx is None:
                    if len(reads) == depth:
                        lines = items
                    else:
                        lines = tuple(x for i in reads for x in chosen[i].items) + choice.items
                    trial = self.check_build(self._with(lines))
                    ctx = contexts[reads] = build_contexts(trial, self.catalog)
                found = memo[key] = rule_findings(ctx, entry)
            yield plan, found

    def _leaf(self, cost: float, items: tuple[BuildItem, ...]) -> tuple[bool, int]:
        """Run the deferred rules on a complete build; keep it if it still beats the best."""
        self.stats.leaves += 1
        warned = self._warned
        new: dict[str, int] = {}
        for depth, plans in enumerate(self._deferred):
            if not plans:
                continue
            step = self._check_level(depth, self._chosen[depth], items, plans)
            if step.blocker is not None:
                self.stats.block(step.blocker, depth)
                return False, step.blocker_levels | 1 << depth
            for rule_id, levels in step.warned.items():
                new.setdefault(rule_id, levels)
        if new and self._out(len(warned) + len(new), cost) is not None:
            return False, (1 << len(self.levels)) - 1
        warned.update(new)
        try:
            self._keep(cost, items)
        finally:
            for rule_id in new:
                del warned[rule_id]
        return True, 0

    def _ruled_out(self, depth: int, mask: int, rejections: Rejections) -> None:
        """Count the candidates in ``mask`` under the rule that ruled each out."""
        choices = self.levels[depth].choices
        while mask:
            low = mask & -mask
            mask ^= low
            choice = choices[low.bit_length() - 1]
            said = [
                finding
                for _, _, plans in self._groups[depth]
                for _, found in self._findings(depth, choice, (), plans)
                for finding in found
            ]
            reason = next((f for f in said if self.blocking(f)), None)
            reason = reason or next((f for f in said if self.counted(f)), None)
            if reason is not None:
                rejections.add(reason.rule, reason.message)

    def _unfit_example(self, depth: int, unfit: int) -> str:
        """Say why the cheapest of the ``unfit`` candidates does not fit the earlier choices."""
        choice = self.levels[depth].choices[(unfit & -unfit).bit_length() - 1]
        earlier = self._with(tuple(x for c in self._chosen[:depth] for x in c.items))
        conflict = fit_conflict(earlier, self.catalog)(choice.part)
        return "" if conflict is None else f"the {choice.part.title}: {conflict.short}"

    def _keep(self, cost: float, items: tuple[BuildItem, ...]) -> None:
        build = self._with(items)
        rejections = []
        for depth, level_rejections in enumerate(self._stack):
            snap = level_rejections.copy()
            cheaper = (1 << self._indices[depth]) - 1
            unfit = ~self._fitting[depth] & cheaper
            if unfit:
                snap.counts["fit"] += unfit.bit_count()
                snap.examples.setdefault("fit", self._unfit_example(depth, unfit))
            self._ruled_out(depth, self._fitting[depth] & ~self._domains[depth] & cheaper, snap)
            price = self._chosen[depth].price_usd
            for dropped_price, reason, example in self.levels[depth].dropped:
                if dropped_price < price:
                    snap.add(reason, example)
            snap.cheaper = sum(snap.counts.values())
            rejections.append(snap)
        self.best = Found(
            build, cost, tuple(self._chosen), tuple(rejections), frozenset(self._warned)
        )
        self._best_warnings = len(self._warned)
