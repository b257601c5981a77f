"""The catalog browser's compatibility filter: which candidate parts fit the build so far.

This is a quick pre-filter, not the rule set: it answers "could this part go into
the build without a hard conflict with what is already there" for thousands of
candidates per keystroke, using only direct spec comparisons (socket, memory type,
form factor, length, radiator size). Unknown values never exclude a part.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dlplanner.domain.build import Build
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
)


@dataclass(frozen=True, slots=True)
class _Chosen:
    """The part of each kind a candidate must fit: the last one, as the rules read it."""

    cpu: CpuPart | None
    board: MotherboardPart | None
    case: CasePart | None
    memory: MemoryPart | None


def _last(build: Build, catalog: Catalog, cls: type[PartBase]) -> PartBase | None:
    # A later part of a single-part kind reads as a replacement (as in rules/context.py).
    for item in reversed(build.items):
        part = catalog.get(item.part)
        if isinstance(part, cls):
            return part
    return None


def _ok(a: object, b: object) -> bool:
    """Equal, or either side unknown."""
    return a is None or b is None or a == b


def _fits_cpu(p: CpuPart, c: _Chosen) -> bool:
    board_ok = c.board is None or p.socket == c.board.socket
    mem_ok = c.memory is None or p.memory_types is None or c.memory.memory_type in p.memory_types
    return board_ok and mem_ok


def _fits_board(p: MotherboardPart, c: _Chosen) -> bool:
    if c.cpu is not None and p.socket != c.cpu.socket:
        return False
    if c.case is not None and p.form_factor not in c.case.motherboard_form_factors:
        return False
    return c.memory is None or _ok(p.memory_type, c.memory.memory_type)


def _fits_memory(p: MemoryPart, c: _Chosen) -> bool:
    if c.board is not None and not _ok(c.board.memory_type, p.memory_type):
        return False
    cpu_types = c.cpu.memory_types if c.cpu is not None else None
    if cpu_types is not None and p.memory_type not in cpu_types:
        return False
    slots = c.board.memory_slots if c.board is not None else None
    if slots is not None and p.modules > slots:
        return False
    dimms = c.board.dimm_types if c.board else None
    if dimms is not None and p.registered is not None:
        return ("RDIMM" if p.registered else "UDIMM") in dimms
    return True


def _fits_gpu(p: GpuPart, c: _Chosen) -> bool:
    case = c.case
    if case is None or case.max_gpu_length_mm is None or p.length_mm is None:
        return True
    return p.length_mm <= case.max_gpu_length_mm


def _fits_case(p: CasePart, c: _Chosen) -> bool:
    return c.board is None or c.board.form_factor in p.motherboard_form_factors


def _fits_cooler(p: CoolerPart, c: _Chosen) -> bool:
    if c.cpu is not None and c.cpu.socket not in p.sockets:
        return False
    case = c.case
    if case is None:
        return True
    if p.height_mm is not None and case.max_cooler_height_mm is not None:
        return p.height_mm <= case.max_cooler_height_mm
    if p.radiator_mm is not None and case.radiator_mounts:
        return any(p.radiator_mm <= size for size in case.radiator_mounts.values())
    return True


def _fits_psu(p: PsuPart, c: _Chosen) -> bool:
    case = c.case
    if case is None:
        return True
    if p.form_factor not in case.psu_form_factors:
        return False
    if p.length_mm is not None and case.max_psu_length_mm is not None:
        return p.length_mm <= case.max_psu_length_mm
    return True


_CHECKS: dict[type[PartBase], Callable[[object, _Chosen], bool]] = {
    CpuPart: _fits_cpu,  # type: ignore[dict-item]
    MotherboardPart: _fits_board,  # type: ignore[dict-item]
    MemoryPart: _fits_memory,  # type: ignore[dict-item]
    GpuPart: _fits_gpu,  # type: ignore[dict-item]
    CasePart: _fits_case,  # type: ignore[dict-item]
    CoolerPart: _fits_cooler,  # type: ignore[dict-item]
    PsuPart: _fits_psu,  # type: ignore[dict-item]
}


def fit_filter(build: Build, catalog: Catalog) -> Callable[[PartBase], bool]:
    """Return a predicate: True when a candidate part has no hard conflict with the build."""
    chosen = _Chosen(
        cpu=_last(build, catalog, CpuPart),  # type: ignore[arg-type]
        board=_last(build, catalog, MotherboardPart),  # type: ignore[arg-type]
        case=_last(build, catalog, CasePart),  # type: ignore[arg-type]
        memory=_last(build, catalog, MemoryPart),  # type: ignore[arg-type]
    )

    def fits(part: PartBase) -> bool:
        check = _CHECKS.get(type(part))
        return True if check is None else check(part, chosen)

    return fits
