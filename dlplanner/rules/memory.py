"""Memory: type (DDR4/DDR5, UDIMM/RDIMM), slots, capacity, speed and ECC."""

from __future__ import annotations

from collections.abc import Iterator

from dlplanner.domain import compat
from dlplanner.domain.parts import MemoryPart
from dlplanner.rules.context import StageContext
from dlplanner.rules.finding import Finding, Reporter, Severity
from dlplanner.rules.registry import rule
from dlplanner.rules.text import ids, join, missing, plural


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
    hint = "Choose a memory kit of the type the motherboard lists."
    for kit in _kits(ctx):
        on_board = compat.memory_type_on_board(kit, board) if board is not None else None
        on_cpu = compat.memory_type_on_cpu(kit, cpu) if cpu is not None else None
        if on_board is not None and on_board.no:
            yield out.fail(
                f"{on_board.reason[0].upper()}{on_board.reason[1:]}.",
                parts=ids((kit, board)),
                hint=hint,
                key=f"ddr:{kit.id}:board",
            )
        if on_cpu is not None and on_cpu.no:
            yield out.fail(
                f"The {kit.title} is {kit.memory_type}; the {cpu.title if cpu else 'CPU'} takes "
                f"{join(cpu.memory_types or []) if cpu else ''} only.",
                parts=ids((kit, cpu)),
                hint=hint,
                key=f"ddr:{kit.id}:cpu",
            )
        verdicts = [v for v in (on_board, on_cpu) if v is not None]
        if not any(v.fit is compat.Fit.YES or v.no for v in verdicts):
            reasons = join(v.reason for v in verdicts)
            yield out.unknown(
                f"Memory type of the {kit.title} ({kit.memory_type}) not checked: {reasons}.",
                parts=ids((kit, board, cpu)),
                hint=hint,
                key=f"ddr:{kit.id}",
            )
        yield from _dimm(ctx, kit, out)


def _dimm(ctx: StageContext, kit: MemoryPart, out: Reporter) -> Iterator[Finding]:
    kind = compat.dimm_kind(kit)
    hint = (
        "Use registered (RDIMM) modules on workstation/server boards, unbuffered (UDIMM) "
        "modules on consumer boards."
    )
    for holder in (ctx.board, ctx.cpu):
        if holder is None:
            continue
        verdict = compat.dimm_fit(kit, holder)
        key = f"dimm:{kit.id}:{holder.kind}"
        accepted = holder.dimm_types
        if verdict.no:
            yield out.fail(
                f"The {kit.title} is {kind}; the {holder.title} takes {join(accepted or [])} only.",
                parts=(kit.id, holder.id),
                hint=hint,
                key=key,
            )
        elif not verdict.unknown:
            continue
        elif accepted is None and kind == "RDIMM":
            # unbuffered is what most boards take: only a registered kit is worth a note
            yield out.unknown(
                f"The {kit.title} is registered (RDIMM), and {missing(holder, 'dimm_types')}.",
                parts=(kit.id, holder.id),
                hint=hint,
                key=key,
            )
        elif verdict.field == "registered" and accepted is not None and len(accepted) == 1:
            yield out.unknown(
                f"The {holder.title} takes only {accepted[0]} modules, and "
                f"{missing(kit, 'registered')}.",
                parts=(kit.id, holder.id),
                hint=hint,
                key=key,
            )
        elif verdict.field == "dimm_types" and accepted is not None:
            yield out.unknown(
                f"Module kind not checked: {verdict.reason}.",
                parts=(kit.id, holder.id),
                hint=hint,
                key=key,
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
    "Memory speed within the board's and CPU's rating",
    Severity.INFO,
    reads=("memory", "board", "cpu"),
)
def memory_speed(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Memory faster than the board's or the CPU's rating runs at the lower rated speed.

    Nothing breaks: the modules fall back to a speed the board and the CPU's memory
    controller support (the CPU maker rates it, e.g. DDR5-5200 for Threadripper 7000), so
    the premium for faster memory buys nothing. Deep-learning training rarely depends on
    memory speed.
    """
    holders = [p for p in (ctx.board, ctx.cpu) if p is not None]
    if not holders:
        return
    for kit in _kits(ctx):
        if kit.speed_mts is None:
            yield out.unknown(
                f"Memory speed not checked: {missing(kit, 'speed_mts')}.",
                parts=ids((kit, *holders)),
                hint="Check the kit's rated speed.",
                key=kit.id,
            )
            continue
        rated = [(p, p.memory_max_speed_mts) for p in holders]
        known = [(p, mts) for p, mts in rated if mts is not None]
        slower = [(p, mts) for p, mts in known if kit.speed_mts > mts]
        if slower:
            holder, limit = min(slower, key=lambda pair: pair[1])
            yield out.fail(
                f"The {kit.title} is rated {kit.speed_mts} MT/s; the {holder.title} runs "
                f"memory at up to {limit} MT/s, so it will run at that speed.",
                parts=(kit.id, holder.id),
                hint="A slower, cheaper kit performs the same on this machine.",
                key=kit.id,
            )
        elif not known:
            yield out.unknown(
                f"Memory speed not checked: "
                f"{join(missing(p, 'memory_max_speed_mts') for p, _ in rated)}.",
                parts=ids((kit, *holders)),
                hint="Check the board's memory support list and the CPU's rated speed.",
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
