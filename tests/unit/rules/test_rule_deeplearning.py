"""ram-vs-vram, nvme-storage, mixed-gpus."""

from __future__ import annotations

from dlplanner.domain.parts import M2Slot
from dlplanner.rules import Severity, Status
from tests.unit.rules.samples import ARTICLE, findings, make, variant, with_parts


def test_ram_vs_vram():
    assert findings(make(), "ram-vs-vram") == []
    [f] = findings(make(memory="ddr4-16gb-2x8-4000", gpu="rtx-a6000"), "ram-vs-vram")
    assert f.severity is Severity.WARNING and "16 GB" in f.message and "48 GB" in f.message
    # told as stage 2 alone tells it (3 GPUs), not with the fourth GPU's numbers
    [f] = findings(ARTICLE, "ram-vs-vram")
    assert f.severity is Severity.INFO and f.stage == 2
    assert "64 GB" in f.message and "33 GB" in f.message and "66 GB" in f.message
    [f] = findings(make(gpu="gpu-nodata"), "ram-vs-vram")
    assert f.status is Status.UNKNOWN and "vram_gb" in f.message


def test_nvme_storage():
    assert findings(make(), "nvme-storage") == []
    [f] = findings(make(storage="samsung-870-evo-1tb"), "nvme-storage")
    assert f.severity is Severity.INFO and "0 NVMe SSDs" in f.message and "1 drive" in f.message


def test_nvme_storage_on_chipset_lanes():
    board = variant(
        "z690-board",
        "z690-chipset-m2",
        m2_slots=[M2Slot(name="M.2_2", interfaces=["nvme"], source="chipset")],
    )
    build = make(cpu="i5-12400", board="z690-chipset-m2", cooler="nh-d15")
    [f] = findings(build, "nvme-storage", catalog=with_parts(board))
    assert f.key == "chipset" and "1 NVMe drive" in f.message and "0 CPU-attached" in f.message


def test_nvme_storage_unknown_socket_source():
    board = variant(
        "z690-board", "z690-no-source", m2_slots=[M2Slot(name="M.2_1", interfaces=["nvme"])]
    )
    build = make(cpu="i5-12400", board="z690-no-source", cooler="nh-d15")
    [f] = findings(build, "nvme-storage", catalog=with_parts(board))
    assert f.status is Status.UNKNOWN and "source" in f.message


def test_mixed_gpus():
    assert findings(ARTICLE, "mixed-gpus") == []
    [f] = findings(make(extra=["rtx-3090-turbo"]), "mixed-gpus")
    assert f.severity is Severity.INFO and "2 GPU models" in f.message
    assert "1 × GeForce GTX 1080 Ti" in f.message and "1 × GeForce RTX 3090" in f.message
    # chipset is a required field: sparse GPUs still count
    assert len(findings(make(extra=["gpu-nodata"]), "mixed-gpus")) == 1
