"""The machine as the cost model sees it: what is bought when, its GPUs, draw and speed.

A :class:`Machine` is a build reduced to numbers, one :class:`StageProfile` per purchase
month. :func:`machine_from_build` reads a build through the catalog;
:func:`quick_build` describes a machine without a build file (the CLI calculator).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from dlplanner.domain.build import Build, BuildItem
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.cloud import ThroughputBasis
from dlplanner.domain.power import estimate_groups, throughput_share

MAX_GPUS = 1024


@dataclass(frozen=True, slots=True)
class StageProfile:
    """The machine from ``month`` on, and the pre-tax price of what was bought then."""

    month: int
    purchase_usd: float
    gpus: int
    tdp_w: float = 0.0
    """Sum of the known GPU (at their power limits) and CPU power, from the power model."""
    load_kw: float | None = None
    """A given draw while training; when set it replaces the TDP estimate."""
    fp32: float | None = None
    """Summed relative throughput of the GPUs (V100 = 1.0); None if any is unknown."""
    mixed: float | None = None
    unknown_tdp: tuple[str, ...] = ()
    unknown_fp32: tuple[str, ...] = ()
    unknown_mixed: tuple[str, ...] = ()

    def throughput(self, basis: ThroughputBasis) -> float | None:
        """Return the GPUs' summed throughput on one basis, or None if any is unknown."""
        return self.fp32 if basis == "fp32" else self.mixed

    def missing_throughput(self, basis: ThroughputBasis) -> tuple[str, ...]:
        """Name the GPUs whose throughput on ``basis`` is unknown."""
        return self.unknown_fp32 if basis == "fp32" else self.unknown_mixed


@dataclass(frozen=True, slots=True)
class Machine:
    """A build reduced to cost-model numbers; stages are in month order."""

    stages: tuple[StageProfile, ...]
    notes: tuple[str, ...] = ()
    unpriced: tuple[str, ...] = ()
    """Titles of the parts bought without a price: left out of every total."""


def _sum_throughput(
    items: Iterable[BuildItem], catalog: Catalog
) -> tuple[float | None, float | None, tuple[str, ...], tuple[str, ...]]:
    """Sum the GPUs' throughput, each scaled to its power limit (an estimate)."""
    fp32 = mixed = 0.0
    no_fp32: list[str] = []
    no_mixed: list[str] = []
    for item in items:
        gpu = catalog.gpu(item.part)
        if gpu is None:
            continue
        speed = gpu.throughput
        speed_share = throughput_share(item.power_limit_w, gpu.tdp_w)
        share = speed_share * item.qty
        if speed is None or speed.fp32 is None:
            no_fp32.append(gpu.id)
        else:
            fp32 += speed.fp32 * share
        if speed is None or speed.mixed is None:
            no_mixed.append(gpu.id)
        else:
            mixed += speed.mixed * share
    return (
        None if no_fp32 else fp32,
        None if no_mixed else mixed,
        tuple(dict.fromkeys(no_fp32)),
        tuple(dict.fromkeys(no_mixed)),
    )


def machine_from_build(build: Build, catalog: Catalog) -> Machine:
    """Reduce a build and its upgrade plan to one stage per purchase, in month order."""
    groups: list[tuple[int, tuple[BuildItem, ...]]] = [(0, build.items)]
    groups += [(step.month, step.add) for step in sorted(build.plan, key=lambda s: s.month)]
    cumulative: list[BuildItem] = []
    bought: list[tuple[BuildItem, ...]] = []
    stages: list[StageProfile] = []
    notes: list[str] = []
    unpriced: list[str] = []
    for month, added in groups:
        cumulative.extend(added)
        bought.append(added)
        purchase = 0.0
        for item in added:
            price = catalog.unit_price(item)
            if price is None:
                unpriced.append(catalog.title(item.part))
            else:
                purchase += price * item.qty
        power = estimate_groups(bought, catalog, other_w=0.0)
        fp32, mixed, no_fp32, no_mixed = _sum_throughput(cumulative, catalog)
        stages.append(
            StageProfile(
                month=month,
                purchase_usd=purchase,
                gpus=power.gpu_count,
                tdp_w=power.total_w,
                fp32=fp32,
                mixed=mixed,
                unknown_tdp=power.missing,
                unknown_fp32=no_fp32,
                unknown_mixed=no_mixed,
            )
        )
    if any(item.power_limit_w is not None for item in cumulative):
        notes.append(
            "GPU throughput scaled to the power limits (an estimate from a published RTX 3090 "
            "training curve; see the README, 'Power')"
        )
    return Machine(tuple(stages), tuple(dict.fromkeys(notes)), tuple(dict.fromkeys(unpriced)))


def quick_build(
    build_cost_usd: float,
    gpus: int = 1,
    power_kw: float | None = None,
    *,
    fp32: float | None = None,
    mixed: float | None = None,
) -> Machine:
    """Describe a machine bought at once for ``build_cost_usd`` with ``gpus`` GPUs.

    ``power_kw`` is its draw while training; ``fp32`` and ``mixed`` are the relative
    throughput of one of its GPUs (V100 = 1.0), unknown when left out.
    """
    if not math.isfinite(build_cost_usd) or build_cost_usd < 0:
        raise ValueError(f"build cost must be a positive number of dollars, not {build_cost_usd}")
    if not 0 <= gpus <= MAX_GPUS:
        raise ValueError(f"GPU count must be between 0 and {MAX_GPUS}, not {gpus}")
    if power_kw is not None and not (math.isfinite(power_kw) and power_kw > 0):
        raise ValueError(f"power must be a positive number of kW, not {power_kw}")
    for name, value in (("fp32", fp32), ("mixed", mixed)):
        if value is not None and not (math.isfinite(value) and value > 0):
            raise ValueError(f"{name} throughput must be positive, not {value}")
    unknown = ("the machine's GPUs",) if gpus else ()
    stage = StageProfile(
        month=0,
        purchase_usd=build_cost_usd,
        gpus=gpus,
        load_kw=power_kw,
        fp32=None if fp32 is None else fp32 * gpus,
        mixed=None if mixed is None else mixed * gpus,
        unknown_tdp=("the machine's parts",),
        unknown_fp32=unknown if fp32 is None else (),
        unknown_mixed=unknown if mixed is None else (),
    )
    return Machine((stage,))


def gpus_now(machine: Machine) -> tuple[int, float | None]:
    """Return the GPUs bought now and their mean mixed-precision throughput (V100 = 1)."""
    first = machine.stages[0] if machine.stages else None
    if first is None or not first.gpus:
        return 0, None
    return first.gpus, (first.mixed / first.gpus if first.mixed else None)
