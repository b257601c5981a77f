"""evaluate(): stages, merging, order, letters, robustness."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dlplanner.report.findings import banner, counts_text, verdict
from dlplanner.rules import Severity, Status, evaluate
from dlplanner.rules.engine import NOT_CHECKED, Evaluation, letter, merge, run_stage, summarize
from dlplanner.rules.finding import Finding
from dlplanner.rules.registry import Registry
from tests.unit.rules.samples import ACCEPTANCE, ARTICLE, CATALOG, make

GROWING = make(psu="msi-a1000g-pcie5", plan=[["gtx-1080-ti-fe"]] * 3)
"""One GPU now, three more later, on a 1000 W supply: short from stage 2 on."""


def test_every_stage_is_evaluated():
    evaluation = evaluate(ARTICLE, CATALOG)
    assert evaluation.stages == (0, 1, 2, 3) and len(evaluation.by_stage) == 4
    assert evaluation.stage_labels[0] == "Initial build"
    assert evaluation.summary["stages"] == 4


def test_each_stage_says_what_it_alone_says_and_a_worse_stage_is_its_own_finding():
    evaluation = evaluate(GROWING, CATALOG)
    [stage2] = [f for f in evaluation.stage_findings(2) if f.rule == "psu-wattage"]
    [stage3] = [f for f in evaluation.stage_findings(3) if f.rule == "psu-wattage"]
    assert stage2.severity is Severity.WARNING and "1125 W" in stage2.message
    assert stage3.severity is Severity.ERROR and "1180 W" in stage3.message
    merged = sorted(
        (f for f in evaluation.findings if f.rule == "psu-wattage"), key=lambda f: f.stage
    )
    assert merged == [stage2, stage3]
    assert evaluation.when(0) == "now" and evaluation.when(3) == "from month 9"


def test_psu_future_appears_at_stage_zero():
    [f] = [f for f in evaluate(GROWING, CATALOG).findings if f.rule == "psu-future"]
    assert f.stage == 0 and "stage 3" in f.message


def test_single_stage_evaluation():
    evaluation = evaluate(GROWING, CATALOG, stage=3)
    assert evaluation.stages == (3,) and len(evaluation.by_stage) == 1
    assert all(f.stage == 3 for f in evaluation.findings)
    assert evaluation.summary["stages"] == 1
    with pytest.raises(KeyError):
        evaluation.stage_findings(0)
    with pytest.raises(ValueError, match="stage 9"):
        evaluate(GROWING, CATALOG, stage=9)


def test_findings_are_sorted_worst_first_and_lettered():
    evaluation = evaluate(ACCEPTANCE, CATALOG)
    ranks = [(-f.severity.rank, f.status is Status.UNKNOWN) for f in evaluation.findings]
    assert ranks == sorted(ranks)
    letters = [mark for mark, _ in evaluation.lettered()]
    assert letters[:3] == ["A", "B", "C"] and len(set(letters)) == len(letters)
    assert evaluation.has_errors and evaluation.worst is Severity.ERROR
    # stable: the same build gives the same order
    assert evaluate(ACCEPTANCE, CATALOG).findings == evaluation.findings


def evaluation_of(*findings: Finding) -> Evaluation:
    from types import MappingProxyType

    return Evaluation(
        findings=findings,
        by_stage=(findings,),
        stages=(0,),
        stage_labels=("Initial build",),
        summary=MappingProxyType(summarize(findings, 1)),
    )


def test_checks_that_could_not_run_are_not_problems():
    """An error-severity check that could not run (a spec is missing) is reported, not failed."""
    unknown = Finding("gpu-x16-slots", Severity.ERROR, Status.UNKNOWN, "not checked", (), 0, "")
    evaluation = evaluation_of(unknown)
    assert evaluation.problems == () and not evaluation.has_errors and evaluation.worst is None
    s = evaluation.summary
    assert (s["error"], s["warning"], s["info"], s["unknown"], s["total"]) == (0, 0, 0, 1, 1)
    assert verdict(evaluation) == (
        "No issues found, but some checks could not run for missing data.",
        None,
    )
    assert "Warning!" not in banner(evaluation)
    assert counts_text(evaluation) == "1 not checked"
    failed = Finding("psu-wattage", Severity.WARNING, Status.FAIL, "short", (), 0, "")
    both = evaluation_of(unknown, failed)
    assert both.worst is Severity.WARNING and not both.has_errors
    assert counts_text(both) == "1 warning, 1 not checked"
    assert verdict(both)[0] == "These parts have potential issues."


def test_summary_counts():
    evaluation = evaluate(ACCEPTANCE, CATALOG)
    s = evaluation.summary
    assert s["error"] + s["warning"] + s["info"] == s["total"] == len(evaluation.findings)
    assert s["error"] == sum(f.severity is Severity.ERROR for f in evaluation.findings)


def test_not_checked_lists_what_pcpartpicker_lists():
    text = " ".join(evaluate(make(), CATALOG).not_checked).lower()
    assert evaluate(make(), CATALOG).not_checked == NOT_CHECKED
    for words in ("ram clearance", "fan", "front-panel", "radiator thickness"):
        assert words in text


def test_clean_build():
    evaluation = evaluate(make(), CATALOG)
    assert evaluation.findings == () and evaluation.worst is None and not evaluation.has_errors


def test_letters():
    assert [letter(i) for i in (0, 1, 25, 26, 27, 51, 52)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "AZ",
        "BA",
    ]


def test_a_crashing_rule_becomes_an_unknown_finding():
    registry = Registry()

    def boom(ctx, out):
        """Always fails."""
        raise ZeroDivisionError("oops")

    registry.add("boom", "Boom", Severity.ERROR, boom)
    from dlplanner.rules.context import build_contexts

    [ctx] = build_contexts(make(), CATALOG)
    [f] = run_stage(ctx, registry)["boom"]
    assert f.rule == "boom" and f.status is Status.UNKNOWN and "ZeroDivisionError" in f.message


def test_merge_keeps_distinct_keys_apart_and_each_stage_honest():
    a = Finding("r", Severity.WARNING, Status.FAIL, "a", (), 0, "h", key="1")
    b = Finding("r", Severity.WARNING, Status.FAIL, "b", (), 1, "h", key="2")
    c = Finding("r", Severity.WARNING, Status.FAIL, "c", (), 1, "h", key="1")
    merged = merge([[a], [b, c]], Registry())
    assert [(f.message, f.stage) for f in merged] == [("a", 0), ("b", 1)]


def test_merge_adds_a_later_stage_only_when_it_is_worse():
    def f(severity, message, stage):
        return Finding("psu", severity, Status.FAIL, message, (), stage, "h")

    same = [[f(Severity.WARNING, "1580 W", 0)], [f(Severity.WARNING, "1700 W", 1)]]
    assert [(x.message, x.stage) for x in merge(same, Registry())] == [("1580 W", 0)]
    worse = [[f(Severity.WARNING, "1580 W", 0)], [f(Severity.ERROR, "2330 W", 1)]]
    got = [(x.severity, x.message, x.stage) for x in merge(worse, Registry())]
    assert got == [(Severity.ERROR, "2330 W", 1), (Severity.WARNING, "1580 W", 0)]
    milder = [[f(Severity.ERROR, "2330 W", 0)], [f(Severity.WARNING, "1580 W", 1)]]
    assert [(x.message, x.stage) for x in merge(milder, Registry())] == [("2330 W", 0)]


def test_rules_are_qt_free():
    code = "import sys, dlplanner.rules; sys.exit('PySide6' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_placements_kept_by_the_catalog_give_the_same_findings_as_fresh_ones():
    """Evaluations of one catalog share GPU and M.2 placements (keyed by part ids)."""
    import random

    from dlplanner.domain.catalog import Catalog, Memo
    from tests.benchmarks.bench_rules import random_build

    shared = Catalog(list(CATALOG))
    builds = [random_build(random.Random(seed)) for seed in range(150)]
    for build in builds:
        kept = evaluate(build, shared)
        fresh = evaluate(build, Catalog(list(CATALOG)))
        assert kept.findings == fresh.findings and kept.by_stage == fresh.by_stage
    assert 0 < len(shared.placements) <= shared.placements.size
    small = Memo(2)
    small[("a",)], small[("b",)], small[("c",)] = 1, 2, 3
    assert dict(small) == {("c",): 3}  # full: emptied before the new entry
