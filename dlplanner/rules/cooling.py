"""GPU cooling in multi-GPU builds: stacked open-air cards, their position, 3-slot cards."""

from __future__ import annotations

from collections.abc import Iterator

from dlplanner.domain.parts import GpuPart
from dlplanner.domain.placement import placement_order
from dlplanner.rules.context import StageContext
from dlplanner.rules.finding import Finding, Reporter, Severity
from dlplanner.rules.registry import rule
from dlplanner.rules.text import counted, ids, missing, num, plural

THREE_SLOT = 2.7
"""Cards at least this many slots wide count as three-slot cards."""


@rule(
    "gpu-cooling-stack",
    "Open-air GPUs have room to breathe",
    Severity.WARNING,
    reads=("slots", "board", "gpus"),
)
def gpu_cooling_stack(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Check that every open-air GPU has at least one free slot below its fans.

    Open-air coolers pull air from below the card and blow it around the case; with another
    card directly below, they starve, throttle and age fast. Dettmers measured multi-GPU
    setups of non-blower cards about 30 % slower and advises avoiding them "at all costs"
    with 3–4 GPUs. Blower cards exhaust out of the back and are made to be stacked. Use
    blower cards, leave a free slot below each open-air card, or use water cooling.
    """
    board, plan = ctx.board, ctx.slots
    if board is None or len(ctx.gpus) < 2:
        return
    hint = "Use blower-style cards, leave a free slot below each open-air card, or water-cool."
    if not plan.known:
        return  # gpu-x16-slots reports the missing slot map
    if not plan.geometry_known:
        unsure = [g for g in ctx.gpus if g.cooler != "blower"]
        if unsure:
            yield out.unknown(
                f"Room below {plural(len(unsure), 'non-blower GPU')} not checked: the "
                f"{board.title}'s slot map in the catalog is partial (pcie_slots positions "
                "not known).",
                parts=(*ids(unsure), board.id),
                hint=hint,
                key="positions",
            )
        return
    strong = (
        " With three or more cards this is the setup to avoid at all costs."
        if len(ctx.gpus) >= 3
        else ""
    )
    for k, (upper, lower) in enumerate(zip(plan.placed, plan.placed[1:], strict=False), 1):
        if upper.slot is None or lower.slot is None or lower.start is None or upper.end is None:
            continue
        free = lower.start - upper.end - 1
        if free >= 1:
            continue
        room = f"{free} free slots" if free == 0 else "no room"
        if upper.gpu.cooler is None:
            yield out.unknown(
                f"Cooling of the {upper.gpu.title} above the {lower.gpu.title} not checked: "
                f"{missing(upper.gpu, 'cooler')}.",
                parts=(upper.gpu.id, lower.gpu.id),
                hint=hint,
                key=f"stack:{upper.slot.name}",
            )
        elif upper.gpu.cooler == "open-air":
            yield out.fail(
                f"GPU {k}, an open-air {upper.gpu.title} in {upper.slot.name} (positions "
                f"{upper.slot.position}–{upper.end}), has {room} below it: GPU {k + 1} starts "
                f"at position {lower.slot.position}, and at least 1 free slot is needed. It "
                f"will starve for air and throttle.{strong}",
                parts=(upper.gpu.id, lower.gpu.id, board.id),
                hint=hint,
                key=f"stack:{upper.slot.name}",
            )


@rule(
    "open-air-position",
    "Open-air GPU only at the bottom",
    Severity.WARNING,
    reads=("slots", "gpus"),
)
def open_air_position(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Among blower cards, an open-air card belongs in the bottom position only.

    There, nothing sits below its fans, and its hot exhaust does not feed a card above it.
    Curtis Northcutt measured an open-air Titan RTX at 21.69 ms per image in the top
    position and 8.22 ms at the bottom. A build with more than one open-air card
    among blowers cannot put them all at the bottom. Use blower versions of the cards.
    """
    gpus = ctx.gpus
    if len(gpus) < 2 or not any(g.cooler == "blower" for g in gpus):
        return
    hint = "Use blower-style cards, keeping at most one open-air card, at the bottom."
    unknown = [g for g in gpus if g.cooler is None]
    if (unknown and any(g.cooler == "open-air" for g in gpus)) or len(unknown) > 1:
        yield out.unknown(
            f"Open-air card positions not checked: {missing(unknown[0], 'cooler')}.",
            parts=ids(unknown),
            hint=hint,
        )
        return
    order: list[GpuPart]
    if ctx.slots.known and ctx.slots.placed:
        order = [p.gpu for p in ctx.slots.placed] + list(ctx.slots.unplaced)
    else:
        order = placement_order(gpus)
    above = [g for g in order[:-1] if g.cooler == "open-air"]
    if not above:
        return
    blowers = [g for g in gpus if g.cooler == "blower"]
    yield out.fail(
        f"{plural(len(above), 'open-air card')} ({counted(above)}) must sit above other cards "
        f"among {plural(len(blowers), 'blower card')}; only the bottom position suits an "
        "open-air card.",
        parts=ids((*above, *blowers)),
        hint=hint,
    )


@rule("three-slot-gpus", "At most two three-slot GPUs", Severity.WARNING, reads=("gpus",))
def three_slot_gpus(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """More than two three-slot cards (RTX 3090, RTX 4090) do not fit an ordinary build.

    Lambda's RTX 30 guide: two RTX 3090s at most with air cooling; three only with liquid
    cooling or PCIe extenders; four not recommended. Use two-slot blower or water-cooled
    versions, risers in a frame, or at most two such cards.
    """
    if len(ctx.gpus) < 3:
        return
    wide = [g for g in ctx.gpus if g.slot_width is not None and g.slot_width >= THREE_SLOT]
    unknown = [g for g in ctx.gpus if g.slot_width is None]
    hint = "Use two-slot blower or water-cooled versions, risers in a frame, or two cards."
    if len(wide) > 2:
        widest = max(g.slot_width or 0 for g in wide)
        yield out.fail(
            f"{plural(len(wide), 'GPU')} are {num(THREE_SLOT)} slots wide or more "
            f"({counted(wide)}, up to {num(widest)} slots); more than 2 such cards need "
            "water cooling or risers.",
            parts=ids(wide),
            hint=hint,
        )
    elif unknown and len(wide) + len(unknown) > 2:
        yield out.unknown(
            f"{plural(len(wide), 'three-slot GPU')} known; not checked: "
            f"{missing(unknown[0], 'slot_width')}.",
            parts=ids((*wide, *unknown)),
            hint=hint,
        )
