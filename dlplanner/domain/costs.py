"""The cost model: owning a machine against renting cloud GPUs, month by month.

Money is in US dollars and a month is 730 hours (8,760 / 12). A series has one value per
month boundary ``t = 0 … months``: what has been spent (or consumed) ``t`` months after the
first purchase, counting what is bought at ``t``. Owning has two views of the same money:
*value consumed* (depreciation + electricity) and *cash spent* (purchases + electricity).
Every total is linear in the utilization, which gives the break-even utilization in closed
form. :func:`compare_costs` is cheap enough to call on every edit or slider move.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from dlplanner.domain.build import Assumptions, Build, CloudPlan
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.cloud import (
    COMMITMENT_MONTHS,
    CloudChoice,
    ThroughputBasis,
    offer_throughput,
    plan_rate,
    resolve_compare,
)
from dlplanner.domain.machine import Machine, StageProfile, gpus_now, machine_from_build
from dlplanner.domain.power import training_kw
from dlplanner.domain.presets import default_choices, preset_offers
from dlplanner.domain.price_age import CLOUD_IMPORT_HINT, stale_note

HOURS_PER_MONTH = 8760.0 / 12.0
"""730 hours: the article's 8,760 hours a year, by month."""

Basis = Literal["equal-hours", "equal-work"]
Side = Literal["below", "above"]

_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class OwnCosts:
    """Owning over the horizon: the terms, both views, and the price of an hour of work."""

    purchase_usd: float
    electricity_usd: float
    depreciation_usd: float
    value_usd: float
    """Value consumed: depreciation + electricity."""
    cash_usd: float
    """Cash spent: purchases (tax included) + electricity."""
    book_value_usd: float
    """What the machine is still worth at the horizon: purchases - depreciation."""
    gpu_hours: float
    usd_per_gpu_hour: float | None
    usd_per_v100_hour: float | None


@dataclass(frozen=True, slots=True)
class CloudOption:
    """Renting one offer under one plan, for equal hours or for equal work."""

    choice: CloudChoice
    basis: Basis
    total_usd: float
    compute_usd: float
    storage_usd: float
    egress_usd: float
    ratio: float | None
    """Total over owning's value consumed."""
    break_even_months: float | None
    """When cumulative cloud spend reaches owning's cash spent; None if not in the horizon."""
    break_even_utilization: float | None
    """Utilization at which renting and owning (value consumed) cost the same."""
    renting_cheaper: Side | None
    """On which side of the break-even utilization renting is cheaper."""
    gpu_hours: float
    usd_per_gpu_hour: float | None
    usd_per_v100_hour: float | None
    series: tuple[float, ...]

    @property
    def offer_id(self) -> str:
        """The offer's catalog id."""
        return self.choice.offer.id

    @property
    def plan(self) -> CloudPlan:
        """The plan the offer is rented under."""
        return self.choice.plan

    @property
    def key(self) -> str:
        """``offer:plan``, with ``:equal-work`` for the equal-work basis."""
        return self.choice.key if self.basis == "equal-hours" else f"{self.choice.key}:equal-work"


@dataclass(frozen=True, slots=True)
class CostSeries:
    """Cumulative costs at each month boundary, ready to plot."""

    months: tuple[int, ...]
    own_value: tuple[float, ...]
    own_cash: tuple[float, ...]
    cloud: Mapping[str, tuple[float, ...]]
    """Each option's series by :attr:`CloudOption.key`."""


@dataclass(frozen=True, slots=True)
class CostComparison:
    """Everything the cost panel, the CLI and the report show."""

    own: OwnCosts
    options: tuple[CloudOption, ...]
    series: CostSeries
    assumptions: Assumptions
    notes: tuple[str, ...] = ()
    """What could not be computed or was assumed (missing prices, throughput, plans)."""
    gpus: int = 0
    """The most GPUs the machine has within the horizon; 0 means no GPUs to compare."""
    equal_work: tuple[CloudOption, ...] = ()
    """The equal-work option of each choice whose throughput is known, on the assumptions'
    basis (mixed precision when they compare equal hours only): what the headline puts
    beside the equal-hours figure, even when the table shows equal hours only."""
    unpriced: tuple[str, ...] = ()
    """Titles of the parts without a price: owning's totals are low by their cost."""

    def equal_work_of(self, option: CloudOption) -> CloudOption | None:
        """Return the equal-work option for the same offer and plan, or None if unknown."""
        for other in self.equal_work:
            if other.choice == option.choice:
                return other
        return None

    @property
    def no_gpus(self) -> bool:
        """Whether the machine has no GPU to compare with the cloud (no options then)."""
        return self.gpus == 0

    def option(self, offer_id: str, plan: CloudPlan, basis: Basis = "equal-hours") -> CloudOption:
        """Return the option for one offer, plan and basis; KeyError if it is not there."""
        for option in self.options:
            if option.offer_id == offer_id and option.plan == plan and option.basis == basis:
                return option
        raise KeyError(f"{offer_id}:{plan} ({basis})")


@dataclass(frozen=True, slots=True)
class _Owning:
    costs: OwnCosts
    electricity: list[float]
    value: tuple[float, ...]
    cash: tuple[float, ...]
    value_at_0: float
    value_slope: float
    """Value consumed at utilization 0, and its growth per unit of utilization."""


def _active_stages(stages: Sequence[StageProfile], months: int) -> list[StageProfile | None]:
    """List the stage in force during each month (None before the first purchase)."""
    ordered = sorted(stages, key=lambda s: s.month)
    active: list[StageProfile | None] = []
    index = -1
    for month in range(months):
        while index + 1 < len(ordered) and ordered[index + 1].month <= month:
            index += 1
        active.append(ordered[index] if index >= 0 else None)
    return active


def _load_kw(stage: StageProfile, a: Assumptions, notes: list[str]) -> float:
    """Draw while training: the given kW, else the TDP estimate."""
    if a.power_kw is not None:
        return a.power_kw + max(stage.gpus - 1, 0) * (a.power_kw_per_extra_gpu or 0.0)
    if stage.load_kw is not None:
        return stage.load_kw
    if stage.unknown_tdp:
        missing = ", ".join(stage.unknown_tdp)
        notes.append(f"no TDP for {missing}: the power estimate counts it as 0 W (give power_kw)")
    return training_kw(stage.tdp_w, a.load_factor, a.base_power_w)


def _work(stage: StageProfile, basis: ThroughputBasis) -> float | None:
    """Sum a stage's GPU throughput; a stage without GPUs does no work."""
    return 0.0 if stage.gpus == 0 else stage.throughput(basis)


def _own(
    machine: Machine,
    a: Assumptions,
    active: list[StageProfile | None],
    basis: ThroughputBasis,
    notes: list[str],
) -> _Owning:
    months, u, hours = a.months, a.utilization, HOURS_PER_MONTH
    purchases = [0.0] * months
    depreciation = [0.0] * months
    life = 12.0 * a.depreciation_years
    for stage in machine.stages:
        if stage.month >= months:
            if stage.purchase_usd:
                notes.append(f"the purchase at month {stage.month} is after the horizon: left out")
            continue
        amount = stage.purchase_usd * (1.0 + a.sales_tax)
        purchases[stage.month] += amount
        per_month = amount * (1.0 - a.residual_fraction) / life
        for j in range(min(math.ceil(life), months - stage.month)):
            depreciation[stage.month + j] += per_month * (min(j + 1.0, life) - j)

    usd_per_kwh = a.electricity_usd_per_kwh
    idle_usd = a.idle_power_w / 1000.0 * hours * usd_per_kwh
    loads = {id(s): _load_kw(s, a, notes) * hours * usd_per_kwh for s in machine.stages}
    load_usd = [loads[id(s)] if s else 0.0 for s in active]
    idle = [idle_usd if s else 0.0 for s in active]
    electricity = [u * load + (1.0 - u) * rest for load, rest in zip(load_usd, idle, strict=True)]

    gpu_months = sum(s.gpus for s in active if s)
    works = [_work(s, basis) for s in active if s]
    work_months = None if any(w is None for w in works) else sum(w or 0.0 for w in works)
    if work_months is None:
        missing = sorted({g for s in active if s for g in s.missing_throughput(basis)})
        notes.append(f"$ per V100-hour: no {basis} throughput for {', '.join(missing)}")

    value = [0.0] * (months + 1)
    cash = [0.0] * (months + 1)
    cash[0] = purchases[0]
    for t in range(months):
        value[t + 1] = value[t] + depreciation[t] + electricity[t]
        cash[t + 1] = cash[t] + electricity[t] + (purchases[t + 1] if t + 1 < months else 0.0)

    dep_total, elec_total, bought = sum(depreciation), sum(electricity), sum(purchases)
    gpu_hours = gpu_months * u * hours
    value_total = value[months]
    costs = OwnCosts(
        purchase_usd=bought,
        electricity_usd=elec_total,
        depreciation_usd=dep_total,
        value_usd=value_total,
        cash_usd=cash[months],
        book_value_usd=bought - dep_total,
        gpu_hours=gpu_hours,
        usd_per_gpu_hour=value_total / gpu_hours if gpu_hours > 0 else None,
        usd_per_v100_hour=(
            value_total / (work_months * u * hours) if work_months and u > 0 else None
        ),
    )
    return _Owning(
        costs=costs,
        electricity=electricity,
        value=tuple(value),
        cash=tuple(cash),
        value_at_0=dep_total + sum(idle),
        value_slope=sum(load_usd) - sum(idle),
    )


def _book_commitments(units: list[float], usd_per_unit_term: float, term: int) -> list[float]:
    """Whole-term charges: each added unit commits at its month and renews every term."""
    lumps = [0.0] * len(units)
    held = 0.0
    for month, count in enumerate(units):
        extra = count - held
        if extra > _EPS:
            for start in range(month, len(units), term):
                lumps[start] += usd_per_unit_term * extra
            held = count
    return lumps


def break_even_month(
    cloud: Sequence[float],
    own: Sequence[float],
    cloud_flow: Sequence[float],
    own_flow: Sequence[float],
) -> float | None:
    """First time cumulative cloud spend reaches owning's, linear within a month.

    ``cloud`` and ``own`` are cumulative series (one more value than months); the flows are
    what each side spends during each month, between the lump sums at month boundaries.
    """
    for t in range(len(cloud_flow)):
        start = cloud[t] - own[t]
        if start >= 0:
            return float(t)
        end = start + cloud_flow[t] - own_flow[t]
        if end >= 0:
            return t + (-start) / (end - start)
    return None


def break_even_utilization(
    cloud_at_0: float, cloud_slope: float, own_at_0: float, own_slope: float
) -> tuple[float | None, Side | None]:
    """Where two costs linear in the utilization meet in [0, 1], and where renting wins."""
    gap_at_0 = cloud_at_0 - own_at_0
    slope = cloud_slope - own_slope
    if abs(slope) <= _EPS * max(1.0, abs(gap_at_0)):
        return None, None
    u = -gap_at_0 / slope
    if not -_EPS <= u <= 1.0 + _EPS:
        return None, None
    return min(max(u, 0.0), 1.0), "below" if slope > 0 else "above"


def _cloud_option(
    choice: CloudChoice,
    basis: Basis,
    rate: float,
    gpus: list[float],
    a: Assumptions,
    owning: _Owning,
    v100_basis: ThroughputBasis,
) -> CloudOption:
    """One option from the cloud GPUs it rents in each month."""
    months, u, hours = a.months, a.utilization, HOURS_PER_MONTH
    per_instance = choice.offer.gpu_count
    if a.cloud_scaling == "instance":
        units = [n / per_instance for n in gpus]
    else:
        units = [float(math.ceil(n / per_instance - _EPS)) for n in gpus]
    storage = a.storage_gb * a.storage_usd_per_gb_month
    egress = a.egress_gb_per_month * a.egress_usd_per_gb
    term = COMMITMENT_MONTHS.get(choice.plan)
    full_hours = [rate * x * hours for x in units]
    lumps = [0.0] * months
    usage_slope = 0.0
    if term is None:
        compute = [h * u for h in full_hours]
        usage_slope = sum(full_hours)
    elif a.commitment_full_term:
        compute = [0.0] * months
        lumps = _book_commitments(units, rate * term * hours, term)
    else:
        compute = full_hours
    flow = [c + storage + egress for c in compute]

    series = [0.0] * (months + 1)
    series[0] = lumps[0]
    for t in range(months):
        series[t + 1] = series[t] + flow[t] + (lumps[t + 1] if t + 1 < months else 0.0)
    total = series[months]

    own = owning.costs
    at_0 = total - usage_slope * u
    utilization, side = break_even_utilization(
        at_0, usage_slope, owning.value_at_0, owning.value_slope
    )
    gpu_hours = sum(gpus) * u * hours
    speed = offer_throughput(choice.offer, v100_basis)
    return CloudOption(
        choice=choice,
        basis=basis,
        total_usd=total,
        compute_usd=sum(compute) + sum(lumps),
        storage_usd=storage * months,
        egress_usd=egress * months,
        ratio=total / own.value_usd if own.value_usd > 0 else None,
        break_even_months=break_even_month(series, owning.cash, flow, owning.electricity),
        break_even_utilization=utilization,
        renting_cheaper=side,
        gpu_hours=gpu_hours,
        usd_per_gpu_hour=total / gpu_hours if gpu_hours > 0 else None,
        usd_per_v100_hour=total / (gpu_hours * speed) if gpu_hours > 0 and speed else None,
        series=tuple(series),
    )


def _equal_work_gpus(
    choice: CloudChoice,
    active: list[StageProfile | None],
    basis: ThroughputBasis,
    notes: list[str],
) -> list[float] | None:
    """Cloud GPUs doing each month's work of the own GPUs, or None (with a note) if unknown."""
    speed = offer_throughput(choice.offer, basis)
    if speed is None:
        notes.append(
            f"equal work: no {basis} throughput for {choice.offer.id}: shown for equal hours only"
        )
        return None
    works = [_work(s, basis) if s else 0.0 for s in active]
    if any(w is None for w in works):
        missing = sorted({g for s in active if s for g in s.missing_throughput(basis)})
        notes.append(
            f"equal work: no {basis} throughput for {', '.join(missing)}: "
            "shown for equal hours only"
        )
        return None
    return [(w or 0.0) / speed for w in works]


def compare_machine(
    machine: Machine,
    assumptions: Assumptions | None = None,
    choices: Iterable[CloudChoice] = (),
    notes: Iterable[str] = (),
    today: dt.date | None = None,
) -> CostComparison:
    """Compare owning ``machine`` with each cloud choice over the assumptions' horizon.

    Each choice gives an equal-hours option (the cloud rents as many GPUs as the machine
    has, for the same hours) and, when ``assumptions.normalize`` asks for it and every
    throughput is known, an equal-work option (cloud GPUs scaled by own / cloud throughput).
    A choice whose offer has no price for its plan is left out with a note, and offers
    whose prices are older than six months (on ``today``) are named in one.
    """
    a = assumptions or Assumptions()
    said = list(machine.notes) + list(notes)
    active = _active_stages(machine.stages, a.months)
    v100_basis: ThroughputBasis = "mixed" if a.normalize == "none" else a.normalize
    owning = _own(machine, a, active, v100_basis, said)
    own_gpus = [float(s.gpus) if s else 0.0 for s in active]
    most_gpus = round(max(own_gpus, default=0.0))

    options: list[CloudOption] = []
    equal_work: list[CloudOption] = []
    basis: ThroughputBasis = "mixed" if a.normalize == "none" else a.normalize
    # without a GPU there is nothing to rent: no 0.00x ratios, no break-even at month 0
    for choice in choices if most_gpus else ():
        rate = plan_rate(choice.offer, choice.plan)
        if rate is None:
            said.append(f"{choice.offer.id} has no {choice.plan} price: left out")
            continue
        options.append(_cloud_option(choice, "equal-hours", rate, own_gpus, a, owning, v100_basis))
        shown = a.normalize != "none"
        gpus = _equal_work_gpus(choice, active, basis, said if shown else [])
        if gpus is not None:
            work = _cloud_option(choice, "equal-work", rate, gpus, a, owning, v100_basis)
            equal_work.append(work)
            if shown:
                options.append(work)

    stale = stale_note((o.choice.offer for o in options), CLOUD_IMPORT_HINT, today)
    if stale:
        said.append(f"cloud {stale}")
    series = CostSeries(
        months=tuple(range(a.months + 1)),
        own_value=owning.value,
        own_cash=owning.cash,
        cloud={option.key: option.series for option in options},
    )
    return CostComparison(
        owning.costs,
        tuple(options),
        series,
        a,
        tuple(dict.fromkeys(said)),
        most_gpus,
        tuple(equal_work),
        machine.unpriced,
    )


def compare_costs(
    build: Build,
    catalog: Catalog,
    assumptions: Assumptions | None = None,
    offers: Sequence[CloudChoice] | None = None,
) -> CostComparison:
    """Compare owning ``build`` with renting, reading prices, TDPs and speeds from the catalog.

    ``assumptions`` default to the build's. ``offers`` default to the build's ``compare``
    entries (looked up in the catalog and in the preset's own offers); when there are none,
    to the preset's offers or the catalog's cheapest (see :func:`presets.default_choices`).
    """
    a = assumptions or build.assumptions
    machine = machine_from_build(build, catalog)
    notes: list[str] = []
    if offers is None:
        offers, notes = resolve_compare(build.compare, catalog, preset_offers(a.preset))
        if not offers and not build.compare:
            offers = default_choices(a.preset, catalog, *gpus_now(machine))
    return compare_machine(machine, a, offers, notes)
