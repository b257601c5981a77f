"""The part schema's markers: complete lists, partial slot maps, launch prices."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from dlplanner.domain.parts import PART_ADAPTER, CasePart, MotherboardPart, PcieSlot
from dlplanner.rules import Status
from tests.unit.rules.samples import findings, make, variant, with_parts

SRC = ["https://example.com/spec"]


def case(**spec: object) -> CasePart:
    base: dict[str, object] = {"id": "cc", "brand": "B", "name": "N", "sources": SRC}
    return CasePart.model_validate({**base, "motherboard_form_factors": ["ATX"], **spec})


def test_lists_are_partial_unless_marked():
    assert not case().is_complete("motherboard_form_factors")
    marked = case(complete=["motherboard_form_factors", "psu_form_factors"])
    assert marked.is_complete("motherboard_form_factors")
    assert marked.is_complete("psu_form_factors")


@pytest.mark.parametrize("name", ["expansion_slots", "sockets", "nonsense"])
def test_complete_refuses_fields_that_are_not_member_lists(name: str):
    with pytest.raises(ValidationError, match="not a list field of a case"):
        case(complete=[name])


def test_sourcing_notes_are_optional_text():
    assert case().sourcing_notes is None
    record = "searched X, Y: not found"
    assert case(sourcing_notes=record).sourcing_notes == record
    with pytest.raises(ValidationError, match="sourcing_notes"):
        case(sourcing_notes=["a", "list"])


def test_complete_refuses_an_empty_field():
    with pytest.raises(ValidationError, match="has no value"):
        PART_ADAPTER.validate_python(
            {"kind": "cpu", "id": "xx", "brand": "B", "name": "N", "sources": SRC,
             "socket": "AM5", "complete": ["memory_types"]}
        )  # fmt: skip


def board(**spec: object) -> MotherboardPart:
    base: dict[str, object] = {
        "id": "bb", "brand": "B", "name": "N", "sources": SRC, "socket": "sTR5",
        "form_factor": "EEB",
    }  # fmt: skip
    return MotherboardPart.model_validate({**base, **spec})


def slot(name: str, position: int | None = None) -> dict[str, object]:
    return {"name": name, "position": position, "physical_lanes": 16, "electrical_lanes": 16}


def test_a_full_map_needs_every_position():
    with pytest.raises(ValidationError, match="pcie_map: partial"):
        board(pcie_slots=[slot("A", 1), slot("B")])
    full = board(pcie_slots=[slot("A", 1), slot("B", 3)])
    assert full.slot_positions_known and full.lane_rules_known


def test_a_partial_map_knows_widths_not_geometry():
    partial = board(pcie_map="partial", pcie_slots=[slot("A"), slot("B"), slot("C")])
    assert not partial.slot_positions_known
    assert not partial.lane_rules_known
    assert [s.physical_lanes for s in partial.pcie_slots or []] == [16, 16, 16]
    assert not board().slot_positions_known  # no map at all


def _partial_wrx80() -> MotherboardPart:
    full = variant("wrx80-sage", "wrx80-partial")
    assert isinstance(full, MotherboardPart)
    slots = [
        PcieSlot(name=s.name, physical_lanes=16, electrical_lanes=16, pcie_gen=4)
        for s in full.pcie_slots or []
    ]
    return full.model_copy(update={"pcie_map": "partial", "pcie_slots": slots})


TR_PRO = {"cpu": "tr-pro-5975wx", "board": "wrx80-partial", "cooler": None,
          "memory": "ddr4-128gb-4x32-rdimm", "case": "case-nodata"}  # fmt: skip


def test_partial_map_runs_x16_and_lane_rules_but_not_geometry():
    catalog = with_parts(_partial_wrx80())
    build = make(gpu=("rtx-a6000", 4), **TR_PRO)
    assert findings(build, "gpu-x16-slots", catalog=catalog) == []
    lanes = findings(build, "cpu-pcie-lanes", catalog=catalog)
    assert all(f.status is Status.FAIL for f in lanes)
    [geometry] = findings(build, "gpu-slot-geometry", catalog=catalog)
    assert geometry.status is Status.UNKNOWN
    assert "partial" in geometry.message and "positions" in geometry.message
    # too many GPUs for the slots listed: an error even on a partial map (every slot is listed)
    [x16] = findings(make(gpu=("rtx-a6000", 8), **TR_PRO), "gpu-x16-slots", catalog=catalog)
    assert x16.status is Status.FAIL and "7 x16 slots" in x16.message
