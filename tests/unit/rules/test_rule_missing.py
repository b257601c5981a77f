"""missing-parts, no-graphics, unknown-parts, duplicate-parts."""

from __future__ import annotations

from dlplanner.domain.build import Build
from dlplanner.rules import Severity, Status, evaluate
from tests.unit.rules.samples import CATALOG, findings, make


def test_missing_parts_pass():
    assert findings(make(), "missing-parts") == []


def test_missing_parts_each_kind():
    found = findings(make(case=None, psu=None, cooler=None), "missing-parts")
    by_key = {f.key: f for f in found}
    assert set(by_key) == {"case", "psu", "cooler"}
    assert by_key["case"].severity is Severity.WARNING
    assert "no case" in by_key["case"].message and "4 of 6" in by_key["case"].message
    assert "no power supply" in by_key["psu"].message
    assert by_key["cooler"].severity is Severity.INFO


def test_missing_parts_empty_build_is_not_checked():
    assert evaluate(Build(), CATALOG).findings == ()


def test_no_graphics():
    assert findings(make(), "no-graphics") == []
    intel = {"cpu": "i5-12400", "board": "z690-board", "cooler": "nh-d15", "gpu": None}
    assert findings(make(**intel), "no-graphics") == []
    [f] = findings(make(gpu=None), "no-graphics")
    assert f.severity is Severity.ERROR and "0 GPUs" in f.message
    [f] = findings(make(gpu=None, cpu="cpu-nodata"), "no-graphics")
    assert f.status is Status.UNKNOWN and "integrated_graphics" in f.message


def test_unknown_parts():
    assert findings(make(), "unknown-parts") == []
    found = findings(
        make(extra=["no-such-part", ("no-such-part", 2), "aws-p3-2xlarge"]), "unknown-parts"
    )
    [unknown] = [f for f in found if f.severity is Severity.ERROR]
    assert unknown.parts == ("no-such-part",) and unknown.status is Status.FAIL
    assert "not in the catalog" in unknown.message
    [cloud] = [f for f in found if f.severity is Severity.INFO]
    assert cloud.status is Status.FAIL and "cloud offer" in cloud.message


def test_a_typo_in_an_id_is_an_error_that_names_the_nearest_id():
    [f] = findings(make(extra=["gtx-1080-it-fe"]), "unknown-parts")
    assert f.severity is Severity.ERROR and f.parts == ("gtx-1080-it-fe",)
    assert "did you mean gtx-1080-ti-fe?" in f.message and "gtx-1080-ti-fe" in f.hint
    assert CATALOG.suggest("gtx-1080-it-fe") == ("gtx-1080-ti-fe",)
    assert CATALOG.suggest("zzzz-qqqq") == ()


def test_unknown_parts_only_build_never_crashes():
    build = Build(items=(make().items[0].model_copy(update={"part": "zz-unknown"}),))
    evaluation = evaluate(build, CATALOG)
    assert {f.rule for f in evaluation.findings} >= {"unknown-parts", "missing-parts"}


def test_duplicate_parts():
    assert findings(make(), "duplicate-parts") == []
    [f] = findings(make(extra=["tr-2950x"]), "duplicate-parts")
    assert f.severity is Severity.INFO and "2 CPUs" in f.message
    # two power supplies bought together are the two units of a multi-PSU build
    assert findings(make(extra=["corsair-rm650"]), "duplicate-parts") == []
    assert findings(make(extra=["corsair-rm650"]), "psu-balance")


def test_duplicate_parts_plan_replacement_from_its_stage():
    build = make(psu="corsair-rm650", plan=[["evga-1600-p2", ("gtx-1080-ti-fe", 3)]])
    [f] = findings(build, "duplicate-parts")
    assert f.stage == 1
    assert findings(build, "psu-wattage") == []


def test_duplicate_parts_ignores_unknown_ids():
    # an id the catalog lacks is no second PSU: unknown-parts reports it instead
    assert findings(make(extra=["no-such-psu"]), "duplicate-parts") == []
    assert findings(make(extra=["no-such-psu"]), "psu-wattage") == []
