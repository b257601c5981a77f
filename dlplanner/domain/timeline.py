"""The upgrade timeline: a summary of each stage of a plan, and pure edits of the plan.

Stage 0 is the build bought today; stage ``k`` adds plan steps ``1..k`` (see
:meth:`Build.stages`). A summary gives what a person planning the purchases asks of a
stage: when, what is bought, what it costs, how many GPUs the machine then has and what
it draws. The plan and line edits return new tuples of :class:`PlanStep` and
:class:`BuildItem` (or a new build) and never mutate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dlplanner.domain.build import MAX_QTY, Build, BuildItem, PlanStep, Site
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.parts import GpuPart, PsuPart
from dlplanner.domain.power import circuit_walls, estimate_stage

MAX_MONTH = 240
"""The last month a plan step may fall on (20 years)."""

STAGE_GAP_MONTHS = 3
"""How far after the last stage a new stage goes by default."""

STACKABLE_KINDS = ("gpu", "memory", "storage")
"""Kinds whose repeats raise the quantity of one line instead of adding a line."""

_ORDINALS = (
    "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class StageSummary:
    """One stage of the timeline in numbers.

    Parameters
    ----------
    index
        0 for the build today, ``k`` for plan step ``k``.
    month
        When the stage's parts are bought (0 = today).
    label
        The stage's name.
    added
        The lines bought at this stage.
    spend_usd
        What the lines bought at this stage cost (known prices only, before tax).
    cumulative_usd
        Everything bought up to and including this stage.
    unpriced
        Ids of parts bought at this stage that have no price (not in the sums).
    gpus
        GPUs in the machine at this stage.
    power_w
        Estimated DC draw under load: the GPUs' power (TDP or power limit), the CPU's and
        100 W for the rest (the power model's DC total).
    wall_w
        The draw at the wall through the supplies' efficiency at their load (the worst
        80 PLUS figure where a rating is unknown).
    efficiency_assumed
        Whether a supply's efficiency was unknown (or there is none) and assumed.
    unknown_tdp
        GPUs and CPUs whose TDP is unknown (counted as 0 W in ``power_w``).
    psu_id
        The stage's power supply (the one added last), if any.
    psu_w
        Its rated wattage.
    psu_efficiency
        Its 80 PLUS rating (``gold``), if known.
    """

    index: int
    month: int
    label: str
    added: tuple[BuildItem, ...]
    spend_usd: float
    cumulative_usd: float
    unpriced: tuple[str, ...]
    gpus: int
    power_w: float
    unknown_tdp: tuple[str, ...]
    psu_id: str | None
    psu_w: int | None
    psu_efficiency: str | None = None
    wall_w: float = 0.0
    efficiency_assumed: bool = True

    @property
    def parts_added(self) -> int:
        """How many units were bought at this stage."""
        return sum(item.qty for item in self.added)


def stage_summaries(build: Build, catalog: Catalog) -> list[StageSummary]:
    """Summarise every stage of a build's plan, stage 0 first."""
    result: list[StageSummary] = []
    cumulative = 0.0
    for stage in build.stages():
        spend = 0.0
        unpriced: list[str] = []
        for item in stage.added:
            price = catalog.unit_price(item)
            if price is None:
                unpriced.append(item.part)
            else:
                spend += price * item.qty
        cumulative += spend
        power = estimate_stage(build, catalog, stage.index)
        psu = power.psus[0].psu if power.psus else None
        result.append(
            StageSummary(
                index=stage.index,
                month=stage.month,
                label=stage.label,
                added=stage.added,
                spend_usd=spend,
                cumulative_usd=cumulative,
                unpriced=tuple(dict.fromkeys(unpriced)),
                gpus=power.gpu_count,
                power_w=power.system_w,
                unknown_tdp=power.missing,
                psu_id=psu.id if psu else None,
                psu_w=sum(u.psu.wattage_w for u in power.psus) if psu else None,
                psu_efficiency=psu.efficiency if psu else None,
                wall_w=sum(circuit_walls(power, 1)),
                efficiency_assumed=power.wall_w is None,
            )
        )
    return result


@dataclass(frozen=True, slots=True)
class ChartSeries:
    """What the chart draws, one value per stage (stage 0 first)."""

    months: tuple[float, ...]
    spend_usd: tuple[float, ...]
    cumulative_usd: tuple[float, ...]
    power_w: tuple[float, ...]
    """Estimated DC draw under load."""
    wall_w: tuple[float, ...]
    """Draw at the wall from the power model (worst 80 PLUS figure when unknown)."""
    efficiency_assumed: tuple[bool, ...]
    """Whether the stage's PSU efficiency is unknown and the worst rating was used."""
    psu_w: tuple[float, ...]
    """The stage's PSU rating; NaN when the build has none."""
    circuit_w: float
    """The wall circuit's continuous limit."""
    end_month: float
    """Where the last stage's steps end on the month axis."""


def chart_series(summaries: Sequence[StageSummary], site: Site) -> ChartSeries:
    """Per-stage spend and power, the reference lines and the axis end."""
    months = tuple(float(s.month) for s in summaries)
    return ChartSeries(
        months=months,
        spend_usd=tuple(s.spend_usd for s in summaries),
        cumulative_usd=tuple(s.cumulative_usd for s in summaries),
        power_w=tuple(s.power_w for s in summaries),
        wall_w=tuple(s.wall_w for s in summaries),
        efficiency_assumed=tuple(s.efficiency_assumed for s in summaries),
        psu_w=tuple(float(s.psu_w) if s.psu_w else float("nan") for s in summaries),
        circuit_w=site.continuous_limit_w,
        end_month=max(months, default=0.0) + STAGE_GAP_MONTHS,
    )


def last_psu(items: Iterable[BuildItem], catalog: Catalog) -> PsuPart | None:
    """Return the power supply a stage runs on (a later one replaces an earlier one)."""
    psu: PsuPart | None = None
    for item in items:
        part = catalog.get(item.part)
        if isinstance(part, PsuPart):
            psu = part
    return psu


def ordinal_label(n: int, noun: str = "GPU") -> str:
    """``Second GPU`` for 2; ``GPU 11`` beyond the tenth."""
    return f"{_ORDINALS[n - 1]} {noun}" if 1 <= n <= len(_ORDINALS) else f"{noun} {n}"


def last_gpu_item(build: Build, catalog: Catalog) -> BuildItem | None:
    """Return the GPU line added most recently (plan included) as a one-unit line."""
    found: BuildItem | None = None
    for item in (*build.items, *(i for step in build.plan for i in step.add)):
        if isinstance(catalog.get(item.part), GpuPart):
            found = item
    if found is None:
        return None
    return BuildItem(part=found.part, qty=1, price_usd=found.price_usd)


def next_step(build: Build, catalog: Catalog) -> PlanStep:
    """Make a stage three months after the last that adds one more of the build's GPU."""
    last_month = max((step.month for step in build.plan), default=0)
    month = min(last_month + STAGE_GAP_MONTHS, MAX_MONTH)
    gpu = last_gpu_item(build, catalog)
    if gpu is None:
        return PlanStep(month=month, label=f"Stage {len(build.plan) + 1}")
    gpus = estimate_stage(build, catalog, len(build.plan)).gpu_count
    return PlanStep(month=month, label=ordinal_label(gpus + 1), add=(gpu,))


# -- plan edits (each returns a new plan) -------------------------------------------------


def sort_plan(plan: Iterable[PlanStep]) -> tuple[PlanStep, ...]:
    """Sort steps by month; steps of the same month keep their order."""
    return tuple(sorted(plan, key=lambda s: s.month))


def insert_step(plan: Sequence[PlanStep], step: PlanStep) -> tuple[tuple[PlanStep, ...], int]:
    """Add a step; return the sorted plan and the new step's stage index (1-based)."""
    ordered = sort_plan((*plan, step))
    # The new step goes after any step of the same month, which is where sorting puts it.
    position = max(i for i, s in enumerate(ordered) if s is step)
    return ordered, position + 1


def replace_step(
    plan: Sequence[PlanStep], stage: int, step: PlanStep
) -> tuple[tuple[PlanStep, ...], int]:
    """Replace the step of stage ``stage``; return the sorted plan and the step's new stage."""
    _check_stage(plan, stage)
    steps = list(plan)
    steps[stage - 1] = step
    ordered = sort_plan(steps)
    position = next(i for i, s in enumerate(ordered) if s is step)
    return ordered, position + 1


def remove_step(plan: Sequence[PlanStep], stage: int) -> tuple[PlanStep, ...]:
    """Return the plan without the step of stage ``stage``."""
    _check_stage(plan, stage)
    return tuple(s for i, s in enumerate(plan, start=1) if i != stage)


def shift_step(
    plan: Sequence[PlanStep], stage: int, months: int
) -> tuple[tuple[PlanStep, ...], int]:
    """Move a step ``months`` earlier (negative) or later, within 0..240 months."""
    _check_stage(plan, stage)
    step = plan[stage - 1]
    month = max(0, min(MAX_MONTH, step.month + months))
    moved = step.model_copy(update={"month": month})
    steps = list(plan)
    steps[stage - 1] = moved
    # Passing a neighbour's month moves past it; meeting it exactly keeps the old order.
    ordered = sort_plan(steps)
    position = next(i for i, s in enumerate(ordered) if s is moved)
    return ordered, position + 1


def add_stacked(
    items: Sequence[BuildItem], part_ids: Sequence[str], catalog: Catalog, row: int | None = None
) -> tuple[BuildItem, ...]:
    """Add catalog parts to lines: a repeated GPU, memory kit or drive raises its quantity.

    Up to :data:`MAX_QTY` a stackable part already listed gets one more unit; any other part
    gets a line of its own, inserted at ``row`` (appended when ``row`` is None or past the end).
    """
    lines = list(items)
    for part_id in part_ids:
        part = catalog.get(part_id)
        stackable = part is not None and part.kind in STACKABLE_KINDS  # type: ignore[attr-defined]
        at = next((i for i, it in enumerate(lines) if it.part == part_id), None)
        if at is not None and stackable and lines[at].qty < MAX_QTY:
            lines[at] = lines[at].model_copy(update={"qty": lines[at].qty + 1})
        elif row is None or row >= len(lines):
            lines.append(BuildItem(part=part_id))
        else:
            row = max(row, 0)
            lines.insert(row, BuildItem(part=part_id))
            row += 1
    return tuple(lines)


def add_parts_to_step(step: PlanStep, part_ids: Sequence[str], catalog: Catalog) -> PlanStep:
    """Add catalog parts to a step (a repeated GPU, memory kit or drive raises its quantity)."""
    return step.model_copy(update={"add": add_stacked(step.add, part_ids, catalog)})


# -- line edits (each returns new lines, or a new build) ------------------------------------


def remove_lines(items: Sequence[BuildItem], rows: Iterable[int]) -> tuple[BuildItem, ...]:
    """Return the lines without those at ``rows``."""
    doomed = set(rows)
    return tuple(item for i, item in enumerate(items) if i not in doomed)


def move_lines(
    items: Sequence[BuildItem], rows: Iterable[int], target: int
) -> tuple[BuildItem, ...]:
    """Move the lines at ``rows`` so the first lands at ``target`` (drag reordering).

    ``target`` counts in the lines as they are; the moved lines keep their order, and so
    do the others.
    """
    moving = set(rows)
    before = sum(1 for r in moving if r < target)
    rest = [item for i, item in enumerate(items) if i not in moving]
    at = max(0, min(target - before, len(rest)))
    return (*rest[:at], *(items[r] for r in sorted(moving)), *rest[at:])


def swap_part(build: Build, old: str, new: str) -> Build:
    """Return the build with part id ``new`` wherever it names ``old`` (now and in the plan)."""

    def swap(items: Sequence[BuildItem]) -> tuple[BuildItem, ...]:
        return tuple(i.model_copy(update={"part": new}) if i.part == old else i for i in items)

    plan = tuple(s.model_copy(update={"add": swap(s.add)}) for s in build.plan)
    return build.model_copy(update={"items": swap(build.items), "plan": plan})


def _check_stage(plan: Sequence[PlanStep], stage: int) -> None:
    if not 1 <= stage <= len(plan):
        raise IndexError(f"no plan stage {stage} (the plan has {len(plan)})")
