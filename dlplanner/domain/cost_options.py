"""The ``cost`` command's flags as data, applied over a build's assumptions.

Flags override the build file's assumptions (a ``--preset`` first, then each flag); without
a build file they describe the machine on their own (``--build-cost``, ``--gpus``). Bad input
raises ValueError with a one-line message naming the flag.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from pydantic import ValidationError

from dlplanner.domain.build import CLOUD_PLANS, Assumptions, Build, CloudPlan
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.cloud import CloudChoice, available_plans, resolve_compare
from dlplanner.domain.costs import CostComparison, compare_machine
from dlplanner.domain.machine import Machine, gpus_now, machine_from_build, quick_build
from dlplanner.domain.parts import CloudOffer
from dlplanner.domain.presets import apply_preset, default_choices, preset_offers

CUSTOM_OFFER_ID = "custom"

# flag attribute -> (Assumptions field, flag as the user typed it)
_ASSUMPTION_FLAGS: dict[str, tuple[str, str]] = {
    "kwh_price": ("electricity_usd_per_kwh", "--kwh-price"),
    "power_kw": ("power_kw", "--power-kw"),
    "utilization": ("utilization", "--utilization"),
    "months": ("months", "--months"),
    "depreciation_years": ("depreciation_years", "--depreciation-years"),
    "residual": ("residual_fraction", "--residual"),
    "storage_gb": ("storage_gb", "--storage-gb"),
    "storage_price": ("storage_usd_per_gb_month", "--storage-price"),
    "normalize": ("normalize", "--normalize"),
}


@dataclass(frozen=True, slots=True)
class CostOptions:
    """The ``cost`` command's flags; None (or empty) means "not given"."""

    preset: str | None = None
    build_cost: float | None = None
    gpus: int | None = None
    power_kw: float | None = None
    kwh_price: float | None = None
    utilization: float | None = None
    months: int | None = None
    depreciation_years: float | None = None
    residual: float | None = None
    cloud: tuple[str, ...] = ()
    cloud_price: float | None = None
    plans: tuple[CloudPlan, ...] = ()
    storage_gb: float | None = None
    storage_price: float | None = None
    normalize: str | None = None

    @classmethod
    def from_mapping(cls, flags: Mapping[str, Any]) -> CostOptions:
        """Options from parsed flags (``vars(args)``); other keys are ignored."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in flags.items() if k in known and v is not None}
        values["cloud"] = tuple(values.get("cloud", ()))
        values["plans"] = parse_plans(values.get("plans", ()))
        return cls(**values)


def parse_plans(plans: str | Sequence[str]) -> tuple[CloudPlan, ...]:
    """``on-demand,reserved-1y`` (or a list of names) as plans; ValueError on an unknown one."""
    names = plans.split(",") if isinstance(plans, str) else list(plans)
    result: list[CloudPlan] = []
    for raw in names:
        name = raw.strip()
        if not name:
            continue
        if name not in CLOUD_PLANS:
            raise ValueError(f"--plans: unknown plan {name!r} (known: {', '.join(CLOUD_PLANS)})")
        result.append(name)
    return tuple(dict.fromkeys(result))


def apply_options(assumptions: Assumptions, options: CostOptions) -> Assumptions:
    """Set the preset (if any), then every given flag, over the assumptions."""
    if options.preset:
        assumptions = apply_preset(assumptions, options.preset)
    values = assumptions.model_dump()
    for attr, (field, _flag) in _ASSUMPTION_FLAGS.items():
        value = getattr(options, attr)
        if value is not None:
            values[field] = value
    if options.power_kw is not None:
        values["power_kw_per_extra_gpu"] = None  # a given draw is the whole machine's
    try:
        return Assumptions.model_validate(values)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else ""
        flag = next((f for name, f in _ASSUMPTION_FLAGS.values() if name == field), field)
        raise ValueError(f"{flag}: {error['msg'].lower()} (got {error['input']!r})") from None


def custom_offer(usd_per_hour: float, gpus: int) -> CloudOffer:
    """Make an on-demand offer at ``usd_per_hour`` for a cloud machine with ``gpus`` GPUs."""
    if not (math.isfinite(usd_per_hour) and 0 < usd_per_hour < 10_000_000):
        raise ValueError(f"--cloud-price: must be a positive $ per hour (got {usd_per_hour!r})")
    # A user's number, not catalog data: it has no sources to validate.
    return CloudOffer.model_construct(
        id=CUSTOM_OFFER_ID,
        brand="Custom",
        name=f"Custom offer at ${usd_per_hour:g}/h",
        provider="custom",
        instance="custom",
        gpu_model="unknown",
        gpu_count=max(gpus, 1),
        price_usd=usd_per_hour,
        sources=[],
    )


def _replan(choices: Sequence[CloudChoice], plans: Sequence[CloudPlan]) -> list[CloudChoice]:
    offers = list({c.offer.id: c.offer for c in choices}.values())
    return [CloudChoice(offer, plan) for offer in offers for plan in plans]


def choose_offers(
    options: CostOptions,
    catalog: Catalog,
    build: Build | None,
    assumptions: Assumptions,
    gpus: int,
    mixed_per_gpu: float | None = None,
) -> tuple[list[CloudChoice], list[str]]:
    """Choose what to compare with: the flags' offers, else the build's, else the defaults."""
    plans = options.plans
    extra = preset_offers(assumptions.preset)
    if options.cloud or options.cloud_price is not None:
        by_id = {offer.id: offer for offer in extra}
        choices: list[CloudChoice] = []
        for offer_id in options.cloud:
            offer = by_id.get(offer_id) or catalog.get(offer_id)
            if not isinstance(offer, CloudOffer):
                raise ValueError(f"--cloud: no cloud offer {offer_id!r} in the catalog")
            choices += [CloudChoice(offer, plan) for plan in plans or available_plans(offer)]
        if options.cloud_price is not None:
            custom = custom_offer(options.cloud_price, gpus)
            choices += [CloudChoice(custom, plan) for plan in plans or ("on-demand",)]
        return choices, []
    if build is not None and build.compare:
        choices, notes = resolve_compare(build.compare, catalog, extra)
        return (_replan(choices, plans) if plans else choices), notes
    choices = default_choices(assumptions.preset, catalog, gpus, mixed_per_gpu)
    return (_replan(choices, plans) if plans else choices), []


def compare_from_options(
    options: CostOptions, catalog: Catalog, build: Build | None = None
) -> CostComparison:
    """Run the comparison the ``cost`` command's flags describe."""
    machine: Machine
    if build is not None:
        if options.build_cost is not None or options.gpus is not None:
            raise ValueError(
                "--build-cost and --gpus describe a machine without a build FILE; "
                "give one or the other"
            )
        base = build.assumptions
        machine = machine_from_build(build, catalog)
    else:
        if options.build_cost is None:
            raise ValueError("give a build FILE or --build-cost USD")
        base = Assumptions()
        machine = quick_build(options.build_cost, 1 if options.gpus is None else options.gpus)
    assumptions = apply_options(base, options)
    choices, notes = choose_offers(options, catalog, build, assumptions, *gpus_now(machine))
    return compare_machine(machine, assumptions, choices, notes)
