"""The catalog browser's compatibility filter: which candidate parts fit the build so far.

It answers "could this part go into the build without a hard conflict with what is
already there" for thousands of candidates per keystroke. It asks the same compatibility
predicates the rules ask (:mod:`dlplanner.domain.compat`: socket and cooler mount, board
and PSU form factor, memory type and module kind, lengths, heights, card thickness), so a
part the filter hides is one the rules would report as an error, and the other way round.
An answer of *unknown* (a missing spec, a partial list) never hides a part.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dlplanner.domain import compat
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
    cooler: CoolerPart | None
    psu: PsuPart | None
    gpus: tuple[GpuPart, ...]


def _last(build: Build, catalog: Catalog, cls: type[PartBase]) -> PartBase | None:
    # A later part of a single-part kind reads as a replacement (as in rules/context.py).
    for item in reversed(build.items):
        part = catalog.get(item.part)
        if isinstance(part, cls):
            return part
    return None


def _no(*verdicts: compat.Verdict) -> bool:
    return any(v.no for v in verdicts)


def _fits_cpu(p: CpuPart, c: _Chosen) -> bool:
    if c.board is not None and compat.socket_fit(p, c.board).no:
        return False
    if c.cooler is not None and compat.cooler_mount(c.cooler, p.socket).no:
        return False
    if c.memory is None:
        return True
    return not _no(compat.memory_type_on_cpu(c.memory, p), compat.dimm_fit(c.memory, p))


def _fits_board(p: MotherboardPart, c: _Chosen) -> bool:
    if c.cpu is not None and compat.socket_fit(c.cpu, p).no:
        return False
    if c.case is not None and compat.board_in_case(p, c.case).no:
        return False
    if c.cpu is None and c.cooler is not None and compat.cooler_mount(c.cooler, p.socket).no:
        return False
    if c.memory is None:
        return True
    return not _no(
        compat.memory_type_on_board(c.memory, p),
        compat.dimm_fit(c.memory, p),
        compat.memory_slots_fit(c.memory.modules, p),
    )


def _fits_memory(p: MemoryPart, c: _Chosen) -> bool:
    if c.board is not None and _no(
        compat.memory_type_on_board(p, c.board),
        compat.dimm_fit(p, c.board),
        compat.memory_slots_fit(p.modules, c.board),
    ):
        return False
    return c.cpu is None or not _no(compat.memory_type_on_cpu(p, c.cpu), compat.dimm_fit(p, c.cpu))


def _fits_gpu(p: GpuPart, c: _Chosen) -> bool:
    if c.case is None:
        return True
    return not _no(compat.gpu_length(p, c.case), compat.gpu_thickness(p, c.case))


def _fits_case(p: CasePart, c: _Chosen) -> bool:
    if c.board is not None and compat.board_in_case(c.board, p).no:
        return False
    if c.psu is not None and _no(compat.psu_in_case(c.psu, p), compat.psu_length(c.psu, p)):
        return False
    if c.cooler is not None and _no(
        compat.cooler_height(c.cooler, p), compat.radiator_fit(c.cooler, p)
    ):
        return False
    return not any(_no(compat.gpu_length(g, p), compat.gpu_thickness(g, p)) for g in c.gpus)


def _fits_cooler(p: CoolerPart, c: _Chosen) -> bool:
    socket = c.cpu.socket if c.cpu else c.board.socket if c.board else None
    if socket is not None and compat.cooler_mount(p, socket).no:
        return False
    case = c.case
    return case is None or not _no(compat.cooler_height(p, case), compat.radiator_fit(p, case))


def _fits_psu(p: PsuPart, c: _Chosen) -> bool:
    case = c.case
    return case is None or not _no(compat.psu_in_case(p, case), compat.psu_length(p, case))


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
        cooler=_last(build, catalog, CoolerPart),  # type: ignore[arg-type]
        psu=_last(build, catalog, PsuPart),  # type: ignore[arg-type]
        gpus=tuple(
            {p.id: p for i in build.items if isinstance(p := catalog.get(i.part), GpuPart)}.values()
        ),
    )

    def fits(part: PartBase) -> bool:
        check = _CHECKS.get(type(part))
        return True if check is None else check(part, chosen)

    return fits
