"""The report HTML, built from data without Qt: content, escaping, structure, atomic write."""

from __future__ import annotations

import base64
import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from types import MappingProxyType

import pytest

from dlplanner.domain.build import Build, BuildItem, PlanStep
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.costs import compare_costs
from dlplanner.io.buildfile import load_build
from dlplanner.io.catalog_files import load_catalog
from dlplanner.io.resources import example_builds
from dlplanner.report.format import usd
from dlplanner.report.html import report_html, write_report_html
from dlplanner.report.markup import STYLE, png_data_uri
from dlplanner.report.shopping import shopping_list
from dlplanner.report.text import break_even_text, renting_cheaper_text
from dlplanner.rules.engine import Evaluation, evaluate, summarize
from dlplanner.rules.finding import Finding, Severity, Status

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # only ever base64-encoded here, never decoded


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(user_dirs=[]).catalog


@pytest.fixture(scope="module")
def article() -> Build:
    path = next(p for p in example_builds() if p.name.startswith("article"))
    return load_build(path)


def fake_evaluation(*findings: Finding) -> Evaluation:
    return Evaluation(
        findings=findings,
        by_stage=(findings,),
        stages=(0,),
        stage_labels=("Initial build",),
        summary=MappingProxyType(summarize(findings, 1)),
    )


def finding(message: str, severity: Severity, *, stage: int = 0, status=Status.FAIL) -> Finding:
    return Finding("some-rule", severity, status, message, (), stage, f"fix {message}")


def text_of(html: str) -> str:
    """The visible text, whitespace collapsed, entities decoded."""

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.skip = False

        def handle_starttag(self, tag, attrs):
            self.skip = tag in ("style", "title")

        def handle_endtag(self, tag):
            self.skip = False

        def handle_data(self, data):
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


class TagBalance(HTMLParser):
    VOID = frozenset({"meta", "br", "img", "hr"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def test_article_report_holds_parts_totals_plan_costs_and_assumptions(article, catalog):
    html = report_html(article, catalog, created=dt.date(2025, 1, 2))
    text = text_of(html)
    sl = shopping_list(article, catalog)
    assert article.name in text and "2025-01-02" in text
    for stage in sl.stages:
        for row in stage.rows:
            assert row.item in text
            assert usd(row.line_total_usd) in text
    assert f"Total now {usd(sl.now.total_usd)}" in text
    assert f"Grand total: {usd(sl.grand_total_usd)}" in text
    for stage in sl.stages[1:]:
        assert f"Stage {stage.index}, month {stage.month}: {stage.label}" in text
    comparison = compare_costs(article, catalog)
    first = comparison.options[0]
    assert f"pays for itself after {break_even_text(first)}" in text
    assert usd(first.total_usd) in text and usd(comparison.own.value_usd) in text
    assert f"Horizon {comparison.assumptions.months} months" in text
    assert "Not checked:" in text


def test_findings_are_lettered_worst_first_with_coloured_words(article, catalog):
    evaluation = fake_evaluation(
        finding("PSU too small", Severity.ERROR),
        finding("Card is long", Severity.WARNING, stage=1),
        finding("Only a note", Severity.INFO, status=Status.UNKNOWN),
    )
    html = report_html(article, catalog, evaluation=evaluation)
    text = text_of(html)
    assert re.search(r"A Problem PSU too small How to fix: fix PSU too small now", text)
    month = article.plan[0].month
    assert re.search(rf"B Warning Card is long .* month {month}", text)
    assert "C Not checked Only a note" in text  # its own status, never dressed as a note
    assert "Not checked means the check could not be made" in text
    assert 'style="color:#5f6b6d; font-weight:bold">Not checked<' in html
    assert 'style="color:#c0392b; font-weight:bold">Problem<' in html
    # The note is a check that could not run: counted as not checked, not as a note.
    assert "1 problem, 1 warning, 1 not checked" in text


def test_real_findings_of_a_failing_build(catalog):
    build = Build(
        name="Too small a PSU",
        items=(
            BuildItem(part="amd-ryzen-9-7950x"),
            BuildItem(part="nvidia-geforce-rtx-4090-fe", qty=2),
            BuildItem(part="seasonic-focus-gx-850-atx30"),
        ),
    )
    evaluation = evaluate(build, catalog)
    assert evaluation.findings
    text = text_of(report_html(build, catalog, evaluation=evaluation))
    assert "potential incompatibilities" in text
    for letter, f in evaluation.lettered():
        assert f"{letter} " in text and " ".join(f.message.split()) in text


def test_clean_build_and_no_offers_and_no_plan(catalog):
    build = Build(name="Just a CPU", items=(BuildItem(part="amd-ryzen-9-7950x"),))
    comparison = compare_costs(build, catalog, offers=())
    text = text_of(report_html(build, catalog, evaluation=fake_evaluation(), comparison=comparison))
    assert "No issues or incompatibilities found." in text
    assert "no GPUs to compare" in text  # a machine without GPUs rents nothing
    assert "No later purchases are planned." in text


def test_text_is_escaped_and_unknown_parts_marked(catalog):
    build = Build(
        name="<script>alert(1)</script> & co",
        notes="a <b>bold</b> claim",
        items=(BuildItem(part="no-such-part", price_usd=10.0, note="x < y"),),
    )
    html = report_html(build, catalog, evaluation=fake_evaluation())
    assert "<script>" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    text = text_of(html)
    assert "Unknown part 'no-such-part' (not in the catalog)" in text
    assert "x < y" in text and "yours" in text  # the price kind of the user's price


def test_chart_is_embedded_as_a_data_uri_and_sized(article, catalog):
    html = report_html(article, catalog, chart=PNG, chart_width=700)
    src = re.search(r'<img src="([^"]+)" width="700"', html)
    assert src and src.group(1) == png_data_uri(PNG)
    assert base64.b64decode(src.group(1).split(",", 1)[1]) == PNG
    linked = report_html(article, catalog, chart="chart.png")
    assert '<img src="chart.png"' in linked
    assert "<img" not in report_html(article, catalog)


def test_html_is_balanced_and_keeps_to_what_qtextdocument_reads(article, catalog):
    html = report_html(article, catalog, chart=PNG)
    checker = TagBalance()
    checker.feed(html)
    assert checker.errors == [] and checker.stack == []
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    for unsupported in ("flex", "grid-template", "float:", "position:", "display:"):
        assert unsupported not in STYLE
    # Money columns are right-aligned with the attribute QTextDocument honours.
    assert '<td class="num" align="right"' in html


def test_renting_cheaper_words(article, catalog):
    comparison = compare_costs(article, catalog)
    words = {renting_cheaper_text(o, comparison.own.value_usd) for o in comparison.options}
    assert all(re.fullmatch(r"(below|above) \d+\.\d %|never|always", w) for w in words)


def test_write_report_html_is_atomic_and_standalone(article, catalog, tmp_path: Path):
    out = tmp_path / "report.html"
    out.write_text("old", encoding="utf-8")
    write_report_html(article, catalog, out, chart_png=PNG)
    html = out.read_text(encoding="utf-8")
    assert png_data_uri(PNG) in html
    assert not re.search(r'src="(?!data:)', html)  # nothing to load
    assert all(h.startswith("https://") for h in re.findall(r'href="([^"]*)"', html))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_write_report_html_to_a_missing_folder_is_one_line(article, catalog, tmp_path: Path):
    with pytest.raises(OSError, match="folder does not exist") as info:
        write_report_html(article, catalog, tmp_path / "nope" / "r.html")
    assert "\n" not in str(info.value)


def test_plan_step_months_and_labels(catalog):
    build = Build(
        items=(BuildItem(part="amd-ryzen-9-7950x"),),
        plan=(PlanStep(month=4, add=(BuildItem(part="amd-ryzen-9-7950x", price_usd=5.0),)),),
    )
    text = text_of(report_html(build, catalog, evaluation=fake_evaluation()))
    assert "Stage 1, month 4: Stage 1" in text
    assert "Month 4 Stage 1 (1 item) $5.00" in text
