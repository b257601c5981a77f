"""Electrical numbers the power and circuit rules share: DC load, PSU efficiency, wall draw."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dlplanner.domain.parts import CpuPart, GpuPart, PsuPart
from dlplanner.domain.power import OTHER_PARTS_W

EFFICIENCY_AT_HALF_LOAD: dict[str, float] = {
    "white": 0.80,
    "bronze": 0.85,
    "silver": 0.88,
    "gold": 0.90,
    "platinum": 0.92,
    "titanium": 0.94,
}
"""80 PLUS minimum efficiency at 50 % load, 115 V internal (non-redundant) PSUs.

The 80 PLUS certification levels (program started by Ecos Consulting and EPRI, now run by
CLEAResult, https://www.clearesult.com/80plus/), column "115V Internal Non-Redundant", 50 %
load: 80 PLUS (white) 80 %, Bronze 85 %, Silver 88 %, Gold 90 %, Platinum 92 %, Titanium 94 %.
A certified unit reaches at least these; using them overestimates the wall draw a little.
"""

WORST_EFFICIENCY = min(EFFICIENCY_AT_HALF_LOAD.values())
BEST_EFFICIENCY = max(EFFICIENCY_AT_HALF_LOAD.values())

SINGLE_PSU_MAX_W = 1600
"""The largest workstation PSUs sold for 115 V home and office circuits (Lambda, RTX 30 guide)."""


@dataclass(frozen=True, slots=True)
class DcLoad:
    """The Dettmers DC load: the GPUs' and the CPU's TDP, and parts whose TDP is unknown."""

    gpu_w: int
    cpu_w: int
    gpu_count: int
    missing: tuple[str, ...] = ()
    """Ids of the GPUs and CPU without a ``tdp_w``."""

    @property
    def total_w(self) -> int:
        """GPUs + CPU (the known part of it when ``missing`` is not empty)."""
        return self.gpu_w + self.cpu_w

    @property
    def complete(self) -> bool:
        """Whether every GPU and the CPU have a known TDP."""
        return not self.missing

    @property
    def system_w(self) -> float:
        """GPUs + CPU + the rest of the machine (board, memory, drives, fans)."""
        return self.total_w + OTHER_PARTS_W


def dc_load(cpu: CpuPart | None, gpus: Sequence[GpuPart]) -> DcLoad:
    """Sum the GPUs' and the CPU's TDP."""
    missing: list[str] = []
    gpu_w = 0
    for gpu in gpus:
        if gpu.tdp_w is None:
            missing.append(gpu.id)
        else:
            gpu_w += gpu.tdp_w
    cpu_w = 0
    if cpu is not None:
        if cpu.tdp_w is None:
            missing.append(cpu.id)
        else:
            cpu_w = cpu.tdp_w
    return DcLoad(gpu_w, cpu_w, len(gpus), tuple(dict.fromkeys(missing)))


def efficiency(psu: PsuPart | None) -> float | None:
    """Return the PSU's efficiency at half load from its 80 PLUS rating (None if unknown)."""
    if psu is None or psu.efficiency is None:
        return None
    return EFFICIENCY_AT_HALF_LOAD[psu.efficiency]


def wall_w(dc_w: float, eff: float) -> float:
    """Return what the machine draws from the wall for a DC load at an efficiency."""
    return dc_w / eff


def required_psu_w(load: DcLoad, headroom: float) -> int:
    """Return the PSU size the Dettmers formula asks for: DC load times headroom."""
    return round(load.total_w * headroom)
