"""cpu-pcie-lanes, cpu-cores."""

from __future__ import annotations

from dlplanner.rules import Severity, Status
from tests.unit.rules.samples import ARTICLE, findings, make

X299 = {"cpu": "i7-7800x", "board": "x299-board", "cooler": "nh-d15"}


def test_cpu_lanes_pass():
    # 4 × x8 + x4 NVMe = 36 ≤ 60; as wired x16/x8/x16/x8 + x4 = 52 ≤ 60
    assert findings(ARTICLE, "cpu-pcie-lanes") == []


def test_cpu_lanes_article_minimum():
    [f] = findings(make(gpu=("gtx-1080-ti-fe", 4), **X299), "cpu-pcie-lanes")
    assert f.severity is Severity.WARNING
    assert "4 GPUs at x8" in f.message and "1 CPU-attached NVMe drive at x4" in f.message
    assert "need 36 PCIe lanes" in f.message and "has 28 usable" in f.message


def test_cpu_lanes_as_wired():
    [f] = findings(make(gpu=("gtx-1080-ti-fe", 2), **X299), "cpu-pcie-lanes")
    assert "(x16/x16)" in f.message and "take 36 CPU lanes" in f.message and "28" in f.message


def test_cpu_lanes_gpu_below_x4_is_an_error():
    intel = {"cpu": "i5-12400", "board": "z690-board", "cooler": "nh-d15"}
    found = findings(make(gpu=("gtx-1080-ti-fe", 3), **intel), "cpu-pcie-lanes")
    slow = [f for f in found if f.key.startswith("slow:")]
    assert len(slow) == 1 and slow[0].severity is Severity.ERROR
    assert "PCIEX16_3 links at x1" in slow[0].message and "at least x4" in slow[0].message


def test_cpu_lanes_unknown():
    [f] = findings(make(cpu="cpu-nodata"), "cpu-pcie-lanes")
    assert f.status is Status.UNKNOWN and "pcie_lanes_usable" in f.message


def test_cpu_cores():
    assert findings(ARTICLE, "cpu-cores") == []
    [f] = findings(make(gpu=("gtx-1080-ti-fe", 4), **X299), "cpu-cores")
    assert f.severity is Severity.WARNING
    assert "6 cores / 12 threads" in f.message and "16 threads" in f.message
    assert "8 cores" in f.message
    [f] = findings(make(cpu="cpu-nodata"), "cpu-cores")
    assert f.status is Status.UNKNOWN and "threads" in f.message
