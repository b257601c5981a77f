"""The one power model: every watt the program shows or checks is worked out here.

Per part and per stage: each GPU's board power (its TDP, or the user's power limit),
the CPU's power, the rest of the machine, the DC total, which power supply carries which
GPUs and how loaded each is, the wall draw through each supply's efficiency at that load
(interpolated between the 80 PLUS 20/50/100 % points), and the measured short peaks.
The rules, the parts-list totals, the timeline, the reports and the cost model's
electricity call these functions; a test keeps TDP arithmetic out of every other module.
The published figures live in :mod:`dlplanner.domain.power_data`.
"""

from __future__ import annotations

import bisect
import functools
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from dlplanner.domain.build import Build, BuildItem
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.parts import CpuPart, GpuPart, PsuPart
from dlplanner.domain.power_data import (
    CONNECTOR_W,
    EFFICIENCY_POINTS,
    EXCURSIONS,
    GENERATION_PATTERNS,
    LOAD_POINTS,
    MAX_POWER_LIMIT_W,
    OTHER_PARTS_W,
    SLOT_W,
    THROUGHPUT_CURVE,
    Excursion,
)

WORST_EFFICIENCY = min(min(p) for p in EFFICIENCY_POINTS.values())
BEST_EFFICIENCY = max(max(p) for p in EFFICIENCY_POINTS.values())


def efficiency_at(rating: str | None, load: float) -> float | None:
    """Return the 80 PLUS minimum efficiency of ``rating`` at ``load`` (share of the rating).

    Linear between the 20, 50 and 100 % points; held flat below 20 % and above 100 %.
    None when the rating is unknown.
    """
    points = EFFICIENCY_POINTS.get(rating or "")
    if points is None:
        return None
    if load <= LOAD_POINTS[0]:
        return points[0]
    for (x0, y0), (x1, y1) in itertools.pairwise(zip(LOAD_POINTS, points, strict=True)):
        if load <= x1:
            return y0 + (y1 - y0) * (load - x0) / (x1 - x0)
    return points[-1]


def cpu_power_w(cpu: CpuPart | None) -> int | None:
    """Return a CPU's power under load: its TDP, or the vendor's boost allowance when published.

    Intel publishes a Maximum Turbo Power (PL2) on ARK (e.g. Xeon w9-3495X: 350 W base,
    420 W turbo); where the catalog has it, that is the figure. None when unknown.
    """
    if cpu is None:
        return None
    return cpu.max_turbo_power_w or cpu.tdp_w


def generation(gpu: GpuPart) -> str | None:
    """Return the GPU generation (``ampere``) from the chipset name, or None."""
    return _generation_of(gpu.chipset)


@functools.lru_cache(maxsize=1024)
def _generation_of(chipset: str) -> str | None:
    # Cached by chipset name: the power rules ask for every GPU of every stage (benchmark
    # row "All rules, 4-stage 4-GPU build": 28 patterns per call were a quarter of it).
    name = f" {chipset.lower()} "
    for gen, fragments in GENERATION_PATTERNS:
        if any(f in name for f in fragments):
            return gen
    return None


def excursion(gpu: GpuPart) -> Excursion | None:
    """Return the measured excursion of the GPU's generation, if one is on record."""
    gen = generation(gpu)
    return EXCURSIONS.get(gen) if gen else None


def connector_budget_w(gpu: GpuPart) -> int | None:
    """Return what the card's sockets and slot are rated to deliver, or None if unknown."""
    conn = gpu.power_connectors
    if conn is None:
        return None
    counts = {
        "pcie_8pin": conn.pcie_8pin,
        "pcie_6pin": conn.pcie_6pin,
        "pcie_16pin": conn.pcie_16pin,
        "eps_8pin": conn.eps_8pin,
    }
    return SLOT_W + sum(CONNECTOR_W[name] * n for name, n in counts.items())


def max_power_limit_w(gpu: GpuPart) -> tuple[int, str]:
    """Return the highest power limit a card takes and where that bound comes from."""
    if gpu.power_limit_max_w is not None:
        return gpu.power_limit_max_w, "its maximum power limit"
    budget = connector_budget_w(gpu)
    if budget is not None:
        return budget, "what its power sockets and slot deliver"
    return MAX_POWER_LIMIT_W, "the largest limit dlplanner accepts"


def throughput_share(limit_w: float | None, stock_w: int | None) -> float:
    """Return the estimated share of full training speed a card keeps at ``limit_w``."""
    if limit_w is None or stock_w is None or limit_w >= stock_w:
        return 1.0
    x = limit_w / stock_w
    x0, y0 = THROUGHPUT_CURVE[0]
    if x <= x0:
        return y0 * x / x0
    for (a, fa), (b, fb) in itertools.pairwise(THROUGHPUT_CURVE):
        if x <= b:
            return fa + (fb - fa) * (x - a) / (b - a)
    return 1.0


@dataclass(frozen=True, slots=True)
class GpuLoad:
    """One card: its part and the user's power limit (None: stock)."""

    part: GpuPart
    limit_w: int | None = None

    @property
    def board_w(self) -> int | None:
        """Sustained board power: the power limit if set, else the TDP."""
        return self.limit_w if self.limit_w is not None else self.part.tdp_w

    @property
    def peak_w(self) -> float | None:
        """Short peak: board power times the generation's measured ratio (None: unknown)."""
        found = excursion(self.part)
        board = self.board_w
        return None if found is None or board is None else board * found.ratio

    @property
    def speed_share(self) -> float:
        """Estimated share of full training speed at this limit."""
        return throughput_share(self.limit_w, self.part.tdp_w)


@dataclass(frozen=True, slots=True)
class PsuLoad:
    """One power supply unit and what it carries (unit 0 also feeds the CPU and board)."""

    psu: PsuPart
    unit: int
    gpus: tuple[int, ...]
    """Indexes into :attr:`PowerEstimate.gpus`."""
    dc_w: float
    """Known DC load on this unit."""
    own_w: float
    """Its load besides the GPUs: the board, CPU and the rest on the main unit, else 0."""
    cards: tuple[GpuLoad, ...]
    """The GPUs it feeds (those of :attr:`gpus`)."""

    @property
    def peak_w(self) -> float | None:
        """Sum of its GPUs' measured peaks plus its other load; None if a peak is unknown."""
        peaks = [c.peak_w for c in self.cards]
        return None if None in peaks else self.own_w + sum(p or 0.0 for p in peaks)

    @property
    def main(self) -> bool:
        """Whether this unit feeds the motherboard (24-pin) and CPU (EPS)."""
        return self.unit == 0

    @property
    def load_share(self) -> float:
        """DC load as a share of the rating."""
        return self.dc_w / self.psu.wattage_w

    @property
    def efficiency(self) -> float | None:
        """80 PLUS minimum efficiency at this load (None: rating unknown)."""
        return efficiency_at(self.psu.efficiency, self.load_share)

    @property
    def wall_w(self) -> float | None:
        """Draw at the wall through this unit (None: efficiency unknown)."""
        eff = self.efficiency
        return None if eff is None else self.dc_w / eff


@dataclass(frozen=True, slots=True)
class PowerEstimate:
    """The power picture of one stage of a build."""

    gpus: tuple[GpuLoad, ...]
    cpu: CpuPart | None
    psus: tuple[PsuLoad, ...]
    other_w: float
    missing: tuple[str, ...]
    """Ids of GPUs and the CPU without a power figure."""

    @property
    def gpu_w(self) -> int:
        """Known GPU board power."""
        return sum(g.board_w or 0 for g in self.gpus)

    @property
    def cpu_w(self) -> int:
        """The CPU's power (:func:`cpu_power_w`), 0 when unknown or absent."""
        return cpu_power_w(self.cpu) or 0

    @property
    def gpu_count(self) -> int:
        """Number of cards."""
        return len(self.gpus)

    @property
    def total_w(self) -> int:
        """GPUs + CPU: the Dettmers DC load (known part when ``missing`` is not empty)."""
        return self.gpu_w + self.cpu_w

    @property
    def system_w(self) -> float:
        """GPUs + CPU + the rest of the machine: the DC total."""
        return self.total_w + self.other_w

    @property
    def complete(self) -> bool:
        """Whether every GPU and the CPU have a power figure."""
        return not self.missing

    @property
    def limited(self) -> bool:
        """Whether any GPU runs at a power limit."""
        return any(g.limit_w is not None for g in self.gpus)

    @property
    def wall_w(self) -> float | None:
        """Total wall draw through the supplies; None without a supply or efficiency."""
        walls = [p.wall_w for p in self.psus]
        if not walls or any(w is None for w in walls):
            return None
        return sum(w or 0.0 for w in walls)

    def wall_at(self, efficiency: float) -> float:
        """Wall draw at an assumed efficiency (bounds when the supply's is unknown)."""
        return self.system_w / efficiency

    def required_psu_w(self, headroom: float, dc_w: float | None = None) -> int:
        """PSU size Dettmers' formula asks for: GPU + CPU load (or ``dc_w``) × headroom."""
        return round((self.total_w if dc_w is None else dc_w) * headroom)

    def unit_gpu_cpu_w(self, unit: PsuLoad) -> float:
        """Return a unit's load without the rest-of-machine allowance (what headroom applies to)."""
        return unit.dc_w - (self.other_w if unit.main else 0.0)

    def speed_share(self) -> float:
        """Mean share of full training speed over the cards (1.0 without limits)."""
        if not self.gpus:
            return 1.0
        return sum(g.speed_share for g in self.gpus) / len(self.gpus)


def _balance(
    psus: Sequence[PsuPart], watts: Sequence[int | None], base_w: float
) -> list[list[int]]:
    """Give each GPU to the unit with the most room left, largest cards first."""
    if len(psus) == 1:
        return [list(range(len(watts)))]  # the one unit feeds every card
    loads = [base_w] + [0.0] * (len(psus) - 1)
    feeds: list[list[int]] = [[] for _ in psus]
    order = sorted(range(len(watts)), key=lambda i: -(watts[i] or 0))
    for i in order:
        unit = max(range(len(psus)), key=lambda u: (psus[u].wattage_w - loads[u], -u))
        feeds[unit].append(i)
        loads[unit] += watts[i] or 0
    return [sorted(f) for f in feeds]


def estimate_power(
    cpu: CpuPart | None,
    gpus: Sequence[GpuPart],
    psus: Sequence[PsuPart] = (),
    limits: Sequence[int | None] | None = None,
    *,
    other_w: float = OTHER_PARTS_W,
) -> PowerEstimate:
    """Work out a stage's power from its CPU, GPUs (with their limits) and power supplies."""
    caps = list(limits) if limits is not None else [None] * len(gpus)
    cards = tuple(GpuLoad(g, cap) for g, cap in zip(gpus, caps, strict=True))
    watts = [c.board_w for c in cards]
    missing = [c.part.id for c, w in zip(cards, watts, strict=True) if w is None]
    if cpu is not None and cpu.tdp_w is None:
        missing.append(cpu.id)
    base = (cpu_power_w(cpu) or 0) + other_w
    units: list[PsuLoad] = []
    if psus:
        feeds = _balance(psus, watts, base)
        for unit, (psu, fed) in enumerate(zip(psus, feeds, strict=True)):
            own = base if unit == 0 else 0.0
            dc = own + sum(watts[i] or 0 for i in fed)
            units.append(PsuLoad(psu, unit, tuple(fed), dc, own, tuple(cards[i] for i in fed)))
    return PowerEstimate(cards, cpu, tuple(units), other_w, tuple(dict.fromkeys(missing)))


def resolve_groups(
    groups: Iterable[Iterable[BuildItem]], catalog: Catalog
) -> tuple[CpuPart | None, list[GpuPart], list[int | None], list[PsuPart]]:
    """Look up the power parts of purchase groups (the build, then each plan step).

    Every GPU counts, with its line's power limit. The CPU is the one added last. The
    power supplies are those of the last group that adds any: several lines or ``qty``
    in one purchase are several units; a later purchase replaces the earlier units.
    """
    cpu: CpuPart | None = None
    gpus: list[GpuPart] = []
    limits: list[int | None] = []
    psus: list[PsuPart] = []
    for group in groups:
        bought: list[PsuPart] = []
        for item in group:
            part = catalog.get(item.part)
            if isinstance(part, GpuPart):
                gpus.extend([part] * item.qty)
                limits.extend([item.power_limit_w] * item.qty)
            elif isinstance(part, CpuPart):
                cpu = part
            elif isinstance(part, PsuPart):
                bought.extend([part] * item.qty)
        if bought:
            psus = bought
    return cpu, gpus, limits, psus


def estimate_groups(
    groups: Iterable[Iterable[BuildItem]], catalog: Catalog, *, other_w: float = OTHER_PARTS_W
) -> PowerEstimate:
    """Work out the power of the machine that purchase ``groups`` make."""
    cpu, gpus, limits, psus = resolve_groups(groups, catalog)
    return estimate_power(cpu, gpus, psus, limits, other_w=other_w)


def estimate_stage(build: Build, catalog: Catalog, stage: int) -> PowerEstimate:
    """Work out the power of one stage of a build (0: as bought now)."""
    groups = [build.items, *(step.add for step in build.plan[:stage])]
    return estimate_groups(groups, catalog)


def training_kw(dc_w: float, load_factor: float, base_w: float) -> float:
    """Draw while training for the cost model: GPU + CPU power × load factor + the rest."""
    return (dc_w * load_factor + base_w) / 1000.0


def uniform_limit(
    estimate: PowerEstimate,
    fits: Callable[[PowerEstimate], bool],
    *,
    step: int = 5,
    most_w: float | None = None,
) -> int | None:
    """Return the highest power limit (a multiple of ``step``) for every GPU that ``fits``.

    Cards whose stock power is lower keep it. None when no limit the cards accept (down
    to their minimum limit) makes the build fit, or a card's power is unknown. A limit at
    which the GPUs and the CPU would draw more than ``most_w`` is not tried: the caller
    knows ``fits`` fails there (:func:`load_ceiling_w`).
    """
    if not estimate.gpus or not estimate.complete:
        return None
    top = max(g.part.tdp_w or 0 for g in estimate.gpus)
    floor = max((g.part.power_limit_min_w or step) for g in estimate.gpus)
    psus = [u.psu for u in sorted(estimate.psus, key=lambda u: u.unit)]
    gpus = [g.part for g in estimate.gpus]
    limits = range(top - top % step, floor - 1, -step)
    if most_w is not None:
        # Benchmark row "All rules, 10,000 random valid builds": the search tried every 5 W
        # from stock power down (30-70 trial estimates when nothing fits, half the row's
        # time). The load falls with the limit, so the limits over ``most_w`` come first.
        cpu_w, tdps = cpu_power_w(estimate.cpu) or 0, [g.tdp_w or 0 for g in gpus]

        def under(limit: int) -> bool:
            return cpu_w + sum(min(tdp, limit) for tdp in tdps) <= most_w

        limits = limits[bisect.bisect_left(limits, True, key=under) :]
    for limit in limits:
        caps: list[int | None] = [None if (g.tdp_w or 0) <= limit else limit for g in gpus]
        trial = estimate_power(estimate.cpu, gpus, psus, caps, other_w=estimate.other_w)
        if fits(trial):
            return limit
    return None


def load_ceiling_w(
    psus: Sequence[PsuPart],
    headroom: float,
    circuits: int,
    limit_w: float,
    other_w: float = OTHER_PARTS_W,
) -> float:
    """Return a GPU + CPU load above which :func:`fits_supplies` or :func:`fits_circuits` fails.

    Whichever unit feeds which card, the units' loads add up to GPUs + CPU + ``other_w``:
    each unit carries at most its rating, its GPU and CPU share times ``headroom`` at most
    its rating (half a watt more for rounding), and no unit is more efficient than its
    rating's best 80 PLUS figure (an unknown rating counts as the worst figure, as
    :func:`circuit_walls` does), so the busier of ``circuits`` draws at least the total at
    the best of those over the circuits. The bound is necessary, not sufficient: a load
    under it may still not fit.
    """
    if not psus:
        return limit_w * WORST_EFFICIENCY - other_w + 1.0  # 1 W spare for float rounding
    rated = sum(p.wattage_w for p in psus)
    shared = 1 if circuits < 2 or len(psus) < 2 else 2
    best = max(max(EFFICIENCY_POINTS.get(p.efficiency or "", (WORST_EFFICIENCY,))) for p in psus)
    return 1.0 + min(
        rated - other_w,
        (rated + 0.5 * len(psus)) / headroom,
        limit_w * shared * best - other_w,
    )


def circuit_walls(
    estimate: PowerEstimate, circuits: int, efficiency: float | None = None
) -> list[float]:
    """Return the wall draw on each circuit the supplies plug into.

    With one circuit, everything; with two, the main unit on the first and the other
    units on the second. ``efficiency`` replaces an unknown rating (a bound); without it an
    unknown rating gives the worst 80 PLUS figure.
    """

    def wall(unit: PsuLoad) -> float:
        eff = unit.efficiency or efficiency or WORST_EFFICIENCY
        return unit.dc_w / eff

    if not estimate.psus:
        return [estimate.wall_at(efficiency or WORST_EFFICIENCY)]
    walls = [wall(u) for u in estimate.psus]
    if circuits < 2 or len(walls) < 2:
        return [sum(walls)]
    return [walls[0], sum(walls[1:])]


def fits_supplies(estimate: PowerEstimate, headroom: float) -> bool:
    """Whether every unit carries its load with Dettmers' headroom."""
    return all(
        u.dc_w <= u.psu.wattage_w
        and estimate.required_psu_w(headroom, estimate.unit_gpu_cpu_w(u)) <= u.psu.wattage_w
        for u in estimate.psus
    )


def fits_circuits(estimate: PowerEstimate, circuits: int, limit_w: float) -> bool:
    """Whether every circuit stays under its continuous limit."""
    return all(w <= limit_w for w in circuit_walls(estimate, circuits))


def line_power_w(item: BuildItem, catalog: Catalog) -> int | None:
    """Return a parts-list line's draw under load: GPU board power (or limit) or CPU power × qty."""
    part = catalog.get(item.part)
    if isinstance(part, GpuPart):
        board = GpuLoad(part, item.power_limit_w).board_w
        return None if board is None else board * item.qty
    if isinstance(part, CpuPart):
        power = cpu_power_w(part)
        return None if power is None else power * item.qty
    return None


def power_limit_problems(build: Build, catalog: Catalog) -> list[str]:
    """Return one line per power limit the catalog's cards do not accept.

    A limit on a line that is not a GPU, above the card's maximum (catalog
    ``power_limit_max_w``, else what its sockets deliver, else a sane bound) or below its
    minimum (``power_limit_min_w``) is a problem. Parts the catalog does not have are not
    judged.
    """
    lines = [(f"items[{i}]", item) for i, item in enumerate(build.items)]
    for s, step in enumerate(build.plan):
        lines += [(f"plan[{s}].add[{i}]", item) for i, item in enumerate(step.add)]
    problems: list[str] = []
    for where, item in lines:
        limit = item.power_limit_w
        part = catalog.get(item.part) if limit is not None else None
        if limit is None or part is None:
            continue
        if not isinstance(part, GpuPart):
            problems.append(f"{where}.power_limit_w: only GPU lines take a power limit")
            continue
        problem = limit_problem(part, limit)
        if problem:
            problems.append(f"{where}.power_limit_w: {problem}")
    return problems


def limit_problem(gpu: GpuPart, limit: int) -> str | None:
    """Say why a card does not take ``limit`` watts, or return None when it does."""
    top, why = max_power_limit_w(gpu)
    if limit <= 0:
        return f"{limit} W is not a power limit (it must be above 0 W)"
    if limit > top:
        return f"{limit} W is above {top} W, {why} ({gpu.title})"
    if gpu.power_limit_min_w is not None and limit < gpu.power_limit_min_w:
        return (
            f"{limit} W is below the {gpu.power_limit_min_w} W minimum power limit of the "
            f"{gpu.title}"
        )
    return None


def limit_build(build: Build, catalog: Catalog, limit: int) -> Build:
    """Return the build with every GPU line whose stock power is above ``limit`` capped to it.

    Lines already at a lower limit keep theirs; plan additions are capped too.
    """

    def cap(item: BuildItem) -> BuildItem:
        part = catalog.get(item.part)
        if not isinstance(part, GpuPart) or (part.tdp_w or 0) <= limit:
            return item
        if item.power_limit_w is not None and item.power_limit_w <= limit:
            return item
        return item.model_copy(update={"power_limit_w": limit})

    plan = tuple(
        step.model_copy(update={"add": tuple(cap(i) for i in step.add)}) for step in build.plan
    )
    return build.model_copy(update={"items": tuple(cap(i) for i in build.items), "plan": plan})
