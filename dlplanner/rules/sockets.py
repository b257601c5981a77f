"""CPU socket, BIOS minimum, and the CPU cooler's mount, height and radiator."""

from __future__ import annotations

from collections.abc import Iterator

from dlplanner.rules.context import StageContext
from dlplanner.rules.finding import Finding, Reporter, Severity
from dlplanner.rules.registry import rule
from dlplanner.rules.text import join, missing, mm


@rule("cpu-socket", "CPU socket matches the motherboard", Severity.ERROR, reads=("cpu", "board"))
def cpu_socket(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Check that the CPU fits the motherboard's socket.

    A processor only goes into a board with the same socket (AM4, TR4, LGA1700 …); nothing
    adapts one socket to another. Choose a board with the CPU's socket, or a CPU made for
    the board's socket.
    """
    cpu, board = ctx.cpu, ctx.board
    if cpu is None or board is None or cpu.socket.casefold() == board.socket.casefold():
        return
    yield out.fail(
        f"The {cpu.title} (socket {cpu.socket}) does not fit the {board.title} "
        f"(socket {board.socket}).",
        parts=(cpu.id, board.id),
        hint=f"Choose a {cpu.socket} motherboard, or a CPU for the {board.socket} socket.",
    )


@rule("bios-minimum", "Motherboard BIOS supports the CPU", Severity.INFO, reads=("cpu", "board"))
def bios_minimum(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Note a board that needs a BIOS update before it starts with the CPU.

    A board made before a CPU family came out supports it only from a certain BIOS version
    on. A board from the shelf may still carry an older BIOS and then will not start with
    the new CPU at all. This is a conditional note, not a verdict: check the BIOS version
    on the box or ask the seller, and update it with the board's BIOS flashback button (no
    CPU needed) or with an older supported CPU.
    """
    cpu, board = ctx.cpu, ctx.board
    if cpu is None or board is None or not board.min_bios:
        return
    if cpu.socket.casefold() != board.socket.casefold():
        return
    if cpu.family is None:
        yield out.unknown(
            f"The {board.title} needs a minimum BIOS for {join(sorted(board.min_bios))} CPUs, "
            f"but {missing(cpu, 'family')}.",
            parts=(cpu.id, board.id),
            hint="Check the board's CPU support list for this processor's minimum BIOS.",
        )
        return
    version = board.min_bios.get(cpu.family)
    if version is None:
        return
    yield out.fail(
        f"The {board.title} supports the {cpu.title} ({cpu.family}) from BIOS {version} on; "
        "with an older BIOS it will not start until the BIOS is updated.",
        parts=(cpu.id, board.id),
        hint=f"Make sure the board has BIOS {version} or later (ask the seller), or update it "
        "with BIOS flashback before installing the CPU.",
    )


@rule(
    "cooler-socket",
    "CPU cooler mounts on the socket",
    Severity.ERROR,
    reads=("cooler", "cpu", "board"),
)
def cooler_socket(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Check that the CPU cooler has a mount for the CPU's socket.

    Coolers list the sockets their brackets fit. Threadripper sockets (TR4, sTRX4, sTR5)
    need large brackets, and ordinary coolers that reach them at all cover only part of the
    heat spreader. Choose a cooler made for the socket, or get the maker's mounting kit.
    """
    cooler = ctx.cooler
    socket = ctx.cpu.socket if ctx.cpu else ctx.board.socket if ctx.board else None
    if cooler is None or socket is None:
        return
    if socket.casefold() in {s.casefold() for s in cooler.sockets}:
        return
    holder = ctx.cpu or ctx.board
    yield out.fail(
        f"The {cooler.title} mounts on {join(cooler.sockets)}, not on the {socket} socket "
        f"of the {holder.title if holder else 'CPU'}.",
        parts=(cooler.id, *(p.id for p in (ctx.cpu, ctx.board) if p)),
        hint=f"Choose a cooler that lists {socket}, or the maker's {socket} mounting kit.",
    )


@rule(
    "cooler-height",
    "CPU cooler fits under the side panel",
    Severity.ERROR,
    reads=("cooler", "case"),
)
def cooler_height(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Check a tower air cooler's height against the case's CPU-cooler clearance.

    Too tall a cooler keeps the side panel from closing. Choose a lower cooler, an
    all-in-one liquid cooler, or a wider case.
    """
    cooler, case = ctx.cooler, ctx.case
    if cooler is None or case is None or cooler.cooler_type != "air":
        return
    parts = (cooler.id, case.id)
    hint = "Choose a lower cooler, an all-in-one liquid cooler, or a wider case."
    if cooler.height_mm is None or case.max_cooler_height_mm is None:
        gap = (
            missing(cooler, "height_mm")
            if cooler.height_mm is None
            else missing(case, "max_cooler_height_mm")
        )
        yield out.unknown(f"Cooler height not checked: {gap}.", parts=parts, hint=hint)
        return
    if cooler.height_mm > case.max_cooler_height_mm:
        yield out.fail(
            f"CPU cooler height {mm(cooler.height_mm)} exceeds the {case.title}'s "
            f"{mm(case.max_cooler_height_mm)} maximum.",
            parts=parts,
            hint=hint,
        )


@rule(
    "aio-radiator",
    "Liquid cooler's radiator fits the case",
    Severity.ERROR,
    reads=("cooler", "case"),
)
def aio_radiator(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Check that the case has a mount for the liquid cooler's radiator.

    Cases list the largest radiator each position takes (front 360 mm, top 280 mm …).
    The radiator's thickness is not checked: a front radiator plus its fans also takes
    length from the GPU clearance. Choose a smaller radiator or a case with a larger mount.
    """
    cooler, case = ctx.cooler, ctx.case
    if cooler is None or case is None or cooler.cooler_type != "aio":
        return
    parts = (cooler.id, case.id)
    hint = "Choose a cooler with a radiator the case takes, or a case with a larger mount."
    if cooler.radiator_mm is None or not case.radiator_mounts:
        gap = (
            missing(cooler, "radiator_mm")
            if cooler.radiator_mm is None
            else missing(case, "radiator_mounts")
        )
        yield out.unknown(f"Radiator fit not checked: {gap}.", parts=parts, hint=hint)
        return
    if any(size >= cooler.radiator_mm for size in case.radiator_mounts.values()):
        return
    mounts = join(f"{pos} {mm(size)}" for pos, size in case.radiator_mounts.items())
    yield out.fail(
        f"The {cooler.title}'s {mm(cooler.radiator_mm)} radiator is larger than every "
        f"radiator mount of the {case.title} ({mounts}).",
        parts=parts,
        hint=hint,
    )
