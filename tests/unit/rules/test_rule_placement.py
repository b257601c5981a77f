"""Where GPUs and M.2 drives go on the board."""

from __future__ import annotations

from dlplanner.domain.parts import PcieSlot
from dlplanner.domain.placement import assign_gpus, assign_m2, placement_order, slot_lanes
from tests.unit.rules.samples import CATALOG, variant


def gpus(*ids):
    return [CATALOG.get(i) for i in ids]


def board(pid="x399-taichi"):
    return CATALOG.get(pid)


def positions(plan):
    return [p.slot.position for p in plan.placed]


def test_four_gpus_fill_the_x16_slots():
    plan = assign_gpus(gpus(*["gtx-1080-ti-fe"] * 4), board(), case_slots=8)
    assert positions(plan) == [1, 3, 5, 7] and [p.lanes for p in plan.placed] == [16, 8, 16, 8]
    assert [p.end for p in plan.placed] == [2, 4, 6, 8] and plan.unplaced == ()


def test_two_gpus_prefer_full_cpu_lanes_and_a_gap():
    assert positions(assign_gpus(gpus("gtx-1080-ti-fe", "gtx-1080-ti-fe"), board())) == [1, 5]


def test_two_three_slot_cards_avoid_collision_and_overhang():
    plan = assign_gpus(gpus("rtx-4090-fe", "rtx-4090-fe"), board(), case_slots=7)
    assert positions(plan) == [1, 5]


def test_wide_and_open_air_cards_go_low():
    order = placement_order(gpus("rtx-4090-fe", "rtx-3060-oa", "gtx-1080-ti-fe"))
    assert [g.id for g in order] == ["gtx-1080-ti-fe", "rtx-3060-oa", "rtx-4090-fe"]


def test_extra_gpus_are_unplaced():
    plan = assign_gpus(gpus(*["gtx-1080-ti-fe"] * 3), board("b550-a-pro"))
    assert len(plan.placed) == 2 and len(plan.unplaced) == 1


def test_unknown_board_places_nothing():
    plan = assign_gpus(gpus("gtx-1080-ti-fe"), None)
    assert not plan.known and plan.placed == () and len(plan.unplaced) == 1


def test_lane_rules_apply_to_the_population():
    slot = PcieSlot(
        name="S",
        position=1,
        physical_lanes=16,
        electrical_lanes=16,
        lane_rules=[
            {"when_populated": ["A"], "lanes": 8},
            {"when_populated": ["B", "C"], "lanes": 0},
        ],
    )
    assert slot_lanes(slot, ()) == 16
    assert slot_lanes(slot, {"A"}) == 8
    assert slot_lanes(slot, {"A", "C"}) == 0


def test_switched_off_slots_are_avoided():
    b = variant(
        "x299-board",
        "x299-off",
        pcie_slots=[
            PcieSlot(name="P1", position=1, physical_lanes=16, electrical_lanes=16, source="cpu"),
            PcieSlot(
                name="P2",
                position=3,
                physical_lanes=16,
                electrical_lanes=16,
                source="cpu",
                lane_rules=[{"when_populated": ["P3"], "lanes": 0}],
            ),
            PcieSlot(name="P3", position=5, physical_lanes=16, electrical_lanes=8, source="cpu"),
            PcieSlot(
                name="P4", position=7, physical_lanes=16, electrical_lanes=4, source="chipset"
            ),
        ],
    )
    plan = assign_gpus(gpus(*["gtx-1080-ti-fe"] * 3), b)
    assert [p.slot.name for p in plan.placed] == ["P1", "P2", "P4"]
    assert all(p.lanes > 0 for p in plan.placed)


def test_m2_matching():
    nvme, sata = CATALOG.get("samsung-970-evo-plus-1tb"), CATALOG.get("mx500-m2-1tb")
    plan = assign_m2([sata, nvme, nvme], board())
    assert {(d.interface, s.name) for d, s in plan.placed} == {
        ("nvme", "M2_1"),
        ("nvme", "M2_2"),
        ("sata", "M2_3"),
    }
    assert plan.disabled_sata_ports() == 2 and plan.unplaced == ()
    plan = assign_m2([nvme] * 4, board())
    assert len(plan.placed) == 3 and len(plan.unplaced) == 1
    # NVMe prefers CPU sockets
    [(_, socket)] = assign_m2([nvme], board("b550-a-pro")).placed
    assert socket.source == "cpu"
