"""Deep-learning sense: system memory vs GPU memory, NVMe storage, mixed GPU models."""

from __future__ import annotations

from collections.abc import Iterator

from dlplanner.rules.context import StageContext
from dlplanner.rules.finding import Finding, Reporter, Severity
from dlplanner.rules.registry import rule
from dlplanner.rules.text import counted, ids, join, missing, num, plural, tally


@rule("ram-vs-vram", "System memory vs GPU memory", Severity.WARNING, reads=("gpus", "memory"))
def ram_vs_vram(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """System memory should at least match the largest GPU's memory, ideally twice all of it.

    Dettmers: buy at least as much RAM as your biggest GPU has memory, so that whole
    datasets and checkpoints can be staged; below it is a warning. Some recommend twice
    the total GPU memory for preprocessing; below that is a note. Add memory.
    """
    if not ctx.gpus or not ctx.memory:
        return
    hint = "Add memory (system RAM at least the largest GPU's memory, ideally 2 × the total)."
    unknown = [g for g in ctx.gpus if g.vram_gb is None]
    ram = ctx.memory_gb
    if unknown:
        yield out.unknown(
            f"System memory vs GPU memory not checked: {missing(unknown[0], 'vram_gb')}.",
            parts=ids((*ctx.memory, *ctx.gpus)),
            hint=hint,
        )
        return
    largest = max(g.vram_gb or 0 for g in ctx.gpus)
    total = sum(g.vram_gb or 0 for g in ctx.gpus)
    if ram < largest:
        yield out.fail(
            f"{ram} GB of system memory is less than the largest GPU's {num(largest)} GB.",
            parts=ids((*ctx.memory, *ctx.gpus)),
            hint=hint,
        )
    elif ram < 2 * total:
        yield out.fail(
            f"{ram} GB of system memory is less than twice the GPUs' {num(total)} GB "
            f"({num(2 * total)} GB), the rule of thumb for preprocessing.",
            parts=ids((*ctx.memory, *ctx.gpus)),
            hint=hint,
            severity=Severity.INFO,
        )


@rule(
    "nvme-storage",
    "An NVMe SSD for the system and data",
    Severity.INFO,
    reads=("storage", "m2", "board"),
)
def nvme_storage(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Suggest an NVMe SSD, ideally on CPU lanes, for the system and the datasets.

    Dettmers: storage hardly limits training speed, but an NVMe SSD makes working with
    data smoother. Drives on chipset lanes share the chipset's link with everything else
    on it. Add an NVMe SSD, in a CPU-attached M.2 socket where the board has one.
    """
    if not ctx.storage:
        return
    nvme = [d for d in ctx.storage if d.interface == "nvme" and d.media == "ssd"]
    hint = "Add an NVMe SSD, in a CPU-attached M.2 socket where the board has one."
    if not nvme:
        yield out.fail(
            f"The build has {plural(len(ctx.storage), 'drive')} ({counted(ctx.storage)}) and "
            "0 NVMe SSDs.",
            parts=ids(ctx.storage),
            hint=hint,
            key="none",
        )
        return
    placed = [(d, s) for d, s in ctx.m2.placed if d.interface == "nvme"]
    if not placed or any(s.source == "cpu" for _, s in placed):
        return
    board = ctx.board
    if all(s.source is None for _, s in placed):
        yield out.unknown(
            f"NVMe lanes not checked: the {board.title if board else 'board'} has no m2_slots "
            f"source (cpu/chipset) for {join(s.name for _, s in placed)} in the catalog.",
            parts=ids((*nvme, board)),
            hint=hint,
            key="source",
        )
        return
    cpu_sockets = [s.name for s in (board.m2_slots or []) if s.source == "cpu"] if board else []
    yield out.fail(
        f"{plural(len(placed), 'NVMe drive')} sit on chipset lanes; the board has "
        f"{plural(len(cpu_sockets), 'CPU-attached M.2 socket')}"
        + (f" ({join(cpu_sockets)})" if cpu_sockets else "")
        + ".",
        parts=ids((*nvme, board)),
        hint=hint,
        key="chipset",
    )


@rule("mixed-gpus", "One GPU model", Severity.INFO, reads=("gpus",))
def mixed_gpus(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Different GPU models cannot share data-parallel training efficiently.

    Data-parallel training steps at the pace of the slowest card, and a model split across
    cards with different memory is limited by the smallest. Mixed cards still work for
    separate experiments, one per GPU. Plan the same GPU model for every slot.
    """
    models = tally(g.chipset for g in ctx.gpus)
    if len(models) < 2:
        return
    yield out.fail(
        f"The build mixes {len(models)} GPU models "
        f"({join(f'{n} × {chipset}' for chipset, n in models.items())}); parallel training "
        "runs at the slowest one's pace.",
        parts=ids(ctx.gpus),
        hint="Use the same GPU model throughout, or run a separate job on each GPU.",
    )
