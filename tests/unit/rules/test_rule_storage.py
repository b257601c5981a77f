"""m2-slots, sata-ports, lane-sharing, drive-bays."""

from __future__ import annotations

from dlplanner.rules import Severity, Status
from tests.unit.rules.samples import findings, make, variant, with_parts

NVME = "samsung-970-evo-plus-1tb"
SATA_SSD = "samsung-870-evo-1tb"
HDD = "wd-red-8tb"
AMD = {"cpu": "ryzen-5-5600x", "board": "b550-a-pro", "cooler": "nh-d15"}
INTEL = {"cpu": "i5-12400", "board": "z690-board", "cooler": "nh-d15", "gpu": None}


def test_m2_slots_pass():
    assert findings(make(storage=(NVME, 3)), "m2-slots") == []


def test_m2_slots_too_many_drives():
    [f] = findings(make(storage=(NVME, 4)), "m2-slots")
    assert f.severity is Severity.ERROR
    assert (
        "4 M.2 drives" in f.message and "only 3 fit" in f.message and "3 M.2 sockets" in f.message
    )


def test_m2_slots_sata_m2_needs_sata_socket():
    [f] = findings(make(storage="mx500-m2-1tb", **INTEL), "m2-slots")
    assert "MX500" in f.message and "M.2_1 NVMe 2280" in f.message
    # the X399's third socket takes SATA M.2 drives
    assert findings(make(storage="mx500-m2-1tb"), "m2-slots") == []


def test_m2_slots_matching_moves_nvme_off_the_sata_socket():
    # two NVMe and one SATA M.2 on X399: NVMe must use M2_1/M2_2, leaving M2_3 for SATA
    assert findings(make(storage=(NVME, 2), extra=["mx500-m2-1tb"]), "m2-slots") == []


def test_m2_slots_unknown_without_socket_list():
    [f] = findings(make(board="board-nodata"), "m2-slots")
    assert f.status is Status.UNKNOWN and "m2_slots" in f.message


def test_sata_ports_pass():
    assert findings(make(extra=[(SATA_SSD, 2), HDD]), "sata-ports") == []


def test_sata_ports_too_many_drives():
    [f] = findings(make(extra=[(HDD, 5)], **INTEL), "sata-ports")
    assert f.severity is Severity.ERROR
    assert "5 SATA drives need 5 ports" in f.message and "has 4" in f.message


def test_sata_ports_switched_off_by_m2():
    # B550: M2_2 switches off 2 of 6 SATA ports whatever drive it holds
    [f] = findings(make(storage=(NVME, 2), extra=[(HDD, 5)], **AMD), "sata-ports")
    assert "has 6" in f.message and "switch off 2" in f.message and "leaving 4" in f.message
    assert findings(make(storage=NVME, extra=[(HDD, 5)], **AMD), "sata-ports") == []


def test_sata_ports_unknown():
    [f] = findings(make(board="board-nodata", extra=[HDD]), "sata-ports")
    assert f.status is Status.UNKNOWN and "sata_ports" in f.message


def test_lane_sharing_pass():
    assert findings(make(gpu=("gtx-1080-ti-fe", 4)), "lane-sharing") == []


def test_lane_sharing_gpu_slot_loses_lanes():
    found = findings(make(gpu=("gtx-1080-ti-fe", 2), storage=(NVME, 2), **AMD), "lane-sharing")
    [f] = [f for f in found if f.key.startswith("gpu:")]
    assert f.severity is Severity.WARNING
    assert "PCI_E3 runs at x2 instead of x4" in f.message and "M2_2" in f.message


def test_lane_sharing_sata_note():
    [f] = findings(make(storage=NVME, extra=["mx500-m2-1tb", SATA_SSD]), "lane-sharing")
    assert f.severity is Severity.INFO
    assert (
        "M2_3" in f.message
        and "2 SATA ports" in f.message
        and "of the ASRock X399 Taichi's 8" in f.message
    )


def test_lane_sharing_unknown_without_m2_list():
    board = variant("b550-a-pro", "b550-no-m2", m2_slots=None)
    catalog = with_parts(board)
    build = make(gpu=("gtx-1080-ti-fe", 2), **{**AMD, "board": "b550-no-m2"})
    [f] = findings(build, "lane-sharing", catalog=catalog)
    assert f.status is Status.UNKNOWN and "m2_slots" in f.message


def test_drive_bays():
    assert findings(make(extra=[(HDD, 2), (SATA_SSD, 4)]), "drive-bays") == []
    [f] = findings(make(extra=[(HDD, 3)]), "drive-bays")
    assert f.severity is Severity.WARNING
    assert "3 3.5-inch drives" in f.message and "2 3.5-inch" in f.message
    [f] = findings(make(case="case-nodata", extra=[HDD]), "drive-bays")
    assert f.status is Status.UNKNOWN and "drive_bays_35" in f.message
