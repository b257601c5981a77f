"""Part models: one frozen pydantic model per kind, joined as a union on ``kind``.

Units are in the field names (``tdp_w``, ``length_mm``, ``vram_gb``, ``price_usd``).
An unknown value is ``None``, never ``0``: the rules report it as *unknown*.
Names of fields whose values are estimates (not read off a vendor's page or a
measurement) are listed in ``estimated``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Annotated, ClassVar, Literal, TypeAlias

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter, model_validator

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URL_PATTERN = re.compile(r"^https?://[^\s/$.?#][^\s]*$")

PART_KINDS: tuple[str, ...] = (
    "cpu",
    "motherboard",
    "memory",
    "gpu",
    "storage",
    "psu",
    "case",
    "cooler",
    "cloud",
)
"""Every kind, in the order a parts list shows them."""

KIND_TITLES: dict[str, str] = {
    "cpu": "CPU",
    "motherboard": "Motherboard",
    "memory": "Memory",
    "gpu": "GPU",
    "storage": "Storage",
    "psu": "Power supply",
    "case": "Case",
    "cooler": "CPU cooler",
    "cloud": "Cloud offer",
}
"""Human titles of the kinds."""


def _check_url(value: str) -> str:
    if not URL_PATTERN.match(value):
        raise ValueError(f"not an http(s) URL: {value!r}")
    return value


Url = Annotated[str, AfterValidator(_check_url)]
PartId = Annotated[str, Field(pattern=ID_PATTERN.pattern, min_length=2, max_length=80)]
Text = Annotated[str, Field(max_length=2000)]
LongText = Annotated[str, Field(max_length=8000)]
PositiveMoney = Annotated[float, Field(gt=0, lt=10_000_000, allow_inf_nan=False)]
Fraction = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=0, le=1024)]
Millimetres = Annotated[float, Field(gt=0, lt=2000, allow_inf_nan=False)]
Watts = Annotated[int, Field(gt=0, le=20_000)]

MemoryType = Literal["DDR4", "DDR5"]
DimmType = Literal["UDIMM", "RDIMM"]
LaneSource = Literal["cpu", "chipset"]
BoardFormFactor = Literal["Mini-ITX", "Micro-ATX", "ATX", "E-ATX", "EEB", "CEB", "XL-ATX"]
PsuFormFactor = Literal["ATX", "SFX", "SFX-L"]
GpuCooler = Literal["blower", "open-air", "passive", "hybrid", "water"]
StorageInterface = Literal["nvme", "sata"]
StorageFormFactor = Literal["m2-2280", "m2-22110", "2.5in", "3.5in"]
EfficiencyRating = Literal["white", "bronze", "silver", "gold", "platinum", "titanium"]
PriceKind = Literal["street", "launch"]
PcieMap = Literal["full", "partial"]


class Model(BaseModel):
    """Base of every domain model: frozen, strict about unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)


@functools.lru_cache(maxsize=4096)
def _title(brand: str, name: str) -> str:
    # Cached: finding messages name parts tens of times per build (benchmark row "All rules,
    # 10,000 random valid builds").
    if name.lower().startswith(brand.lower()):
        return name
    return f"{brand} {name}"


class PartBase(Model):
    """Fields every part and cloud offer has."""

    id: PartId
    brand: Annotated[str, Field(min_length=1, max_length=80)]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    price_usd: PositiveMoney | None = None
    price_date: dt.date | None = None
    price_source: Url | None = None
    price_kind: PriceKind | None = None
    """``launch`` when ``price_usd`` is the maker's launch MSRP (dated at launch), ``street``
    when it is a shop's price; empty when the entry does not say."""
    launch_price_usd: PositiveMoney | None = None
    launch_date: dt.date | None = None
    """The day the launch price was announced (or the part went on sale)."""
    launch_price_source: Url | None = None
    release_year: Annotated[int, Field(ge=1990, le=2100)] | None = None
    sources: Annotated[list[Url], Field(min_length=1)]
    estimated: list[str] = Field(default_factory=list)
    complete: list[str] = Field(default_factory=list)
    """Names of this entry's list fields that hold the vendor's complete list.

    A list not named here is partial: a value missing from it means *not known*, never
    *does not fit*. Only fields in :attr:`MEMBER_LISTS` may be named, and only with a value.
    """
    notes: Text | None = None
    """Remarks for the user of the part (what to watch for), shown with its specs."""
    sourcing_notes: LongText | None = None
    """The sourcing record: where each value came from and what was searched for the ones
    left empty; shown only on request."""

    MEMBER_LISTS: ClassVar[tuple[str, ...]] = ()
    """List fields where "not in the list" means "does not fit" (socket lists, sizes …)."""

    @model_validator(mode="after")
    def _check_complete(self) -> PartBase:
        for name in self.complete:
            if name not in self.MEMBER_LISTS:
                allowed = ", ".join(self.MEMBER_LISTS) or "none"
                raise ValueError(
                    f"complete names {name!r}, which is not a list field of a {self.kind_name} "
                    f"(allowed: {allowed})"
                )
            if getattr(self, name) is None:
                raise ValueError(f"complete names {name!r}, which has no value")
        return self

    @property
    def kind_name(self) -> str:
        """The entry's kind (``cpu``, ``gpu`` …)."""
        return str(getattr(self, "kind", "part"))

    def is_complete(self, field: str) -> bool:
        """Whether the list in ``field`` is the vendor's complete list."""
        return field in self.complete

    @property
    def title(self) -> str:
        """What a shop would call the part, brand first."""
        return _title(self.brand, self.name)

    def is_estimated(self, field: str) -> bool:
        """Whether the value of ``field`` is an estimate."""
        return field in self.estimated


class CpuPart(PartBase):
    """A processor."""

    kind: Literal["cpu"] = "cpu"
    MEMBER_LISTS: ClassVar[tuple[str, ...]] = ("memory_types", "dimm_types")
    socket: str
    family: str | None = None
    cores: Annotated[int, Field(ge=1, le=512)] | None = None
    threads: Annotated[int, Field(ge=1, le=1024)] | None = None
    base_clock_ghz: Annotated[float, Field(gt=0, lt=10)] | None = None
    boost_clock_ghz: Annotated[float, Field(gt=0, lt=10)] | None = None
    tdp_w: Watts | None = None
    max_turbo_power_w: Watts | None = None
    """The vendor's published boost power limit (Intel Maximum Turbo Power, PL2)."""
    pcie_lanes_total: Count | None = None
    pcie_lanes_usable: Count | None = None
    pcie_gen: Annotated[int, Field(ge=1, le=7)] | None = None
    memory_types: list[MemoryType] | None = None
    dimm_types: list[DimmType] | None = None
    memory_channels: Annotated[int, Field(ge=1, le=16)] | None = None
    max_memory_gb: Annotated[int, Field(ge=1, le=16384)] | None = None
    memory_max_speed_mts: Annotated[int, Field(ge=800, le=20000)] | None = None
    """The fastest memory the maker rates the CPU for (without overclocking)."""
    ecc_support: bool | None = None
    integrated_graphics: bool | None = None


class LaneRule(Model):
    """A slot's lanes when any of the named slots (PCIe or M.2) are populated."""

    when_populated: Annotated[list[str], Field(min_length=1)]
    lanes: Annotated[int, Field(ge=0, le=16)]


class PcieSlot(Model):
    """One PCIe slot from the board manual (or, in a partial map, a BIOS slot table).

    ``position`` counts expansion-slot positions from the one nearest the CPU
    (1), so a gap of one position is one 20.32 mm slot pitch. It is None when not known
    (only in a board's ``pcie_map: partial``).
    """

    name: Annotated[str, Field(min_length=1, max_length=40)]
    position: Annotated[int, Field(ge=1, le=10)] | None = None
    physical_lanes: Literal[1, 4, 8, 16]
    electrical_lanes: Literal[1, 2, 4, 8, 16]
    pcie_gen: Annotated[int, Field(ge=1, le=7)] | None = None
    source: LaneSource | None = None
    lane_rules: list[LaneRule] = Field(default_factory=list)


class M2Slot(Model):
    """One M.2 socket for storage."""

    name: Annotated[str, Field(min_length=1, max_length=40)]
    interfaces: Annotated[list[StorageInterface], Field(min_length=1)]
    sizes: list[Annotated[int, Field(ge=2230, le=22110)]] = Field(default_factory=lambda: [2280])
    pcie_gen: Annotated[int, Field(ge=1, le=7)] | None = None
    lanes: Annotated[int, Field(ge=1, le=16)] | None = None
    source: LaneSource | None = None
    disables_sata_ports: Count = 0
    disables_sata_when: Literal["any", "sata", "nvme"] = "any"


class MotherboardPart(PartBase):
    """A motherboard, with its PCIe slot map from the manual."""

    kind: Literal["motherboard"] = "motherboard"
    MEMBER_LISTS: ClassVar[tuple[str, ...]] = ("dimm_types",)
    socket: str
    chipset: str | None = None
    form_factor: BoardFormFactor
    memory_type: MemoryType | None = None
    memory_slots: Annotated[int, Field(ge=1, le=32)] | None = None
    max_memory_gb: Annotated[int, Field(ge=1, le=16384)] | None = None
    memory_max_speed_mts: Annotated[int, Field(ge=800, le=20000)] | None = None
    ecc_support: bool | None = None
    dimm_types: list[DimmType] | None = None
    m2_slots: list[M2Slot] | None = None
    sata_ports: Count | None = None
    eps_8pin: Annotated[int, Field(ge=0, le=8)] | None = None
    eps_4pin: Annotated[int, Field(ge=0, le=8)] | None = None
    pcie_slots: list[PcieSlot] | None = None
    """Every PCIe slot of the board (all of them, whichever ``pcie_map`` says)."""
    pcie_map: PcieMap = "full"
    """How much of the slot map is known.

    ``full``: the manual's map, every slot with its position, lanes and lane rules.
    ``partial``: every slot with its physical and electrical width (and generation where
    given), as a BIOS slot table lists them; positions may be missing and ``lane_rules``
    are not known. The x16-slot and lane rules run on a partial map; slot spacing, GPU
    stacking and lane sharing stay *unknown*.
    """
    min_bios: dict[str, str] = Field(default_factory=dict)
    """Minimum BIOS version by CPU family (conditional note, not a verdict)."""

    @model_validator(mode="after")
    def _check_map(self) -> MotherboardPart:
        if self.pcie_map == "full" and self.pcie_slots:
            for slot in self.pcie_slots:
                if slot.position is None:
                    raise ValueError(
                        f"PCIe slot {slot.name!r} has no position; a map without positions "
                        "is pcie_map: partial"
                    )
        return self

    @property
    def slot_positions_known(self) -> bool:
        """Whether every PCIe slot's position is known (slot geometry can be checked)."""
        return self.pcie_slots is not None and all(s.position is not None for s in self.pcie_slots)

    @property
    def lane_rules_known(self) -> bool:
        """Whether the slots' lane sharing is known (only from a full map)."""
        return self.pcie_slots is not None and self.pcie_map == "full"


class MemoryPart(PartBase):
    """A memory kit."""

    kind: Literal["memory"] = "memory"
    memory_type: MemoryType
    modules: Annotated[int, Field(ge=1, le=32)]
    module_size_gb: Annotated[int, Field(ge=1, le=1024)]
    speed_mts: Annotated[int, Field(ge=800, le=20000)] | None = None
    cas_latency: Annotated[int, Field(ge=1, le=100)] | None = None
    ecc: bool | None = None
    registered: bool | None = None

    @property
    def capacity_gb(self) -> int:
        """Total capacity of the kit."""
        return self.modules * self.module_size_gb


class PowerConnectors(Model):
    """Power sockets on a graphics card."""

    pcie_8pin: Count = 0
    pcie_6pin: Count = 0
    pcie_16pin: Count = 0
    """12VHPWR or 12V-2x6."""
    eps_8pin: Count = 0
    """CPU-style 8-pin EPS (data-centre and some pro cards)."""

    @property
    def is_slot_powered(self) -> bool:
        """Whether the card takes all its power from the slot."""
        return not (self.pcie_8pin or self.pcie_6pin or self.pcie_16pin or self.eps_8pin)


class Throughput(Model):
    """Relative deep-learning training throughput, V100 = 1.0."""

    fp32: Annotated[float, Field(gt=0, lt=100)] | None = None
    """FP32 (TF32 on Ampere and newer, PyTorch's default)."""
    mixed: Annotated[float, Field(gt=0, lt=100)] | None = None
    """FP16/BF16 automatic mixed precision."""
    basis: Literal["measured", "estimated"]
    source: Url


class GpuPart(PartBase):
    """A graphics card."""

    kind: Literal["gpu"] = "gpu"
    chipset: Annotated[str, Field(min_length=1, max_length=80)]
    """The GPU model shared by every board built on it, e.g. ``GeForce RTX 3090``."""
    vram_gb: Annotated[float, Field(gt=0, le=1024)] | None = None
    memory_type: str | None = None
    tdp_w: Watts | None = None
    slot_width: Annotated[float, Field(ge=1, le=5)] | None = None
    length_mm: Millimetres | None = None
    cooler: GpuCooler | None = None
    power_connectors: PowerConnectors | None = None
    pcie_gen: Annotated[int, Field(ge=1, le=7)] | None = None
    pcie_lanes: Literal[1, 4, 8, 16] = 16
    throughput: Throughput | None = None
    nvlink: bool | None = None
    power_limit_min_w: Watts | None = None
    power_limit_max_w: Watts | None = None
    """The highest power limit the card's firmware accepts (``nvidia-smi -q -d POWER``)."""
    reference_design: bool | None = None
    """True for reference, Founders Edition or NVIDIA-built (PNY) boards."""
    recommended_psu_w: Watts | None = None
    """The card maker's recommended system power (PSU rating) for a one-card system."""


class StoragePart(PartBase):
    """An SSD or hard disk."""

    kind: Literal["storage"] = "storage"
    interface: StorageInterface
    form_factor: StorageFormFactor
    media: Literal["ssd", "hdd"]
    capacity_gb: Annotated[int, Field(ge=1, le=1_000_000)]
    pcie_gen: Annotated[int, Field(ge=1, le=7)] | None = None


class PsuConnectors(Model):
    """Connectors a power supply provides with its bundled cables.

    Counts are connector ends as vendors list them. Where a vendor's cable has two
    connectors (a daisy chain), both count; the entry's notes say so, and the cable
    rule's hint warns against feeding one card from a pigtail.
    """

    pcie_6_plus_2: Count | None = None
    pcie_16pin: Count | None = None
    """Native 12VHPWR / 12V-2x6 cables."""
    eps_4_plus_4: Count | None = None
    """CPU EPS cables (each serves an 8-pin or a 4-pin socket)."""


class PsuPart(PartBase):
    """A power supply."""

    kind: Literal["psu"] = "psu"
    wattage_w: Watts
    efficiency: EfficiencyRating | None = None
    form_factor: PsuFormFactor = "ATX"
    length_mm: Millimetres | None = None
    atx_version: Literal["2.x", "3.0", "3.1"] | None = None
    modular: Literal["full", "semi", "none"] | None = None
    connectors: PsuConnectors = Field(default_factory=PsuConnectors)


def _atx_only() -> list[PsuFormFactor]:
    """Return the PSU form factors a case takes when its data does not say: ATX only."""
    return ["ATX"]


class CasePart(PartBase):
    """A computer case."""

    kind: Literal["case"] = "case"
    MEMBER_LISTS: ClassVar[tuple[str, ...]] = ("motherboard_form_factors", "psu_form_factors")
    case_type: str | None = None
    motherboard_form_factors: Annotated[list[BoardFormFactor], Field(min_length=1)]
    psu_form_factors: list[PsuFormFactor] = Field(default_factory=_atx_only)
    expansion_slots: Annotated[int, Field(ge=1, le=20)] | None = None
    max_gpu_length_mm: Millimetres | None = None
    max_cooler_height_mm: Millimetres | None = None
    max_psu_length_mm: Millimetres | None = None
    max_gpu_slot_width: Annotated[float, Field(ge=1, le=5)] | None = None
    """The thickest card (in expansion slots) the case takes, where the vendor states one."""
    radiator_mounts: dict[str, Annotated[int, Field(ge=120, le=560)]] = Field(default_factory=dict)
    """Largest radiator (mm) per mount position, e.g. ``{front: 360, top: 360}``."""
    drive_bays_35: Count | None = None
    drive_bays_25: Count | None = None


class CoolerPart(PartBase):
    """A CPU cooler (air or all-in-one liquid)."""

    kind: Literal["cooler"] = "cooler"
    MEMBER_LISTS: ClassVar[tuple[str, ...]] = ("sockets",)
    cooler_type: Literal["air", "aio"]
    sockets: Annotated[list[str], Field(min_length=1)]
    height_mm: Millimetres | None = None
    radiator_mm: Annotated[int, Field(ge=120, le=560)] | None = None
    tdp_rating_w: Watts | None = None


class CloudOffer(PartBase):
    """A cloud instance to compare with. ``price_usd`` is its on-demand price per hour."""

    kind: Literal["cloud"] = "cloud"
    provider: Annotated[str, Field(min_length=1, max_length=80)]
    instance: Annotated[str, Field(min_length=1, max_length=80)]
    gpu_model: Annotated[str, Field(min_length=1, max_length=80)]
    gpu_count: Annotated[int, Field(ge=1, le=64)]
    vram_gb: Annotated[float, Field(gt=0, le=1024)] | None = None
    """Per GPU."""
    vcpus: Annotated[int, Field(ge=1, le=1024)] | None = None
    ram_gb: Annotated[float, Field(gt=0, le=65536)] | None = None
    region: str | None = None
    reserved_1y_usd_per_hour: PositiveMoney | None = None
    reserved_3y_usd_per_hour: PositiveMoney | None = None
    reserved_1y_discount: Annotated[float, Field(ge=0, lt=1)] | None = None
    reserved_3y_discount: Annotated[float, Field(ge=0, lt=1)] | None = None
    spot_usd_per_hour: PositiveMoney | None = None
    commitment_source: Url | None = None
    throughput: Throughput | None = None
    """Per GPU, V100 = 1.0."""

    @property
    def on_demand_usd_per_hour(self) -> float | None:
        """The on-demand price per instance-hour."""
        return self.price_usd


Part: TypeAlias = Annotated[
    CpuPart
    | MotherboardPart
    | MemoryPart
    | GpuPart
    | StoragePart
    | PsuPart
    | CasePart
    | CoolerPart
    | CloudOffer,
    Field(discriminator="kind"),
]
"""Any catalog entry, discriminated on ``kind``."""

PART_ADAPTER: TypeAdapter[Part] = TypeAdapter(Part)
"""Validates one catalog entry of any kind."""

MODEL_BY_KIND: dict[str, type[PartBase]] = {
    "cpu": CpuPart,
    "motherboard": MotherboardPart,
    "memory": MemoryPart,
    "gpu": GpuPart,
    "storage": StoragePart,
    "psu": PsuPart,
    "case": CasePart,
    "cooler": CoolerPart,
    "cloud": CloudOffer,
}
"""The model class of each kind."""
