"""Run every rule over every stage of a build and merge what they find."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType

from dlplanner.domain.build import Build
from dlplanner.domain.catalog import Catalog
from dlplanner.rules.context import StageContext, build_contexts
from dlplanner.rules.finding import Finding, Reporter, Severity, Status
from dlplanner.rules.registry import REGISTRY, Registry

NOT_CHECKED: tuple[str, ...] = (
    "RAM clearance under CPU coolers (tall memory heat spreaders vs tower coolers).",
    "Fan headers and case fans; fan compatibility and airflow direction.",
    "Front-panel connectors: USB 2.0/3.x/Type-C headers, audio.",
    "AIO radiator thickness and its fans vs GPU length and board clearance; AIO pump block vs "
    "M.2 heatsinks.",
    "GPU height and width vs side-panel clearance; cable bend room at 16-pin connectors.",
    "Risers, vertical GPU mounts and PCIe extenders.",
    "Dual-CPU boards and dual power supplies (the checks use one of each).",
    "Mixing different memory kits; memory rank and population rules for full speed.",
    "SATA power connectors; drive cages that must come out for long GPUs or PSUs.",
    "U.2 and add-in-card SSDs; PCIe generation of slots and drives (a newer card or drive "
    "runs at the slot's generation).",
    "Operating system, driver and CUDA support of the GPUs.",
    "Room cooling and noise.",
)
"""What the rules do not check, shown with every result (as PCPartPicker does)."""


def letter(index: int) -> str:
    """Return the letter of a finding's position: A … Z, then AA, AB …."""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(ord("A") + rest) + text
    return text


@dataclass(frozen=True, slots=True)
class Evaluation:
    """What the rules found in a build, for the whole plan and per stage.

    ``findings`` lists each distinct problem (the same rule, status and key) at the first
    stage where it appears, told exactly as that stage alone tells it: its numbers, parts
    and severity are that stage's. When a later stage makes it worse (a PSU warning that
    becomes an error as GPUs are added), that later stage is a finding of its own ("from
    month 9: …"); see :func:`merge`. So every finding labelled stage N is a finding of an
    evaluation of stage N alone. Findings are sorted worst first: errors, warnings,
    notes; fail before unknown; then by stage and rule order. Their letters (A, B, C …)
    follow that order.
    """

    findings: tuple[Finding, ...]
    by_stage: tuple[tuple[Finding, ...], ...]
    """The findings of each evaluated stage, in the order of ``stages``."""
    stages: tuple[int, ...]
    """Indexes of the evaluated stages (all of them unless one was asked for)."""
    stage_labels: tuple[str, ...]
    summary: MappingProxyType[str, int]
    """Counts: ``error``, ``warning``, ``info`` (problems the rules saw), ``unknown`` (checks
    that could not run for a missing spec), ``total`` (all findings), and ``stages``."""
    not_checked: tuple[str, ...] = NOT_CHECKED
    stage_months: tuple[int, ...] = ()
    """Month of each evaluated stage after the initial purchase, in the order of ``stages``."""
    empty: bool = False
    """Whether the build names no part at all (nothing was checked)."""

    @property
    def problems(self) -> tuple[Finding, ...]:
        """The findings the rules saw fail (not the checks that could not run)."""
        return tuple(f for f in self.findings if f.status is Status.FAIL)

    @property
    def has_errors(self) -> bool:
        """Whether the rules saw an error-severity problem (not a check that could not run)."""
        return any(f.severity is Severity.ERROR for f in self.problems)

    @property
    def worst(self) -> Severity | None:
        """The worst severity of the problems seen, or None when there are none."""
        return max((f.severity for f in self.problems), default=None)

    def lettered(self) -> list[tuple[str, Finding]]:
        """Return the findings with their letters, worst first."""
        return [(letter(i), f) for i, f in enumerate(self.findings)]

    def stage_findings(self, stage: int) -> tuple[Finding, ...]:
        """Return the findings of one evaluated stage; ``KeyError`` if it was not evaluated."""
        try:
            return self.by_stage[self.stages.index(stage)]
        except ValueError:
            raise KeyError(stage) from None

    def when(self, stage: int) -> str:
        """Return when a stage happens: ``now`` for the initial build, else ``from month 9``."""
        if stage == 0:
            return "now"
        try:
            return f"from month {self.stage_months[self.stages.index(stage)]}"
        except (ValueError, IndexError):
            return f"from stage {stage}"

    def label(self, stage: int) -> str:
        """Return the label of an evaluated stage ("Initial build", "Stage 2" …)."""
        try:
            return self.stage_labels[self.stages.index(stage)]
        except ValueError:
            return f"Stage {stage}"


_REPORTERS: dict[tuple[str, Severity, int], Reporter] = {}
"""Reporters by rule, severity and stage: a reporter never changes, so one made for a rule and
stage serves every evaluation (benchmark row "All rules, 10,000 random valid builds": one was
made per rule per stage)."""


def run_stage(
    ctx: StageContext,
    registry: Registry = REGISTRY,
    previous: tuple[StageContext, dict[str, list[Finding]]] | None = None,
) -> dict[str, list[Finding]]:
    """Every rule's findings for one resolved stage, by rule id, in rule order.

    With ``previous`` (an earlier stage and its findings), a rule none of whose
    :attr:`~dlplanner.rules.registry.Rule.reads` changed is not run again: its findings
    are copied with this stage's number. A rule that raises despite its contract is
    reported as an unknown finding of that rule instead of stopping the evaluation.
    """
    found: dict[str, list[Finding]] = {}
    stage = ctx.stage
    earlier: dict[str, list[Finding]] = {}
    changed: frozenset[str] | None = None
    if previous is not None:
        before, earlier = previous
        changed = frozenset(k for k, v in ctx.keys.items() if before.keys.get(k) != v)
    for entry in registry.rules():
        rule_id, reads = entry.id, entry.reads
        if changed is not None and reads is not None and reads.isdisjoint(changed):
            same = earlier[rule_id]
            found[rule_id] = [_restage(f, stage) for f in same] if same else same
            continue
        key = (rule_id, entry.severity, stage)
        out = _REPORTERS.get(key)
        if out is None:
            out = _REPORTERS[key] = Reporter(rule_id, entry.severity, stage)
        try:
            found[rule_id] = list(entry.check(ctx, out))
        except Exception as exc:  # a rule bug must not hide the other findings
            found[rule_id] = [
                out.unknown(
                    f"The check failed with {type(exc).__name__}: {exc}.",
                    parts=(),
                    hint="Please report this as a bug in dlplanner.",
                    key="crash",
                )
            ]
    return found


def merge(per_stage: Sequence[Sequence[Finding]], registry: Registry = REGISTRY) -> list[Finding]:
    """Each distinct problem at its first stage, plus each later stage that makes it worse.

    A finding is kept exactly as its stage tells it. For the same problem (rule, status,
    key) in a later stage, a finding is added only when it is more severe than the last
    one kept (a PSU warning that becomes an error when the fourth GPU arrives); numbers
    that change at the same severity are told stage by stage in the timeline.
    """
    kept: dict[tuple[str, bool, str], int] = {}
    merged: list[Finding] = []
    fail = Status.FAIL
    for findings in per_stage:
        for finding in findings:
            ident = (finding.rule, finding.status is fail, finding.key)
            rank = finding.severity.rank
            if ident in kept and rank <= kept[ident]:
                continue
            kept[ident] = rank
            merged.append(finding)
    order = registry.order()
    last = len(order)
    merged.sort(key=lambda f: (*f.sort_key(), order.get(f.rule, last), f.key))
    return merged


def _restage(finding: Finding, stage: int) -> Finding:
    if finding.stage == stage:
        return finding
    rule, severity, status, message, parts, _, hint, key = finding
    return Finding(rule, severity, status, message, parts, stage, hint, key)


def summarize(findings: Sequence[Finding], stage_count: int) -> dict[str, int]:
    """Count the problems by severity, the checks that could not run, and the stages."""
    errors = warnings = unknown = 0
    for finding in findings:
        if finding.status is Status.UNKNOWN:
            unknown += 1
        elif finding.severity is Severity.ERROR:
            errors += 1
        elif finding.severity is Severity.WARNING:
            warnings += 1
    info = len(findings) - errors - warnings - unknown
    summary = {"error": errors, "warning": warnings, "info": info}
    summary["unknown"] = unknown
    summary["total"] = len(findings)
    summary["stages"] = stage_count
    return summary


def evaluate(
    build: Build,
    catalog: Catalog,
    *,
    stage: int | None = None,
    registry: Registry = REGISTRY,
) -> Evaluation:
    """Run every rule on every stage of ``build`` (or only on ``stage``).

    Stage 0 is the build's items; stage k adds plan steps 1 … k. Rules never raise; parts
    the catalog lacks are reported by ``unknown-parts``.

    Raises
    ------
    ValueError
        If ``stage`` is not a stage of the plan.
    """
    contexts = build_contexts(build, catalog, None if stage is None else [stage])
    by_stage: list[list[Finding]] = []
    previous: tuple[StageContext, dict[str, list[Finding]]] | None = None
    for ctx in contexts:
        by_rule = run_stage(ctx, registry, previous)
        previous = (ctx, by_rule)
        findings = [f for group in by_rule.values() for f in group]
        findings.sort(key=Finding.sort_key)
        by_stage.append(findings)
    merged = merge(by_stage, registry)
    return Evaluation(
        findings=tuple(merged),
        by_stage=tuple(tuple(f) for f in by_stage),
        stages=tuple(ctx.stage for ctx in contexts),
        stage_labels=tuple(ctx.label for ctx in contexts),
        summary=MappingProxyType(summarize(merged, len(contexts))),
        stage_months=tuple(ctx.month for ctx in contexts),
        empty=not any(True for _ in build.part_ids()),
    )
