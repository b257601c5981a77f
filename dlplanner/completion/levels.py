"""What a completion search works on: its levels and candidates, what it found, and how.

The kinds a completion fills (most constraining first), the candidates of each level, the
rules each level decides (a rule at the first level where every part it ``reads`` is
chosen), a rule's findings remembered by the choices it reads, and the counts that explain
a proposal. :mod:`dlplanner.completion.search` walks them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from dlplanner.domain.build import Build, BuildItem
from dlplanner.domain.parts import PartBase
from dlplanner.rules.context import StageContext
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


CPU_POWER_NEVER_UNBLOCKS: frozenset[str] = frozenset(
    {
        "wall-circuit",
        "psu-wattage",
        "pcie-power-cables",
        "single-psu-limit",
        "transient-spikes",
        "gpu-maker-psu",
        "psu-future",
    }
)
"""Rules of the supply level that read the CPU only through the power model, and whose
errors a CPU that draws more never takes away (one power supply, the same GPUs, limits and
site): the load only grows, and each compares a load with a rating. A supply that one CPU
rules out is ruled out for every CPU drawing at least as much (the "Complete four GPUs,
10,000 parts" row: the generated CPUs all differ in power, so remembered verdicts alone
never carry over). ``tests/unit/completion/test_power_dominance.py`` checks it on real
parts."""

CPU_POWER_NEVER_UNWARNS: frozenset[str] = CPU_POWER_NEVER_UNBLOCKS - {"psu-future"}
"""Of those, the rules whose warnings a CPU that draws more never takes away either.
``psu-future`` is not one: with more load today's stage stops fitting, and the warning
"fits now but not at the last stage" turns into ``psu-wattage`` for this stage."""


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
    dropped: list[tuple[float, str, str]] = field(default_factory=list)
    """Candidates dropped before the search: (price, reason id, an example message)."""


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
    warnings: frozenset[str] = frozenset()
    """The rules whose warnings the build has (those the goals count)."""


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


class Memo(dict[tuple[object, ...], tuple[Finding, ...]]):
    """A rule's findings by (namespace, rule id, the keys of the choices it reads).

    Searches of one completion share it, with the candidate levels they build (by kind
    and goals) and the fit filter's answers (by the build's own parts and a choice).
    """

    def __init__(self) -> None:
        super().__init__()
        self.levels: dict[tuple[object, ...], tuple[list[Choice], int]] = {}
        self.fits: dict[tuple[object, ...], dict[str, bool]] = {}


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
