"""One stage of a build, resolved through the catalog: what every rule looks at."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from dlplanner.domain.build import Build, BuildItem, Site, Stage
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.parts import (
    CasePart,
    CoolerPart,
    CpuPart,
    GpuPart,
    MemoryPart,
    MotherboardPart,
    PartBase,
    PsuPart,
    StoragePart,
)
from dlplanner.domain.placement import M2Plan, SlotPlan, assign_gpus, assign_m2
from dlplanner.domain.power import PowerEstimate, estimate_power

_P = TypeVar("_P", bound=PartBase)

STAGE_KEYS: tuple[str, ...] = (
    "items",
    "cpu",
    "board",
    "psu",
    "case",
    "cooler",
    "memory",
    "gpus",
    "storage",
    "unknown",
    "foreign",
    "duplicates",
    "power",
    "final",
)
"""What a rule may read from a stage, for :attr:`Rule.reads` (``site`` never changes)."""

DERIVED_KEYS: dict[str, tuple[str, ...]] = {
    "slots": ("gpus", "board", "storage", "case"),
    "m2": ("storage", "board"),
    "load": ("cpu", "gpus", "psu", "power"),  # power: the GPUs' limits; psu: every unit
}
"""Derived parts of a stage and what they are computed from."""


def expand_reads(names: Iterable[str]) -> frozenset[str]:
    """Turn the names a rule reads (derived ones included) into :data:`STAGE_KEYS`.

    Raises
    ------
    ValueError
        For a name that is not a stage key.
    """
    keys: set[str] = set()
    for name in names:
        if name in DERIVED_KEYS:
            keys.update(DERIVED_KEYS[name])
        elif name in STAGE_KEYS:
            keys.add(name)
        else:
            raise ValueError(f"unknown stage key {name!r}")
    return frozenset(keys)


SINGLE_KINDS = ("cpu", "motherboard", "psu", "case", "cooler")
"""Kinds a machine has one of; when a build has several, the last one added is used."""


@dataclass(frozen=True, slots=True)
class StageContext:
    """The parts of one stage of a build, resolved, with the derived layout and load.

    Multi-unit items are expanded (``qty: 4`` of a GPU gives four entries in ``gpus``).
    A build cannot remove parts, so for the kinds a machine has one of (CPU, board, PSU,
    case, cooler) the one added last is used: a later plan step that adds a PSU reads as
    a replacement. ``duplicates`` lists every part of such a kind when there are several.
    """

    stage: int
    label: str
    month: int
    items: tuple[BuildItem, ...]
    site: Site
    cpu: CpuPart | None
    board: MotherboardPart | None
    psu: PsuPart | None
    """The main power supply unit (it feeds the board and CPU)."""
    psus: tuple[PsuPart, ...]
    """Every power supply unit of the stage, main unit first."""
    case: CasePart | None
    cooler: CoolerPart | None
    memory: tuple[MemoryPart, ...]
    gpus: tuple[GpuPart, ...]
    gpu_limits: tuple[int | None, ...]
    """Each GPU's power limit (None: stock), in the order of ``gpus``."""
    storage: tuple[StoragePart, ...]
    unknown: tuple[str, ...]
    """Part ids the catalog does not have, in build order, without repeats."""
    foreign: tuple[PartBase, ...]
    """Catalog entries that are not hardware (cloud offers)."""
    duplicates: dict[str, tuple[PartBase, ...]]
    slots: SlotPlan
    m2: M2Plan
    load: PowerEstimate
    """The stage's power, from the one power model (:mod:`dlplanner.domain.power`)."""
    last_stage: int
    """Index of the plan's final stage."""
    final: StageContext | None = None
    """The plan's final stage, when this is an earlier one."""
    keys: dict[str, object] = field(default_factory=dict)
    """A cheap fingerprint of each of :data:`STAGE_KEYS`: equal keys, equal parts."""
    suggestions: dict[str, str] = field(default_factory=dict)
    """For ids in ``unknown``: the catalog id nearest to each, when one is near."""

    @property
    def gpu_ids(self) -> tuple[str, ...]:
        """Ids of the GPUs, without repeats."""
        return tuple(dict.fromkeys(g.id for g in self.gpus))

    @property
    def memory_gb(self) -> int:
        """Total system memory."""
        return sum(kit.capacity_gb for kit in self.memory)

    @property
    def memory_modules(self) -> int:
        """Total memory modules (DIMMs)."""
        return sum(kit.modules for kit in self.memory)


class _Parts:
    """The parts of a stage as they are looked up, item by item (stages only add items)."""

    __slots__ = (
        "buckets",
        "foreign",
        "gpu_limits",
        "gpus",
        "memory",
        "psu_units",
        "singles",
        "storage",
        "unknown",
    )

    def __init__(self) -> None:
        self.singles: dict[str, list[PartBase]] = {kind: [] for kind in SINGLE_KINDS}
        self.memory: list[MemoryPart] = []
        self.gpus: list[GpuPart] = []
        self.gpu_limits: list[int | None] = []
        self.psu_units: list[PsuPart] = []
        self.storage: list[StoragePart] = []
        self.buckets: dict[str, list[Any]] = {
            **self.singles,
            "gpu": self.gpus,
            "memory": self.memory,
            "storage": self.storage,
        }
        self.unknown: dict[str, str] = {}
        """Ids the catalog lacks, each with its nearest catalog id ("" when none is near)."""
        self.foreign: dict[str, PartBase] = {}

    def add(self, items: Iterable[BuildItem], catalog: Catalog) -> None:
        """Look up the ``items`` of one purchase and file each part under its kind."""
        get, buckets = catalog.get, self.buckets
        bought: list[PsuPart] = []
        for item in items:
            part = get(item.part)
            if part is None:
                if item.part not in self.unknown:
                    near = catalog.suggest(item.part, 1)
                    self.unknown[item.part] = near[0] if near else ""
                continue
            bucket = buckets.get(part.kind)  # type: ignore[attr-defined]
            if bucket is None:
                self.foreign[part.id] = part
            elif item.qty == 1:
                bucket.append(part)
            else:
                bucket.extend([part] * item.qty)
            if isinstance(part, GpuPart):
                self.gpu_limits.extend([item.power_limit_w] * item.qty)
            elif isinstance(part, PsuPart):
                bought.extend([part] * item.qty)
        if bought:
            self.psu_units = bought


def _context(
    stage: Stage,
    parts: _Parts,
    site: Site,
    last_stage: int,
    final: StageContext | None,
    memo: dict[tuple[object, ...], object],
) -> StageContext:
    singles = parts.singles
    memory, gpus, storage = tuple(parts.memory), tuple(parts.gpus), tuple(parts.storage)
    cpu = _last(singles["cpu"], CpuPart)
    board = _last(singles["motherboard"], MotherboardPart)
    case = _last(singles["case"], CasePart)
    board_id = board.id if board else None
    storage_ids = tuple(p.id for p in storage)
    gpu_ids = tuple(p.id for p in gpus)
    m2_key = ("m2", board_id, storage_ids)
    m2 = memo.get(m2_key)
    if not isinstance(m2, M2Plan):
        m2 = memo[m2_key] = assign_m2(storage, board)
    case_slots = case.expansion_slots if case else None
    slots_key = ("slots", board_id, gpu_ids, m2.populated, case_slots)
    slots = memo.get(slots_key)
    if not isinstance(slots, SlotPlan):
        slots = memo[slots_key] = assign_gpus(gpus, board, m2.populated, case_slots)
    psus = tuple(parts.psu_units)
    psu = psus[0] if psus else None
    cooler = _last(singles["cooler"], CoolerPart)
    duplicates = {
        k: tuple(v)
        for k, v in singles.items()
        if len(v) > 1 and not (k == "psu" and len(v) == len(psus))
    }
    limits = tuple(parts.gpu_limits)
    unknown = tuple(parts.unknown)
    keys: dict[str, object] = {
        "items": bool(stage.items),
        "cpu": cpu.id if cpu else None,
        "board": board_id,
        "psu": tuple(p.id for p in psus),
        "case": case.id if case else None,
        "cooler": cooler.id if cooler else None,
        "memory": tuple(p.id for p in memory),
        "gpus": gpu_ids,
        "storage": storage_ids,
        "unknown": unknown,
        "foreign": tuple(parts.foreign),
        "duplicates": tuple((k, tuple(p.id for p in v)) for k, v in duplicates.items()),
        "power": limits,
        "final": final is None,
    }
    return StageContext(
        stage=stage.index,
        label=stage.label,
        month=stage.month,
        items=stage.items,
        site=site,
        cpu=cpu,
        board=board,
        psu=psu,
        psus=psus,
        case=case,
        cooler=cooler,
        memory=memory,
        gpus=gpus,
        gpu_limits=limits,
        storage=storage,
        unknown=unknown,
        foreign=tuple(parts.foreign.values()),
        duplicates=duplicates,
        slots=slots,
        m2=m2,
        load=estimate_power(cpu, gpus, psus, limits),
        last_stage=last_stage,
        final=final,
        keys=keys,
        suggestions={k: v for k, v in parts.unknown.items() if v},
    )


def _last(parts: Sequence[PartBase], kind: type[_P]) -> _P | None:
    if not parts:
        return None
    part = parts[-1]
    return part if isinstance(part, kind) else None


def _snapshot(parts: _Parts) -> _Parts:
    copy = _Parts()
    for kind, found in parts.singles.items():
        copy.singles[kind].extend(found)
    copy.memory.extend(parts.memory)
    copy.gpus.extend(parts.gpus)
    copy.gpu_limits.extend(parts.gpu_limits)
    copy.psu_units = list(parts.psu_units)
    copy.storage.extend(parts.storage)
    copy.unknown.update(parts.unknown)
    copy.foreign.update(parts.foreign)
    return copy


def build_contexts(
    build: Build, catalog: Catalog, stages: Sequence[int] | None = None
) -> list[StageContext]:
    """Resolve the stages of ``build`` (all of them, or the given indexes, in order).

    Items are looked up once: each stage adds its plan step's items to the previous
    stage's parts. Every earlier stage's context links to the final stage's, which the
    rules that size parts for the whole plan read.

    Raises
    ------
    ValueError
        If a requested stage index is not in the plan.
    """
    all_stages = build.stages()
    last = len(all_stages) - 1
    wanted = list(range(last + 1)) if stages is None else list(stages)
    for index in wanted:
        if not 0 <= index <= last:
            raise ValueError(f"stage {index} is not in the plan (stages 0 to {last})")
    needed = set(wanted)
    running = _Parts()
    snapshots: dict[int, _Parts] = {}
    for stage in all_stages:
        running.add(stage.added, catalog)
        if stage.index in needed and stage.index != last:
            snapshots[stage.index] = _snapshot(running)
    # placements depend on part ids only, and a catalog never changes: evaluations of one
    # catalog share them (benchmark rows "All rules, 10,000 random valid builds" and "Edit →
    # findings redrawn": an edit rarely changes the board, drives or GPUs)
    memo = catalog.placements
    final = _context(all_stages[last], running, build.site, last, None, memo)
    return [
        final
        if index == last
        else _context(all_stages[index], snapshots[index], build.site, last, final, memo)
        for index in wanted
    ]
