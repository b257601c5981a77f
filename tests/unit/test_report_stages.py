"""The upgrade timeline's words, built without Qt (report.stages)."""

from __future__ import annotations

import math

import pytest

from dlplanner.domain.build import Build, BuildItem, PlanStep, Site
from dlplanner.domain.timeline import chart_series, stage_summaries
from dlplanner.report.stages import (
    COL_LABEL,
    COL_POWER,
    COL_SPEND,
    COL_WHEN,
    COL_WORST,
    HEADER_TIPS,
    HEADERS,
    MAX_BANNER_LINES,
    cell_text,
    cell_tooltip,
    findings_tooltip,
    later_problems,
    parts_added_text,
    parts_tooltip,
    plan_banner_html,
    plan_totals_text,
    power_tooltip,
    stage_findings,
    stage_readout,
    worst_findings,
    worst_text,
)
from dlplanner.rules.engine import evaluate
from dlplanner.rules.finding import Severity
from tests.unit.test_timeline import CATALOG, small_build, small_catalog


def _colour(_severity: object) -> str:
    return "#123456"


def test_four_gpus_on_1000_w_break_the_plan_at_its_last_stages():
    build = small_build(3)
    evaluation = evaluate(build, CATALOG)
    problems = later_problems(evaluation)
    assert problems and problems[0].finding.rule == "psu-wattage"
    assert problems == sorted(problems, key=lambda p: (-p.finding.severity.rank, p.finding.stage))
    worst = worst_findings(evaluation, 4)
    assert worst[-1] is not None and worst[-1].severity is Severity.ERROR
    html = plan_banner_html(problems, build, _colour)
    assert html.startswith("<b>The plan breaks what works today.</b>")
    assert "<a href='finding:0'>Stage 3 (month 12)</a>" in html
    assert "<b style='color:#123456'>Problem</b>" in html


def test_the_banner_without_a_plan_or_without_problems():
    assert "No upgrades planned yet." in plan_banner_html([], small_build(0), _colour)
    one = small_build(1, psu="psu-1600")
    assert later_problems(evaluate(one, CATALOG)) == []
    assert "the 1 planned stage add no new problems" in plan_banner_html([], one, _colour)


def test_the_banner_lists_a_few_problems_and_counts_the_rest():
    build = small_build(3)
    problems = later_problems(evaluate(build, CATALOG)) * (MAX_BANNER_LINES + 2)
    html = plan_banner_html(problems, build, _colour)
    assert html.count("href='finding:") == MAX_BANNER_LINES
    assert f"… and {len(problems) - MAX_BANNER_LINES} more in the findings list." in html


def test_worst_text_says_new_and_counts_the_others():
    build = small_build(3)
    evaluation = evaluate(build, CATALOG)
    worst = worst_findings(evaluation, 4)[3]
    text = worst_text(worst, 3, new=True)
    assert text.startswith("New: ") and text.endswith("  +2 more")
    assert worst_text(worst, 1, with_severity=True).startswith("Problem: ")
    assert worst_text(None, 0) == "No issues"


def test_cells_and_tooltips_of_a_stage():
    build = small_build(3).model_copy(
        update={"plan": (PlanStep(month=3, add=(BuildItem(part="gpu-250", qty=2),)),)}
    )
    rows = stage_summaries(build, CATALOG)
    assert parts_added_text(rows[1], CATALOG) == "2 × Test GPU 250 W"
    assert parts_added_text(rows[0], CATALOG).startswith("6 parts: Test CPU 65 W, Test Board")
    assert "<td align='right'>$1,400.00</td>" in parts_tooltip(rows[1], CATALOG)
    assert "1 part(s)" in parts_tooltip(rows[0], CATALOG)  # the memory has no price
    assert "Power supply: Test PSU 1000 W, 1,000 W." in power_tooltip(rows[1], CATALOG)
    evaluation = evaluate(build, CATALOG)
    found = stage_findings(evaluation, 1)
    tip = findings_tooltip(rows[1], found, lambda f: True, lambda f: "#abcdef")
    assert f"{len(found)} finding(s)" in tip and "<i>(new)</i>" in tip and "#abcdef" in tip
    assert findings_tooltip(rows[0], (), bool, str).endswith("no issues found.")


def test_totals_count_stages_months_gpus_and_power():
    text = plan_totals_text(stage_summaries(small_build(3), CATALOG))
    assert text.startswith("<small>4 stages over 12 months: $")
    assert "; 4 GPUs and about" in text
    assert plan_totals_text(stage_summaries(Build(), CATALOG)).startswith("<small>1 stage: $0.00")


def test_chart_series_without_psu_assumes_the_worst_efficiency():
    build = Build(items=(BuildItem(part="cpu-65"), BuildItem(part="gpu-250")))
    series = chart_series(stage_summaries(build, small_catalog()), Site())
    assert series.power_w == (415,)
    assert series.wall_w == pytest.approx((415 / 0.8,))
    assert series.efficiency_assumed == (True,)
    assert math.isnan(series.psu_w[0]) and series.end_month == 3
    text = stage_readout(series, 0)
    assert text.startswith("<small><b>Stage 0</b> (now): spend $")
    assert "(80 % efficiency assumed) · no PSU, circuit 1,440 W" in text


def test_the_readout_names_a_later_stages_month_and_psu():
    series = chart_series(stage_summaries(small_build(3), CATALOG), Site())
    assert series.months == (0, 3, 6, 12) and series.end_month == 15
    text = stage_readout(series, 2)
    assert "<b>Stage 2</b> (month 6)" in text and "PSU 1,000 W" in text


def test_cells_mark_unknown_prices_and_power_with_a_star():
    build = small_build(1).model_copy(
        update={"plan": (PlanStep(month=3, add=(BuildItem(part="gpu-notdp"),)),)}
    )
    rows = stage_summaries(build, CATALOG)
    cells = [cell_text(rows[1], col, CATALOG) for col in range(len(HEADERS) - 1)]
    assert cells[:3] == ["1", "Month 3", rows[1].label]
    assert cells[COL_SPEND] == "$0.00*" and cells[COL_POWER].endswith(" W*")
    assert cell_text(rows[1], COL_WORST, CATALOG) == ""  # worst_text words that column
    assert cell_tooltip(rows[0], COL_LABEL).startswith("The build bought today")
    assert cell_tooltip(rows[1], COL_WHEN) == (
        "3 months after the first purchase (Ctrl+Up / Ctrl+Down to move)"
    )
    assert cell_tooltip(rows[1], COL_SPEND) == HEADER_TIPS[COL_SPEND]
