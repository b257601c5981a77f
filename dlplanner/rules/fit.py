"""The catalog browser's compatibility filter: which candidate parts fit the build so far.

It answers "could this part go into the build without a hard conflict with what is
already there" for thousands of candidates per keystroke. It asks the same compatibility
predicates the rules ask (:mod:`dlplanner.domain.compat`: socket and cooler mount, board
and PSU form factor, memory type and module kind, lengths, heights, card thickness), so a
part the filter hides is one the rules would report as an error, and the other way round.
An answer of *unknown* (a missing spec, a partial list) never hides a part.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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


@dataclass(frozen=True, slots=True)
class Conflict:
    """Why a candidate part does not fit: what the build asks, the part's value, the verdict.

    ``reason`` says what the build asks that the part does not give, short, to read after
    "35 hidden:" ("not socket sTR5", "longer than the case's 322 mm"); parts hidden for
    one reason share it, so it counts them. ``value`` is the part's own value where that
    tells hidden parts apart ("TR4"), else empty. The verdict's ``reason`` is the full
    sentence.
    """

    reason: str
    value: str
    verdict: compat.Verdict

    @property
    def short(self) -> str:
        """Return the reason with the part's value: "not socket sTR5 (TR4)"."""
        return f"{self.reason} ({self.value})" if self.value else self.reason


def _slash(values: Sequence[str] | None) -> str:
    return "/".join(values or ())


# Each check asks the predicates in the rules' order and words only a *no* (most
# candidates fit: the short phrase is not built for them).


def _cpu_conflict(p: CpuPart, c: _Chosen) -> Conflict | None:
    if c.board is not None and (v := compat.socket_fit(p, c.board)).no:
        return Conflict(f"not socket {c.board.socket}", p.socket, v)
    if c.cooler is not None and (v := compat.cooler_mount(c.cooler, p.socket)).no:
        return Conflict("the cooler does not mount on their socket", p.socket, v)
    kit = c.memory
    if kit is None:
        return None
    if (v := compat.memory_type_on_cpu(kit, p)).no:
        return Conflict(f"no {kit.memory_type} support", "", v)
    if (v := compat.dimm_fit(kit, p)).no:
        return Conflict(f"no {compat.dimm_kind(kit)} support", "", v)
    return None


def _board_conflict(p: MotherboardPart, c: _Chosen) -> Conflict | None:
    if c.cpu is not None and (v := compat.socket_fit(c.cpu, p)).no:
        return Conflict(f"not socket {c.cpu.socket}", p.socket, v)
    if c.case is not None and (v := compat.board_in_case(p, c.case)).no:
        return Conflict("the case does not take their size", p.form_factor, v)
    if c.cpu is None and c.cooler is not None and (v := compat.cooler_mount(c.cooler, p.socket)).no:
        return Conflict("the cooler does not mount on their socket", p.socket, v)
    kit = c.memory
    if kit is None:
        return None
    if (v := compat.memory_type_on_board(kit, p)).no:
        return Conflict(f"no {kit.memory_type} slots", p.memory_type or "", v)
    if (v := compat.dimm_fit(kit, p)).no:
        return Conflict(f"no {compat.dimm_kind(kit)} support", "", v)
    if (v := compat.memory_slots_fit(kit.modules, p)).no:
        return Conflict(f"fewer than {kit.modules} memory slots", "", v)
    return None


def _memory_conflict(p: MemoryPart, c: _Chosen) -> Conflict | None:
    board, cpu = c.board, c.cpu
    if board is not None:
        if (v := compat.memory_type_on_board(p, board)).no:
            return Conflict(f"not {board.memory_type}", p.memory_type, v)
        if (v := compat.dimm_fit(p, board)).no:
            return Conflict(f"not {_slash(board.dimm_types)}", compat.dimm_kind(p) or "", v)
        if (v := compat.memory_slots_fit(p.modules, board)).no:
            return Conflict(f"more modules than the board's {board.memory_slots} slots", "", v)
    if cpu is None:
        return None
    if (v := compat.memory_type_on_cpu(p, cpu)).no:
        return Conflict(f"not {_slash(cpu.memory_types)}", p.memory_type, v)
    if (v := compat.dimm_fit(p, cpu)).no:
        return Conflict(f"not {_slash(cpu.dimm_types)}", compat.dimm_kind(p) or "", v)
    return None


def _gpu_conflict(p: GpuPart, c: _Chosen) -> Conflict | None:
    case = c.case
    if case is None:
        return None
    if (v := compat.gpu_length(p, case)).no:
        return Conflict(f"longer than the case's {case.max_gpu_length_mm:g} mm", "", v)
    if (v := compat.gpu_thickness(p, case)).no:
        return Conflict(f"thicker than the case's {case.max_gpu_slot_width:g} slots", "", v)
    return None


def _case_conflict(p: CasePart, c: _Chosen) -> Conflict | None:
    board, psu, cooler = c.board, c.psu, c.cooler
    if board is not None and (v := compat.board_in_case(board, p)).no:
        return Conflict(f"no room for {board.form_factor} boards", "", v)
    if psu is not None:
        if (v := compat.psu_in_case(psu, p)).no:
            return Conflict(f"no room for {psu.form_factor} power supplies", "", v)
        if (v := compat.psu_length(psu, p)).no:
            return Conflict(f"too short for the {psu.length_mm:g} mm PSU", "", v)
    if cooler is not None:
        if (v := compat.cooler_height(cooler, p)).no:
            return Conflict(f"too low for the {cooler.height_mm:g} mm cooler", "", v)
        if (v := compat.radiator_fit(cooler, p)).no:
            return Conflict(f"no mount for the {cooler.radiator_mm} mm radiator", "", v)
    for g in c.gpus:
        if (v := compat.gpu_length(g, p)).no:
            return Conflict(f"too short for the {g.length_mm:g} mm GPU", "", v)
        if (v := compat.gpu_thickness(g, p)).no:
            return Conflict(f"too narrow for the {g.slot_width:g}-slot GPU", "", v)
    return None


def _cooler_conflict(p: CoolerPart, c: _Chosen) -> Conflict | None:
    socket = c.cpu.socket if c.cpu else c.board.socket if c.board else None
    if socket is not None and (v := compat.cooler_mount(p, socket)).no:
        return Conflict(f"no {socket} mounting", "", v)
    case = c.case
    if case is None:
        return None
    if (v := compat.cooler_height(p, case)).no:
        return Conflict(f"taller than the case's {case.max_cooler_height_mm:g} mm", "", v)
    if (v := compat.radiator_fit(p, case)).no:
        return Conflict("radiator larger than the case's mounts", "", v)
    return None


def _psu_conflict(p: PsuPart, c: _Chosen) -> Conflict | None:
    case = c.case
    if case is None:
        return None
    if (v := compat.psu_in_case(p, case)).no:
        return Conflict("the case does not take their size", p.form_factor, v)
    if (v := compat.psu_length(p, case)).no:
        return Conflict(f"longer than the case's {case.max_psu_length_mm:g} mm", "", v)
    return None


_CHECKS: dict[type[PartBase], Callable[[object, _Chosen], Conflict | None]] = {
    CpuPart: _cpu_conflict,  # type: ignore[dict-item]
    MotherboardPart: _board_conflict,  # type: ignore[dict-item]
    MemoryPart: _memory_conflict,  # type: ignore[dict-item]
    GpuPart: _gpu_conflict,  # type: ignore[dict-item]
    CasePart: _case_conflict,  # type: ignore[dict-item]
    CoolerPart: _cooler_conflict,  # type: ignore[dict-item]
    PsuPart: _psu_conflict,  # type: ignore[dict-item]
}


def _chosen(build: Build, catalog: Catalog) -> _Chosen:
    return _Chosen(
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


def fit_conflict(build: Build, catalog: Catalog) -> Callable[[PartBase], Conflict | None]:
    """Return a function: the first hard conflict of a candidate part with the build, or None."""
    chosen = _chosen(build, catalog)

    def conflict(part: PartBase) -> Conflict | None:
        check = _CHECKS.get(type(part))
        return None if check is None else check(part, chosen)

    return conflict


def fit_filter(build: Build, catalog: Catalog) -> Callable[[PartBase], bool]:
    """Return a predicate: True when a candidate part has no hard conflict with the build."""
    chosen = _chosen(build, catalog)

    def fits(part: PartBase) -> bool:
        check = _CHECKS.get(type(part))
        return check is None or check(part, chosen) is None

    return fits
