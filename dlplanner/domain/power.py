"""Estimated electrical load of a set of build items, from the parts' TDPs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dlplanner.domain.build import BuildItem
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.parts import CpuPart, GpuPart

OTHER_PARTS_W = 100.0
"""Board, memory, drives and fans together (Dettmers' hardware guide uses 100 W)."""


@dataclass(frozen=True, slots=True)
class PowerEstimate:
    """A DC load estimate in watts, and the parts whose TDP is unknown."""

    gpu_w: float
    cpu_w: float
    other_w: float
    gpu_count: int
    unknown: tuple[str, ...] = ()

    @property
    def total_w(self) -> float:
        """GPUs + CPU + the rest."""
        return self.gpu_w + self.cpu_w + self.other_w

    @property
    def complete(self) -> bool:
        """Whether every GPU and CPU had a known TDP."""
        return not self.unknown


def estimate_power(
    items: Iterable[BuildItem],
    catalog: Catalog,
    *,
    other_w: float = OTHER_PARTS_W,
    load_factor: float = 1.0,
) -> PowerEstimate:
    """Sum GPU and CPU TDPs (times ``load_factor``) plus ``other_w`` for everything else."""
    gpu_w = cpu_w = 0.0
    gpus = 0
    unknown: list[str] = []
    for item in items:
        part = catalog.get(item.part)
        if isinstance(part, GpuPart):
            gpus += item.qty
            if part.tdp_w is None:
                unknown.append(part.id)
            else:
                gpu_w += part.tdp_w * item.qty * load_factor
        elif isinstance(part, CpuPart):
            if part.tdp_w is None:
                unknown.append(part.id)
            else:
                cpu_w += part.tdp_w * item.qty * load_factor
    return PowerEstimate(gpu_w, cpu_w, other_w, gpus, tuple(unknown))
