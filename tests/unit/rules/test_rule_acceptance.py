"""The issue's acceptance case and the article's build."""

from __future__ import annotations

from dlplanner.rules import Severity, evaluate


def by_rule(evaluation):
    found = {}
    for f in evaluation.findings:
        found.setdefault(f.rule, []).append(f)
    return found


def test_four_open_air_4090s_on_1000w_in_a_seven_slot_case(acceptance_build, catalog):
    found = by_rule(evaluate(acceptance_build, catalog))
    # the PSU: wattage and cables, with the numbers
    [watts] = found["psu-wattage"]
    assert watts.severity is Severity.ERROR
    assert "1980 W" in watts.message and "1000 W" in watts.message and "2396 W" in watts.message
    [cables] = found["pcie-power-cables"]
    assert cables.severity is Severity.ERROR and "9" in cables.message and "has 6" in cables.message
    # slot geometry: three collisions, and a case far too short of slots
    geometry = found["gpu-slot-geometry"]
    assert len(geometry) == 3 and all(f.severity is Severity.ERROR for f in geometry)
    assert "positions 1–3" in geometry[0].message and "position 3" in geometry[0].message
    [slots] = found["case-expansion-slots"]
    assert "12" in slots.message and "7" in slots.message
    # cooling: open-air cards stacked, and more than two three-slot cards
    assert len(found["gpu-cooling-stack"]) == 3
    assert all(f.severity is Severity.WARNING for f in found["gpu-cooling-stack"])
    assert found["three-slot-gpus"][0].severity is Severity.WARNING
    # the wall circuit
    [wall] = found["wall-circuit"]
    assert wall.severity is Severity.ERROR
    assert "2391 W" in wall.message and "1800 W" in wall.message and "1440 W" in wall.message
    # and the advice that follows from it
    assert "single-psu-limit" in found and "power-limit-hint" in found


def test_the_article_build_has_no_errors_at_any_stage(article_build, catalog):
    evaluation = evaluate(article_build, catalog)
    for stage in evaluation.stages:
        assert not [f for f in evaluation.stage_findings(stage) if f.severity is Severity.ERROR]
    assert not [f for f in evaluation.findings if f.severity is Severity.WARNING]
