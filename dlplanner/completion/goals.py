"""What a user asks of a completion, and the candidate choices each level offers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import product

from dlplanner.completion.levels import Choice, Level
from dlplanner.domain.build import Build, BuildItem
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.parts import (
    CasePart,
    CpuPart,
    GpuPart,
    MemoryPart,
    MotherboardPart,
    PartBase,
    StoragePart,
)

MEMORY_KITS_MAX = 4
"""Most kits of one memory model a completion proposes (4 × a 4-module kit fills 16 slots)."""

DEFAULT_MIN_STORAGE_GB = 1000
"""The article's build has a 1 TB NVMe drive; a completion proposes at least that."""


@dataclass(frozen=True, slots=True)
class Goals:
    """What the proposed builds must satisfy, besides passing every check."""

    budget_usd: float | None = None
    """Most the build may cost, the upgrade plan's purchases included."""
    keep: frozenset[str] = frozenset()
    """Part ids that must stay in the build; GPUs always stay."""
    psu_headroom: float | None = None
    """PSU size over the DC load; None keeps the build's site setting."""
    brands: frozenset[str] = frozenset()
    """Brands the added parts must come from (lower case); empty: any brand."""
    sockets: frozenset[str] = frozenset()
    """CPU sockets allowed (lower case); empty: any socket."""
    min_storage_gb: int = DEFAULT_MIN_STORAGE_GB
    """Smallest NVMe drive a completion adds."""
    allow_warnings: bool = False
    """Accept warnings from the start instead of only when no build avoids them."""
    alternatives: int = 3
    """How many proposals at most: cheapest, better lanes per GPU, room for one more GPU."""
    replace: bool = True
    """Whether parts of the build that are not kept may be replaced when no build keeps them."""
    gpu_coolers: frozenset[str] = frozenset()
    """GPU cooler types allowed (``blower``, ``open-air`` …); empty: any. A GPU of another
    known type is swapped for a priced card of the same chip that has an allowed cooler."""


def _allowed(part: PartBase, goals: Goals) -> bool:
    if goals.brands and part.brand.lower() not in goals.brands:
        return False
    if goals.sockets and isinstance(part, CpuPart | MotherboardPart):
        return part.socket.lower() in goals.sockets
    if isinstance(part, StoragePart):
        return (
            part.interface == "nvme" and part.media == "ssd"
        ) and part.capacity_gb >= goals.min_storage_gb
    return True


def _options(part: PartBase, price: float) -> Iterator[tuple[tuple[BuildItem, ...], float]]:
    if isinstance(part, MemoryPart):
        for qty in range(1, MEMORY_KITS_MAX + 1):
            yield (BuildItem(part=part.id, qty=qty),), price * qty
    else:
        yield (BuildItem(part=part.id),), price


PRESENTATION_FIELDS: frozenset[str] = frozenset(
    {
        "id",
        "brand",
        "name",
        "price_usd",
        "price_date",
        "price_source",
        "price_kind",
        "launch_price_usd",
        "launch_price_date",
        "launch_date",
        "launch_price_source",
        "release_year",
        "sources",
        "estimated",
        "notes",
        "sourcing_notes",
    }
)
"""Fields no rule judges: two parts that differ only in these behave the same in every check."""

RULE_BLIND_FIELDS: dict[str, frozenset[str]] = {
    "storage": frozenset({"capacity_gb", "pcie_gen"}),
}
"""Spec fields no rule reads, per kind (a test swaps them and compares every finding)."""


def signature(part: PartBase, longest_gpu_mm: float | None = None) -> tuple[object, ...]:
    """Return what the checks can see of a part: equal signatures, equal findings.

    With ``longest_gpu_mm`` (the longest GPU of the build, every length known), a case's
    maximum GPU length counts only as "takes every GPU" when it does: the only check that
    reads it (``gpu-length``, through the one ``compat.gpu_length`` predicate) says
    nothing about a card that fits. On the generated 10,000-part catalog, whose cases
    differ mostly in that length, this is what keeps the case level small (the
    "Complete four GPUs, 10,000 parts" row).
    """
    blind = PRESENTATION_FIELDS | RULE_BLIND_FIELDS.get(part.kind, frozenset())  # type: ignore[attr-defined]
    data = part.model_dump(exclude=set(blind))
    if (
        longest_gpu_mm is not None
        and isinstance(part, CasePart)
        and part.max_gpu_length_mm is not None
        and part.max_gpu_length_mm >= longest_gpu_mm
    ):
        data["max_gpu_length_mm"] = "takes every GPU"
    return tuple(sorted((k, repr(v)) for k, v in data.items()))


def make_level(
    kind: str, catalog: Catalog, goals: Goals, longest_gpu_mm: float | None = None
) -> tuple[Level, int]:
    """Return a level of the allowed, priced candidates of ``kind``; and how many had no price.

    A part without a price cannot be ranked by cost, so it is left out (never taken as $0);
    the caller says how many were. Of parts the checks cannot tell apart (equal
    :func:`signature`), only the cheapest is a candidate: a dearer twin never makes a
    cheaper passing build.
    """
    cheapest: dict[tuple[object, ...], tuple[float, str, PartBase]] = {}
    unpriced = 0
    for part in catalog.of_kind(kind):
        if not _allowed(part, goals):
            continue
        price = catalog.unit_price(BuildItem(part=part.id))
        if price is None or price <= 0:
            unpriced += 1
            continue
        sig = signature(part, longest_gpu_mm)
        if sig not in cheapest or (price, part.id) < cheapest[sig][:2]:
            cheapest[sig] = (price, part.id, part)
    choices = [
        Choice(kind, part, items, total)
        for price, _, part in cheapest.values()
        for items, total in _options(part, price)
    ]
    choices.sort(key=lambda c: (c.price_usd, c.part.id, len(c.items)))
    keyed = [replace(c, key=i) for i, c in enumerate(choices)]
    return Level(kind, keyed), unpriced


GPU_VARIANTS_MAX = 3
"""Cards of the same chip tried for each GPU whose cooler the goals do not allow."""


def gpu_variants(build: Build, catalog: Catalog, goals: Goals) -> list[Build] | None:
    """Return the build with its GPUs swapped to the cooler types the goals allow.

    Every GPU of an excluded cooler type is swapped for a card of the same chip with an
    allowed cooler (cheapest first; each combination is one build). ``[build]`` when no
    GPU needs a swap; None when one has no allowed card in the catalog. A card whose
    cooler is unknown is kept: it is not known to break the goal.
    """
    if not goals.gpu_coolers:
        return [build]
    options: dict[str, list[str]] = {}
    for part_id in dict.fromkeys(build.part_ids()):
        gpu = catalog.gpu(part_id)
        if gpu is None or gpu.cooler is None or gpu.cooler in goals.gpu_coolers:
            continue
        twins = sorted(
            (
                (price, p.id)
                for p in catalog.of_kind("gpu")
                if isinstance(p, GpuPart)
                and p.chipset == gpu.chipset
                and p.cooler in goals.gpu_coolers
                and (price := catalog.unit_price(BuildItem(part=p.id))) is not None
            ),
        )
        if not twins:
            return None
        options[part_id] = [pid for _, pid in twins[:GPU_VARIANTS_MAX]]
    builds = []
    for combo in product(*options.values()):
        swap = dict(zip(options, combo, strict=True))
        builds.append(_swapped(build, swap))
    return builds


def _swapped(build: Build, swap: dict[str, str]) -> Build:
    def lines(items: tuple[BuildItem, ...]) -> tuple[BuildItem, ...]:
        return tuple(
            item.model_copy(update={"part": swap[item.part]}) if item.part in swap else item
            for item in items
        )

    plan = tuple(step.model_copy(update={"add": lines(step.add)}) for step in build.plan)
    return build.model_copy(update={"items": lines(build.items), "plan": plan})


def with_goals(build: Build, goals: Goals) -> Build:
    """Return the build with the goals that are build settings applied (PSU headroom)."""
    if goals.psu_headroom is None:
        return build
    site = build.site.model_copy(update={"psu_headroom": goals.psu_headroom})
    return build.model_copy(update={"site": site})
