"""The catalog browser's columns for each kind: the specs that matter when choosing that part."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dlplanner.domain.parts import (
    CasePart,
    CloudOffer,
    CoolerPart,
    CpuPart,
    GpuPart,
    MemoryPart,
    MotherboardPart,
    PartBase,
    PsuPart,
    StoragePart,
)
from dlplanner.domain.prices import catalog_price
from dlplanner.report.format import usd

Getter = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class Column:
    """One column: header, how to get the sortable value, its unit and tooltip."""

    header: str
    get: Getter
    tooltip: str = ""
    fmt: str | Callable[[Any], str] = "{}"
    """A format string, or a function (money goes through ``report.format.usd``)."""
    numeric: bool = False

    def text(self, part: PartBase) -> str:
        """Return the cell text ("" for an unknown value)."""
        value = self.get(part)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "yes" if value else "no"
        if callable(self.fmt):
            return self.fmt(value)
        if isinstance(value, float) and value.is_integer() and "{:" not in self.fmt:
            value = int(value)
        return self.fmt.format(value)


def _x16_slots(board: MotherboardPart) -> int | None:
    if board.pcie_slots is None:
        return None
    return sum(1 for s in board.pcie_slots if s.physical_lanes == 16)


def _connectors(gpu: GpuPart) -> str | None:
    pc = gpu.power_connectors
    if pc is None:
        return None
    bits = []
    for count, name in (
        (pc.pcie_16pin, "16-pin"),
        (pc.pcie_8pin, "8-pin"),
        (pc.pcie_6pin, "6-pin"),
        (pc.eps_8pin, "EPS 8-pin"),
    ):
        if count:
            bits.append(f"{count}× {name}")
    return ", ".join(bits) or "slot only"


def _memory_kind(mem: MemoryPart) -> str:
    bits = []
    if mem.registered:
        bits.append("RDIMM")
    if mem.ecc:
        bits.append("ECC")
    return " ".join(bits) or ("UDIMM" if mem.registered is False else "")


def _price_date(part: PartBase) -> str | None:
    # ISO text sorts like the date; a launch MSRP is marked as one
    price = catalog_price(part)
    when = price.when or None
    if price.is_launch:
        return f"{when} launch" if when else "launch"
    return when


def _hourly(value: float) -> str:
    return f"{usd(value, 3)}/h"


PRICE = Column(
    "Price",
    lambda p: catalog_price(p).usd,
    "Catalog price in US dollars (a launch MSRP where no shop price is known)",
    lambda v: usd(v, 0),
    True,
)
DATE = Column(
    "Price date", _price_date, "The day this price was true; 'launch' marks the maker's MSRP"
)
NAME = Column("Name", lambda p: p.title, "Brand and model")

COLUMNS: dict[str, list[Column]] = {
    "cpu": [
        NAME,
        PRICE,
        Column("Socket", lambda p: p.socket),
        Column("Cores", lambda p: p.cores, numeric=True),
        Column("Threads", lambda p: p.threads, numeric=True),
        Column("TDP", lambda p: p.tdp_w, "Thermal design power", "{} W", True),
        Column(
            "PCIe lanes",
            lambda p: (
                p.pcie_lanes_usable if p.pcie_lanes_usable is not None else p.pcie_lanes_total
            ),
            "Lanes available for GPUs and NVMe drives",
            numeric=True,
        ),
        DATE,
    ],
    "motherboard": [
        NAME,
        PRICE,
        Column("Socket", lambda p: p.socket),
        Column("Chipset", lambda p: p.chipset),
        Column("Form factor", lambda p: p.form_factor),
        Column("x16 slots", _x16_slots, "Physical x16 PCIe slots", numeric=True),
        Column("Memory", lambda p: p.memory_type),
        DATE,
    ],
    "memory": [
        NAME,
        PRICE,
        Column("Type", lambda p: p.memory_type),
        Column("Capacity", lambda p: p.capacity_gb, "Total of the kit", "{} GB", True),
        Column("Modules", lambda p: f"{p.modules}× {p.module_size_gb} GB"),
        Column("Speed", lambda p: p.speed_mts, "Rated speed", "{} MT/s", True),
        Column("ECC / RDIMM", _memory_kind),
        DATE,
    ],
    "gpu": [
        NAME,
        PRICE,
        Column("VRAM", lambda p: p.vram_gb, "Graphics memory", "{} GB", True),
        Column("Cooler", lambda p: p.cooler, "Blower cards exhaust out of the case"),
        Column("TDP", lambda p: p.tdp_w, "Board power", "{} W", True),
        Column("Slots", lambda p: p.slot_width, "Expansion slots the card covers", numeric=True),
        Column("Length", lambda p: p.length_mm, "Card length", "{} mm", True),
        Column("Power", _connectors, "Power connectors on the card"),
        Column(
            "Speed (AMP)",
            lambda p: p.throughput.mixed if p.throughput else None,
            "Relative mixed-precision training throughput, V100 = 1.0",
            "{:.2f}×",
            True,
        ),
        DATE,
    ],
    "storage": [
        NAME,
        PRICE,
        Column("Interface", lambda p: p.interface),
        Column("Form factor", lambda p: p.form_factor),
        Column("Capacity", lambda p: p.capacity_gb, fmt="{:,} GB", numeric=True),
        Column("PCIe", lambda p: p.pcie_gen, fmt="Gen {}", numeric=True),
        DATE,
    ],
    "psu": [
        NAME,
        PRICE,
        Column("Wattage", lambda p: p.wattage_w, fmt="{} W", numeric=True),
        Column("80 PLUS", lambda p: p.efficiency),
        Column("ATX", lambda p: p.atx_version, "ATX 3.x units handle GPU power spikes"),
        Column(
            "6+2-pin", lambda p: p.connectors.pcie_6_plus_2, "PCIe power connectors", numeric=True
        ),
        Column("16-pin", lambda p: p.connectors.pcie_16pin, "Native 12VHPWR/12V-2x6", numeric=True),
        DATE,
    ],
    "case": [
        NAME,
        PRICE,
        Column("Type", lambda p: p.case_type),
        Column("Slots", lambda p: p.expansion_slots, "Expansion slots", numeric=True),
        Column("Max GPU", lambda p: p.max_gpu_length_mm, "Longest card", "{} mm", True),
        Column("Boards", lambda p: ", ".join(p.motherboard_form_factors)),
        DATE,
    ],
    "cooler": [
        NAME,
        PRICE,
        Column("Type", lambda p: p.cooler_type),
        Column("Sockets", lambda p: ", ".join(p.sockets)),
        Column("Height", lambda p: p.height_mm, fmt="{} mm", numeric=True),
        Column("Radiator", lambda p: p.radiator_mm, fmt="{} mm", numeric=True),
        DATE,
    ],
    "cloud": [
        NAME,
        Column("Provider", lambda p: p.provider),
        Column("GPU", lambda p: p.gpu_model),
        Column("GPUs", lambda p: p.gpu_count, numeric=True),
        Column("On-demand", lambda p: p.price_usd, "Per instance-hour", _hourly, True),
        Column("1-year", lambda p: p.reserved_1y_usd_per_hour, fmt=_hourly, numeric=True),
        Column("Spot", lambda p: p.spot_usd_per_hour, fmt=_hourly, numeric=True),
        DATE,
    ],
}
"""Columns per kind; every kind's first column is the name."""

assert set(COLUMNS) == {
    k.model_fields["kind"].default
    for k in (CpuPart, MotherboardPart, MemoryPart, GpuPart, StoragePart, PsuPart, CasePart,
              CoolerPart, CloudOffer)
}  # fmt: skip
