"""CPU socket, BIOS minimum, and the CPU cooler's mount, height and radiator."""

from __future__ import annotations

from collections.abc import Iterator

from dlplanner.domain import compat
from dlplanner.rules.context import StageContext
from dlplanner.rules.finding import Finding, Reporter, Severity
from dlplanner.rules.registry import rule
from dlplanner.rules.text import article, join, missing, mm, watts


@rule("cpu-socket", "CPU socket matches the motherboard", Severity.ERROR, reads=("cpu", "board"))
def cpu_socket(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Check that the CPU fits the motherboard's socket.

    A processor only goes into a board with the same socket (AM4, TR4, LGA1700 …); nothing
    adapts one socket to another. Choose a board with the CPU's socket, or a CPU made for
    the board's socket.
    """
    cpu, board = ctx.cpu, ctx.board
    if cpu is None or board is None or not compat.socket_fit(cpu, board).no:
        return
    yield out.fail(
        f"The {cpu.title} (socket {cpu.socket}) does not fit the {board.title} "
        f"(socket {board.socket}).",
        parts=(cpu.id, board.id),
        hint=f"Choose {article(cpu.socket)} motherboard, or a CPU for the {board.socket} socket.",
    )


@rule("bios-minimum", "Motherboard BIOS supports the CPU", Severity.INFO, reads=("cpu", "board"))
def bios_minimum(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Note a board that needs a BIOS update before it starts with the CPU.

    A board made before a CPU family came out supports it only from a certain BIOS version
    on. A board from the shelf may still carry an older BIOS and then will not start with
    the new CPU at all. This is a conditional note, not a verdict: check the BIOS version
    on the box or ask the seller, and update it with the board's BIOS flashback button (no
    CPU needed) or with an older supported CPU. When the catalog has no BIOS data for the
    board, the check says so.
    """
    cpu, board = ctx.cpu, ctx.board
    if cpu is None or board is None or compat.socket_fit(cpu, board).no:
        return
    hint = "Check the board's CPU support list for this processor's minimum BIOS."
    if not board.min_bios:
        yield out.unknown(
            f"BIOS support for the {cpu.title} not checked: {missing(board, 'min_bios')}.",
            parts=(cpu.id, board.id),
            hint=hint,
        )
        return
    if cpu.family is None:
        yield out.unknown(
            f"The {board.title} needs a minimum BIOS for {join(sorted(board.min_bios))} CPUs, "
            f"but {missing(cpu, 'family')}.",
            parts=(cpu.id, board.id),
            hint=hint,
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

    Coolers list the sockets their brackets fit. Some sockets share a mounting, as their
    makers document: AM4 coolers fit AM5 (except those with their own backplate), and TR4,
    SP3, sTRX4 and sWRX8 share one mounting. Threadripper sockets need large brackets, and
    ordinary coolers that reach them at all cover only part of the heat spreader. When the
    catalog's socket list for a cooler is not the maker's complete list, a socket missing
    from it is reported as not checked rather than as a problem. Choose a cooler made for
    the socket, or get the maker's mounting kit.
    """
    cooler = ctx.cooler
    socket = ctx.cpu.socket if ctx.cpu else ctx.board.socket if ctx.board else None
    if cooler is None or socket is None:
        return
    verdict = compat.cooler_mount(cooler, socket)
    holder = ctx.cpu or ctx.board  # the socket is the CPU's; the board's only without a CPU
    parts = (cooler.id, holder.id) if holder else (cooler.id,)
    hint = f"Choose a cooler that lists {socket}, or the maker's {socket} mounting kit."
    if verdict.unknown:
        yield out.unknown(f"Cooler mount not checked: {verdict.reason}.", parts=parts, hint=hint)
    elif verdict.no:
        yield out.fail(
            f"The {cooler.title} mounts on {join(cooler.sockets)}, not on the {socket} socket "
            f"of the {holder.title if holder else 'CPU'}.",
            parts=parts,
            hint=hint,
        )


@rule(
    "cooler-capacity",
    "CPU cooler is rated for the CPU's power",
    Severity.WARNING,
    reads=("cooler", "cpu"),
)
def cooler_capacity(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Check the cooler's rated heat capacity against the CPU's rated power (TDP).

    A cooler rated for less heat than the CPU puts out lets the CPU run hot and throttle
    under long all-core loads such as data loading and augmentation. Makers rate coolers
    differently, so treat a small shortfall as a hint. Choose a cooler rated for at least
    the CPU's TDP.
    """
    cooler, cpu = ctx.cooler, ctx.cpu
    if cooler is None or cpu is None:
        return
    parts = (cooler.id, cpu.id)
    hint = "Choose a cooler rated for at least the CPU's TDP."
    if cooler.tdp_rating_w is None or cpu.tdp_w is None:
        gap = (
            missing(cooler, "tdp_rating_w")
            if cooler.tdp_rating_w is None
            else missing(cpu, "tdp_w")
        )
        yield out.unknown(f"Cooler capacity not checked: {gap}.", parts=parts, hint=hint)
    elif cooler.tdp_rating_w < cpu.tdp_w:
        yield out.fail(
            f"The {cooler.title} is rated for {watts(cooler.tdp_rating_w)}; the {cpu.title} "
            f"is rated at {watts(cpu.tdp_w)}.",
            parts=parts,
            hint=hint,
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
    if cooler is None or case is None:
        return
    verdict = compat.cooler_height(cooler, case)
    parts = (cooler.id, case.id)
    hint = "Choose a lower cooler, an all-in-one liquid cooler, or a wider case."
    if verdict.unknown:
        gap = missing(verdict.part, verdict.field) if verdict.part and verdict.field else ""
        yield out.unknown(f"Cooler height not checked: {gap}.", parts=parts, hint=hint)
    elif verdict.no:
        yield out.fail(
            f"CPU cooler height {mm(cooler.height_mm or 0)} exceeds the {case.title}'s "
            f"{mm(case.max_cooler_height_mm or 0)} maximum.",
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
    if cooler is None or case is None:
        return
    verdict = compat.radiator_fit(cooler, case)
    parts = (cooler.id, case.id)
    hint = "Choose a cooler with a radiator the case takes, or a case with a larger mount."
    if verdict.unknown:
        gap = missing(verdict.part, verdict.field) if verdict.part and verdict.field else ""
        yield out.unknown(f"Radiator fit not checked: {gap}.", parts=parts, hint=hint)
    elif verdict.no:
        mounts = join(f"{pos} {mm(size)}" for pos, size in case.radiator_mounts.items())
        yield out.fail(
            f"The {cooler.title}'s {mm(cooler.radiator_mm or 0)} radiator is larger than every "
            f"radiator mount of the {case.title} ({mounts}).",
            parts=parts,
            hint=hint,
        )
