"""Parts the build lacks, parts the catalog lacks, and parts the build has twice."""

from __future__ import annotations

from collections.abc import Iterator

from dlplanner.domain.parts import KIND_TITLES, PartBase
from dlplanner.rules.context import StageContext
from dlplanner.rules.finding import Finding, Reporter, Severity
from dlplanner.rules.registry import rule
from dlplanner.rules.text import counted, ids, plural

ESSENTIAL_KINDS = ("cpu", "motherboard", "memory", "storage", "psu", "case")

_NAMES = {
    "cpu": ("CPU", "CPUs"),
    "motherboard": ("motherboard", "motherboards"),
    "memory": ("memory", "memory kits"),
    "storage": ("storage drive", "storage drives"),
    "psu": ("power supply", "power supplies"),
    "case": ("case", "cases"),
    "cooler": ("CPU cooler", "CPU coolers"),
}


@rule(
    "missing-parts",
    "Essential parts are in the build",
    Severity.WARNING,
    reads=("items", "cpu", "board", "memory", "storage", "psu", "case", "cooler"),
)
def missing_parts(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Check for a CPU, a motherboard, memory, storage, a power supply and a case.

    Until they are all in the build, the checks that need them are skipped, so a clean
    result means little. A CPU cooler is noted too: most high-end CPUs ship without one.
    An empty build is not checked at all.
    """
    if not ctx.items:
        return
    present: dict[str, object] = {
        "cpu": ctx.cpu,
        "motherboard": ctx.board,
        "memory": ctx.memory,
        "storage": ctx.storage,
        "psu": ctx.psu,
        "case": ctx.case,
    }
    absent = [kind for kind in ESSENTIAL_KINDS if not present[kind]]
    have = len(ESSENTIAL_KINDS) - len(absent)
    for kind in absent:
        yield out.fail(
            f"The build has no {_NAMES[kind][0]} ({have} of {len(ESSENTIAL_KINDS)} essential "
            "parts present).",
            parts=(),
            hint=f"Add one from the catalog's {KIND_TITLES[kind]} list.",
            key=kind,
        )
    if ctx.cpu is not None and ctx.cooler is None:
        yield out.fail(
            f"The build has no CPU cooler; the {ctx.cpu.title} needs one unless it comes boxed "
            "with one.",
            parts=(ctx.cpu.id,),
            hint="Add a cooler that lists the CPU's socket.",
            severity=Severity.INFO,
            key="cooler",
        )


@rule("no-graphics", "Something drives a display", Severity.ERROR, reads=("cpu", "gpus"))
def no_graphics(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Check that a CPU without integrated graphics has a graphics card beside it.

    Without one there is no display for installing the operating system, and many boards
    do not start at all. Add a GPU, or a CPU with integrated graphics.
    """
    cpu = ctx.cpu
    if cpu is None or ctx.gpus:
        return
    hint = "Add a GPU, or choose a CPU with integrated graphics."
    if cpu.integrated_graphics is None:
        yield out.unknown(
            f"The build has 0 GPUs, and the {cpu.title} has no integrated_graphics in the catalog.",
            parts=(cpu.id,),
            hint=hint,
        )
    elif not cpu.integrated_graphics:
        yield out.fail(
            f"The build has 0 GPUs, and the {cpu.title} has no integrated graphics: nothing "
            "drives a display.",
            parts=(cpu.id,),
            hint=hint,
        )


@rule("unknown-parts", "Parts are in the catalog", Severity.ERROR, reads=("unknown", "foreign"))
def unknown_parts(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Report part ids the catalog does not have: usually a typo in the build file.

    The build keeps them (they stay in the file and the parts list), but nothing about
    them is known or checked, so the build cannot be trusted until the id is fixed: an
    error, with the nearest catalog id when one is close. Cloud offers in the parts list
    are not hardware and are ignored by the checks.
    """
    for part_id in ctx.unknown:
        near = ctx.suggestions.get(part_id)
        guess = f"; did you mean {near}?" if near else "."
        yield out.fail(
            f"'{part_id}' is not in the catalog{guess} Nothing about this part is checked.",
            parts=(part_id,),
            key=part_id,
            hint=(
                f"Replace it with {near} if that is the part you meant, or add the part to "
                "your own catalog folder."
                if near
                else "Check the id for a typo, or add the part to your own catalog folder."
            ),
        )
    for part in ctx.foreign:
        yield out.fail(
            f"The {part.title} is a cloud offer, not hardware; the checks ignore it.",
            parts=(part.id,),
            severity=Severity.INFO,
            key=part.id,
            hint="Compare cloud offers in the cost view instead of the parts list.",
        )


@rule(
    "duplicate-parts", "One CPU, board, PSU, case and cooler", Severity.INFO, reads=("duplicates",)
)
def duplicate_parts(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Note a build with several CPUs, boards, power supplies, cases or coolers.

    A build cannot remove parts, so when it has several of one of these the one added last
    is checked: a later plan step that adds a power supply reads as its replacement.
    Dual-CPU boards and dual power supplies are not checked.
    """
    for kind, parts in ctx.duplicates.items():
        last: PartBase = parts[-1]
        title, titles = _NAMES[kind]
        yield out.fail(
            f"The build has {plural(len(parts), title, titles)} ({counted(parts)}); the checks "
            "use the "
            f"{last.title}, the last one added.",
            parts=ids(parts),
            key=kind,
            hint=f"Keep one {title}; to replace it later, add the new one in a plan step.",
        )
