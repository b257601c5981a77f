"""Named sets of cost assumptions, and the cloud offers compared when none are chosen.

``article-2019`` reproduces Jeff Chen, "Why building your own Deep Learning Computer is 10x
cheaper than AWS" (medium.com/the-mission): its electricity price, power draw, utilization,
depreciation and horizon, and AWS p3 prices with the article's commitment discounts. It carries
its own offers, so it works with any catalog. ``today`` uses the catalog's prices.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from pydantic import ValidationError

from dlplanner.domain.build import Assumptions, Build, CloudPlan, CompareEntry
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.cloud import CloudChoice, available_plans
from dlplanner.domain.machine import machine_from_build
from dlplanner.domain.parts import CloudOffer, Throughput

ARTICLE_URL = (
    "https://medium.com/the-mission/"
    "why-building-your-own-deep-learning-computer-is-10x-cheaper-than-aws-b1c91b55ce8c"
)
# clouds.md §1.1 [SP-AWS]: skypilot-catalog catalogs/v7/aws/vms.csv (about spring 2025) lists
# p3.2xlarge at $3.06 and p3.8xlarge at $12.24; the AWS Price List bulk file for us-east-1
# published 2026-09-25 [anon-2026-09] has the same prices. Same source as catalog/cloud.yaml.
SKYPILOT_AWS_URL = (
    "https://github.com/skypilot-org/skypilot-catalog/blob/"
    "27f67dd4e1bc0d35fa0ec075180ad54b230882c4/catalogs/v7/aws/vms.csv"
)
P3_PRICE_DATE = dt.date(2026, 9, 25)
# gpus.md §3: V100 is the base of the relative-throughput table (Lambda's benchmarks).
LAMBDA_BENCHMARK_URL = "https://github.com/lambdal/deeplearning-benchmark"
# The article's commitment discounts (clouds.md §1.3: "article assumes -35% / -60%";
# AWS's own P3 reserved prices were not confirmed).
ARTICLE_RESERVED_1Y_DISCOUNT = 0.35
ARTICLE_RESERVED_3Y_DISCOUNT = 0.60

# EIA, Electric Power Monthly table 5.6 (average price to residential customers). EIA's
# January 2025 Short-Term Energy Outlook expected the 2025 U.S. residential average to be 2 %
# above 2024's (about 16.5 cents, recalled, not re-read here): about 17 cents per kWh.
EIA_URL = "https://www.eia.gov/electricity/monthly/epm_table_grapher.php?t=table_5_06_a"
TODAY_USD_PER_KWH = 0.17
# clouds.md §1.8: AWS EBS gp3, $0.08 per GB-month (AWS Pricing API, us-east-1, 2026-09-19).
TODAY_STORAGE_USD_PER_GB_MONTH = 0.08

DEFAULT_OFFER_COUNT = 3

MARKETPLACES = frozenset({"vast.ai"})
"""Providers that are marketplaces of other people's machines (the cheapest hours)."""
"""How many catalog offers are compared when nothing else names any."""

_V100 = Throughput(fp32=1.0, mixed=1.0, basis="measured", source=LAMBDA_BENCHMARK_URL)


def _p3(instance: str, gpus: int, price: float, vcpus: int, ram_gb: float) -> CloudOffer:
    return CloudOffer(
        id=f"aws-{instance.replace('.', '-')}",
        brand="AWS",
        name=f"AWS {instance} ({gpus}x V100 16 GB, article prices)",
        provider="AWS",
        instance=instance,
        gpu_model="Tesla V100 16GB",
        gpu_count=gpus,
        vram_gb=16,
        vcpus=vcpus,
        ram_gb=ram_gb,
        region="us-east-1",
        price_usd=price,
        price_date=P3_PRICE_DATE,
        price_source=SKYPILOT_AWS_URL,
        reserved_1y_discount=ARTICLE_RESERVED_1Y_DISCOUNT,
        reserved_3y_discount=ARTICLE_RESERVED_3Y_DISCOUNT,
        commitment_source=ARTICLE_URL,
        throughput=_V100,
        sources=[SKYPILOT_AWS_URL, ARTICLE_URL],
        notes="Offer of the article-2019 preset; commitment prices are the article's discounts.",
    )


ARTICLE_OFFERS: tuple[CloudOffer, ...] = (
    _p3("p3.2xlarge", 1, 3.06, 8, 61),
    _p3("p3.8xlarge", 4, 12.24, 32, 244),
)
"""AWS p3 instances as the article priced them (on-demand, 1-year -35 %, 3-year -60 %)."""


@dataclass(frozen=True, slots=True)
class Preset:
    """A named set of assumption values, with the offers it compares (if it has its own)."""

    name: str
    title: str
    updates: Mapping[str, object]
    """The assumption fields the preset sets; the others keep their values."""
    offers: tuple[CloudOffer, ...] = ()
    plans: tuple[CloudPlan, ...] = ()
    """Plans to compare its offers on; empty: every plan an offer has a price for."""


PRESETS: Mapping[str, Preset] = MappingProxyType(
    {
        "article-2019": Preset(
            name="article-2019",
            title="Jeff Chen's 2019 article: 1 kW per GPU box, 100 % use, AWS p3, 12 months",
            updates=MappingProxyType(
                {
                    "preset": "article-2019",
                    "months": 12,
                    "utilization": 1.0,
                    "electricity_usd_per_kwh": 0.20,
                    "power_kw": 1.0,
                    "power_kw_per_extra_gpu": 1.0 / 3.0,  # 1 kW with 1 GPU, 2 kW with 4
                    "idle_power_w": 0.0,
                    "depreciation_years": 3.0,
                    "residual_fraction": 0.0,
                    "sales_tax": 0.0,
                    # The article's $0.10 per GB-month; its GB amount could not be sourced,
                    # so storage_gb is left as it is (0 unless the build or a flag sets it).
                    "storage_usd_per_gb_month": 0.10,
                    "egress_gb_per_month": 0.0,
                    "normalize": "none",
                    "commitment_full_term": False,
                    "cloud_scaling": "instance",
                }
            ),
            offers=ARTICLE_OFFERS,
            plans=("on-demand", "reserved-1y", "reserved-3y"),
        ),
        "today": Preset(
            name="today",
            title="Catalog prices, $0.17/kWh, draw from the parts' TDPs, 36 months",
            updates=MappingProxyType(
                {
                    "preset": "today",
                    "months": 36,
                    "electricity_usd_per_kwh": TODAY_USD_PER_KWH,
                    "power_kw": None,
                    "power_kw_per_extra_gpu": None,
                    "storage_usd_per_gb_month": TODAY_STORAGE_USD_PER_GB_MONTH,
                }
            ),
        ),
    }
)
"""Every preset by name."""


def get_preset(name: str) -> Preset:
    """Return the preset called ``name``; a ValueError names the known ones."""
    try:
        return PRESETS[name]
    except KeyError:
        known = ", ".join(PRESETS)
        raise ValueError(f"unknown preset {name!r} (known: {known})") from None


def apply_preset(assumptions: Assumptions, name: str) -> Assumptions:
    """Set the preset's values over the assumptions."""
    values = assumptions.model_dump()
    values.update(get_preset(name).updates)
    try:
        return Assumptions.model_validate(values)
    except ValidationError as exc:  # only if a preset itself is wrong
        raise ValueError(f"preset {name!r} is invalid: {exc.errors()[0]['msg']}") from None


def preset_offers(name: str | None) -> tuple[CloudOffer, ...]:
    """Return the offers a preset carries (none for an unknown or offer-less preset)."""
    preset = PRESETS.get(name) if name else None
    return preset.offers if preset else ()


def with_preset(build: Build, catalog: Catalog, name: str) -> Build:
    """Return the build with a cost preset's assumptions, and its own offers if it has any.

    A preset's offers are compared as :func:`default_choices` sizes them to the GPUs the
    build has today.
    """
    changes: dict[str, Any] = {"assumptions": apply_preset(build.assumptions, name)}
    if PRESETS[name].offers:
        machine = machine_from_build(build, catalog)
        gpus = machine.stages[0].gpus if machine.stages else 0
        choices = default_choices(name, catalog, gpus)
        changes["compare"] = tuple(CompareEntry(offer=c.offer.id, plan=c.plan) for c in choices)
    return build.model_copy(update=changes)


def offers_to_pick(preset: str | None, catalog: Catalog) -> list[CloudOffer]:
    """Return the offers to choose from: the catalog's, with the preset's own in their place.

    A preset's offer that the catalog has (by id) stands where the catalog lists it; the
    preset's others come first.
    """
    own = {offer.id: offer for offer in preset_offers(preset)}
    listed = [
        own.pop(part.id, part) for part in catalog.of_kind("cloud") if isinstance(part, CloudOffer)
    ]
    return [*own.values(), *listed]


def default_choices(
    preset: str | None, catalog: Catalog, gpus: int, mixed_per_gpu: float | None = None
) -> list[CloudChoice]:
    """Choose what to compare with when nothing names an offer.

    A preset with offers compares its offer with ``gpus`` GPUs (else its smallest) on its
    plans. Otherwise, on demand: the AWS offer nearest the build's GPUs (the same number of
    GPUs, then the per-GPU mixed-precision throughput nearest ``mixed_per_gpu``, then the
    lower price) and the cheapest marketplace offer (:data:`MARKETPLACES`; the same number
    of GPUs, then the lowest price per V100-equivalent hour). A catalog with neither gets
    its :data:`DEFAULT_OFFER_COUNT` offers with the lowest on-demand price per
    V100-equivalent hour (mixed precision; offers without a throughput come last, by price
    per GPU-hour).
    """
    own = PRESETS.get(preset) if preset else None
    if own is not None and own.offers:
        sized = [offer for offer in own.offers if offer.gpu_count == gpus]
        offer = sized[0] if sized else min(own.offers, key=lambda o: o.gpu_count)
        plans = own.plans or available_plans(offer)
        return [CloudChoice(offer, plan) for plan in plans]

    def cost_of_work(offer: CloudOffer) -> tuple[float, float, str]:
        per_gpu = (offer.price_usd or 0.0) / offer.gpu_count
        mixed = offer.throughput.mixed if offer.throughput else None
        return (per_gpu / mixed if mixed else float("inf"), per_gpu, offer.id)

    def nearness(offer: CloudOffer) -> tuple[int, float, float, str]:
        mixed = offer.throughput.mixed if offer.throughput else None
        apart = abs(math.log(mixed / mixed_per_gpu)) if mixed and mixed_per_gpu else math.inf
        return (abs(offer.gpu_count - max(gpus, 1)), apart, offer.price_usd or 0.0, offer.id)

    offers = [
        part
        for part in catalog.of_kind("cloud")
        if isinstance(part, CloudOffer) and part.price_usd is not None
    ]
    aws = [o for o in offers if o.provider == "AWS"]
    market = [o for o in offers if o.provider in MARKETPLACES]
    picked = ([min(aws, key=nearness)] if aws else []) + (
        [min(market, key=lambda o: (abs(o.gpu_count - max(gpus, 1)), *cost_of_work(o)))]
        if market
        else []
    )
    if picked:
        return [CloudChoice(offer, "on-demand") for offer in picked]
    offers.sort(key=cost_of_work)
    return [CloudChoice(offer, "on-demand") for offer in offers[:DEFAULT_OFFER_COUNT]]
