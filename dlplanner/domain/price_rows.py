"""Rows read from cloud price files, as the price import sees them (no file handling here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PROVIDERS: dict[str, str] = {
    "aws": "AWS",
    "gcp": "Google Cloud",
    "azure": "Microsoft Azure",
    "lambda": "Lambda",
    "runpod": "RunPod",
    "vast": "vast.ai",
}
"""SkyPilot's folder name of each cloud → the provider name in the catalog."""

PLACEHOLDER_SPECS = frozenset({"runpod", "vast"})
"""Clouds whose vCPU, RAM and spot columns are request placeholders, not the offer's specs."""


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A row that was not used, and why."""

    line: int
    label: str
    reason: str

    def __str__(self) -> str:
        """Return ``line N (label): reason``."""
        label = f" ({self.label})" if self.label else ""
        return f"line {self.line}{label}: {self.reason}"


@dataclass(frozen=True, slots=True)
class VmRow:
    """One row of a SkyPilot ``vms.csv``: a host VM, a GPU, or a VM with its GPUs."""

    line: int
    instance: str
    """Empty for a GCP accelerator row (GCP prices the GPUs apart from the host)."""
    accelerator: str
    count: float | None
    vcpus: float | None
    ram_gb: float | None
    vram_gb: float | None
    """Memory of one GPU, from ``GpuInfo``."""
    manufacturer: str | None
    price: float | None
    spot: float | None
    region: str


@dataclass(frozen=True, slots=True)
class OwnRow:
    """One row of dlplanner's own price CSV."""

    line: int
    id: str
    price: float
    spot: float | None
    date: dt.date | None
    source: str | None
