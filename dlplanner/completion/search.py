"""Branch and bound over the kinds a build lacks, pruned by the rules themselves.

The search fills one kind per level (CPU, board, storage, case, PSU, memory, cooler: the
kinds that constrain the multi-GPU checks most come first). Each candidate is tried in
price order. A rule is run at the first level where every part it ``reads`` is decided:
from then on its findings cannot change, so a blocking finding there rules out the whole
subtree. This is exact (the pruning uses the rule functions the checks use, not a copy)
and it is what makes the search fast: most candidates fail one cheap rule early.

A lower bound (the cost so far plus the cheapest choice of every later level) prunes
subtrees that cannot beat the best build found or the budget. Each rule's verdict is
remembered by the choices it reads, so a rule runs once per combination of the parts it
looks at, however many ways the rest of the build is filled.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from dlplanner.domain.build import Build, BuildItem
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.parts import PartBase
from dlplanner.rules.context import StageContext, build_contexts
from dlplanner.rules.finding import Finding, Reporter, Severity, Status
from dlplanner.rules.registry import REGISTRY, Rule

LEVEL_KINDS: tuple[str, ...] = ("cpu", "case", "motherboard", "storage", "psu", "memory", "cooler")
"""The kinds a completion fills, most constraining first: the CPU (lanes, socket), the case
(slots for the GPUs), the board (socket, x16 slots; with the case known the slot rules
can run as soon as the drive is chosen: an M.2 drive can switch off a PCIe slot)."""

STAGE_KEY: dict[str, str] = {
    "cpu": "cpu",
    "motherboard": "board",
    "storage": "storage",
    "case": "case",
    "psu": "psu",
    "memory": "memory",
    "cooler": "cooler",
    "gpu": "gpus",
}
"""The stage key (``StageContext`` attribute) a kind's part lands in."""

ALWAYS_DECIDED = frozenset({"gpus", "power", "final", "unknown", "foreign"})
"""Stage keys a completion never changes: the GPUs (and their power limits), the plan and
parts the catalog lacks."""

CHECK_INTERVAL_S = 0.02
"""How often the search asks whether it was cancelled (well inside the 100 ms promise)."""


class Cancelled(Exception):
    """The caller asked the search to stop."""


@dataclass(frozen=True, slots=True)
class Choice:
    """One way to fill a level: the lines it adds and what they cost."""

    kind: str
    part: PartBase
    items: tuple[BuildItem, ...]
    price_usd: float
    key: int = 0
    """Tells the choices of one level apart (cheap to hash, unlike the items)."""


@dataclass(slots=True)
class Level:
    """A kind to fill, its candidate choices (cheapest first) and the rules it decides."""

    kind: str
    choices: list[Choice]
    rules: tuple[Rule, ...] = ()


@dataclass(slots=True)
class Rejections:
    """Why candidates of one level were turned down: counts per reason, one example each."""

    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    cheaper: int = 0
    """How many cheaper candidates than the chosen one were turned down."""

    def add(self, reason: str, example: str) -> None:
        """Count one rejection."""
        self.counts[reason] += 1
        self.examples.setdefault(reason, example)

    def copy(self) -> Rejections:
        """Return an independent copy."""
        return Rejections(Counter(self.counts), dict(self.examples), self.cheaper)


NO_COMPLETION = "no-completion"
"""Rejection reason of a candidate that passed its own level but had no passing completion."""


@dataclass(frozen=True, slots=True)
class Found:
    """A complete build that passes, with the choices made and the cheaper ones turned down."""

    build: Build
    cost_usd: float
    choices: tuple[Choice, ...]
    rejections: tuple[Rejections, ...]


@dataclass(slots=True)
class SearchStats:
    """What the search did: for explanations and the benchmarks."""

    nodes: int = 0
    leaves: int = 0
    bound_pruned: int = 0
    blocked_by: Counter[str] = field(default_factory=Counter)
    """Rule id → how many candidates it ruled out, over the whole search."""
    examples: dict[str, str] = field(default_factory=dict)
    """Rule id → one message of a finding that ruled a candidate out."""
    deepest: int = -1
    """The deepest level where some candidate passed its rules."""
    blocked_at: Counter[tuple[int, str]] = field(default_factory=Counter)
    """(level, rule id) → candidates it ruled out there (level -1: the fixed parts)."""
    warning_rules: set[str] = field(default_factory=set)
    """Rules that ruled candidates out with a warning (not an error)."""

    def block(self, finding: Finding, depth: int) -> None:
        """Count a candidate ruled out by ``finding`` at level ``depth``."""
        rule_id = finding.rule
        self.blocked_by[rule_id] += 1
        self.examples.setdefault(rule_id, finding.message)
        self.blocked_at[depth, rule_id] += 1
        if finding.status is Status.FAIL and finding.severity is Severity.WARNING:
            self.warning_rules.add(rule_id)

    seconds: float = 0.0


Blocking = Callable[[Finding], bool]
"""Whether a finding rules a build out."""


def assign_rules(
    levels: Sequence[Level], decided: Iterable[str], rules: Sequence[Rule] | None = None
) -> tuple[Rule, ...]:
    """Give every level the rules that become decidable there.

    Returns the rules decidable before any level (they judge the fixed parts alone). The
    rules that can only run on the complete build (those without ``reads`` and those
    reading a key no level decides) go to the last level; with no levels, every rule is
    decidable up front. ``levels`` are updated in place.
    """
    rules = REGISTRY.rules() if rules is None else tuple(rules)
    known = set(decided)
    placed: set[str] = set()
    upfront = tuple(r for r in rules if r.reads is not None and r.reads <= known)
    placed.update(r.id for r in upfront)
    for level in levels:
        known.add(STAGE_KEY[level.kind])
        if level is levels[-1]:
            known.update({"items", "duplicates"})
        mine = [r for r in rules if r.id not in placed and r.reads is not None and r.reads <= known]
        placed.update(r.id for r in mine)
        level.rules = tuple(mine)
    leftover = tuple(r for r in rules if r.id not in placed)
    if not levels:
        return upfront + leftover
    levels[-1].rules += leftover
    return upfront


def rule_findings(contexts: Sequence[StageContext], entry: Rule) -> tuple[Finding, ...]:
    """Run one rule on every stage (skipping stages whose parts it reads did not change)."""
    reads = entry.reads
    before: StageContext | None = None
    found: list[Finding] = []
    for ctx in contexts:
        if before is not None and reads is not None:
            keys, old = ctx.keys, before.keys
            if all(keys.get(k) == old.get(k) for k in reads):
                continue  # same parts as the stage before: same findings
        before = ctx
        out = Reporter(entry.id, entry.severity, ctx.stage)
        try:
            found.extend(entry.check(ctx, out))
        except Exception:  # a rule bug: the engine reports it as unknown, never blocks
            continue
    return tuple(found)


def first_blocking(
    contexts: Sequence[StageContext], rules: Iterable[Rule], blocking: Blocking
) -> Finding | None:
    """Run ``rules`` on every stage; return the first finding that rules the build out."""
    for entry in rules:
        for finding in rule_findings(contexts, entry):
            if blocking(finding):
                return finding
    return None


Memo = dict[tuple[object, ...], tuple[Finding, ...]]
"""A rule's findings by (namespace, rule id, the keys of the choices it reads)."""


def namespaces(base: Build, extended: bool) -> tuple[object, object]:
    """Return the memo namespaces of a search.

    The first is for rules that read the GPUs' power limits (the ``power`` stage key, or
    every key); the second for the others, which cannot tell two builds apart that differ
    only in those limits.
    """
    with_limits = (base.items, base.plan, extended)
    plain = tuple((i.part, i.qty) for i in base.items)
    steps = tuple((s.month, tuple((i.part, i.qty) for i in s.add)) for s in base.plan)
    return with_limits, (plain, steps, extended)


def namespace_of(entry: Rule, spaces: tuple[object, object]) -> object:
    """Return the namespace a rule's findings are remembered in."""
    return spaces[0] if entry.reads is None or "power" in entry.reads else spaces[1]


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
        accept: Callable[[Build], str | None] | None = None,
        check_build: Callable[[Build], Build] | None = None,
        limit_usd: float | None = None,
        cancel: Callable[[], bool] | None = None,
        progress: Callable[[float], None] | None = None,
    ) -> None:
        self.base = base
        self.levels = list(levels)
        self.catalog = catalog
        self.blocking = blocking
        self.accept = accept
        self.check_build = check_build or (lambda b: b)
        self.limit = limit_usd
        self.cancel = cancel
        self.progress = progress
        self.stats = stats or SearchStats()
        self.best: Found | None = None
        self._next_check = 0.0
        self._suffix = self._suffix_minimum()
        self._stack: list[Rejections] = []
        self._chosen: list[Choice] = []
        self._memo: Memo = {} if memo is None else memo
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
                (r, (namespace_of(r, namespaces), r.id), self._reads[depth][r.id])
                for r in level.rules
            ]
            for depth, level in enumerate(self.levels)
        ]
        """Per level: each rule, its memo key prefix and the levels it reads (hot path)."""

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

    def run(self, base_cost: float) -> Found | None:
        """Search; return the cheapest passing build (or None). Raises :class:`Cancelled`."""
        start = time.perf_counter()
        try:
            self._descend(0, base_cost, ())
        finally:
            self.stats.seconds = time.perf_counter() - start
        return self.best

    def _descend(self, depth: int, cost: float, items: tuple[BuildItem, ...]) -> bool:
        """Try every choice of level ``depth``; True when a passing build was found below."""
        if depth == len(self.levels):
            return self._leaf(cost, items)
        level = self.levels[depth]
        rejections = Rejections()
        self._stack.append(rejections)
        found_any = False
        total = len(level.choices)
        try:
            for index, choice in enumerate(level.choices):
                self._tick()
                if depth == 0 and self.progress is not None:
                    self.progress(index / max(total, 1))
                bound = cost + choice.price_usd + self._suffix[depth + 1]
                if (self.limit is not None and bound > self.limit) or (
                    self.best is not None and bound >= self.best.cost_usd
                ):
                    self.stats.bound_pruned += 1
                    break  # choices are sorted by price: every later one is dearer
                self.stats.nodes += 1
                trial = items + choice.items
                blocker = self._check_level(depth, choice, trial)
                if blocker is not None:
                    self.stats.block(blocker, depth)
                    rejections.add(blocker.rule, blocker.message)
                    continue
                self.stats.deepest = max(self.stats.deepest, depth)
                self._chosen.append(choice)
                try:
                    if self._descend(depth + 1, cost + choice.price_usd, trial):
                        found_any = True
                    else:
                        rejections.add(NO_COMPLETION, choice.part.title)
                finally:
                    self._chosen.pop()
        finally:
            self._stack.pop()
        return found_any

    def _check_level(
        self, depth: int, choice: Choice, items: tuple[BuildItem, ...]
    ) -> Finding | None:
        """Run the rules this level decides; return the first finding that blocks.

        Each rule's findings are remembered by the choices it reads: the rest of the
        build is fixed during a search, so equal choices give equal findings.
        """
        contexts: list[StageContext] | None = None
        chosen, memo, blocking = self._chosen, self._memo, self.blocking
        for entry, prefix, reads in self._plans[depth]:
            key = (*prefix, *[chosen[i].key for i in reads], choice.key)
            found = memo.get(key)
            if found is None:
                if contexts is None:
                    contexts = build_contexts(self.check_build(self._with(items)), self.catalog)
                found = memo[key] = rule_findings(contexts, entry)
            for finding in found:
                if blocking(finding):
                    return finding
        return None

    def _leaf(self, cost: float, items: tuple[BuildItem, ...]) -> bool:
        self.stats.leaves += 1
        build = self._with(items)
        if self.accept is not None:
            reason = self.accept(build)
            if reason is not None:
                self.stats.blocked_by[reason] += 1
                return False
        if self.best is None or cost < self.best.cost_usd:
            rejections = []
            for level_rejections in self._stack:
                snap = level_rejections.copy()
                snap.cheaper = sum(snap.counts.values())
                rejections.append(snap)
            self.best = Found(build, cost, tuple(self._chosen), tuple(rejections))
        return True
