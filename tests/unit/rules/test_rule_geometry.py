"""case-motherboard, gpu-length, psu-fit, gpu-x16-slots, gpu-slot-geometry, case-expansion-slots."""

from __future__ import annotations

from dlplanner.domain.parts import PcieSlot
from dlplanner.rules import Severity, Status
from tests.unit.rules.samples import ACCEPTANCE, ARTICLE, findings, make, variant, with_parts

TR_PRO = {
    "cpu": "tr-pro-5975wx",
    "board": "wrx80-sage",
    "cooler": None,
    "memory": "ddr4-128gb-4x32-rdimm",
}


def test_case_motherboard():
    assert findings(make(), "case-motherboard") == []
    [f] = findings(make(case="corsair-4000d", **TR_PRO), "case-motherboard")
    assert f.severity is Severity.ERROR
    assert "is EEB" in f.message and "ATX, Micro-ATX and Mini-ITX" in f.message
    # form factors are required fields: a sparse case still decides
    assert findings(make(case="case-nodata"), "case-motherboard") == []


def test_gpu_length():
    assert findings(make(gpu="rtx-4090-fe"), "gpu-length") == []
    [f] = findings(make(gpu="rtx-4090-fe", case="compact-atx"), "gpu-length")
    assert f.severity is Severity.ERROR
    assert "304 mm" in f.message and "300 mm" in f.message
    [f] = findings(make(case="case-nodata"), "gpu-length")
    assert f.status is Status.UNKNOWN and "max_gpu_length_mm" in f.message
    [f] = findings(make(gpu="gpu-nodata"), "gpu-length")
    assert f.status is Status.UNKNOWN and "length_mm" in f.message


def test_psu_fit():
    assert findings(make(), "psu-fit") == []
    [f] = findings(make(psu="long-psu-1300", case="corsair-4000d"), "psu-fit")
    # both lengths known: a longer supply does not fit (an error, not a warning)
    assert f.severity is Severity.ERROR and "240 mm" in f.message and "220 mm" in f.message
    [f] = findings(make(case="nr200"), "psu-fit")
    assert f.severity is Severity.ERROR and "is ATX" in f.message and "SFX and SFX-L" in f.message
    [f] = findings(make(psu="corsair-sf750"), "psu-fit")
    assert f.severity is Severity.INFO and "bracket" in f.message
    [f] = findings(make(psu="psu-nodata"), "psu-fit")
    assert f.status is Status.UNKNOWN and "length_mm" in f.message


def test_gpu_x16_slots():
    assert findings(ARTICLE, "gpu-x16-slots") == []
    amd = {"cpu": "ryzen-5-5600x", "board": "b550-a-pro", "cooler": "nh-d15"}
    [f] = findings(make(gpu=("gtx-1080-ti-fe", 3), **amd), "gpu-x16-slots")
    assert f.severity is Severity.ERROR
    assert "3 GPUs need 3 usable x16 slots" in f.message and "2 x16 slots" in f.message
    [f] = findings(make(board="board-nodata"), "gpu-x16-slots")
    assert f.status is Status.UNKNOWN and "pcie_slots" in f.message


def test_gpu_x16_slots_counts_slots_switched_off():
    slot = PcieSlot(
        name="PCI_E3",
        position=4,
        physical_lanes=16,
        electrical_lanes=4,
        source="chipset",
        lane_rules=[{"when_populated": ["M2_2"], "lanes": 0}],
    )
    board = variant(
        "b550-a-pro", "b550-off", pcie_slots=[*variant("b550-a-pro", "x").pcie_slots[:2], slot]
    )
    build = make(
        cpu="ryzen-5-5600x",
        board="b550-off",
        cooler="nh-d15",
        gpu=("gtx-1080-ti-fe", 2),
        storage=("samsung-970-evo-plus-1tb", 2),
    )
    [f] = findings(build, "gpu-x16-slots", catalog=with_parts(board))
    assert "PCI_E3 is switched off when M2_2 is used" in f.message and "1 usable" in f.message


def test_gpu_slot_geometry_passes_with_two_slot_cards():
    assert findings(ARTICLE, "gpu-slot-geometry") == []


def test_gpu_slot_geometry_spaces_two_wide_cards():
    # two 3-slot cards on X399 go to positions 1 and 5, not 1 and 3
    assert findings(make(gpu=("rtx-4090-fe", 2), psu="msi-a1000g-pcie5"), "gpu-slot-geometry") == []


def test_gpu_slot_geometry_collisions():
    found = findings(ACCEPTANCE, "gpu-slot-geometry")
    assert [f.key for f in found] == ["collision:PCIE1", "collision:PCIE3", "collision:PCIE4"]
    assert all(f.severity is Severity.ERROR for f in found)
    assert "3 slots wide" in found[0].message and "positions 1–3" in found[0].message
    assert "PCIE3 at position 3" in found[0].message


def test_gpu_slot_geometry_overhang():
    board = variant(
        "x399-taichi",
        "low-slot-board",
        pcie_slots=[
            PcieSlot(name="PCIE6", position=6, physical_lanes=16, electrical_lanes=16, source="cpu")
        ],
    )
    build = make(
        board="low-slot-board", gpu="rtx-4090-fe", case="corsair-4000d", psu="msi-a1000g-pcie5"
    )
    [f] = findings(build, "gpu-slot-geometry", catalog=with_parts(board))
    assert f.key == "overhang" and "ends at position 8" in f.message and "has 7" in f.message


def test_gpu_slot_geometry_overhang_left_to_case_rule():
    build = make(gpu=("gtx-1080-ti-fe", 4), case="corsair-4000d")
    assert findings(build, "gpu-slot-geometry") == []
    [f] = findings(build, "case-expansion-slots")
    assert "at least 8 expansion slots" in f.message and "has 7" in f.message


def test_gpu_slot_geometry_unknown():
    [f] = findings(make(gpu=("gpu-nodata", 2)), "gpu-slot-geometry")
    assert f.status is Status.UNKNOWN and "slot_width" in f.message
    # a missing slot map is reported once, by gpu-x16-slots
    assert findings(make(board="board-nodata"), "gpu-slot-geometry") == []


def test_case_expansion_slots():
    assert findings(ARTICLE, "case-expansion-slots") == []
    [f] = findings(ACCEPTANCE, "case-expansion-slots")
    assert f.severity is Severity.ERROR
    assert "at least 12 expansion slots" in f.message and "has 7" in f.message
    [f] = findings(make(case="case-nodata"), "case-expansion-slots")
    assert f.status is Status.UNKNOWN and "expansion_slots" in f.message
