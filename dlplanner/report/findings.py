"""Evaluations as text for a terminal and as JSON-ready data."""

from __future__ import annotations

from typing import Any

from dlplanner.domain.catalog import Catalog
from dlplanner.rules.engine import Evaluation
from dlplanner.rules.finding import Finding, Severity, Status
from dlplanner.rules.text import plural

SEVERITY_WORDS = {Severity.ERROR: "Error", Severity.WARNING: "Warning", Severity.INFO: "Note"}
"""How each severity is written in the command line's output."""

PROBLEM_WORDS = {Severity.ERROR: "Problem", Severity.WARNING: "Warning", Severity.INFO: "Note"}
"""How each severity is written for people: the window and the printed report."""


def verdict(evaluation: Evaluation) -> tuple[str, Severity | None]:
    """Return the one-sentence verdict for the whole plan, and the worst problem's severity.

    In PCPartPicker's words. Only problems the rules saw decide it; checks that could not
    run for a missing spec are mentioned, never counted as issues. Every view (the window's
    banner, the printed report, ``dlplanner check``) says the same.
    """
    worst = evaluation.worst
    if evaluation.empty:
        return "Add parts to check.", None
    if worst is Severity.ERROR:
        return "These parts have potential incompatibilities.", worst
    if worst is Severity.WARNING:
        return "These parts have potential issues.", worst
    if worst is Severity.INFO:
        return "No problems, only notes.", worst
    if evaluation.summary["unknown"]:
        return "No issues found, but some checks could not run for missing data.", None
    return "No issues or incompatibilities found.", None


def counts_text(evaluation: Evaluation, words: dict[Severity, str] | None = None) -> str:
    """Return ``2 errors, 1 warning, 3 not checked``: what was found, by kind ("" if nothing)."""
    names = words or SEVERITY_WORDS
    s = evaluation.summary
    found = [
        plural(s[severity.value], names[severity].lower())
        for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        if s[severity.value]
    ]
    if s["unknown"]:
        found.append(f"{s['unknown']} not checked")
    return ", ".join(found)


def status_text(evaluation: Evaluation) -> str:
    """Return ``0 errors, 2 warnings, 1 not checked``: the window's status line (zeros too)."""
    s = evaluation.summary
    text = f"{plural(s['error'], 'error')}, {plural(s['warning'], 'warning')}"
    return text + (f", {s['unknown']} not checked" if s["unknown"] else "")


def banner(evaluation: Evaluation) -> str:
    """Return the verdict as the command line prints it (``Compatibility: Warning! …``)."""
    text, worst = verdict(evaluation)
    alarm = "Warning! " if worst in (Severity.ERROR, Severity.WARNING) else ""
    details = " See details below." if evaluation.findings else ""
    return f"Compatibility: {alarm}{text}{details}"


def summary_line(evaluation: Evaluation) -> str:
    """``2 errors, 1 warning, 0 notes, 1 not checked for missing data over 4 stages.``."""
    s = evaluation.summary
    text = (
        f"{plural(s['error'], 'error')}, {plural(s['warning'], 'warning')}, "
        f"{plural(s['info'], 'note')}"
    )
    if s["unknown"]:
        text += f", {s['unknown']} not checked for missing data"
    return f"{text} over {plural(s['stages'], 'stage')}."


def _part_names(finding: Finding, catalog: Catalog) -> str:
    names = []
    for part_id in finding.parts:
        part = catalog.get(part_id)
        names.append(part.title if part else f"{part_id} (not in the catalog)")
    return ", ".join(names)


NOT_CHECKED_WORD = "Not checked"
"""What a check that could not run (a spec missing) is called: never a warning or note."""
NOT_CHECKED_HEX = "#5f6b6d"
"""Its colour on white paper and the light theme (5.4:1 on white); the dark theme uses a
lighter grey (``ui.theme.not_checked_colour``)."""


def finding_word(finding: Finding, words: dict[Severity, str] | None = None) -> str:
    """Return ``Not checked`` for a check that could not run, else the severity's word."""
    if finding.status is Status.UNKNOWN:
        return NOT_CHECKED_WORD
    return (words or SEVERITY_WORDS)[finding.severity]


def format_text(evaluation: Evaluation, catalog: Catalog) -> str:
    """Format findings lettered A, B, C … worst first, what is not checked, a summary."""
    lines = [banner(evaluation), ""]
    for mark, finding in evaluation.lettered():
        word = finding_word(finding)
        where = evaluation.when(finding.stage)
        if finding.stage:
            where += f", stage {finding.stage}: {evaluation.label(finding.stage)}"
        lines.append(f"{mark}. {word} [{finding.rule}] ({where}): {finding.message}")
        if finding.parts:
            lines.append(f"   Parts: {_part_names(finding, catalog)}")
        lines.append(f"   Fix: {finding.hint}")
    if evaluation.findings:
        lines.append("")
    lines.append("Not checked:")
    lines.extend(f"  - {item}" for item in evaluation.not_checked)
    lines.append("")
    lines.append(summary_line(evaluation))
    return "\n".join(lines) + "\n"


def finding_to_json(finding: Finding) -> dict[str, Any]:
    """One finding as a JSON object."""
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "status": finding.status.value,
        "message": finding.message,
        "parts": list(finding.parts),
        "stage": finding.stage,
        "hint": finding.hint,
    }


def to_json(evaluation: Evaluation) -> dict[str, Any]:
    """Return ``{"findings": [...], "not_checked": [...], "summary": {...}}`` for JSON."""
    return {
        "findings": [finding_to_json(f) for f in evaluation.findings],
        "not_checked": list(evaluation.not_checked),
        "summary": dict(evaluation.summary),
    }
