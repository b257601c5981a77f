"""pcie-power-cables, eps-cables, gpu-16pin-connector."""

from __future__ import annotations

from dlplanner.rules import Severity, Status
from tests.unit.rules.samples import ACCEPTANCE, ARTICLE, findings, make, variant, with_parts


def test_pcie_power_cables_pass():
    assert findings(ARTICLE, "pcie-power-cables") == []
    # one native 16-pin cable feeds one RTX 4090
    assert findings(make(gpu="rtx-4090-fe", psu="msi-a1000g-pcie5"), "pcie-power-cables") == []


def test_pcie_power_cables_adapters_count():
    [f] = findings(ACCEPTANCE, "pcie-power-cables")
    assert f.severity is Severity.ERROR
    assert "need 9 PCIe 6+2 cables" in f.message and "3 × 16-pin" in f.message
    assert "has 6" in f.message and "1 native 16-pin cable" in f.message


def test_pcie_power_cables_eight_pin():
    [f] = findings(make(gpu=("rtx-3090-turbo", 4), psu="corsair-rm650"), "pcie-power-cables")
    assert "need 8 PCIe 6+2 cables" in f.message and "8 for 8-pin sockets" in f.message
    assert "has 3" in f.message


def test_pcie_power_cables_unknown():
    [f] = findings(make(psu="psu-nodata"), "pcie-power-cables")
    assert f.status is Status.UNKNOWN and "pcie_6_plus_2" in f.message
    [f] = findings(make(gpu="gpu-nodata"), "pcie-power-cables")
    assert f.status is Status.UNKNOWN and "power_connectors" in f.message


def test_eps_cables():
    assert findings(make(), "eps-cables") == []
    [f] = findings(make(psu="corsair-rm650"), "eps-cables")
    assert f.severity is Severity.WARNING
    assert "1 EPS 8-pin and 1 4-pin" in f.message and "1 EPS 4+4 cable" in f.message
    [f] = findings(make(psu="corsair-rm650", gpu=("rtx-a6000", 2)), "eps-cables")
    assert f.severity is Severity.ERROR and "GPUs have 2 EPS 8-pin" in f.message
    assert "4 in all" in f.message


def test_eps_cables_unknown():
    [f] = findings(make(board="board-nodata"), "eps-cables")
    assert f.status is Status.UNKNOWN and "eps_8pin" in f.message
    [f] = findings(make(psu="psu-nodata"), "eps-cables")
    assert f.status is Status.UNKNOWN and "eps_4_plus_4" in f.message


def test_gpu_16pin_connector():
    assert findings(ARTICLE, "gpu-16pin-connector") == []
    [f] = findings(make(gpu="rtx-4090-fe", psu="msi-a1000g-pcie5"), "gpu-16pin-connector")
    assert f.severity is Severity.INFO
    assert "450 W" in f.message and "600 W" in f.message and "75 %" in f.message
    [f] = findings(make(gpu="rtx-4090-fe"), "gpu-16pin-connector")  # EVGA P2: no 16-pin cable
    assert f.severity is Severity.WARNING and "0 native 16-pin cables" in f.message
    assert "1 goes through adapters" in f.message


def test_gpu_16pin_connector_unknown_tdp():
    gpu = variant("rtx-4090-fe", "rtx-4090-notdp", tdp_w=None)
    [f] = findings(make(gpu="rtx-4090-notdp"), "gpu-16pin-connector", catalog=with_parts(gpu))
    assert f.status is Status.UNKNOWN and "tdp_w" in f.message
