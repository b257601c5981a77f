"""Every *not checked* finding names the field it needs, and ``catalog missing`` ranks them."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dlplanner.domain.build import Build, BuildItem
from dlplanner.io.catalog_files import load_catalog
from dlplanner.rules import Status, all_rules, evaluate
from dlplanner.rules.needs import RULE_FIELDS, missing_fields, needed_fields
from tests.unit.rules.samples import CATALOG as SAMPLES
from tests.unit.rules.samples import make

CATALOG = load_catalog(user_dirs=[]).catalog
KINDS = ("cpu", "motherboard", "memory", "gpu", "storage", "psu", "case", "cooler")
POOLS = {kind: [p.id for p in CATALOG.of_kind(kind)] for kind in KINDS}
WITHOUT_FIELDS = {"unknown-parts"}  # a part the catalog lacks has no field to fill


def _check_unknowns(build: Build, catalog=CATALOG) -> None:
    for finding in evaluate(build, catalog).findings:
        if finding.status is not Status.UNKNOWN or finding.rule in WITHOUT_FIELDS:
            continue
        if "there is no power supply" in finding.message:
            continue  # the gap is a part, not a field: missing-parts asks for it
        if "no measured power peaks on record" in finding.message:
            continue  # the gap is dlplanner's table of measured peaks, not a part's field
        needs = needed_fields(finding, catalog)
        assert needs, finding
        listed = {field for _, field in RULE_FIELDS.get(finding.rule, ())}
        assert {field for _, field in needs} <= listed, (finding.rule, needs)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    chosen=st.fixed_dictionaries(
        {}, optional={kind: st.sampled_from(POOLS[kind]) for kind in KINDS}
    ),
    gpus=st.integers(1, 4),
)
def test_every_not_checked_finding_names_its_field(chosen: dict[str, str], gpus: int):
    items = [BuildItem(part=p, qty=gpus if k == "gpu" else 1) for k, p in chosen.items()]
    _check_unknowns(Build(name="generated", items=tuple(items)))


def test_sample_builds_name_their_fields():
    for gpu in ("gpu-nodata", "rtx-4090-fe"):
        for part in ("case-nodata", "board-nodata", "psu-nodata", "memory-nodata"):
            kind = part.split("-")[0].replace("board", "board")
            _check_unknowns(make(**{kind: part, "gpu": (gpu, 2)}), SAMPLES)


def test_rule_fields_name_real_rules_and_fields():
    ids = {r.id for r in all_rules()}
    assert set(RULE_FIELDS) <= ids


def test_missing_fields_are_ranked_by_rules_blocked():
    rows = missing_fields(CATALOG)
    assert rows
    counts = [len(r.rules) for r in rows]
    assert counts == sorted(counts, reverse=True)
    gpu_rows = missing_fields(CATALOG, "gpu")
    assert gpu_rows and all(r.kind == "gpu" for r in gpu_rows)
