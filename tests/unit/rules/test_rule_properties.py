"""Property test: evaluating any valid build never raises and gives well-formed findings."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dlplanner.domain.build import Build, BuildItem, PlanStep, Site
from dlplanner.rules import Status, all_rules, evaluate
from tests.unit.rules.samples import ALL_PARTS, CATALOG

IDS = [p.id for p in ALL_PARTS] + ["not-in-catalog", "another-unknown-part"]
RULE_IDS = {r.id for r in all_rules()}

items = st.builds(BuildItem, part=st.sampled_from(IDS), qty=st.integers(1, 4))
steps = st.builds(PlanStep, month=st.integers(0, 240), add=st.lists(items, max_size=4).map(tuple))
sites = st.builds(
    Site,
    volts=st.floats(90, 260),
    breaker_amps=st.floats(5, 63),
    continuous_factor=st.floats(0.05, 1),
    psu_headroom=st.floats(1, 3),
)
builds = st.builds(
    Build,
    items=st.lists(items, max_size=12).map(tuple),
    plan=st.lists(steps, max_size=4).map(tuple),
    site=sites,
)


# Load on a shared machine must not fail these: only exceptions and wrong results should.
RELAXED = [
    HealthCheck.function_scoped_fixture,
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.large_base_example,
]


@settings(max_examples=300, deadline=None, suppress_health_check=RELAXED)
@given(build=builds)
def test_evaluate_never_raises(build):
    evaluation = evaluate(build, CATALOG)
    stages = len(build.plan) + 1
    assert evaluation.stages == tuple(range(stages))
    # a problem recurs only at a later stage that makes it more severe
    seen: dict[object, tuple[int, int]] = {}
    for f in sorted(evaluation.findings, key=lambda f: f.stage):
        if f.identity in seen:
            stage, rank = seen[f.identity]
            assert f.stage > stage and f.severity.rank > rank, f
        seen[f.identity] = (f.stage, f.severity.rank)
    for finding in evaluation.findings:
        assert finding.rule in RULE_IDS
        assert finding.key != "crash", finding.message  # no rule raised
        assert 0 <= finding.stage < stages
        assert finding.message and finding.hint
        assert all(isinstance(p, str) for p in finding.parts)
    for stage_findings in evaluation.by_stage:
        for finding in stage_findings:
            assert finding.key != "crash", finding.message
    ranks = [(f.status is Status.UNKNOWN, -f.severity.rank) for f in evaluation.findings]
    assert ranks == sorted(ranks)


@settings(max_examples=50, deadline=None, suppress_health_check=RELAXED)
@given(build=builds, data=st.data())
def test_single_stage_matches_full_run(build, data):
    stage = data.draw(st.integers(0, len(build.plan)))
    alone = evaluate(build, CATALOG, stage=stage)
    full = evaluate(build, CATALOG)
    assert alone.by_stage[0] == full.stage_findings(stage)
