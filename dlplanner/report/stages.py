"""The upgrade timeline in words: each stage's worst finding, what later stages break.

Qt-free helpers over an :class:`Evaluation` and the stages' :class:`StageSummary`, for the
timeline's table (cells and tooltips) and its panel (banner and totals). Colours are given
by the caller: they follow the window's theme.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from dlplanner.domain.build import Build
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.timeline import ChartSeries, StageSummary
from dlplanner.report.findings import PROBLEM_WORDS, finding_word
from dlplanner.report.format import usd
from dlplanner.report.names import part_name, stage_name, stage_when, when_text
from dlplanner.rules.engine import Evaluation
from dlplanner.rules.finding import Finding, Severity, Status
from dlplanner.rules.registry import get_rule
from dlplanner.rules.text import plural

MAX_BANNER_LINES = 4
"""Later-stage problems listed in the banner before "and N more"."""
MAX_TOOLTIP_FINDINGS = 8
"""Findings listed in a stage's tooltip before "and N more"."""


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


# -- the table: cells and tooltips ---------------------------------------------------------

HEADERS = ("#", "When", "Stage", "Parts added", "Spend", "Total", "GPUs", "Power", "Worst finding")
COL_INDEX, COL_WHEN, COL_LABEL, COL_PARTS, COL_SPEND, COL_TOTAL, COL_GPUS, COL_POWER, COL_WORST = (
    range(len(HEADERS))
)
HEADER_TIPS = {
    COL_INDEX: "Stage number: 0 is the build bought today",
    COL_WHEN: "Months after the first purchase",
    COL_PARTS: "What is bought at this stage (drop catalog parts on a row to add them)",
    COL_SPEND: "What this stage's parts cost (known prices, before tax)",
    COL_TOTAL: "Everything bought up to and including this stage",
    COL_GPUS: "GPUs in the machine at this stage",
    COL_POWER: "Estimated draw under load: GPU power (TDP or limit), CPU TDP, 100 W for the rest",
    COL_WORST: "The worst compatibility finding at this stage (double-click to see its findings)",
}
"""What each column's header says when hovered."""
NUMERIC_COLUMNS = (COL_INDEX, COL_SPEND, COL_TOTAL, COL_GPUS, COL_POWER)
"""Columns of numbers (right-aligned)."""


def cell_text(row: StageSummary, col: int, catalog: Catalog) -> str:
    """Return a stage's cell (the worst-finding column is :func:`worst_text`); * marks gaps."""
    if col == COL_INDEX:
        return str(row.index)
    if col == COL_WHEN:
        return when_text(row.month, row.index)
    if col == COL_LABEL:
        return row.label
    if col == COL_PARTS:
        return parts_added_text(row, catalog)
    if col == COL_SPEND:
        return usd(row.spend_usd) + ("*" if row.unpriced else "")
    if col == COL_TOTAL:
        return usd(row.cumulative_usd)
    if col == COL_GPUS:
        return str(row.gpus)
    if col == COL_POWER:
        return f"{row.power_w:,.0f} W" + ("*" if row.unknown_tdp else "")
    return ""


def cell_tooltip(row: StageSummary, col: int) -> str | None:
    """Return the tooltip of a stage's name or month cell, else the column's own."""
    if col == COL_LABEL:
        if row.index == 0:
            return "The build bought today: change its parts in the Parts tab"
        return f"{stage_name(row.index, row.month)}: double-click, Enter or F2 to edit"
    if col == COL_WHEN:
        if row.index == 0:
            return "The build bought today"
        return f"{row.month} months after the first purchase (Ctrl+Up / Ctrl+Down to move)"
    return HEADER_TIPS.get(col)


def worst_text(
    worst: Finding | None, count: int, *, new: bool = False, with_severity: bool = False
) -> str:
    """Describe a stage's worst finding in a few words: ``New: Power supply wattage  +2 more``.

    ``count`` is how many findings the stage has; ``new`` says the worst one first appears
    at this stage. The cell's icon and colour tell the severity; ``with_severity`` words it
    too (for screen readers).
    """
    if worst is None:
        return "No issues"
    unknown = " (not checked)" if worst.status is Status.UNKNOWN else ""
    more = f"  +{count - 1} more" if count > 1 else ""
    word = f"{finding_word(worst, PROBLEM_WORDS)}: " if with_severity else ""
    return f"{word}{'New: ' if new else ''}{finding_title(worst)}{unknown}{more}"


def parts_added_text(row: StageSummary, catalog: Catalog) -> str:
    """Return what a stage buys: ``1 × RTX 3090``, ``3 parts: A, B, C`` or ``—``."""
    if not row.added:
        return "—"
    if len(row.added) == 1:
        item = row.added[0]
        return f"{item.qty} × {part_name(catalog, item.part)}"
    names = ", ".join(part_name(catalog, item.part) for item in row.added)
    return f"{row.parts_added} parts: {names}"


def parts_tooltip(row: StageSummary, catalog: Catalog) -> str:
    """Return a stage's purchases as a small table of quantity, part and line total."""
    lines = []
    for item in row.added:
        price = catalog.unit_price(item)
        total = usd(None if price is None else price * item.qty)
        lines.append(
            f"<tr><td>{item.qty} ×</td><td>{escape(part_name(catalog, item.part))}</td>"
            f"<td align='right'>{total}</td></tr>"
        )
    unpriced = (
        f"<p>* No price for {len(row.unpriced)} part(s): not in the sum.</p>"
        if row.unpriced
        else ""
    )
    body = f"<table>{''.join(lines)}</table>" if lines else "<p>Nothing bought.</p>"
    name = escape(stage_name(row.index, row.month))
    return f"<b>{name}: {escape(row.label)}</b>{body}{unpriced}"


def power_tooltip(row: StageSummary, catalog: Catalog) -> str:
    """Return how a stage's draw is estimated, at the wall too, and its power supply."""
    psu = (
        f"{escape(part_name(catalog, row.psu_id))}, {row.psu_w:,} W"
        if row.psu_id and row.psu_w
        else "none in the build"
    )
    unknown = (
        "<br>* No TDP for "
        + escape(", ".join(part_name(catalog, p) for p in row.unknown_tdp))
        + " (counted as 0 W)."
        if row.unknown_tdp
        else ""
    )
    return (
        f"Estimated draw under load: {row.power_w:,.0f} W DC (GPU power or limits, CPU "
        f"TDP, 100 W for the rest), about {row.wall_w:,.0f} W at the wall."
        f"<br>Power supply: {psu}.{unknown}"
    )


def findings_tooltip(
    row: StageSummary,
    found: Sequence[Finding],
    is_new: Callable[[Finding], bool],
    colour: Callable[[Finding], str],
) -> str:
    """Return a stage's findings, worst first, each marked when it first appears there."""
    name = escape(stage_name(row.index, row.month))
    if not found:
        return f"{name}: no issues found."
    items = []
    for finding in found[:MAX_TOOLTIP_FINDINGS]:
        new = " <i>(new)</i>" if row.index and is_new(finding) else ""
        items.append(
            f"<li><b style='color:{colour(finding)}'>{finding_word(finding, PROBLEM_WORDS)}</b>"
            f"{new}: {escape(finding.message)}</li>"
        )
    rest = len(found) - MAX_TOOLTIP_FINDINGS
    more = f"<p>… and {rest} more.</p>" if rest > 0 else ""
    return (
        f"<b>{name}</b>: {len(found)} finding(s)<ul>{''.join(items)}</ul>"
        f"{more}<p>Double-click to show them in the findings list.</p>"
    )


# -- the panel: banner and totals ----------------------------------------------------------


def _problem_html(number: int, problem: LaterProblem, build: Build, colour: str) -> str:
    finding = problem.finding
    onset = ""
    if problem.first_stage < finding.stage:
        onset = (
            f" <i>(a {PROBLEM_WORDS[problem.first_severity].lower()} from stage "
            f"{problem.first_stage}, {stage_when(build, problem.first_stage)})</i>"
        )
    return (
        f"<a href='finding:{number}'>Stage {finding.stage} "
        f"({stage_when(build, finding.stage)})</a>: "
        f"<b style='color:{colour}'>{PROBLEM_WORDS[finding.severity]}</b> — "
        f"{escape(finding_title(finding))}: {escape(finding.message)}{onset}"
    )


def plan_banner_html(
    problems: Sequence[LaterProblem], build: Build, colour: Callable[[Severity], str]
) -> str:
    """Return the timeline's banner: what to do with no plan, or what the plan breaks.

    Each problem (at most :data:`MAX_BANNER_LINES`) links to ``finding:<n>``, its place in
    ``problems``.
    """
    plan = build.plan
    if not plan:  # the empty state says what to do
        return (
            "<b>No upgrades planned yet.</b> <i>Add GPU stage</i> plans one more GPU three "
            "months after the last; every stage is checked and costed."
        )
    if not problems:
        stages = plural(len(plan), "planned stage")
        return f"<b>Every stage checked:</b> the {stages} add no new problems to the build today."
    lines = [
        _problem_html(i, p, build, colour(p.finding.severity))
        for i, p in enumerate(problems[:MAX_BANNER_LINES])
    ]
    rest = len(problems) - MAX_BANNER_LINES
    tail = f"<br><small>… and {rest} more in the findings list.</small>" if rest > 0 else ""
    return (
        "<b>The plan breaks what works today.</b> Later stages add "
        f"{plural(len(problems), 'problem')}:<br>" + "<br>".join(lines) + tail
    )


def plan_totals_text(summaries: Sequence[StageSummary]) -> str:
    """Return the plan in one small line: stages, months, spend, GPUs and draw at the end."""
    last = summaries[-1]
    months = "" if last.index == 0 else f" over {last.month} months"
    return (
        f"<small>{plural(len(summaries), 'stage')}{months}: "
        f"{usd(last.cumulative_usd)} in all (known prices, before tax); "
        f"{plural(last.gpus, 'GPU')} and about {last.power_w:,.0f} W at the end.</small>"
    )


def stage_readout(series: ChartSeries, stage: int) -> str:
    """Return one stage's numbers, as the timeline's chart shows them under its plots."""
    when = "now" if stage == 0 else f"month {series.months[stage]:g}"
    psu = series.psu_w[stage]
    psu_text = "no PSU" if math.isnan(psu) else f"PSU {psu:,.0f} W"
    assumed = " (80 % efficiency assumed)" if series.efficiency_assumed[stage] else ""
    return (
        f"<small><b>Stage {stage}</b> ({when}): spend {usd(series.spend_usd[stage], 0)}, "
        f"total {usd(series.cumulative_usd[stage], 0)} · draw {series.power_w[stage]:,.0f} W "
        f"DC, {series.wall_w[stage]:,.0f} W at the wall{assumed} · {psu_text}, circuit "
        f"{series.circuit_w:,.0f} W</small>"
    )
