"""Turning price rows into dated, sourced catalog overrides, and saying what would change.

Pure functions over the catalog and the rows read from a price file (see
:mod:`dlplanner.domain.price_rows`): :func:`plan_skypilot` matches a SkyPilot ``vms.csv``
to the provider's offers (and proposes offers the catalog lacks), :func:`plan_own` applies
dlplanner's own price CSV to any catalog id. The result, an :class:`ImportPlan`, lists old →
new prices, new offers and skipped rows; its ``overrides`` are the entries to write into
the user's catalog folder. Nothing here reads or writes files.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from dlplanner.domain.catalog import Catalog
from dlplanner.domain.parts import CloudOffer, PartBase, Throughput
from dlplanner.domain.price_rows import PLACEHOLDER_SPECS, PROVIDERS, OwnRow, SkippedRow, VmRow

PREFERRED_REGION = {
    "aws": "us-east-1",
    "gcp": "us-central1",
    "azure": "eastus",
    "lambda": "us-east-1",
}
"""Where a new offer is priced when the file has that region (else its cheapest region)."""

ID_PREFIX = {
    "aws": "aws",
    "gcp": "gcp",
    "azure": "azure",
    "lambda": "lambda",
    "runpod": "runpod",
    "vast": "vastai",
}
"""How the ids of new offers start, per cloud (as in the shipped catalog)."""

GCP_FAMILIES = {
    "a2-highgpu": "A100",
    "a2-megagpu": "A100",
    "a2-ultragpu": "A100-80GB",
    "a3-highgpu": "H100",
    "a3-megagpu": "H100-MEGA",
    "a3-ultragpu": "H200",
    "a4-highgpu": "B200",
}
"""GCP machine families with GPUs built in → SkyPilot's name of the GPU (count: ``-Ng``)."""

GCP_G2_GPUS = {4: 1, 8: 1, 12: 1, 16: 1, 32: 1, 24: 2, 48: 4, 96: 8}
"""g2-standard-N → how many L4s it has (Google's machine table)."""

GPU_MAKERS = frozenset({"NVIDIA", "AMD"})
"""Accelerators of other makers (AWS Inferentia and Trainium, TPUs) are not GPU offers."""


@dataclass(frozen=True, slots=True)
class PriceChange:
    """One catalog entry whose price, spot price or price date changes."""

    id: str
    title: str
    old_price: float | None
    new_price: float
    old_spot: float | None
    new_spot: float | None
    old_date: dt.date | None
    new_date: dt.date
    detail: str = ""


@dataclass
class ImportPlan:
    """What an import would change; ``overrides`` are the entries to write."""

    date: dt.date
    source: str
    changes: list[PriceChange] = field(default_factory=list)
    new_offers: list[CloudOffer] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    ignored: int = 0
    """Rows that are not GPU offers (CPU-only hosts, non-GPU accelerators)."""
    overrides: list[PartBase] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        """Whether writing the plan would change any price."""
        return bool(self.overrides)


def _rebuild(part: PartBase, **update: Any) -> PartBase:
    """Return a copy of ``part`` with ``update`` applied, validated by its model."""
    data = part.model_dump()
    data.update(update)
    return type(part).model_validate(data)


def _note(old: str | None, text: str) -> str:
    note = text if not old else f"{text} Shipped notes: {old}"
    return note[:1990]


# --- dlplanner's own CSV ---------------------------------------------------------------


def plan_own(
    catalog: Catalog, rows: Sequence[OwnRow], date: dt.date, source: str | None
) -> ImportPlan:
    """Plan an import of dlplanner's own price CSV (any catalog id)."""
    plan = ImportPlan(date, source or "per row")
    for row in rows:
        part = catalog.get(row.id)
        if part is None:
            plan.skipped.append(SkippedRow(row.line, row.id, "no such id in the catalog"))
            continue
        row_source = row.source or source
        if not row_source:
            reason = "no price_source (add the column or give --source)"
            plan.skipped.append(SkippedRow(row.line, row.id, reason))
            continue
        if row.spot is not None and not isinstance(part, CloudOffer):
            reason = "a spot price for a part that is not a cloud offer"
            plan.skipped.append(SkippedRow(row.line, row.id, reason))
            continue
        if row.spot is not None and row.spot >= row.price:
            plan.skipped.append(SkippedRow(row.line, row.id, "spot is not below on-demand"))
            continue
        old_spot = part.spot_usd_per_hour if isinstance(part, CloudOffer) else None
        new_spot = row.spot if row.spot is not None else old_spot
        if new_spot is not None and new_spot >= row.price:
            new_spot = None  # an old spot price above the new on-demand price is stale
        _propose(plan, part, row.price, new_spot, row.date or date, row_source, "")
    return plan


def _propose(
    plan: ImportPlan,
    part: PartBase,
    price: float,
    spot: float | None,
    date: dt.date,
    source: str,
    detail: str,
    **more: Any,
) -> None:
    old_spot = part.spot_usd_per_hour if isinstance(part, CloudOffer) else None
    if part.price_usd == price and old_spot == spot and part.price_date == date:
        plan.unchanged.append(part.id)
        return
    update: dict[str, Any] = {"price_usd": price, "price_date": date, "price_source": source}
    if isinstance(part, CloudOffer):
        update["spot_usd_per_hour"] = spot
    estimated = [f for f in part.estimated if f not in ("price_date", "price_usd")]
    update["estimated"] = estimated
    how = f" ({detail})" if detail else ""
    update["notes"] = _note(part.notes, f"Price imported, dated {date}, from {source}{how}.")
    update.update(more)
    plan.overrides.append(_rebuild(part, **update))
    change = PriceChange(
        part.id, part.title, part.price_usd, price, old_spot, spot, part.price_date, date, detail
    )
    plan.changes.append(change)


# --- SkyPilot vms.csv --------------------------------------------------------------------


def _vast_key(instance: str) -> str:
    match = re.match(r"(?:vastv2-)?(\d+x-[A-Za-z0-9_]+)", instance)
    return match.group(1) if match else instance


def _key(provider: str, instance: str) -> str:
    return _vast_key(instance) if provider == "vast" else instance


def _match_key(provider: str, instance: str) -> str:
    """Return the file's instance name an offer is matched by (GCP: the host machine)."""
    if provider == "gcp":
        parts = gcp_parts(instance)
        return parts[0] if parts else instance
    return _key(provider, instance)


def gcp_parts(instance: str) -> tuple[str, str, int] | None:
    """Split a GCP offer into (host machine, SkyPilot GPU name, GPU count), or None.

    ``a2-highgpu-8g`` has its GPUs built in; ``n1-standard-8 + 1x nvidia-tesla-v100`` names
    the host and the attached GPUs.
    """
    attached = re.fullmatch(r"\s*([a-z0-9-]+)\s*\+\s*(\d+)\s*x\s*([A-Za-z0-9-]+)\s*", instance)
    if attached:
        host, count, gpu = attached.groups()
        name = re.sub(r"^nvidia-(tesla-)?", "", gpu.lower()).upper()
        return host, name, int(count)
    built_in = re.fullmatch(r"([a-z0-9]+-[a-z]+)-(\d+)g", instance)
    if built_in and built_in.group(1) in GCP_FAMILIES:
        return instance, GCP_FAMILIES[built_in.group(1)], int(built_in.group(2))
    g2 = re.fullmatch(r"g2-standard-(\d+)", instance)
    if g2 and int(g2.group(1)) in GCP_G2_GPUS:
        return instance, "L4", GCP_G2_GPUS[int(g2.group(1))]
    return None


@dataclass(frozen=True, slots=True)
class _Quote:
    price: float
    spot: float | None
    region: str
    rows: tuple[VmRow, ...]
    detail: str


def _typical_spot(rows: Iterable[VmRow]) -> float | None:
    spots = [r.spot for r in rows if r.spot is not None]
    return round(statistics.median(spots), 5) if spots else None


def _pick_region(rows: Sequence[VmRow], region: str | None) -> tuple[str, list[VmRow]] | str:
    """Return the rows to price from: those of ``region``, or the cheapest region's when None."""
    if region is not None:
        chosen = [r for r in rows if r.region == region]
        if chosen:
            return region, chosen
        regions = sorted({r.region for r in rows})
        shown = ", ".join(regions[:6]) + (" …" if len(regions) > 6 else "")
        return f"no row for region {region} in this file (it has {shown})"
    priced = [r for r in rows if r.price is not None]
    if not priced:
        return "no price in any region"
    cheapest = min(priced, key=lambda r: (r.price, r.region))
    return cheapest.region, [r for r in rows if r.region == cheapest.region]


def _cheapest(rows: Sequence[VmRow], region: str) -> float:
    return min((r.price for r in rows if r.region == region and r.price is not None), default=0.0)


def _quote_rows(rows: Sequence[VmRow], region: str | None) -> _Quote | str:
    picked = _pick_region(rows, region)
    if isinstance(picked, str):
        return picked
    where, chosen = picked
    prices = [r.price for r in chosen if r.price is not None]
    if not prices:
        return f"no on-demand price in {where}"
    spot = _typical_spot(chosen)
    detail = where
    if spot is not None and len(chosen) > 1:
        detail += f", spot = median of {len(chosen)} zones"
    return _Quote(min(prices), spot, where, tuple(chosen), detail)


class _SkyPilotIndex:
    """A file's rows grouped for matching."""

    def __init__(self, provider: str, rows: Sequence[VmRow]):
        self.provider = provider
        self.by_instance: dict[str, list[VmRow]] = defaultdict(list)
        self.gpu_rows: dict[tuple[str, int], list[VmRow]] = defaultdict(list)
        for row in rows:
            if row.instance:
                self.by_instance[_key(provider, row.instance)].append(row)
            elif row.accelerator and row.count:
                self.gpu_rows[(row.accelerator, int(row.count))].append(row)

    def quote(self, instance: str, region: str | None) -> _Quote | str:
        if self.provider == "gcp":
            return self._quote_gcp(instance, region)
        rows = self.by_instance.get(_key(self.provider, instance))
        if not rows:
            return "not in this file"
        if self.provider in PLACEHOLDER_SPECS:
            region = None  # marketplace listings: the cheapest, wherever it is
        return _quote_rows(rows, region)

    def _quote_gcp(self, instance: str, region: str | None) -> _Quote | str:
        parts = gcp_parts(instance)
        if parts is None:
            return "not a GCP GPU machine dlplanner can price (host + GPUs)"
        host, gpu, count = parts
        hosts = self.by_instance.get(host)
        gpus = self.gpu_rows.get((gpu, count))
        if not hosts:
            return f"host {host} not in this file"
        if not gpus:
            return f"no {count}x {gpu} GPU row in this file"
        if region is None:
            shared = {r.region for r in hosts} & {r.region for r in gpus}
            totals = {
                reg: _cheapest(hosts, reg) + _cheapest(gpus, reg)
                for reg in shared
                if _cheapest(hosts, reg) and _cheapest(gpus, reg)
            }
            if not totals:
                return f"no region has both {host} and {count}x {gpu} with prices"
            region = min(totals, key=lambda reg: (totals[reg], reg))
        host_q = _quote_rows(hosts, region)
        if isinstance(host_q, str):
            return f"host {host}: {host_q}"
        gpu_q = _quote_rows(gpus, region)
        if isinstance(gpu_q, str):
            return f"{count}x {gpu}: {gpu_q}"
        spot = None
        if host_q.spot is not None and gpu_q.spot is not None:
            spot = round(host_q.spot + gpu_q.spot, 5)
        detail = (
            f"{host_q.region}: host {host} {host_q.price:g} + {count}x {gpu} {gpu_q.price:g} USD/h"
        )
        return _Quote(
            round(host_q.price + gpu_q.price, 5),
            spot,
            host_q.region,
            host_q.rows + gpu_q.rows,
            detail,
        )


def plan_skypilot(
    catalog: Catalog,
    rows: Sequence[VmRow],
    provider: str,
    date: dt.date,
    source: str,
    *,
    add_new: bool = True,
) -> ImportPlan:
    """Plan an import of one cloud's SkyPilot ``vms.csv`` rows.

    Every catalog offer of the provider that the file lists gets the file's on-demand
    price in the offer's region (GCP: host plus GPUs) and the median spot price of the
    region's zones; placeholder clouds (RunPod, vast.ai) take their cheapest listing and
    lose their spot price (the file has none). GPU
    instances the catalog lacks become new offers (``add_new``), priced in the
    provider's usual region.
    """
    plan = ImportPlan(date, source)
    index = _SkyPilotIndex(provider, rows)
    brand = PROVIDERS[provider]
    offers = [p for p in catalog.of_kind("cloud") if isinstance(p, CloudOffer)]
    own = [o for o in offers if o.provider == brand]
    siblings: dict[str, list[CloudOffer]] = defaultdict(list)
    matched: set[str] = set()
    for offer in own:
        quote = index.quote(offer.instance, offer.region)
        if isinstance(quote, str):
            plan.skipped.append(SkippedRow(0, offer.id, f"{offer.instance}: {quote}"))
            continue
        accelerators = {r.accelerator for r in quote.rows if r.accelerator}
        for name in accelerators:
            siblings[name].append(offer)
        matched.add(_match_key(provider, offer.instance))
        spot = quote.spot
        more: dict[str, Any] = {}
        if provider in PLACEHOLDER_SPECS:
            # The file's spot column is a placeholder, and an older spot price would carry
            # the new date: the offer has no spot price until one is imported.
            spot = None
            if provider == "vast":
                more["region"] = quote.region
        if spot is not None and spot >= quote.price:
            spot = None
        _propose(plan, offer, quote.price, spot, date, source, quote.detail, **more)
    if add_new:
        taken = {o.id for o in offers}
        _new_offers(plan, index, provider, matched, siblings, taken, date, source)
    plan.skipped.sort(key=lambda s: (s.line, s.label))
    return plan


def _new_offers(
    plan: ImportPlan,
    index: _SkyPilotIndex,
    provider: str,
    matched: set[str],
    siblings: dict[str, list[CloudOffer]],
    taken: set[str],
    date: dt.date,
    source: str,
) -> None:
    brand = PROVIDERS[provider]
    for key, rows in sorted(index.by_instance.items()):
        if key in matched:
            continue
        instance = key
        if provider == "gcp":
            parts = gcp_parts(key)
            if parts is None:
                plan.ignored += len(rows)
                continue
            accelerator, count = parts[1], parts[2]
        else:
            gpu_rows = [r for r in rows if r.accelerator and r.count]
            if not gpu_rows or any(
                r.manufacturer and r.manufacturer.upper() not in GPU_MAKERS for r in gpu_rows
            ):
                plan.ignored += len(rows)
                continue
            accelerator, count = gpu_rows[0].accelerator, int(gpu_rows[0].count or 0)
        region = None if provider in PLACEHOLDER_SPECS else PREFERRED_REGION.get(provider)
        quote = index.quote(instance, region)
        if isinstance(quote, str) and region is not None:
            quote = index.quote(instance, None)
        if isinstance(quote, str):
            plan.skipped.append(SkippedRow(rows[0].line, instance, quote))
            continue
        new_id = f"{ID_PREFIX[provider]}-{re.sub(r'[^a-z0-9]+', '-', instance.lower()).strip('-')}"
        new_id = new_id.replace("azure-standard-", "azure-")
        if new_id in taken or count < 1:
            plan.skipped.append(SkippedRow(rows[0].line, instance, f"id {new_id} already taken"))
            continue
        taken.add(new_id)
        offer = _new_offer(
            new_id, brand, provider, instance, accelerator, count, quote, siblings, date, source
        )
        if offer is None:
            plan.skipped.append(SkippedRow(rows[0].line, instance, "not a valid offer"))
            continue
        plan.new_offers.append(offer)
        plan.overrides.append(offer)


def _tokens(instance: str) -> set[str]:
    parts = re.split(r"[^a-z0-9]+", instance.lower())
    return {t for t in parts if t and not re.fullmatch(r"\d+x?", t)}


def closest_sibling(instance: str, candidates: Sequence[CloudOffer]) -> CloudOffer | None:
    """Return the offer with the same GPU whose instance name is most like ``instance``.

    Lambda's ``gpu_2x_h100_sxm5`` shares ``sxm5`` with ``gpu_1x_h100_sxm5``, not with
    ``gpu_1x_h100_pcie``: the form factor decides the GPU model and its throughput.
    """
    if not candidates:
        return None
    want = _tokens(instance)
    return max(candidates, key=lambda o: len(want & _tokens(o.instance)))


def _new_offer(
    new_id: str,
    brand: str,
    provider: str,
    instance: str,
    accelerator: str,
    count: int,
    quote: _Quote,
    siblings: dict[str, list[CloudOffer]],
    date: dt.date,
    source: str,
) -> CloudOffer | None:
    sibling = closest_sibling(instance, siblings.get(accelerator, []))
    host = next((r for r in quote.rows if r.instance), None)
    # The sibling's VRAM is the catalog's figure for that GPU (files give MiB as reported).
    vram = sibling.vram_gb if sibling is not None else None
    if vram is None:
        vram = next((r.vram_gb for r in quote.rows if r.vram_gb), None)
    gpu_model = sibling.gpu_model if sibling else accelerator
    throughput: Throughput | None = sibling.throughput if sibling else None
    spot = quote.spot if provider not in PLACEHOLDER_SPECS else None
    if spot is not None and spot >= quote.price:
        spot = None
    label = {"gcp": "GCP", "azure": "Azure"}.get(provider, brand)
    size = f" {vram:g} GB" if vram else ""
    notes = f"Added by a price import dated {date} from {source} ({quote.detail}). " + (
        f"GPU model and throughput as the catalog's {sibling.id}."
        if sibling
        else "No catalog offer has this GPU, so its throughput is unknown."
    )
    data: dict[str, Any] = {
        "id": new_id,
        "brand": brand,
        "name": f"{label} {instance} ({count}x {gpu_model}{'' if sibling else size})",
        "provider": brand,
        "instance": instance,
        "gpu_model": gpu_model,
        "gpu_count": count,
        "vram_gb": vram,
        "vcpus": int(host.vcpus) if host and host.vcpus else None,
        "ram_gb": host.ram_gb if host and host.ram_gb else None,
        "region": quote.region or None,
        "price_usd": quote.price,
        "price_date": date,
        "price_source": source,
        "spot_usd_per_hour": spot,
        "throughput": throughput,
        "sources": [source],
        "notes": notes,
    }
    try:
        return CloudOffer.model_validate(data)
    except ValueError:
        return None
