"""Storage: M.2 sockets, SATA ports, lanes the board shares, drive bays."""

from __future__ import annotations

from collections.abc import Iterator

from dlplanner.domain.parts import M2Slot, StoragePart
from dlplanner.rules.context import StageContext
from dlplanner.rules.finding import Finding, Reporter, Severity
from dlplanner.rules.registry import rule
from dlplanner.rules.text import counted, ids, join, missing, plural


def sata_drives(ctx: StageContext) -> list[StoragePart]:
    """2.5- and 3.5-inch SATA drives: the ones that take a SATA port."""
    return [d for d in ctx.storage if d.interface == "sata" and d.form_factor in ("2.5in", "3.5in")]


def _describe(slot: M2Slot) -> str:
    kinds = "/".join("NVMe" if i == "nvme" else "SATA" for i in slot.interfaces)
    return f"{slot.name} {kinds} {'/'.join(str(s) for s in slot.sizes)}"


@rule("m2-slots", "M.2 drives have sockets", Severity.ERROR, reads=("m2", "board"))
def m2_slots(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Every M.2 drive needs an M.2 socket of its length and interface.

    M.2 sockets differ: some take only NVMe (PCIe) drives, some also SATA M.2 drives, and
    each takes certain lengths (2280 = 80 mm, 22110 = 110 mm). Use fewer or larger drives,
    a drive of the interface the free sockets take, or a PCIe M.2 adapter card.
    """
    board, m2 = ctx.board, ctx.m2
    if board is None:
        return
    hint = "Use fewer or larger M.2 drives, drives the free sockets take, or a PCIe adapter."
    if not m2.known:
        if m2.unplaced:
            yield out.unknown(
                f"{plural(len(m2.unplaced), 'M.2 drive')} not checked: "
                f"{missing(board, 'm2_slots')}.",
                parts=ids((*m2.unplaced, board)),
                hint=hint,
            )
        return
    if not m2.unplaced:
        return
    sockets = board.m2_slots or []
    total = len(m2.placed) + len(m2.unplaced)
    yield out.fail(
        f"{plural(total, 'M.2 drive')} but only {len(m2.placed)} fit the {board.title}'s "
        f"{plural(len(sockets), 'M.2 socket')} ({join(_describe(s) for s in sockets) or 'none'}); "
        f"without a socket: {counted(m2.unplaced)}.",
        parts=ids((*m2.unplaced, board)),
        hint=hint,
    )


@rule("sata-ports", "SATA drives have ports", Severity.ERROR, reads=("storage", "m2", "board"))
def sata_ports(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Every 2.5- or 3.5-inch SATA drive needs a SATA port that is still switched on.

    On many boards an M.2 socket shares lanes with SATA ports and switches some off when
    it is used (the board manual's table). Use fewer SATA drives, move an M.2 drive to a
    socket that shares nothing, or add a SATA controller card.
    """
    board = ctx.board
    drives = sata_drives(ctx)
    if board is None or not drives:
        return
    hint = "Use fewer SATA drives, another M.2 socket, or a SATA controller card."
    if board.sata_ports is None:
        yield out.unknown(
            f"{plural(len(drives), 'SATA drive')} not checked: {missing(board, 'sata_ports')}.",
            parts=ids((*drives, board)),
            hint=hint,
        )
        return
    off = min(ctx.m2.disabled_sata_ports(), board.sata_ports)
    free = board.sata_ports - off
    if len(drives) <= free:
        return
    because = f", of which the used M.2 sockets switch off {off}, leaving {free}" if off else ""
    yield out.fail(
        f"{plural(len(drives), 'SATA drive')} need {len(drives)} ports; the {board.title} has "
        f"{board.sata_ports}{because}.",
        parts=ids((*drives, board)),
        hint=hint,
    )


@rule(
    "lane-sharing",
    "Shared lanes of slots and sockets",
    Severity.WARNING,
    reads=("slots", "m2", "storage", "board"),
)
def lane_sharing(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Boards share lanes between slots: using one can slow or switch off another.

    The manual's tables say, for example, that a populated M.2 socket drops a PCIe slot
    from x16 to x8 or switches two SATA ports off. A GPU on fewer lanes trains a little
    slower (x8 costs a few percent); a SATA port switched off loses a drive. Move the drive
    or card to a slot that shares nothing.
    """
    board = ctx.board
    if board is None or board.pcie_slots is None:
        return
    if ctx.m2.unplaced and not ctx.m2.known:
        pcie_names = {s.name for s in board.pcie_slots}
        if any(
            n not in pcie_names
            for s in board.pcie_slots
            for r in s.lane_rules
            for n in r.when_populated
        ):
            yield out.unknown(
                f"Lane sharing with M.2 sockets not checked: {missing(board, 'm2_slots')}.",
                parts=ids((*ctx.m2.unplaced, board)),
                hint="Check the board manual's lane-sharing table.",
            )
    populated = {p.slot.name for p in ctx.slots.placed if p.slot} | ctx.m2.populated
    for placement in ctx.slots.placed:
        slot = placement.slot
        if slot is None or not 0 < placement.lanes < slot.electrical_lanes:
            continue
        causes = sorted(
            {
                n
                for r in slot.lane_rules
                for n in r.when_populated
                if n in populated and n != slot.name and r.lanes == placement.lanes
            }
        )
        yield out.fail(
            f"The {placement.gpu.title} in {slot.name} runs at x{placement.lanes} instead of "
            f"x{slot.electrical_lanes}: the slot shares lanes with {join(causes)}.",
            parts=(placement.gpu.id, board.id),
            hint=f"Leave {join(causes)} empty, or use another slot.",
            key=f"gpu:{slot.name}",
        )
    sata = sata_drives(ctx)
    if not sata or board.sata_ports is None:
        return
    for drive, socket in ctx.m2.placed:
        if socket.disables_sata_ports and socket.disables_sata_when in ("any", drive.interface):
            yield out.fail(
                f"Using {socket.name} for the {drive.title} switches off "
                f"{plural(socket.disables_sata_ports, 'SATA port')} of the {board.title}'s "
                f"{board.sata_ports}; the build has {plural(len(sata), 'SATA drive')}.",
                parts=(drive.id, board.id),
                severity=Severity.INFO,
                hint="Connect SATA drives to ports that stay on (see the manual).",
                key=f"sata:{socket.name}",
            )


@rule("drive-bays", "Drives have bays in the case", Severity.WARNING, reads=("case", "storage"))
def drive_bays(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Every 2.5- and 3.5-inch drive needs a bay in the case.

    Many airflow-first cases have only two 3.5-inch bays. A 2.5-inch drive also fits a
    3.5-inch bay (most trays take both). Use fewer, larger drives or a case with more bays.
    """
    case = ctx.case
    if case is None:
        return
    big = [d for d in ctx.storage if d.form_factor == "3.5in"]
    small = [d for d in ctx.storage if d.form_factor == "2.5in"]
    if not big and not small:
        return
    hint = "Use fewer, larger drives, or a case with more drive bays."
    needed = [("drive_bays_35", case.drive_bays_35)] if big else []
    if small:
        needed.append(("drive_bays_25", case.drive_bays_25))
    gaps = [field for field, value in needed if value is None]
    if gaps:
        yield out.unknown(
            f"Drive bays not checked: {join(missing(case, f) for f in gaps)}.",
            parts=ids((*big, *small, case)),
            hint=hint,
        )
        return
    bays35 = case.drive_bays_35 or 0
    bays25 = case.drive_bays_25 or 0
    spare = max(0, bays35 - len(big))
    if len(big) > bays35 or len(small) > bays25 + spare:
        yield out.fail(
            f"{plural(len(big), '3.5-inch drive')} and {plural(len(small), '2.5-inch drive')} "
            f"need bays; the {case.title} has {bays35} 3.5-inch and {bays25} 2.5-inch bays.",
            parts=ids((*big, *small, case)),
            hint=hint,
        )
