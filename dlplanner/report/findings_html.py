"""Findings and rule help as the window shows them: rich text for its panes and banners.

The words are :mod:`dlplanner.report.findings`'; this module lays them out as the small
HTML subset Qt's labels and text browsers draw. Colours are given by the caller (they
follow the window's theme); links (``rule:``, ``fill:``, ``replace:``, ``apply-limit:``)
are the window's commands.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from dlplanner.domain.build import Build
from dlplanner.domain.catalog import Catalog
from dlplanner.report.findings import PROBLEM_WORDS, counts_text, finding_word, verdict
from dlplanner.report.names import part_name, stage_when
from dlplanner.report.specs import field_title
from dlplanner.rules.engine import Evaluation
from dlplanner.rules.finding import Finding, Severity, Status
from dlplanner.rules.needs import needed_fields
from dlplanner.rules.registry import Rule, all_rules, get_rule
from dlplanner.rules.supplies import suggested_limit_for

NOT_CHECKED_TIP = "Not checked: a spec this check needs is missing from the catalog"
"""The tooltip of a *not checked* finding's severity."""


def help_paragraphs(text: str) -> str:
    """Return a docstring's paragraphs as HTML ``<p>`` elements, lines joined."""
    paragraphs = [p.strip() for p in text.strip().split("\n\n") if p.strip()]
    return "".join(f"<p>{escape(' '.join(p.split()))}</p>" for p in paragraphs)


def rule_help_html(rule: Rule) -> str:
    """One rule's help as HTML paragraphs."""
    body = help_paragraphs(rule.help)
    return (
        f"<h3><a name='{escape(rule.id)}'></a>{escape(rule.title)}</h3>"
        f"<p><small><code>{escape(rule.id)}</code> · default severity "
        f"{escape(str(rule.severity))}</small></p>{body}"
    )


def rules_help_html() -> str:
    """Every rule's help on one page, by family: what findings mean, a list of links, the rules."""
    rules = sorted(all_rules(), key=lambda r: (r.family, r.id))
    toc = "".join(f"<li><a href='#{escape(r.id)}'>{escape(r.title)}</a></li>" for r in rules)
    return (
        "<h2>What dlplanner checks</h2><p>Findings never block: a build can be saved and "
        "printed with problems. A finding whose needed spec is missing says <i>unknown</i>."
        f"</p><ul>{toc}</ul>" + "".join(rule_help_html(r) for r in rules)
    )


def banner_text(evaluation: Evaluation) -> tuple[str, Severity | None]:
    """Return the verdict for the whole plan (see :func:`verdict`), and its severity."""
    text, worst = verdict(evaluation)
    return (f"{text} See the notes below." if evaluation.findings else text), worst


def banner_html(evaluation: Evaluation, colour: str) -> str:
    """Return the findings panel's banner: the verdict in ``colour``, then what was found."""
    text, _ = banner_text(evaluation)
    counts = counts_text(evaluation, PROBLEM_WORDS)
    if evaluation.summary["unknown"]:
        counts += " (specs missing from the catalog)"
    return f"<b style='color:{colour}'>Compatibility:</b> {escape(text)}" + (
        f"<br><small>{counts}</small>" if counts else ""
    )


def not_checked_line(not_checked: Sequence[str]) -> str:
    """Return the one line under the findings that leads to what is not checked ("" if none)."""
    if not not_checked:
        return ""
    first = not_checked[0].split("(")[0].strip().rstrip(".")
    return (
        f"<small>Not checked: {escape(first)} and {len(not_checked) - 1} more — "
        "<a href='#not-checked'>see the list</a></small>"
    )


def not_checked_html(not_checked: Sequence[str]) -> str:
    """Return what the rules do not check, as the details pane shows it."""
    items = "".join(f"<li>{escape(t)}</li>" for t in not_checked)
    return (
        "<p><b>Not checked.</b> Like any configurator, dlplanner cannot check everything. "
        f"Check these yourself before you buy:</p><ul>{items}</ul>"
    )


def _replace_link(finding: Finding, catalog: Catalog) -> str:
    """Offer the catalog id nearest to an unknown one as a one-click replacement."""
    if finding.rule != "unknown-parts" or not finding.parts:
        return ""
    near = catalog.suggest(finding.parts[0], 1)
    if not near:
        return ""
    old, new = finding.parts[0], near[0]
    return (
        f"<p><a href='replace:{escape(old)}:{escape(new)}'>Replace with "
        f"{escape(part_name(catalog, new))}</a></p>"
    )


def _fill_html(finding: Finding, catalog: Catalog) -> str:
    """Offer to fill in the specs a *not checked* finding needs, one link each."""
    needs = needed_fields(finding, catalog)
    if not needs:
        return ""
    fill = "".join(
        f"<li><a href='fill:{escape(pid)}:{escape(field)}'>Fill in "
        f"{escape(field_title(field))} of the {escape(part_name(catalog, pid))}…</a></li>"
        for pid, field in needs
    )
    fields = escape(", ".join(field_title(f) for _, f in needs))
    return (
        f"<p><b>Needs:</b> {fields} — you can fill it in from the maker's page:</p><ul>{fill}</ul>"
    )


def _apply_link(finding: Finding, build: Build, catalog: Catalog) -> str:
    """Offer the power-limit hint's limit as a one-click change."""
    if finding.rule != "power-limit-hint":
        return ""
    limit = suggested_limit_for(build, catalog, finding.stage)
    if limit is None:
        return ""
    return (
        f"<p><a href='apply-limit:{limit}'><b>Apply: set the GPUs to {limit} W</b></a> "
        "(one undoable change to the build's GPU lines)</p>"
    )


def finding_html(finding: Finding, build: Build, catalog: Catalog, colour: str) -> str:
    """Return a finding's details: what, what it needs, how to fix, the parts, why it matters.

    ``colour`` is the severity's colour (or the *not checked* grey) on the current theme.
    """
    rule = get_rule(finding.rule)
    names = "".join(f"<li>{escape(part_name(catalog, p))}</li>" for p in finding.parts)
    unknown = finding.status == Status.UNKNOWN
    status = " (a needed spec is missing from the catalog)" if unknown else ""
    return (
        f"<p><b style='color:{colour}'>{finding_word(finding, PROBLEM_WORDS)}{status}:</b> "
        f"{escape(finding.message)}</p>"
        + _fill_html(finding, catalog)
        + f"<p><b>How to fix:</b> {escape(finding.hint)}</p>"
        + _replace_link(finding, catalog)
        + (f"<p><b>Parts involved:</b></p><ul>{names}</ul>" if names else "")
        + _apply_link(finding, build, catalog)
        + f"<p><small>First appears: {escape(stage_when(build, finding.stage))} · "
        f"rule <code>{escape(finding.rule)}</code> — "
        f"<a href='rule:{escape(finding.rule)}'>why this matters…</a></small></p>"
        + (f"<hr><p><b>{escape(rule.title)}</b></p>{help_paragraphs(rule.help)}" if rule else "")
    )
