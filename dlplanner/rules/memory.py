"""Memory: type (DDR4/DDR5, UDIMM/RDIMM), slots, capacity, speed and ECC."""

from __future__ import annotations

from collections.abc import Iterator

from dlplanner.domain.parts import MemoryPart
from dlplanner.rules.context import StageContext
from dlplanner.rules.finding import Finding, Reporter, Severity
from dlplanner.rules.registry import rule
from dlplanner.rules.text import ids, join, missing, plural


def dimm_type(kit: MemoryPart) -> str | None:
    """RDIMM or UDIMM; a non-ECC kit is unbuffered even when ``registered`` is empty."""
    if kit.registered is not None:
        return "RDIMM" if kit.registered else "UDIMM"
    return "UDIMM" if kit.ecc is False else None


def _kits(ctx: StageContext) -> list[MemoryPart]:
    return list({kit.id: kit for kit in ctx.memory}.values())


@rule(
    "memory-type",
    "Memory type matches board and CPU",
    Severity.ERROR,
    reads=("memory", "board", "cpu"),
)
def memory_type(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Memory must be of the type the board and CPU take: DDR4 or DDR5, unbuffered or registered.

    DDR4 and DDR5 modules are keyed differently and do not fit each other's slots.
    Workstation and server platforms (Threadripper PRO, EPYC, Xeon) take registered ECC
    modules (RDIMM), consumer platforms unbuffered ones (UDIMM); the two cannot be mixed or
    swapped. Choose a kit of the type the board lists.
    """
    cpu, board = ctx.cpu, ctx.board
    if board is None and cpu is None:
        return
    for kit in _kits(ctx):
        hint = "Choose a memory kit of the type the motherboard lists."
        if board is not None and board.memory_type is not None:
            if kit.memory_type != board.memory_type:
                yield out.fail(
                    f"The {kit.title} is {kit.memory_type}; the {board.title} takes "
                    f"{board.memory_type}.",
                    parts=(kit.id, board.id),
                    hint=hint,
                    key=f"ddr:{kit.id}:board",
                )
        elif cpu is None or cpu.memory_types is None:
            holder = board if board is not None else cpu
            yield out.unknown(
                f"Memory type of the {kit.title} ({kit.memory_type}) not checked: "
                f"{missing(holder, 'memory_type') if holder else 'no board'}.",
                parts=ids((kit, board, cpu)),
                hint=hint,
                key=f"ddr:{kit.id}",
            )
        if (
            cpu is not None
            and cpu.memory_types is not None
            and kit.memory_type not in cpu.memory_types
        ):
            yield out.fail(
                f"The {kit.title} is {kit.memory_type}; the {cpu.title} takes "
                f"{join(cpu.memory_types)}.",
                parts=(kit.id, cpu.id),
                hint=hint,
                key=f"ddr:{kit.id}:cpu",
            )
        yield from _dimm(ctx, kit, out)


def _dimm(ctx: StageContext, kit: MemoryPart, out: Reporter) -> Iterator[Finding]:
    kind = dimm_type(kit)
    hint = (
        "Use registered (RDIMM) modules on workstation/server boards, unbuffered (UDIMM) "
        "modules on consumer boards."
    )
    for holder in (ctx.board, ctx.cpu):
        if holder is None:
            continue
        accepted = holder.dimm_types
        if accepted is None:
            if kind == "RDIMM":
                yield out.unknown(
                    f"The {kit.title} is registered (RDIMM), and {missing(holder, 'dimm_types')}.",
                    parts=(kit.id, holder.id),
                    hint=hint,
                    key=f"dimm:{kit.id}:{holder.kind}",
                )
            continue
        if kind is None:
            if len(accepted) == 1:
                yield out.unknown(
                    f"The {holder.title} takes only {accepted[0]} modules, and "
                    f"{missing(kit, 'registered')}.",
                    parts=(kit.id, holder.id),
                    hint=hint,
                    key=f"dimm:{kit.id}:{holder.kind}",
                )
            continue
        if kind not in accepted:
            yield out.fail(
                f"The {kit.title} is {kind}; the {holder.title} takes {join(accepted)} only.",
                parts=(kit.id, holder.id),
                hint=hint,
                key=f"dimm:{kit.id}:{holder.kind}",
            )


@rule("memory-slots", "Enough memory slots", Severity.ERROR, reads=("memory", "board"))
def memory_slots(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Every memory module needs a slot on the motherboard.

    Count the modules of all kits: four 2-module kits need eight slots. Use fewer, larger
    modules, or a board with more slots (Threadripper and Xeon-W boards have eight).
    """
    board = ctx.board
    if board is None or not ctx.memory:
        return
    modules = ctx.memory_modules
    hint = "Use fewer, larger modules, or a board with more memory slots."
    if board.memory_slots is None:
        yield out.unknown(
            f"{plural(modules, 'memory module')} not checked against the slots: "
            f"{missing(board, 'memory_slots')}.",
            parts=ids((*ctx.memory, board)),
            hint=hint,
        )
    elif modules > board.memory_slots:
        more = modules - board.memory_slots
        yield out.fail(
            f"The memory has {plural(modules, 'module')}; the {board.title} has "
            f"{plural(board.memory_slots, 'slot')} ({plural(more, 'more slot')} needed).",
            parts=ids((*ctx.memory, board)),
            hint=hint,
        )


@rule(
    "memory-capacity",
    "Memory within the supported maximum",
    Severity.ERROR,
    reads=("memory", "board", "cpu"),
)
def memory_capacity(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Total memory must not exceed what the board and the CPU support.

    Above the maximum, the machine does not start or does not see all of the memory.
    Choose smaller modules, or a platform that supports more memory.
    """
    if not ctx.memory:
        return
    total = ctx.memory_gb
    limits = [(p, p.max_memory_gb) for p in (ctx.board, ctx.cpu) if p is not None]
    if not limits:
        return
    hint = "Use less memory, or a board and CPU that support more."
    known = [(p, gb) for p, gb in limits if gb is not None]
    if not known:
        yield out.unknown(
            f"{total} GB of memory not checked: "
            f"{join(missing(p, 'max_memory_gb') for p, _ in limits)}.",
            parts=ids((*ctx.memory, *(p for p, _ in limits))),
            hint=hint,
        )
        return
    holder, limit = min(known, key=lambda pair: pair[1])
    if total > limit:
        yield out.fail(
            f"{total} GB of memory exceeds the {holder.title}'s {limit} GB maximum.",
            parts=ids((*ctx.memory, holder)),
            hint=hint,
        )


@rule(
    "memory-speed",
    "Memory speed within the board's rating",
    Severity.INFO,
    reads=("memory", "board"),
)
def memory_speed(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Memory faster than the board's rating runs at the board's speed.

    Nothing breaks: the modules fall back to a speed the board supports, so the premium for
    faster memory buys nothing. Deep-learning training rarely depends on memory speed.
    """
    board = ctx.board
    if board is None:
        return
    for kit in _kits(ctx):
        if kit.speed_mts is None or board.memory_max_speed_mts is None:
            gap = (
                missing(kit, "speed_mts")
                if kit.speed_mts is None
                else missing(board, "memory_max_speed_mts")
            )
            yield out.unknown(
                f"Memory speed not checked: {gap}.",
                parts=(kit.id, board.id),
                hint="Check the board's memory support list.",
                key=kit.id,
            )
        elif kit.speed_mts > board.memory_max_speed_mts:
            yield out.fail(
                f"The {kit.title} is rated {kit.speed_mts} MT/s; the {board.title} runs memory "
                f"at up to {board.memory_max_speed_mts} MT/s, so it will run at that speed.",
                parts=(kit.id, board.id),
                hint="A slower, cheaper kit performs the same on this board.",
                key=kit.id,
            )


@rule("memory-ecc", "ECC memory is supported", Severity.WARNING, reads=("memory", "board", "cpu"))
def memory_ecc(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """ECC memory corrects errors only when the board and the CPU support ECC.

    Unbuffered ECC modules usually work on boards without ECC support, but without error
    correction — you pay for nothing. Choose a board and CPU with ECC support, or non-ECC
    memory.
    """
    holders = [p for p in (ctx.board, ctx.cpu) if p is not None]
    if not holders:
        return
    for kit in _kits(ctx):
        if not kit.ecc:
            continue
        hint = "Choose a board and CPU that support ECC, or a non-ECC kit."
        refusing = [p for p in holders if p.ecc_support is False]
        if refusing:
            names = join(f"the {p.title}" for p in refusing)
            yield out.fail(
                f"The {kit.title} is ECC memory; {names} "
                f"{'does' if len(refusing) == 1 else 'do'} not support ECC, so errors are "
                "not corrected.",
                parts=ids((kit, *refusing)),
                hint=hint,
                key=kit.id,
            )
        elif all(p.ecc_support is None for p in holders):
            yield out.unknown(
                f"ECC support for the {kit.title} not checked: "
                f"{join(missing(p, 'ecc_support') for p in holders)}.",
                parts=ids((kit, *holders)),
                hint=hint,
                key=kit.id,
            )
