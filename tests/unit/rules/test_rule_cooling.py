"""gpu-cooling-stack, open-air-position, three-slot-gpus."""

from __future__ import annotations

from dlplanner.rules import Severity, Status
from tests.unit.rules.samples import ACCEPTANCE, ARTICLE, findings, make


def test_cooling_stack_passes_for_blowers_and_spaced_cards():
    assert findings(ARTICLE, "gpu-cooling-stack") == []
    # two open-air cards on X399 are placed at positions 1 and 5: one free slot between
    assert findings(make(gpu=("rtx-3060-oa", 2)), "gpu-cooling-stack") == []


def test_cooling_stack_open_air_cards_stacked():
    found = findings(make(gpu=("rtx-3060-oa", 4)), "gpu-cooling-stack")
    assert len(found) == 3 and all(f.severity is Severity.WARNING for f in found)
    assert "0 free slots" in found[0].message and "at least 1 free slot" in found[0].message
    assert "positions 1–2" in found[0].message and "starts at position 3" in found[0].message


def test_cooling_stack_in_acceptance_build():
    found = findings(ACCEPTANCE, "gpu-cooling-stack")
    assert (
        len(found) == 3
        and "no room" in found[0].message
        and "avoid at all costs" in found[0].message
    )


def test_cooling_stack_unknown_cooler():
    found = findings(make(gpu=("gpu-nodata", 4)), "gpu-cooling-stack")
    assert found and all(f.status is Status.UNKNOWN and "cooler" in f.message for f in found)
    # a missing slot map is reported once, by gpu-x16-slots
    assert findings(make(board="board-nodata", gpu=("rtx-3060-oa", 2)), "gpu-cooling-stack") == []


def test_open_air_position_bottom_is_fine():
    build = make(gpu=("gtx-1080-ti-fe", 3), extra=["rtx-3060-oa"])
    assert findings(build, "open-air-position") == []


def test_open_air_position_two_open_air_among_blowers():
    build = make(gpu=("gtx-1080-ti-fe", 2), extra=[("rtx-3060-oa", 2)])
    [f] = findings(build, "open-air-position")
    assert f.severity is Severity.WARNING
    assert "1 open-air card" in f.message and "2 blower cards" in f.message


def test_open_air_position_without_board_counts_cards():
    build = make(board=None, gpu=("gtx-1080-ti-fe", 2), extra=[("rtx-3060-oa", 2)])
    assert len(findings(build, "open-air-position")) == 1


def test_open_air_position_unknown_cooler():
    build = make(gpu=("gtx-1080-ti-fe", 2), extra=["rtx-3060-oa", "gpu-nodata"])
    [f] = findings(build, "open-air-position")
    assert f.status is Status.UNKNOWN and "cooler" in f.message


def test_three_slot_gpus():
    assert findings(make(gpu=("rtx-4090-fe", 2)), "three-slot-gpus") == []
    [f] = findings(make(gpu=("rtx-4090-fe", 3)), "three-slot-gpus")
    assert f.severity is Severity.WARNING
    assert "3 GPUs" in f.message and "up to 3 slots" in f.message and "more than 2" in f.message
    [f] = findings(make(gpu=("rtx-4090-fe", 2), extra=["gpu-nodata"]), "three-slot-gpus")
    assert f.status is Status.UNKNOWN and "slot_width" in f.message
