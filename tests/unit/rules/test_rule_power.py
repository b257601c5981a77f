"""psu-wattage, psu-future, single-psu-limit, transient-spikes, power-limit-hint."""

from __future__ import annotations

from dlplanner.domain.build import Site
from dlplanner.rules import Severity, Status
from tests.unit.rules.samples import ACCEPTANCE, ARTICLE, findings, make


def test_psu_wattage_pass():
    assert findings(ARTICLE, "psu-wattage") == []


def test_psu_wattage_error_below_dc_load():
    [f] = findings(ACCEPTANCE, "psu-wattage")
    assert (f.severity, f.status) == (Severity.ERROR, Status.FAIL)
    assert "4 × 450 W GPU + 180 W CPU = 1980 W" in f.message
    assert "1000 W" in f.message and "2396 W" in f.message


def test_psu_wattage_warning_below_headroom():
    # Dettmers: 4 × 250 W + 180 W = 1180 W; × 1.21 = 1428 W > 1300 W
    [f] = findings(make(gpu=("gtx-1080-ti-fe", 4), psu="long-psu-1300"), "psu-wattage")
    assert f.severity is Severity.WARNING
    assert "1180 W" in f.message and "1428 W" in f.message and "1300 W" in f.message


def test_psu_wattage_headroom_is_a_site_setting():
    build = make(gpu=("gtx-1080-ti-fe", 4), psu="long-psu-1300", site=Site(psu_headroom=1.1))
    assert findings(build, "psu-wattage") == []


def test_psu_wattage_unknown_tdp():
    [f] = findings(make(gpu="gpu-nodata"), "psu-wattage")
    assert f.status is Status.UNKNOWN and "tdp_w" in f.message and "180 W" in f.message


def test_psu_wattage_known_part_already_too_much():
    [f] = findings(
        make(gpu=("rtx-4090-fe", 2), extra=["gpu-nodata"], psu="corsair-rm650"), "psu-wattage"
    )
    assert f.status is Status.FAIL and "1080 W" in f.message and "650 W" in f.message


def test_psu_future_pass():
    assert findings(ARTICLE, "psu-future") == []


def test_psu_future_names_final_stage():
    build = make(psu="msi-a1000g-pcie5", plan=[["gtx-1080-ti-fe"]] * 3)
    [f] = findings(build, "psu-future")
    assert f.stage == 0 and f.severity is Severity.WARNING
    assert "stage 3" in f.message and "1428 W" in f.message and "1000 W" in f.message


def test_psu_future_silent_when_plan_replaces_psu():
    build = make(
        psu="msi-a1000g-pcie5", plan=[["gtx-1080-ti-fe"], ["gtx-1080-ti-fe", "evga-1600-p2"]]
    )
    assert findings(build, "psu-future") == []


def test_psu_future_silent_on_unknown_tdp():
    build = make(psu="msi-a1000g-pcie5", plan=[["gpu-nodata"]])
    assert findings(build, "psu-future") == []


def test_single_psu_limit():
    assert findings(ARTICLE, "single-psu-limit") == []
    [f] = findings(ACCEPTANCE, "single-psu-limit")
    assert f.severity is Severity.WARNING and "2396 W" in f.message and "1600 W" in f.message
    assert findings(make(gpu=("gpu-nodata", 4)), "single-psu-limit") == []


def test_transient_spikes():
    assert findings(ARTICLE, "transient-spikes") == []  # 4 × 343 W peaks + 280 W < 1600 W
    # an ATX 2.x unit is not a problem by itself: 2 × 600 W peaks + 280 W < 1600 W
    assert findings(make(gpu=("rtx-3090-turbo", 2)), "transient-spikes") == []
    # four RTX 4090s peak at 4 × 500 W (TechPowerUp's 500 W on a 450 W card) + 280 W
    [f] = findings(ACCEPTANCE, "transient-spikes")
    assert f.severity is Severity.WARNING
    assert "2000 W" in f.message and "2280 W" in f.message and "ATX 3.0" in f.message
    [f] = findings(make(gpu=("rtx-3090-turbo", 3)), "transient-spikes")
    assert "1800 W" in f.message and "2080 W" in f.message and "ATX 2.x" in f.message
    assert "3200 W" in f.message and "1600 W rating" in f.message
    [f] = findings(make(gpu=("rtx-3090-turbo", 3), psu="psu-nodata"), "transient-spikes")
    assert f.status is Status.UNKNOWN and "atx_version" in f.message


def test_power_limit_hint():
    assert findings(ARTICLE, "power-limit-hint") == []
    [f] = findings(ACCEPTANCE, "power-limit-hint")
    assert f.severity is Severity.INFO
    # (4 × 160 + 180) × 1.21 = 992 W fits the 1000 W supply; 165 W would need 1017 W
    assert "to 160 W" in f.message and "920 W DC" in f.message and "1440 W" in f.message
    assert "nvidia-smi -pl 160" in f.hint
    assert findings(make(gpu=("gpu-nodata", 4)), "power-limit-hint") == []


def test_power_limit_hint_on_a_1300_w_supply():
    build = make(gpu=("rtx-3090-turbo", 4), psu="long-psu-1300")
    [f] = findings(build, "power-limit-hint")
    # (4 × 220 + 180) × 1.21 = 1283 W ≤ 1300 W; the estimated speed comes with it
    assert "to 220 W" in f.message and "1160 W DC" in f.message and "93 %" in f.message


def test_power_limit_hint_respects_card_minimum():
    build = make(gpu=("rtx-3090-turbo", 4), psu="corsair-rm650")
    [f] = findings(build, "power-limit-hint")
    assert "No power limit" in f.message
