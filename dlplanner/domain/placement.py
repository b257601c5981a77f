"""Where the GPUs and M.2 drives of a build go on its motherboard."""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from dlplanner.domain.parts import GpuPart, M2Slot, MotherboardPart, PcieSlot, StoragePart

DEFAULT_GPU_WIDTH = 2
"""Slot width assumed for placement when a card's ``slot_width`` is unknown."""


def slot_lanes(slot: PcieSlot, populated: Collection[str]) -> int:
    """Return the electrical lanes of ``slot`` when the named slots are populated.

    Every lane rule whose ``when_populated`` names a populated slot applies, and the
    smallest lane count wins; 0 means the slot is switched off.
    """
    lanes: int = slot.electrical_lanes
    for lane_rule in slot.lane_rules:
        if any(name in populated and name != slot.name for name in lane_rule.when_populated):
            lanes = min(lanes, lane_rule.lanes)
    return lanes


def gpu_width(gpu: GpuPart) -> int:
    """Whole expansion slots the card covers (``ceil(slot_width)``), 2 when unknown."""
    if gpu.slot_width is None:
        return DEFAULT_GPU_WIDTH
    return math.ceil(gpu.slot_width - 1e-9)


@dataclass(frozen=True, slots=True)
class GpuPlacement:
    """One GPU and the x16 slot it was given (``slot`` is None when it got none)."""

    gpu: GpuPart
    slot: PcieSlot | None
    lanes: int
    """Electrical lanes of the slot with this population; 0 when off or unplaced."""

    @property
    def start(self) -> int | None:
        """First expansion-slot position the card covers (None when not known)."""
        return self.slot.position if self.slot else None

    @property
    def end(self) -> int | None:
        """Last expansion-slot position the card covers: ``p + ceil(width) - 1``.

        None when the card has no slot or the slot's position is not known.
        """
        if self.slot is None or self.slot.position is None:
            return None
        return self.slot.position + gpu_width(self.gpu) - 1

    @property
    def link_lanes(self) -> int:
        """Lanes the card links at: the fewer of the slot's and the card's."""
        return min(self.lanes, self.gpu.pcie_lanes)


@dataclass(frozen=True, slots=True)
class SlotPlan:
    """The GPUs placed top to bottom, then those without an x16 slot."""

    placed: tuple[GpuPlacement, ...]
    unplaced: tuple[GpuPart, ...]
    known: bool
    """False when the board or its slot map is missing: nothing could be placed."""
    x16_slots: tuple[PcieSlot, ...] = ()
    """The board's x16-physical slots, top to bottom (in listed order without positions)."""
    geometry_known: bool = True
    """False when the map has no slot positions: spacing and overhang cannot be checked."""


def placement_order(gpus: Sequence[GpuPart]) -> list[GpuPart]:
    """GPUs in the order they go in, top to bottom: narrow cards first, open-air last.

    The widest cards go lowest because the bottom card may overhang the board's last slot
    position; open-air cards go lowest because nothing then sits below their fans.
    """
    return sorted(gpus, key=lambda g: (gpu_width(g), g.cooler == "open-air"))


def assign_gpus(
    gpus: Sequence[GpuPart],
    board: MotherboardPart | None,
    populated_m2: Collection[str] = (),
    case_slots: int | None = None,
) -> SlotPlan:
    """Put the GPUs into the board's x16-physical slots the way a builder would.

    The GPUs are taken in :func:`placement_order`. Every set of ``min(n, k)`` of the board's
    ``k`` x16-physical slots is tried (at most 35 sets for seven slots) with the cards in
    that order, top to bottom, and the best set wins, compared in this order:

    1. most GPUs in a slot that is switched on with this population (lane rules of the
       board manual, including lanes taken by populated M.2 slots);
    2. fewest cards that collide: a card at position ``p`` that is ``w`` slots wide covers
       ``p .. p + ceil(w) - 1`` and collides when the next card starts inside that range;
    3. fewest positions the bottom card sticks out past the case's expansion slots;
    4. fewest open-air cards with no free slot below them (they starve for air);
    5. most lanes from CPU-attached slots, then most lanes in all;
    6. the slots nearest the CPU.

    That is the usual practice — CPU-attached x16 slots first, spaced by each card's width
    — made exact for boards whose spacing, wiring or lane sharing make the first slots a
    poor choice. GPUs beyond the number of x16 slots are left unplaced.
    """
    ordered = placement_order(gpus)
    if board is None or board.pcie_slots is None:
        return SlotPlan((), tuple(ordered), known=False, geometry_known=False)
    geometry = board.slot_positions_known
    x16 = tuple(s for s in board.pcie_slots if s.physical_lanes == 16)
    if geometry:
        x16 = tuple(sorted(x16, key=lambda s: s.position or 0))
    count = min(len(ordered), len(x16))
    if count == 0:
        return SlotPlan((), tuple(ordered), True, x16, geometry)
    # without positions, collisions, overhang and starved cards cannot be scored: a
    # partial map places cards by lanes alone (every card counted 1 slot, never colliding)
    widths = [gpu_width(g) if geometry else 1 for g in ordered[:count]]
    open_air = [g.cooler == "open-air" and geometry for g in ordered[:count]]
    m2 = frozenset(populated_m2)
    positions = [s.position or 0 if geometry else 2 * k + 1 for k, s in enumerate(x16)]
    from_cpu = [s.source != "chipset" for s in x16]
    # without lane rules on the x16 slots, their lanes depend on the M.2 sockets only
    fixed = None if any(s.lane_rules for s in x16) else [slot_lanes(s, m2) for s in x16]
    best: tuple[int, int, int, int, int, int] | None = None
    best_idx: tuple[int, ...] = ()
    best_lanes: list[int] = []
    # index sets come in lexicographic order, so on a tie the slots nearest the CPU win
    for idx in itertools.combinations(range(len(x16)), count):
        if fixed is None:
            populated = m2 | {x16[i].name for i in idx}
            lanes = [slot_lanes(x16[i], populated) for i in idx]
        else:
            lanes = [fixed[i] for i in idx]
        collisions = starved = 0
        for k in range(count - 1):
            end = positions[idx[k]] + widths[k] - 1
            below = positions[idx[k + 1]]
            if end >= below:
                collisions += 1
            elif end + 1 == below and open_air[k]:
                starved += 1
        overhang = 0
        if case_slots and geometry:
            overhang = max(0, positions[idx[-1]] + widths[-1] - 1 - case_slots)
        working = cpu_lanes = 0
        for k, i in enumerate(idx):
            if lanes[k] > 0:
                working += 1
                if from_cpu[i]:
                    cpu_lanes += lanes[k]
        score = (-working, collisions, overhang, starved, -cpu_lanes, -sum(lanes))
        if best is None or score < best:
            best, best_idx, best_lanes = score, idx, lanes
    placed = tuple(
        GpuPlacement(g, x16[i], n)
        for g, i, n in zip(ordered[:count], best_idx, best_lanes, strict=True)
    )
    return SlotPlan(placed, tuple(ordered[count:]), True, x16, geometry)


def m2_size(drive: StoragePart) -> int | None:
    """Return the M.2 size code of a drive (2280, 22110), or None for a non-M.2 drive."""
    if not drive.form_factor.startswith("m2-"):
        return None
    return int(drive.form_factor[3:])


def m2_fits(drive: StoragePart, slot: M2Slot) -> bool:
    """Whether the drive's interface and length fit the M.2 socket."""
    return drive.interface in slot.interfaces and m2_size(drive) in slot.sizes


@dataclass(frozen=True, slots=True)
class M2Plan:
    """Which M.2 drive is in which socket, and the drives that found none."""

    placed: tuple[tuple[StoragePart, M2Slot], ...]
    unplaced: tuple[StoragePart, ...]
    known: bool
    """False when the board or its M.2 list is missing."""

    @property
    def populated(self) -> frozenset[str]:
        """Names of the populated M.2 sockets."""
        return frozenset(slot.name for _, slot in self.placed)

    def disabled_sata_ports(self) -> int:
        """SATA ports the populated M.2 sockets switch off (an upper bound: summed)."""
        return sum(
            slot.disables_sata_ports
            for drive, slot in self.placed
            if slot.disables_sata_when in ("any", drive.interface)
        )


def _slot_preference(drive: StoragePart, slot: M2Slot) -> tuple[int, int, int]:
    disables = (
        slot.disables_sata_ports if slot.disables_sata_when in ("any", drive.interface) else 0
    )
    if drive.interface == "nvme":
        # NVMe drives want CPU lanes and the widest link.
        return (0 if slot.source == "cpu" else 1, -(slot.lanes or 4), disables)
    # SATA M.2 drives leave NVMe-capable sockets free and switch off as few ports as possible.
    return (1 if "nvme" in slot.interfaces else 0, disables, 0)


def _fitting_slots(drive: StoragePart, slots: Sequence[M2Slot]) -> list[int]:
    fitting = [i for i, slot in enumerate(slots) if m2_fits(drive, slot)]
    fitting.sort(key=lambda i: _slot_preference(drive, slots[i]))
    return fitting


def assign_m2(drives: Sequence[StoragePart], board: MotherboardPart | None) -> M2Plan:
    """Match M.2 drives to M.2 sockets: as many as possible, NVMe drives on CPU lanes first.

    A maximum bipartite matching (augmenting paths) over the sockets each drive fits
    (interface and length), trying sockets in order of preference: for NVMe drives
    CPU-attached and wider sockets first; for SATA drives sockets without NVMe support and
    that switch off the fewest SATA ports.
    """
    m2 = [d for d in drives if m2_size(d) is not None]
    if not m2:
        return M2Plan((), (), known=board is not None and board.m2_slots is not None)
    if board is None or board.m2_slots is None:
        return M2Plan((), tuple(m2), known=False)
    slots = board.m2_slots
    m2.sort(key=lambda d: d.interface != "nvme")
    options = [_fitting_slots(d, slots) for d in m2]
    owner: dict[int, int] = {}

    def augment(drive: int, seen: set[int]) -> bool:
        for slot in options[drive]:
            if slot in seen:
                continue
            seen.add(slot)
            if slot not in owner or augment(owner[slot], seen):
                owner[slot] = drive
                return True
        return False

    for drive in range(len(m2)):
        augment(drive, set())
    placed_by_drive = {d: s for s, d in owner.items()}
    placed = tuple((m2[d], slots[s]) for d, s in sorted(placed_by_drive.items()))
    unplaced = tuple(m2[d] for d in range(len(m2)) if d not in placed_by_drive)
    return M2Plan(placed, unplaced, known=True)
