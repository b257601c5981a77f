"""The compatibility predicates: does part A fit part B — yes, no, or not known, and why.

These are the one home of the pairwise fit questions (socket, cooler mount, board and PSU
form factor in the case, memory type and module kind, lengths and heights). The rules turn
their answers into findings, the catalog's "only parts that fit" filter hides the parts
that get a *no*, and a completion engine can search with them; so two views never
disagree.

A list-valued spec (a cooler's sockets, a case's board sizes …) answers *no* only when the
entry marks the list as the vendor's complete list (``complete`` in the catalog); a value
missing from a partial list is *unknown*, never *no*. A missing spec is *unknown* and the
answer names the field.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass

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


class Fit(enum.Enum):
    """The three answers of a predicate."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Verdict:
    """A predicate's answer with what it rests on.

    :attr:`reason` is a sentence fragment for the user (no final full stop); for
    ``UNKNOWN`` answers ``part`` and ``field`` name the spec that would settle the question.
    ``words`` is that fragment, or a function that makes it when it is read: the catalog's
    fits filter asks for thousands of verdicts and reads none of their reasons (benchmark
    row "One search keystroke, catalog browser over 10,000 parts": a pass over 6,000 GPUs).
    """

    fit: Fit
    words: str | Callable[[], str] = ""
    part: PartBase | None = None
    field: str | None = None

    @property
    def reason(self) -> str:
        """The answer in words (made now if it was deferred)."""
        words = self.words
        return words if isinstance(words, str) else words()

    @property
    def no(self) -> bool:
        """Whether the parts certainly do not fit."""
        return self.fit is Fit.NO

    @property
    def unknown(self) -> bool:
        """Whether the data cannot tell."""
        return self.fit is Fit.UNKNOWN


YES = Verdict(Fit.YES)


def _missing(part: PartBase, field: str, what: str) -> Verdict:
    return Verdict(
        Fit.UNKNOWN,
        lambda: f"{what} not known: the {part.title} has no {field} in the catalog",
        part,
        field,
    )


def _listed(values: Sequence[str], value: str) -> bool:
    folded = value.casefold()
    return any(v.casefold() == folded for v in values)


def member(part: PartBase, field: str, value: str, what: str) -> Verdict:
    """Whether ``value`` is in the list ``field`` of ``part``, honouring its completeness.

    ``what`` names the value for the reason ("the AM5 socket", "EEB boards").
    """
    values = getattr(part, field)
    if values is None:
        return _missing(part, field, f"Whether the {part.title} takes {what} is")
    if _listed(values, value):
        return YES
    if part.is_complete(field):
        return Verdict(
            Fit.NO,
            lambda: f"the {part.title} takes {_join(values)} only, not {what}",
            part,
            field,
        )
    return Verdict(
        Fit.UNKNOWN,
        lambda: (
            f"the {part.title} lists {_join(values)} in the catalog, a partial list "
            f"({field}); whether it takes {what} is not known"
        ),
        part,
        field,
    )


def _join(values: Sequence[str]) -> str:
    items = list(values)
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


# -- sockets ----------------------------------------------------------------------------


def socket_fit(cpu: CpuPart, board: MotherboardPart) -> Verdict:
    """Whether the CPU goes into the board's socket (names compared without case)."""
    if cpu.socket.casefold() == board.socket.casefold():
        return YES
    return Verdict(
        Fit.NO, f"the {cpu.title} is socket {cpu.socket}, the {board.title} socket {board.socket}"
    )


SHARED_MOUNTS: dict[str, tuple[tuple[str, ...], str]] = {
    "AM5": (
        ("AM4",),
        "AMD kept AM4's cooler mounting on AM5 (custompc.com/beware-socket-am5-cooler-"
        "compatibility; Noctua: all its coolers sold since 2019 fit AM5 except the "
        "NH-L9a-AM4, svethardware.cz 57438)",
    ),
    "sTRX4": (
        ("TR4", "SP3"),
        "sTRX4 mounting is identical to TR4 and SP3 (Noctua, reported at occlub.ru 40330)",
    ),
    "TR4": (
        ("sTRX4", "SP3", "sWRX8"),
        "TR4, SP3, sTRX4 and sWRX8 share one cooler mounting (en.wikipedia.org/wiki/"
        "Socket_SP3; Noctua at occlub.ru 40330)",
    ),
    "sWRX8": (
        ("SP3", "TR4", "sTRX4"),
        "sWRX8 is physically identical to SP3, which takes TR4 and sTRX4 coolers "
        "(en.wikipedia.org/wiki/Socket_SP3)",
    ),
}
"""Sockets whose coolers fit another socket, as the makers document it, with the source.

``SHARED_MOUNTS[s]`` lists the sockets a cooler may list to fit socket ``s``. sTR5 is not
here: no source for its mounting being TR4's was found, so a TR4-only cooler on sTR5 is
*unknown* unless the cooler's own list names sTR5.
"""


def cooler_mount(cooler: CoolerPart, socket: str) -> Verdict:
    """Whether the cooler mounts on ``socket``: listed, or listed for a shared mounting."""
    if _listed(cooler.sockets, socket):
        return YES
    shared = next(
        (
            (alias, source)
            for key, (aliases, source) in SHARED_MOUNTS.items()
            if key.casefold() == socket.casefold()
            for alias in aliases
            if _listed(cooler.sockets, alias)
        ),
        None,
    )
    if shared is not None:
        alias, source = shared
        return Verdict(Fit.YES, f"the {cooler.title} lists {alias}, and {source}")
    return member(cooler, "sockets", socket, f"the {socket} socket")


# -- form factors -----------------------------------------------------------------------


def board_in_case(board: MotherboardPart, case: CasePart) -> Verdict:
    """Whether the case takes the board's form factor."""
    return member(
        case, "motherboard_form_factors", board.form_factor, f"{board.form_factor} boards"
    )


def psu_in_case(psu: PsuPart, case: CasePart) -> Verdict:
    """Whether the case takes the power supply's form factor.

    An SFX or SFX-L unit fits a case that takes ATX supplies with an adapter bracket; that
    counts as fitting (the rule adds a note).
    """
    if psu.form_factor.startswith("SFX") and _listed(case.psu_form_factors, "ATX"):
        return YES
    return member(case, "psu_form_factors", psu.form_factor, f"{psu.form_factor} power supplies")


def _length(
    size: float | None, size_part: PartBase, size_field: str,
    limit: float | None, limit_part: PartBase, limit_field: str, what: str,
) -> Verdict:  # fmt: skip
    if size is None:
        return _missing(size_part, size_field, what)
    if limit is None:
        return _missing(limit_part, limit_field, what)
    if size > limit:
        return Verdict(Fit.NO, f"{size:g} mm exceeds the {limit_part.title}'s {limit:g} mm maximum")
    return YES


def psu_length(psu: PsuPart, case: CasePart) -> Verdict:
    """Whether the power supply is no longer than the case's stated maximum."""
    return _length(
        psu.length_mm, psu, "length_mm", case.max_psu_length_mm, case, "max_psu_length_mm",
        "PSU length fit",
    )  # fmt: skip


def gpu_length(gpu: GpuPart, case: CasePart) -> Verdict:
    """Whether the card is no longer than the case's maximum GPU length."""
    return _length(
        gpu.length_mm, gpu, "length_mm", case.max_gpu_length_mm, case, "max_gpu_length_mm",
        "GPU length fit",
    )  # fmt: skip


def gpu_thickness(gpu: GpuPart, case: CasePart) -> Verdict:
    """Whether the card is no thicker than the case's stated limit (most cases state none)."""
    if case.max_gpu_slot_width is None:
        return _missing(case, "max_gpu_slot_width", "Card thickness limit")
    if gpu.slot_width is None:
        return _missing(gpu, "slot_width", "Card thickness fit")
    if gpu.slot_width > case.max_gpu_slot_width:
        return Verdict(
            Fit.NO,
            f"the {gpu.title} is {gpu.slot_width:g} slots thick; the {case.title} takes cards "
            f"up to {case.max_gpu_slot_width:g} slots",
        )
    return YES


def cooler_height(cooler: CoolerPart, case: CasePart) -> Verdict:
    """Whether a tower air cooler fits under the case's side panel (AIOs: always yes)."""
    if cooler.cooler_type != "air":
        return YES
    return _length(
        cooler.height_mm, cooler, "height_mm", case.max_cooler_height_mm, case,
        "max_cooler_height_mm", "Cooler height fit",
    )  # fmt: skip


def radiator_fit(cooler: CoolerPart, case: CasePart) -> Verdict:
    """Whether a liquid cooler's radiator has a mount in the case (air coolers: yes)."""
    if cooler.cooler_type != "aio":
        return YES
    if cooler.radiator_mm is None:
        return _missing(cooler, "radiator_mm", "Radiator fit")
    if not case.radiator_mounts:
        return _missing(case, "radiator_mounts", "Radiator fit")
    if any(size >= cooler.radiator_mm for size in case.radiator_mounts.values()):
        return YES
    return Verdict(
        Fit.NO,
        f"the {cooler.radiator_mm} mm radiator is larger than every mount of the {case.title}",
    )


# -- memory -----------------------------------------------------------------------------


def dimm_kind(kit: MemoryPart) -> str | None:
    """RDIMM or UDIMM; a non-ECC kit is unbuffered even when ``registered`` is empty."""
    if kit.registered is not None:
        return "RDIMM" if kit.registered else "UDIMM"
    return "UDIMM" if kit.ecc is False else None


def memory_type_on_board(kit: MemoryPart, board: MotherboardPart) -> Verdict:
    """Whether the kit's generation (DDR4/DDR5) is the board's."""
    if board.memory_type is None:
        return _missing(board, "memory_type", f"Memory type of the {kit.title}")
    if kit.memory_type == board.memory_type:
        return YES
    return Verdict(
        Fit.NO, f"the {kit.title} is {kit.memory_type}; the {board.title} takes {board.memory_type}"
    )


def memory_type_on_cpu(kit: MemoryPart, cpu: CpuPart) -> Verdict:
    """Whether the CPU's memory controller takes the kit's generation."""
    return member(cpu, "memory_types", kit.memory_type, f"{kit.memory_type} memory")


def dimm_fit(kit: MemoryPart, holder: MotherboardPart | CpuPart) -> Verdict:
    """Whether the board or CPU takes the kit's module kind (UDIMM or RDIMM)."""
    kind = dimm_kind(kit)
    accepted = holder.dimm_types
    if kind is None:
        if accepted is not None and {"UDIMM", "RDIMM"} <= set(accepted):
            return YES
        return _missing(kit, "registered", f"Module kind of the {kit.title}")
    if accepted is None:
        return _missing(holder, "dimm_types", f"Whether the {holder.title} takes {kind} modules is")
    return member(holder, "dimm_types", kind, f"{kind} modules")


def memory_slots_fit(modules: int, board: MotherboardPart) -> Verdict:
    """Whether ``modules`` memory modules have a slot each on the board."""
    if board.memory_slots is None:
        return _missing(board, "memory_slots", "Memory slot count")
    if modules > board.memory_slots:
        return Verdict(Fit.NO, f"{modules} modules, {board.memory_slots} slots")
    return YES


# -- slots ------------------------------------------------------------------------------


def x16_slots(board: MotherboardPart) -> int | None:
    """Physical x16 slots on the board, None when its slot map is not in the catalog."""
    if board.pcie_slots is None:
        return None
    return sum(1 for s in board.pcie_slots if s.physical_lanes == 16)


def gpu_slots_fit(gpus: int, board: MotherboardPart) -> Verdict:
    """Whether the board has a physical x16 slot for each of ``gpus`` cards.

    Every map, full or partial, lists every slot, so a count is definite; lane sharing
    (slots switched off by neighbours) is for the rule to check on a full map.
    """
    count = x16_slots(board)
    if count is None:
        return _missing(board, "pcie_slots", "x16 slot count")
    if gpus > count:
        return Verdict(Fit.NO, f"{gpus} GPUs, {count} x16 slots on the {board.title}")
    return YES
