"""The window's words for findings, as rich text, built without Qt (report.findings_html)."""

from __future__ import annotations

import pytest

from dlplanner.domain.build import Build, BuildItem, PlanStep
from dlplanner.domain.catalog import Catalog
from dlplanner.io.catalog_files import load_catalog
from dlplanner.report.findings import status_text
from dlplanner.report.findings_html import (
    banner_html,
    finding_html,
    help_paragraphs,
    not_checked_html,
    not_checked_line,
    rules_help_html,
)
from dlplanner.rules.engine import evaluate
from dlplanner.rules.finding import Status
from dlplanner.rules.registry import all_rules

TYPO, REAL = "nvidia-geforce-rtx-3090-fx", "nvidia-geforce-rtx-3090-fe"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(user_dirs=[]).catalog


def test_help_paragraphs_join_lines_and_escape():
    text = "\n    One <line>\n    and the next.\n\n    Second.\n"
    assert help_paragraphs(text) == "<p>One &lt;line&gt; and the next.</p><p>Second.</p>"


def test_rules_help_names_and_anchors_every_rule():
    html = rules_help_html()
    for rule in all_rules():
        assert f"<a name='{rule.id}'></a>" in html and f"href='#{rule.id}'" in html


def test_banner_and_not_checked_lines(catalog):
    evaluation = evaluate(Build(items=(BuildItem(part=TYPO),)), catalog)
    html = banner_html(evaluation, "#d64541")
    assert html.startswith("<b style='color:#d64541'>Compatibility:</b> ")
    assert "See the notes below." in html and "<br><small>" in html
    assert banner_html(evaluate(Build(), catalog), "#27ae60").endswith("Add parts to check.")
    assert not_checked_line([]) == ""
    line = not_checked_line(["Airflow (how warm the case runs).", "Noise"])
    assert "Not checked: Airflow and 1 more" in line and "#not-checked" in line
    assert "<li>Noise &amp; fans</li>" in not_checked_html(["Noise & fans"])


def test_an_unknown_id_offers_the_nearest_catalog_id(catalog):
    build = Build(items=(BuildItem(part=TYPO),), plan=(PlanStep(month=3),))
    [finding] = [f for f in evaluate(build, catalog).findings if f.rule == "unknown-parts"]
    html = finding_html(finding, build, catalog, "#d64541")
    assert f"href='replace:{TYPO}:{REAL}'" in html
    assert "First appears: now" in html and "href='rule:unknown-parts'" in html
    assert "<hr><p><b>" in html  # the rule's help follows


def test_a_not_checked_finding_offers_to_fill_in_what_it_needs(catalog):
    cooler = "noctua-nh-u14s-tr4-sp3"
    build = Build(
        items=(
            BuildItem(part="amd-ryzen-threadripper-1950x"),
            BuildItem(part=cooler),
        )
    )
    found = [f for f in evaluate(build, catalog).findings if f.rule == "cooler-capacity"]
    assert found and found[0].status is Status.UNKNOWN
    html = finding_html(found[0], build, catalog, "#5f6b6d")
    assert "(a needed spec is missing from the catalog)" in html
    assert f"href='fill:{cooler}:tdp_rating_w'" in html and "Fill in TDP rating (W)" in html


def test_the_status_line_counts_errors_and_warnings_even_when_none(catalog):
    assert status_text(evaluate(Build(), catalog)) == "0 errors, 0 warnings"
    evaluation = evaluate(Build(items=(BuildItem(part=TYPO),)), catalog)
    s = evaluation.summary
    assert status_text(evaluation).startswith(f"{s['error']} error")
