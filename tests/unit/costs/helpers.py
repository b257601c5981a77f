"""Small in-memory parts, offers and catalogs for the cost-model tests."""

from __future__ import annotations

from typing import Any

from dlplanner.domain.build import Assumptions, Build, BuildItem, PlanStep
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.parts import CloudOffer, CpuPart, GpuPart, Throughput

URL = "https://example.com/spec"
HOURS = 730.0  # hours in a month: 8760 / 12


def gpu(
    pid: str = "gpu-a",
    *,
    price: float | None = 1000.0,
    tdp: int | None = 250,
    fp32: float | None = 1.0,
    mixed: float | None = 2.0,
) -> GpuPart:
    speed = None
    if fp32 is not None or mixed is not None:
        speed = Throughput(fp32=fp32, mixed=mixed, basis="measured", source=URL)
    return GpuPart(
        id=pid,
        brand="NVIDIA",
        name=f"GPU {pid}",
        chipset="Test GPU",
        tdp_w=tdp,
        price_usd=price,
        throughput=speed,
        sources=[URL],
    )


def cpu(pid: str = "cpu-a", *, price: float | None = 500.0, tdp: int | None = 100) -> CpuPart:
    return CpuPart(
        id=pid,
        brand="AMD",
        name=f"CPU {pid}",
        socket="AM5",
        tdp_w=tdp,
        price_usd=price,
        sources=[URL],
    )


def offer(
    pid: str = "cloud-a", *, price: float | None = 2.0, gpus: int = 1, **extra: Any
) -> CloudOffer:
    fields: dict[str, Any] = {
        "id": pid,
        "brand": "Cloud",
        "name": f"Offer {pid}",
        "provider": "Cloud",
        "instance": pid,
        "gpu_model": "Test GPU",
        "gpu_count": gpus,
        "price_usd": price,
        "sources": [URL],
    }
    fields.update(extra)
    return CloudOffer(**fields)


def speed(fp32: float | None = 1.0, mixed: float | None = 1.0) -> Throughput:
    return Throughput(fp32=fp32, mixed=mixed, basis="measured", source=URL)


def catalog(*parts: Any) -> Catalog:
    return Catalog(parts or (gpu(), cpu()))


def build(items: list[BuildItem], plan: tuple[PlanStep, ...] = (), **assumptions: Any) -> Build:
    return Build(items=tuple(items), plan=plan, assumptions=Assumptions(**assumptions))


def flat(**values: Any) -> Assumptions:
    """Assumptions with a fixed 1 kW draw and nothing else switched on unless given."""
    base: dict[str, Any] = {
        "months": 12,
        "utilization": 1.0,
        "electricity_usd_per_kwh": 0.2,
        "power_kw": 1.0,
        "storage_gb": 0.0,
    }
    base.update(values)
    return Assumptions(**base)
