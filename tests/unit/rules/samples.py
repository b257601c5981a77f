"""Realistic parts for the rule tests and the rules benchmark, built with the models directly.

Specs follow the vendors' pages where they were at hand; a few (positions of slots, lane
rules) are simplified to make the tests readable. They are test data, not catalog data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from dlplanner.domain.build import Build, BuildItem, PlanStep, Site
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.parts import (
    CasePart,
    CloudOffer,
    CoolerPart,
    CpuPart,
    GpuPart,
    LaneRule,
    M2Slot,
    MemoryPart,
    MotherboardPart,
    PartBase,
    PcieSlot,
    PowerConnectors,
    PsuConnectors,
    PsuPart,
    StoragePart,
)
from dlplanner.rules import Finding, evaluate

SRC = ["https://example.com/spec-sheet"]


def _part(model: type[PartBase], pid: str, brand: str, name: str, **spec: Any) -> PartBase:
    # Sample lists are the whole story unless a test says otherwise: marked complete, so
    # "not in the list" is an error here (tests of partial lists use ``complete=[]``).
    if "complete" not in spec:
        spec["complete"] = [f for f in model.MEMBER_LISTS if spec.get(f) is not None]
    if model is CasePart and "psu_form_factors" not in spec:
        spec["complete"] = [f for f in spec["complete"] if f != "psu_form_factors"]
    return model(id=pid, brand=brand, name=name, sources=SRC, **spec)


def _slot(
    name: str,
    pos: int,
    physical: int,
    electrical: int,
    source: str = "cpu",
    rules: Sequence[tuple[list[str], int]] = (),
) -> PcieSlot:
    return PcieSlot(
        name=name,
        position=pos,
        physical_lanes=physical,
        electrical_lanes=electrical,
        source=source,
        pcie_gen=3,
        lane_rules=[LaneRule(when_populated=w, lanes=n) for w, n in rules],
    )


CPUS = [
    _part(
        CpuPart,
        "tr-1920x",
        "AMD",
        "Ryzen Threadripper 1920X",
        socket="TR4",
        family="Ryzen Threadripper 1000",
        cores=12,
        threads=24,
        tdp_w=180,
        pcie_lanes_total=64,
        pcie_lanes_usable=60,
        pcie_gen=3,
        memory_types=["DDR4"],
        dimm_types=["UDIMM"],
        memory_channels=4,
        max_memory_gb=1024,
        ecc_support=True,
        integrated_graphics=False,
    ),
    _part(
        CpuPart,
        "tr-2950x",
        "AMD",
        "Ryzen Threadripper 2950X",
        socket="TR4",
        family="Ryzen Threadripper 2000",
        cores=16,
        threads=32,
        tdp_w=180,
        pcie_lanes_total=64,
        pcie_lanes_usable=60,
        memory_types=["DDR4"],
        dimm_types=["UDIMM"],
        max_memory_gb=1024,
        ecc_support=True,
        integrated_graphics=False,
    ),
    _part(
        CpuPart,
        "i7-7800x",
        "Intel",
        "Core i7-7800X",
        socket="LGA2066",
        family="Core X 7000",
        cores=6,
        threads=12,
        tdp_w=140,
        pcie_lanes_total=28,
        pcie_lanes_usable=28,
        memory_types=["DDR4"],
        dimm_types=["UDIMM"],
        max_memory_gb=128,
        ecc_support=False,
        integrated_graphics=False,
    ),
    _part(
        CpuPart,
        "i5-12400",
        "Intel",
        "Core i5-12400",
        socket="LGA1700",
        family="Core 12000",
        cores=6,
        threads=12,
        tdp_w=65,
        pcie_lanes_total=20,
        pcie_lanes_usable=20,
        memory_types=["DDR4", "DDR5"],
        dimm_types=["UDIMM"],
        max_memory_gb=128,
        ecc_support=False,
        integrated_graphics=True,
    ),
    _part(
        CpuPart,
        "ryzen-5-5600x",
        "AMD",
        "Ryzen 5 5600X",
        socket="AM4",
        family="Ryzen 5000",
        cores=6,
        threads=12,
        tdp_w=65,
        pcie_lanes_total=24,
        pcie_lanes_usable=20,
        memory_types=["DDR4"],
        dimm_types=["UDIMM"],
        max_memory_gb=128,
        integrated_graphics=False,
    ),
    _part(
        CpuPart,
        "tr-pro-5975wx",
        "AMD",
        "Ryzen Threadripper PRO 5975WX",
        socket="sWRX8",
        family="Ryzen Threadripper PRO 5000",
        cores=32,
        threads=64,
        tdp_w=280,
        pcie_lanes_total=128,
        pcie_lanes_usable=128,
        memory_types=["DDR4"],
        dimm_types=["RDIMM"],
        max_memory_gb=2048,
        ecc_support=True,
        integrated_graphics=False,
    ),
    _part(CpuPart, "cpu-nodata", "Acme", "Mystery TR4 CPU", socket="TR4"),
]

BOARDS = [
    _part(
        MotherboardPart,
        "x399-taichi",
        "ASRock",
        "X399 Taichi",
        socket="TR4",
        chipset="X399",
        form_factor="ATX",
        memory_type="DDR4",
        memory_slots=8,
        max_memory_gb=128,
        memory_max_speed_mts=3600,
        ecc_support=True,
        dimm_types=["UDIMM"],
        sata_ports=8,
        eps_8pin=1,
        eps_4pin=1,
        m2_slots=[
            M2Slot(name="M2_1", interfaces=["nvme"], sizes=[2280, 22110], lanes=4, source="cpu"),
            M2Slot(name="M2_2", interfaces=["nvme"], sizes=[2280], lanes=4, source="cpu"),
            M2Slot(
                name="M2_3",
                interfaces=["nvme", "sata"],
                sizes=[2280],
                lanes=4,
                source="chipset",
                disables_sata_ports=2,
                disables_sata_when="sata",
            ),
        ],
        pcie_slots=[
            _slot("PCIE1", 1, 16, 16),
            _slot("PCIE2", 2, 1, 1, "chipset"),
            _slot("PCIE3", 3, 16, 8),
            _slot("PCIE4", 5, 16, 16),
            _slot("PCIE5", 7, 16, 8),
        ],
        min_bios={"Ryzen Threadripper 2000": "P2.00"},
    ),
    _part(
        MotherboardPart,
        "b550-a-pro",
        "MSI",
        "B550-A PRO",
        socket="AM4",
        chipset="B550",
        form_factor="ATX",
        memory_type="DDR4",
        memory_slots=4,
        max_memory_gb=128,
        memory_max_speed_mts=4400,
        dimm_types=["UDIMM"],
        sata_ports=6,
        eps_8pin=1,
        eps_4pin=1,
        m2_slots=[
            M2Slot(name="M2_1", interfaces=["nvme"], sizes=[2280, 22110], lanes=4, source="cpu"),
            M2Slot(
                name="M2_2",
                interfaces=["nvme", "sata"],
                sizes=[2280],
                lanes=4,
                source="chipset",
                disables_sata_ports=2,
            ),
        ],
        pcie_slots=[
            _slot("PCI_E1", 1, 16, 16),
            _slot("PCI_E2", 2, 1, 1, "chipset"),
            _slot("PCI_E3", 4, 16, 4, "chipset", rules=[(["M2_2"], 2)]),
        ],
    ),
    _part(
        MotherboardPart,
        "z690-board",
        "ASUS",
        "Prime Z690-P D4",
        socket="LGA1700",
        chipset="Z690",
        form_factor="ATX",
        memory_type="DDR4",
        memory_slots=4,
        max_memory_gb=128,
        memory_max_speed_mts=5333,
        ecc_support=False,
        dimm_types=["UDIMM"],
        sata_ports=4,
        eps_8pin=1,
        eps_4pin=1,
        m2_slots=[M2Slot(name="M.2_1", interfaces=["nvme"], lanes=4, source="cpu")],
        pcie_slots=[
            _slot("PCIEX16_1", 1, 16, 16),
            _slot("PCIEX16_2", 4, 16, 4, "chipset"),
            _slot("PCIEX16_3", 6, 16, 1, "chipset"),
        ],
    ),
    _part(
        MotherboardPart,
        "x299-board",
        "ASUS",
        "Prime X299-A II",
        socket="LGA2066",
        chipset="X299",
        form_factor="ATX",
        memory_type="DDR4",
        memory_slots=8,
        max_memory_gb=256,
        memory_max_speed_mts=4266,
        ecc_support=False,
        dimm_types=["UDIMM"],
        sata_ports=8,
        eps_8pin=1,
        eps_4pin=1,
        m2_slots=[M2Slot(name="M.2_1", interfaces=["nvme"], lanes=4, source="cpu")],
        pcie_slots=[
            _slot("PCIE1", 1, 16, 16),
            _slot("PCIE2", 3, 16, 8),
            _slot("PCIE3", 5, 16, 16),
            _slot("PCIE4", 7, 16, 8, rules=[(["PCIE3"], 4)]),
        ],
    ),
    _part(
        MotherboardPart,
        "wrx80-sage",
        "ASUS",
        "Pro WS WRX80E-SAGE SE WIFI",
        socket="sWRX8",
        chipset="WRX80",
        form_factor="EEB",
        memory_type="DDR4",
        memory_slots=8,
        max_memory_gb=2048,
        memory_max_speed_mts=3200,
        ecc_support=True,
        dimm_types=["RDIMM"],
        sata_ports=8,
        eps_8pin=2,
        eps_4pin=0,
        m2_slots=[
            M2Slot(name=f"M.2_{i}", interfaces=["nvme"], lanes=4, source="cpu") for i in (1, 2, 3)
        ],
        pcie_slots=[_slot(f"PCIE{i}", i, 16, 16) for i in range(1, 8)],
    ),
    _part(
        MotherboardPart,
        "board-nodata",
        "Acme",
        "Mystery TR4 board",
        socket="TR4",
        form_factor="ATX",
        min_bios={"Ryzen Threadripper 2000": "P2.00"},
    ),
]

MEMORY = [
    _part(
        MemoryPart,
        "ddr4-64gb-4x16-3200",
        "Corsair",
        "Vengeance LPX 64 GB (4 × 16 GB)",
        memory_type="DDR4",
        modules=4,
        module_size_gb=16,
        speed_mts=3200,
        ecc=False,
        registered=False,
    ),
    _part(
        MemoryPart,
        "ddr4-128gb-8x16-3200",
        "Corsair",
        "Vengeance LPX 128 GB (8 × 16 GB)",
        memory_type="DDR4",
        modules=8,
        module_size_gb=16,
        speed_mts=3200,
        ecc=False,
        registered=False,
    ),
    _part(
        MemoryPart,
        "ddr4-16gb-2x8-4000",
        "G.Skill",
        "Ripjaws V 16 GB (2 × 8 GB) 4000",
        memory_type="DDR4",
        modules=2,
        module_size_gb=8,
        speed_mts=4000,
        ecc=False,
    ),
    _part(
        MemoryPart,
        "ddr4-32gb-2x16-ecc",
        "Kingston",
        "Server Premier 32 GB ECC UDIMM",
        memory_type="DDR4",
        modules=2,
        module_size_gb=16,
        speed_mts=3200,
        ecc=True,
        registered=False,
    ),
    _part(
        MemoryPart,
        "ddr4-128gb-4x32-rdimm",
        "Samsung",
        "128 GB (4 × 32 GB) DDR4 RDIMM",
        memory_type="DDR4",
        modules=4,
        module_size_gb=32,
        speed_mts=3200,
        ecc=True,
        registered=True,
    ),
    _part(
        MemoryPart,
        "ddr5-64gb-2x32-6000",
        "G.Skill",
        "Trident Z5 64 GB (2 × 32 GB)",
        memory_type="DDR5",
        modules=2,
        module_size_gb=32,
        speed_mts=6000,
        ecc=False,
        registered=False,
    ),
    _part(
        MemoryPart,
        "memory-nodata",
        "Acme",
        "Mystery 64 GB ECC kit",
        memory_type="DDR4",
        modules=4,
        module_size_gb=16,
        ecc=True,
    ),
]

GPUS = [
    _part(
        GpuPart,
        "gtx-1080-ti-fe",
        "NVIDIA",
        "GeForce GTX 1080 Ti Founders Edition",
        chipset="GeForce GTX 1080 Ti",
        vram_gb=11,
        tdp_w=250,
        slot_width=2.0,
        length_mm=267,
        cooler="blower",
        power_connectors=PowerConnectors(pcie_8pin=1, pcie_6pin=1),
        pcie_gen=3,
        power_limit_min_w=125,
    ),
    _part(
        GpuPart,
        "rtx-4090-fe",
        "NVIDIA",
        "GeForce RTX 4090 Founders Edition",
        chipset="GeForce RTX 4090",
        vram_gb=24,
        tdp_w=450,
        slot_width=3.0,
        length_mm=304,
        cooler="open-air",
        power_connectors=PowerConnectors(pcie_16pin=1),
        pcie_gen=4,
        power_limit_min_w=150,
    ),
    _part(
        GpuPart,
        "rtx-3090-turbo",
        "Gigabyte",
        "GeForce RTX 3090 TURBO 24G",
        chipset="GeForce RTX 3090",
        vram_gb=24,
        tdp_w=350,
        slot_width=2.0,
        length_mm=267,
        cooler="blower",
        power_connectors=PowerConnectors(pcie_8pin=2),
        pcie_gen=4,
        power_limit_min_w=100,
    ),
    _part(
        GpuPart,
        "rtx-a6000",
        "NVIDIA",
        "RTX A6000",
        chipset="RTX A6000",
        vram_gb=48,
        tdp_w=300,
        slot_width=2.0,
        length_mm=267,
        cooler="blower",
        power_connectors=PowerConnectors(eps_8pin=1),
        pcie_gen=4,
    ),
    _part(
        GpuPart,
        "rtx-3060-oa",
        "MSI",
        "GeForce RTX 3060 VENTUS 2X 12G",
        chipset="GeForce RTX 3060",
        vram_gb=12,
        tdp_w=170,
        slot_width=2.0,
        length_mm=235,
        cooler="open-air",
        power_connectors=PowerConnectors(pcie_8pin=1),
        pcie_gen=4,
    ),
    _part(GpuPart, "gpu-nodata", "Acme", "Mystery GPU", chipset="Mystery 9000"),
]

STORAGE = [
    _part(
        StoragePart,
        "samsung-970-evo-plus-1tb",
        "Samsung",
        "970 EVO Plus 1 TB",
        interface="nvme",
        form_factor="m2-2280",
        media="ssd",
        capacity_gb=1000,
        pcie_gen=3,
    ),
    _part(
        StoragePart,
        "samsung-870-evo-1tb",
        "Samsung",
        "870 EVO 1 TB",
        interface="sata",
        form_factor="2.5in",
        media="ssd",
        capacity_gb=1000,
    ),
    _part(
        StoragePart,
        "wd-red-8tb",
        "WD",
        "Red Plus 8 TB",
        interface="sata",
        form_factor="3.5in",
        media="hdd",
        capacity_gb=8000,
    ),
    _part(
        StoragePart,
        "mx500-m2-1tb",
        "Crucial",
        "MX500 1 TB M.2",
        interface="sata",
        form_factor="m2-2280",
        media="ssd",
        capacity_gb=1000,
    ),
]

PSUS = [
    _part(
        PsuPart,
        "evga-1600-p2",
        "EVGA",
        "SuperNOVA 1600 P2",
        wattage_w=1600,
        efficiency="platinum",
        length_mm=200,
        atx_version="2.x",
        modular="full",
        connectors=PsuConnectors(pcie_6_plus_2=9, pcie_16pin=0, eps_4_plus_4=2),
    ),
    _part(
        PsuPart,
        "msi-a1000g-pcie5",
        "MSI",
        "MPG A1000G PCIE5",
        wattage_w=1000,
        efficiency="gold",
        length_mm=150,
        atx_version="3.0",
        modular="full",
        connectors=PsuConnectors(pcie_6_plus_2=6, pcie_16pin=1, eps_4_plus_4=2),
    ),
    _part(
        PsuPart,
        "corsair-rm650",
        "Corsair",
        "RM650",
        wattage_w=650,
        efficiency="gold",
        length_mm=160,
        atx_version="2.x",
        connectors=PsuConnectors(pcie_6_plus_2=3, pcie_16pin=0, eps_4_plus_4=1),
    ),
    _part(
        PsuPart,
        "corsair-sf750",
        "Corsair",
        "SF750",
        wattage_w=750,
        efficiency="platinum",
        form_factor="SFX",
        length_mm=100,
        atx_version="2.x",
        connectors=PsuConnectors(pcie_6_plus_2=4, pcie_16pin=0, eps_4_plus_4=2),
    ),
    _part(
        PsuPart,
        "long-psu-1300",
        "Acme",
        "Long 1300 W",
        wattage_w=1300,
        efficiency="bronze",
        length_mm=240,
        atx_version="2.x",
        connectors=PsuConnectors(pcie_6_plus_2=8, pcie_16pin=0, eps_4_plus_4=2),
    ),
    _part(PsuPart, "psu-nodata", "Acme", "Mystery 1600 W", wattage_w=1600),
]

CASES = [
    _part(
        CasePart,
        "corsair-4000d",
        "Corsair",
        "4000D Airflow",
        case_type="ATX mid tower",
        motherboard_form_factors=["ATX", "Micro-ATX", "Mini-ITX"],
        expansion_slots=7,
        max_gpu_length_mm=360,
        max_cooler_height_mm=170,
        max_psu_length_mm=220,
        radiator_mounts={"front": 360, "top": 280},
        drive_bays_35=2,
        drive_bays_25=2,
    ),
    _part(
        CasePart,
        "carbide-air-540",
        "Corsair",
        "Carbide Air 540",
        case_type="ATX cube",
        motherboard_form_factors=["E-ATX", "ATX", "Micro-ATX", "Mini-ITX"],
        expansion_slots=8,
        max_gpu_length_mm=320,
        max_cooler_height_mm=170,
        max_psu_length_mm=250,
        radiator_mounts={"front": 360, "top": 280},
        drive_bays_35=2,
        drive_bays_25=4,
    ),
    _part(
        CasePart,
        "compact-atx",
        "Acme",
        "Compact ATX",
        motherboard_form_factors=["ATX"],
        expansion_slots=7,
        max_gpu_length_mm=300,
        max_cooler_height_mm=158,
        max_psu_length_mm=180,
        radiator_mounts={"front": 280, "top": 240},
        drive_bays_35=1,
        drive_bays_25=1,
    ),
    _part(
        CasePart,
        "nr200",
        "Cooler Master",
        "MasterBox NR200",
        motherboard_form_factors=["Mini-ITX"],
        psu_form_factors=["SFX", "SFX-L"],
        expansion_slots=3,
        max_gpu_length_mm=330,
        max_cooler_height_mm=155,
        radiator_mounts={"side": 280},
    ),
    _part(
        CasePart, "case-nodata", "Acme", "Mystery case", motherboard_form_factors=["E-ATX", "ATX"]
    ),
]

COOLERS = [
    _part(
        CoolerPart,
        "nh-u14s-tr4",
        "Noctua",
        "NH-U14S TR4-SP3",
        cooler_type="air",
        sockets=["TR4", "sTRX4", "SP3"],
        height_mm=165,
        tdp_rating_w=220,
    ),
    _part(
        CoolerPart,
        "nh-d15",
        "Noctua",
        "NH-D15",
        cooler_type="air",
        sockets=["AM4", "AM5", "LGA1700", "LGA1200", "LGA2066"],
        height_mm=165,
    ),
    _part(
        CoolerPart,
        "lf2-360",
        "Arctic",
        "Liquid Freezer II 360",
        cooler_type="aio",
        sockets=["AM4", "AM5", "LGA1700", "LGA1200", "LGA2066"],
        radiator_mm=360,
    ),
    _part(
        CoolerPart,
        "liqtech-tr4-360",
        "Enermax",
        "LIQTECH TR4 II 360",
        cooler_type="aio",
        sockets=["TR4", "sTRX4"],
        radiator_mm=360,
    ),
    _part(
        CoolerPart,
        "liqtech-tr4-240",
        "Enermax",
        "LIQTECH TR4 II 240",
        cooler_type="aio",
        sockets=["TR4", "sTRX4"],
        radiator_mm=240,
    ),
    _part(
        CoolerPart, "cooler-nodata", "Acme", "Mystery TR4 tower", cooler_type="air", sockets=["TR4"]
    ),
    _part(CoolerPart, "aio-nodata", "Acme", "Mystery TR4 AIO", cooler_type="aio", sockets=["TR4"]),
]

CLOUD = [
    _part(
        CloudOffer,
        "aws-p3-2xlarge",
        "AWS",
        "p3.2xlarge",
        provider="AWS",
        instance="p3.2xlarge",
        gpu_model="V100",
        gpu_count=1,
        price_usd=3.06,
    ),
]

ALL_PARTS: list[PartBase] = [
    *CPUS,
    *BOARDS,
    *MEMORY,
    *GPUS,
    *STORAGE,
    *PSUS,
    *CASES,
    *COOLERS,
    *CLOUD,
]
CATALOG = Catalog(ALL_PARTS)

BASE: dict[str, str | tuple[str, int]] = {
    "cpu": "tr-1920x",
    "board": "x399-taichi",
    "memory": "ddr4-64gb-4x16-3200",
    "gpu": "gtx-1080-ti-fe",
    "storage": "samsung-970-evo-plus-1tb",
    "psu": "evga-1600-p2",
    "case": "carbide-air-540",
    "cooler": "nh-u14s-tr4",
}
"""A Jeff Chen-style Threadripper build with one blower GPU: every rule passes."""

Entry = str | tuple[str, int]


def item(entry: Entry) -> BuildItem:
    """A build item from ``"id"`` or ``("id", qty)``."""
    pid, qty = (entry, 1) if isinstance(entry, str) else entry
    return BuildItem(part=pid, qty=qty)


def make(
    *,
    extra: Iterable[Entry] = (),
    plan: Iterable[Iterable[Entry]] = (),
    site: Site | None = None,
    **slots: Entry | None,
) -> Build:
    """The base build with parts replaced (``gpu=("rtx-4090-fe", 4)``) or removed (``None``)."""
    chosen = {**BASE, **slots}
    items = [item(e) for e in chosen.values() if e is not None] + [item(e) for e in extra]
    steps = tuple(
        PlanStep(month=3 * (k + 1), label=f"Step {k + 1}", add=tuple(item(e) for e in s))
        for k, s in enumerate(plan)
    )
    return Build(name="test", items=tuple(items), plan=steps, site=site or Site())


ARTICLE = make(plan=[["gtx-1080-ti-fe"], ["gtx-1080-ti-fe"], ["gtx-1080-ti-fe"]])
"""Jeff Chen's build: Threadripper 1920X, X399, 64 GB, a 1600 W PSU, one GPU now, four later."""

ACCEPTANCE = make(gpu=("rtx-4090-fe", 4), psu="msi-a1000g-pcie5", case="corsair-4000d")
"""Four open-air three-slot RTX 4090s, a 1000 W PSU, a seven-slot ATX case."""


def findings(
    build: Build, rule: str, *, catalog: Catalog | None = None, stage: int | None = None
) -> list[Finding]:
    """The merged findings of one rule for a build."""
    evaluation = evaluate(build, catalog or CATALOG, stage=stage)
    return [f for f in evaluation.findings if f.rule == rule]


def with_parts(*parts: PartBase) -> Catalog:
    """The sample catalog with some parts added or replaced."""
    return Catalog([*ALL_PARTS, *parts])


def variant(part_id: str, new_id: str, **update: Any) -> PartBase:
    """A copy of a sample part under a new id with some fields changed."""
    part = CATALOG.get(part_id)
    assert part is not None
    return part.model_copy(update={"id": new_id, **update})
