"""Evaluations as text for a terminal and as JSON-ready data."""

from __future__ import annotations

from typing import Any

from dlplanner.domain.catalog import Catalog
from dlplanner.rules.engine import Evaluation
from dlplanner.rules.finding import Finding, Severity, Status
from dlplanner.rules.text import plural

SEVERITY_WORDS = {Severity.ERROR: "Error", Severity.WARNING: "Warning", Severity.INFO: "Note"}
"""How each severity is written in text output."""


def banner(evaluation: Evaluation) -> str:
    """Return the one-line verdict, in PCPartPicker's words."""
    worst = evaluation.worst
    if worst is None:
        return "Compatibility: No issues or incompatibilities found."
    if worst is Severity.ERROR:
        return (
            "Compatibility: Warning! These parts have potential incompatibilities. "
            "See details below."
        )
    if worst is Severity.WARNING:
        return "Compatibility: Warning! These parts have potential issues. See details below."
    return "Compatibility: See details below."


def summary_line(evaluation: Evaluation) -> str:
    """``2 errors, 1 warning, 3 notes (1 not checked) over 4 stages.``."""
    s = evaluation.summary
    text = (
        f"{plural(s['error'], 'error')}, {plural(s['warning'], 'warning')}, "
        f"{plural(s['info'], 'note')}"
    )
    if s["unknown"]:
        text += f" ({s['unknown']} not checked for missing data)"
    return f"{text} over {plural(s['stages'], 'stage')}."


def _part_names(finding: Finding, catalog: Catalog) -> str:
    names = []
    for part_id in finding.parts:
        part = catalog.get(part_id)
        names.append(part.title if part else f"{part_id} (not in the catalog)")
    return ", ".join(names)


def format_text(evaluation: Evaluation, catalog: Catalog) -> str:
    """Format findings lettered A, B, C … worst first, what is not checked, a summary."""
    lines = [banner(evaluation), ""]
    for mark, finding in evaluation.lettered():
        word = SEVERITY_WORDS[finding.severity]
        if finding.status is Status.UNKNOWN:
            word += ", not checked"
        where = f"stage {finding.stage}, {evaluation.label(finding.stage)}"
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
