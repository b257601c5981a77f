"""memory-type, memory-slots, memory-capacity, memory-speed, memory-ecc."""

from __future__ import annotations

from dlplanner.rules import Severity, Status
from tests.unit.rules.samples import findings, make

TR_PRO = {"cpu": "tr-pro-5975wx", "board": "wrx80-sage", "cooler": None, "case": "carbide-air-540"}


def test_memory_type_passes():
    assert findings(make(), "memory-type") == []
    assert findings(make(memory="ddr4-128gb-4x32-rdimm", **TR_PRO), "memory-type") == []


def test_memory_type_ddr5_on_ddr4_board_and_cpu():
    found = findings(make(memory="ddr5-64gb-2x32-6000"), "memory-type")
    assert {f.key for f in found} == {
        "ddr:ddr5-64gb-2x32-6000:board",
        "ddr:ddr5-64gb-2x32-6000:cpu",
    }
    for f in found:
        assert f.severity is Severity.ERROR and "DDR5" in f.message and "DDR4" in f.message


def test_memory_type_rdimm_on_consumer_board():
    found = findings(make(memory="ddr4-128gb-4x32-rdimm"), "memory-type")
    assert found and all("RDIMM" in f.message and "UDIMM" in f.message for f in found)
    assert all(f.severity is Severity.ERROR for f in found)


def test_memory_type_udimm_on_rdimm_platform():
    found = findings(make(**TR_PRO), "memory-type")
    assert len(found) == 2  # the board and the CPU both take RDIMM only
    assert all("is UDIMM" in f.message and "RDIMM only" in f.message for f in found)


def test_memory_type_unknown_without_specs():
    found = findings(make(cpu="cpu-nodata", board="board-nodata"), "memory-type")
    assert [f.status for f in found] == [Status.UNKNOWN]
    assert "memory_type" in found[0].message
    found = findings(make(memory="memory-nodata"), "memory-type")
    assert {f.status for f in found} == {Status.UNKNOWN}
    assert all("registered" in f.message for f in found)


def test_memory_slots():
    assert findings(make(), "memory-slots") == []
    amd = {"cpu": "ryzen-5-5600x", "board": "b550-a-pro", "cooler": "nh-d15"}
    [f] = findings(make(memory="ddr4-128gb-8x16-3200", **amd), "memory-slots")
    assert f.severity is Severity.ERROR
    assert "8 modules" in f.message and "4 slots" in f.message and "4 more slots" in f.message
    [f] = findings(make(board="board-nodata"), "memory-slots")
    assert f.status is Status.UNKNOWN and "memory_slots" in f.message


def test_memory_capacity():
    assert findings(make(), "memory-capacity") == []
    [f] = findings(make(memory=("ddr4-128gb-8x16-3200", 2)), "memory-capacity")
    assert f.severity is Severity.ERROR
    assert "256 GB" in f.message and "128 GB" in f.message and "X399 Taichi" in f.message
    [f] = findings(make(cpu="cpu-nodata", board="board-nodata"), "memory-capacity")
    assert f.status is Status.UNKNOWN and "max_memory_gb" in f.message


def test_memory_speed():
    assert findings(make(), "memory-speed") == []
    [f] = findings(make(memory="ddr4-16gb-2x8-4000"), "memory-speed")
    assert (f.severity, f.status) == (Severity.INFO, Status.FAIL)
    assert "4000 MT/s" in f.message and "3600 MT/s" in f.message
    [f] = findings(make(memory="memory-nodata"), "memory-speed")
    assert f.status is Status.UNKNOWN and "speed_mts" in f.message


def test_memory_ecc():
    assert findings(make(memory="ddr4-32gb-2x16-ecc"), "memory-ecc") == []
    intel = {"cpu": "i5-12400", "board": "z690-board", "cooler": "nh-d15"}
    [f] = findings(make(memory="ddr4-32gb-2x16-ecc", **intel), "memory-ecc")
    assert f.severity is Severity.WARNING and "ECC" in f.message
    assert set(f.parts) == {"ddr4-32gb-2x16-ecc", "z690-board", "i5-12400"}
    [f] = findings(
        make(memory="ddr4-32gb-2x16-ecc", cpu="cpu-nodata", board="board-nodata"), "memory-ecc"
    )
    assert f.status is Status.UNKNOWN and "ecc_support" in f.message
