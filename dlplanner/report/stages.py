"""Findings seen stage by stage: the worst of each stage, and what later stages break.

Qt-free helpers over an :class:`Evaluation`, shared by the timeline's model and panel.
"""

from __future__ import annotations

from dataclasses import dataclass

from dlplanner.rules.engine import Evaluation
from dlplanner.rules.finding import Finding, Severity
from dlplanner.rules.registry import get_rule


def stage_findings(evaluation: Evaluation, stage: int) -> tuple[Finding, ...]:
    """Return the findings of one stage, or none when the stage was not evaluated."""
    try:
        return evaluation.stage_findings(stage)
    except KeyError:
        return ()


def worst_findings(evaluation: Evaluation, stages: int) -> list[Finding | None]:
    """Return the worst finding of each stage ``0 .. stages-1`` (None for a clean stage)."""
    result: list[Finding | None] = []
    for index in range(stages):
        found = stage_findings(evaluation, index)
        result.append(min(found, key=Finding.sort_key) if found else None)
    return result


@dataclass(frozen=True, slots=True)
class LaterProblem:
    """A problem the plan adds after stage 0, told at the stage where it is worst."""

    finding: Finding
    """The finding at its worst stage (its ``stage`` is that stage)."""
    first_stage: int
    """Where the problem first appears."""
    first_severity: Severity
    """How bad it is there."""


def later_problems(evaluation: Evaluation) -> list[LaterProblem]:
    """Errors and warnings that appear, or grow more severe, after stage 0: what the plan breaks.

    Each is told with the message of the first stage where it reaches its worst severity
    (a PSU that is a little short at the third GPU and far short at the fourth is told
    at the fourth), worst first, then by stage.
    """
    result: list[LaterProblem] = []
    latest: dict[object, int] = {}
    for merged in evaluation.findings:
        latest[merged.identity] = max(latest.get(merged.identity, 0), merged.stage)
    for merged in evaluation.findings:
        if merged.stage == 0 or merged.severity.rank < Severity.WARNING.rank:
            continue
        if latest[merged.identity] != merged.stage:
            continue  # a later stage makes the same problem worse: told there
        first: Finding | None = None
        worst: Finding | None = None
        for stage in evaluation.stages:
            if stage > merged.stage:
                break
            same = [f for f in stage_findings(evaluation, stage) if f.identity == merged.identity]
            if not same:
                continue
            first = first or same[0]
            if worst is None or same[0].severity > worst.severity:
                worst = same[0]
        if worst is None or first is None:
            worst = first = merged
        result.append(LaterProblem(worst, first.stage, first.severity))
    result.sort(key=lambda p: (-p.finding.severity.rank, p.finding.stage))
    return result


def finding_title(finding: Finding) -> str:
    """Return the rule's title (``Power supply wattage``), or the id of an unknown rule."""
    rule = get_rule(finding.rule)
    return rule.title if rule else finding.rule
