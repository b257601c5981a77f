"""wall-circuit."""

from __future__ import annotations

from dlplanner.domain.build import Site
from dlplanner.rules import Severity, Status
from tests.unit.rules.samples import ACCEPTANCE, ARTICLE, findings, make


def test_wall_circuit_passes_for_the_article_build():
    # (4 × 250 + 180 + 100) W / 0.902 (Platinum at 80 % load, between 92 % and 89 %) = 1419 W
    assert findings(ARTICLE, "wall-circuit") == []


def test_wall_circuit_error_over_breaker():
    [f] = findings(ACCEPTANCE, "wall-circuit")
    assert (f.severity, f.status) == (Severity.ERROR, Status.FAIL)
    # (1980 + 100) W / 0.87 (Gold at full load and beyond) = 2391 W > 120 V × 15 A = 1800 W
    assert "2391 W" in f.message and "2080 W DC" in f.message and "87 %" in f.message
    assert "208 % load" in f.message
    assert "1800 W breaker rating" in f.message and "120 V / 15 A" in f.message


def test_wall_circuit_warning_over_continuous_limit():
    build = ARTICLE.model_copy(update={"site": Site(continuous_factor=0.75)})
    [f] = findings(build, "wall-circuit")
    assert f.severity is Severity.WARNING
    assert "1419 W" in f.message and "1350 W continuous limit" in f.message
    assert f.stage == 3


def test_wall_circuit_site_is_configurable():
    eu = ACCEPTANCE.model_copy(update={"site": Site(volts=230, breaker_amps=16)})
    assert findings(eu, "wall-circuit") == []


def test_wall_circuit_unknown_efficiency():
    build = make(psu="psu-nodata", plan=[["gtx-1080-ti-fe"]] * 3)
    [f] = findings(build, "wall-circuit")
    # 1280 W / 0.94 = 1362 W fits, 1280 W / 0.80 = 1600 W does not: can't tell
    assert f.status is Status.UNKNOWN and "efficiency" in f.message and "1600 W" in f.message


def test_wall_circuit_fails_even_at_best_efficiency():
    build = make(gpu=("rtx-4090-fe", 4), psu="psu-nodata")
    [f] = findings(build, "wall-circuit")
    assert f.status is Status.FAIL and "94 %" in f.message and "2213 W" in f.message
    assert f.severity is Severity.ERROR


def test_wall_circuit_unknown_tdp():
    [f] = findings(make(gpu="gpu-nodata"), "wall-circuit")
    assert f.status is Status.UNKNOWN and "tdp_w" in f.message
