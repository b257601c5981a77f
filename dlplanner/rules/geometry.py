"""What fits where: board in case, GPU length, PSU, x16 slots, slot spacing, case slots."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from dlplanner.domain import compat
from dlplanner.domain.parts import CasePart, GpuPart
from dlplanner.domain.placement import gpu_width, slot_lanes
from dlplanner.rules.context import StageContext
from dlplanner.rules.finding import Finding, Reporter, Severity
from dlplanner.rules.registry import rule
from dlplanner.rules.text import article, counted, ids, join, missing, mm, num, plural


def slots_needed(ctx: StageContext) -> int:
    """Expansion slots the GPUs take stacked as tightly as possible: the sum of their widths."""
    return sum(gpu_width(g) for g in ctx.gpus)


def _per_card(
    ctx: StageContext, check: Callable[[GpuPart, CasePart], compat.Verdict]
) -> Iterator[tuple[GpuPart, compat.Verdict]]:
    """Yield each distinct GPU model whose fit in the case is unknown or a no, with why."""
    case = ctx.case
    if case is None:
        return
    for gpu in {g.id: g for g in ctx.gpus}.values():
        verdict = check(gpu, case)
        if verdict.unknown or verdict.no:
            yield gpu, verdict


@rule("case-motherboard", "Motherboard fits the case", Severity.ERROR, reads=("board", "case"))
def case_motherboard(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Check that the case takes the motherboard's form factor.

    An E-ATX board does not fit a case made for ATX; four-GPU boards are often E-ATX or
    larger. When the catalog's list of board sizes for a case is not the maker's complete
    list, a size missing from it is reported as not checked. Choose a case that lists the
    board's form factor.
    """
    board, case = ctx.board, ctx.case
    if board is None or case is None:
        return
    verdict = compat.board_in_case(board, case)
    parts = (board.id, case.id)
    hint = f"Choose a case that takes {board.form_factor} boards, or a smaller board."
    if verdict.unknown:
        yield out.unknown(f"Board size not checked: {verdict.reason}.", parts=parts, hint=hint)
    elif verdict.no:
        yield out.fail(
            f"The {board.title} is {board.form_factor}; the {case.title} takes "
            f"{join(case.motherboard_form_factors)} boards only.",
            parts=parts,
            hint=hint,
        )


@rule("gpu-length", "GPUs fit the case's length", Severity.ERROR, reads=("case", "gpus"))
def gpu_length(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Each graphics card must be no longer than the case's maximum GPU length.

    Cases quote the room from the slot bracket to the front (less with front radiators or
    drive cages in place). Choose a shorter card or a larger case.
    """
    case = ctx.case
    if case is None or not ctx.gpus:
        return
    hint = "Choose a shorter card or a case with more GPU clearance."
    limit = case.max_gpu_length_mm
    if limit is None:
        yield out.unknown(
            f"GPU length not checked: {missing(case, 'max_gpu_length_mm')}.",
            parts=(*ctx.gpu_ids, case.id),
            hint=hint,
            key="case",
        )
        return
    for gpu, verdict in _per_card(ctx, compat.gpu_length):
        if verdict.unknown:
            yield out.unknown(
                f"GPU length not checked: {missing(gpu, 'length_mm')}.",
                parts=(gpu.id, case.id),
                hint=hint,
                key=gpu.id,
            )
        else:
            yield out.fail(
                f"The {gpu.title} length of {mm(gpu.length_mm or 0)} exceeds the {case.title}'s "
                f"{mm(limit)} maximum.",
                parts=(gpu.id, case.id),
                hint=hint,
                key=gpu.id,
            )


@rule("psu-fit", "Power supply fits the case", Severity.ERROR, reads=("psu", "case"))
def psu_fit(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Check the power supply's form factor and length against the case.

    An ATX supply does not fit an SFX-only case; an SFX supply fits an ATX bay with an
    adapter bracket. Long 1600 W units can collide with drive cages: a supply longer than
    the case's stated maximum does not fit. Choose a supply of the form factor and length
    the case lists.
    """
    psu, case = ctx.psu, ctx.case
    if psu is None or case is None:
        return
    parts = (psu.id, case.id)
    takes = join(case.psu_form_factors)
    form = compat.psu_in_case(psu, case)
    if form.unknown:
        yield out.unknown(
            f"PSU form factor not checked: {form.reason}.",
            parts=parts,
            key="form-factor",
            hint=f"Check that the {case.title} takes {psu.form_factor} power supplies.",
        )
    elif form.no:
        yield out.fail(
            f"The {psu.title} is {psu.form_factor}; the {case.title} takes {takes} power supplies.",
            parts=parts,
            key="form-factor",
            hint=f"Choose {article(takes)} power supply, or a case for {psu.form_factor} units.",
        )
        return
    elif psu.form_factor not in case.psu_form_factors:
        yield out.fail(
            f"The {psu.title} is {psu.form_factor}; the {case.title} takes {takes} "
            "supplies, so it needs an SFX-to-ATX bracket.",
            parts=parts,
            severity=Severity.INFO,
            key="form-factor",
            hint="Get an SFX-to-ATX adapter bracket (some SFX supplies include one).",
        )
    hint = "Choose a shorter power supply, or remove the case's drive cage if it allows."
    length = compat.psu_length(psu, case)
    if length.unknown:
        gap = missing(length.part, length.field) if length.part and length.field else ""
        yield out.unknown(f"PSU length not checked: {gap}.", parts=parts, hint=hint, key="length")
    elif length.no:
        yield out.fail(
            f"PSU length {mm(psu.length_mm or 0)} exceeds the {case.title}'s "
            f"{mm(case.max_psu_length_mm or 0)} maximum.",
            parts=parts,
            hint=hint,
            key="length",
        )


@rule(
    "gpu-thickness", "GPUs within the case's card thickness", Severity.ERROR, reads=("case", "gpus")
)
def gpu_thickness(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Check each card's thickness against the case's limit, where the case maker states one.

    Some compact and server cases take cards up to a given thickness (two or two and a half
    slots) whatever their slot count. Most cases state no such limit, and then there is
    nothing to check. Choose a thinner card or a case without the limit.
    """
    case = ctx.case
    if case is None or not ctx.gpus or case.max_gpu_slot_width is None:
        return
    hint = "Choose a thinner (two-slot) card, or a case that takes thicker cards."
    for gpu, verdict in _per_card(ctx, compat.gpu_thickness):
        if verdict.unknown:
            yield out.unknown(
                f"Card thickness not checked: {missing(gpu, 'slot_width')}.",
                parts=(gpu.id, case.id),
                hint=hint,
                key=gpu.id,
            )
        else:
            yield out.fail(
                f"The {gpu.title} is {num(gpu.slot_width or 0)} slots thick; the {case.title} "
                f"takes cards up to {num(case.max_gpu_slot_width)} slots.",
                parts=(gpu.id, case.id),
                hint=hint,
                key=gpu.id,
            )


@rule(
    "gpu-x16-slots",
    "A usable x16 slot for every GPU",
    Severity.ERROR,
    reads=("slots", "m2", "board", "gpus"),
)
def gpu_x16_slots(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Each GPU needs a physical x16 slot that stays switched on with everything installed.

    Count only x16-size slots, and check the manual: some are switched off when a
    neighbouring slot or an M.2 socket is used. Before buying, make sure the board really
    supports the number of GPUs you plan for (Dettmers' hardware guide).
    """
    board, plan = ctx.board, ctx.slots
    if board is None or not ctx.gpus:
        return
    n = len(ctx.gpus)
    hint = "Choose a board with more x16 slots, plan fewer GPUs, or use a PCIe switch board."
    if not plan.known:
        yield out.unknown(
            f"{plural(n, 'GPU')} not checked against the slots: {missing(board, 'pcie_slots')}.",
            parts=(*ctx.gpu_ids, board.id),
            hint=hint,
        )
        return
    off = [p for p in plan.placed if p.lanes == 0]
    if not plan.unplaced and not off:
        return
    names = join(s.name for s in plan.x16_slots) or "none"
    populated = {p.slot.name for p in plan.placed if p.slot} | ctx.m2.populated
    reasons = [
        f"{p.slot.name} is switched off when "
        f"{join(sorted(n for r in p.slot.lane_rules for n in r.when_populated if n in populated))}"
        " is used"
        for p in off
        if p.slot and slot_lanes(p.slot, ()) > 0
    ]
    usable = len(plan.placed) - len(off)
    yield out.fail(
        f"{plural(n, 'GPU')} need {n} usable x16 slots; the {board.title} has "
        f"{plural(len(plan.x16_slots), 'x16 slot')} ({names})"
        + (f" and {usable} usable, because {join(reasons)}" if reasons else "")
        + ".",
        parts=(*ctx.gpu_ids, board.id),
        hint=hint,
    )


@rule(
    "gpu-slot-geometry",
    "GPUs physically fit their slots",
    Severity.ERROR,
    reads=("slots", "board", "case", "gpus"),
)
def gpu_slot_geometry(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Check that the GPUs neither collide with each other nor stick out of the case.

    A GPU w slots wide in the x16 slot at position p covers positions p … p + ceil(w) − 1
    (one position = 20.32 mm). The next GPU must start below that, and the bottom card must
    end within the case's expansion slots. Most GPUs are two slots wide; a three-slot card
    blocks the x16 slot two positions down. The GPUs are placed the way a builder would:
    CPU-attached x16 slots first, spaced by each card's width, narrow cards high and wide
    or open-air cards low. Use narrower (blower, two-slot) cards, a board whose x16 slots
    are further apart, or risers.
    """
    board, plan, case = ctx.board, ctx.slots, ctx.case
    if board is None or not ctx.gpus:
        return
    hint = "Use two-slot (blower) cards, a board with wider-spaced x16 slots, or risers."
    if not plan.known:
        return  # gpu-x16-slots reports the missing slot map
    if not plan.geometry_known:
        yield out.unknown(
            f"Slot spacing of {plural(len(ctx.gpus), 'GPU')} not checked: the {board.title}'s "
            "slot map in the catalog is partial (pcie_slots positions not known, widths are).",
            parts=(*ctx.gpu_ids, board.id),
            hint=hint,
            key="positions",
        )
        return
    widthless = [p.gpu for p in plan.placed if p.gpu.slot_width is None]
    if widthless:
        yield out.unknown(
            f"GPU slot spacing checked assuming 2 slots: {missing(widthless[0], 'slot_width')}.",
            parts=(*ids(widthless), board.id),
            hint=hint,
            key="width",
        )
    for k, (upper, lower) in enumerate(zip(plan.placed, plan.placed[1:], strict=False), 1):
        if upper.slot is None or lower.slot is None or lower.start is None or upper.end is None:
            continue
        if upper.end >= lower.start:
            width = num(upper.gpu.slot_width) if upper.gpu.slot_width else "2"
            yield out.fail(
                f"GPU {k} ({upper.gpu.title}, {width} slots wide) in {upper.slot.name} covers "
                f"positions {upper.slot.position}–{upper.end}, so it blocks {lower.slot.name} "
                f"at position {lower.slot.position}, where GPU {k + 1} ({lower.gpu.title}) goes.",
                parts=(upper.gpu.id, lower.gpu.id, board.id),
                hint=hint,
                key=f"collision:{upper.slot.name}",
            )
    if case is None or case.expansion_slots is None or not plan.placed:
        return
    bottom = plan.placed[-1]
    if bottom.slot is None or bottom.end is None or bottom.end <= case.expansion_slots:
        return
    if slots_needed(ctx) > case.expansion_slots:
        return  # case-expansion-slots reports it: no layout could fit these cards
    yield out.fail(
        f"The {bottom.gpu.title} in {bottom.slot.name} at position {bottom.slot.position} "
        f"ends at position {bottom.end}; the {case.title} has {case.expansion_slots} "
        "expansion slots.",
        parts=(bottom.gpu.id, board.id, case.id),
        hint="Choose a case with more expansion slots (8 or more for four GPUs).",
        key="overhang",
    )


@rule(
    "case-expansion-slots",
    "Case has enough expansion slots",
    Severity.ERROR,
    reads=("case", "gpus"),
)
def case_expansion_slots(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Check that the case has as many expansion slots as the GPUs are wide together.

    Four dual-slot GPUs in the x16 slots at positions 1, 3, 5 and 7 end at position 8, but
    a standard ATX case has seven slots: four-GPU builds need a case with eight or more
    (an E-ATX/XL-ATX tower or a mining frame). Choose such a case, or fewer or narrower GPUs.
    """
    case = ctx.case
    if case is None or not ctx.gpus:
        return
    hint = "Choose a case with more expansion slots, or fewer or narrower GPUs."
    need = slots_needed(ctx)
    if case.expansion_slots is None:
        yield out.unknown(
            f"{plural(len(ctx.gpus), 'GPU')} taking {need} slots not checked: "
            f"{missing(case, 'expansion_slots')}.",
            parts=(*ctx.gpu_ids, case.id),
            hint=hint,
        )
    elif need > case.expansion_slots and any(g.slot_width is None for g in ctx.gpus):
        widthless = [g for g in ctx.gpus if g.slot_width is None]
        yield out.unknown(
            f"The GPUs may need {need} expansion slots (2 assumed where unknown), more than the "
            f"{case.title}'s {case.expansion_slots}: {missing(widthless[0], 'slot_width')}.",
            parts=(*ctx.gpu_ids, case.id),
            hint=hint,
        )
    elif need > case.expansion_slots:
        yield out.fail(
            f"The GPUs ({counted(ctx.gpus)}) need at least {need} expansion slots; the "
            f"{case.title} has {case.expansion_slots}.",
            parts=(*ctx.gpu_ids, case.id),
            hint=hint,
        )
