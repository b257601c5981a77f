"""Which catalog fields each rule needs, and which field a *not checked* finding asks for.

Every rule that can say *not checked* names the spec it lacks in its message ("the Corsair
4000D has no max_gpu_length_mm in the catalog", "… a partial list (sockets)").
:func:`needed_fields` reads that back as ``(part id, field)`` pairs, so the window can offer
to fill the value in; :data:`RULE_FIELDS` lists what each rule reads, so ``dlplanner catalog
missing`` can rank the empty fields by how many rules they block. A test checks that every
*not checked* finding of the shipped rules names a field listed here for its rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from dlplanner.domain.catalog import Catalog
from dlplanner.domain.parts import MODEL_BY_KIND, PartBase
from dlplanner.rules.finding import Finding, Status

RULE_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "cpu-socket": (),
    "bios-minimum": (("motherboard", "min_bios"), ("cpu", "family")),
    "cooler-socket": (("cooler", "sockets"),),
    "cooler-capacity": (("cooler", "tdp_rating_w"), ("cpu", "tdp_w")),
    "cooler-height": (("cooler", "height_mm"), ("case", "max_cooler_height_mm")),
    "aio-radiator": (("cooler", "radiator_mm"), ("case", "radiator_mounts")),
    "memory-type": (
        ("motherboard", "memory_type"), ("cpu", "memory_types"), ("motherboard", "dimm_types"),
        ("cpu", "dimm_types"), ("memory", "registered"),
    ),
    "memory-slots": (("motherboard", "memory_slots"),),
    "memory-capacity": (("motherboard", "max_memory_gb"), ("cpu", "max_memory_gb")),
    "memory-speed": (
        ("memory", "speed_mts"), ("motherboard", "memory_max_speed_mts"),
        ("cpu", "memory_max_speed_mts"),
    ),
    "memory-ecc": (("motherboard", "ecc_support"), ("cpu", "ecc_support")),
    "case-motherboard": (("case", "motherboard_form_factors"),),
    "gpu-length": (("gpu", "length_mm"), ("case", "max_gpu_length_mm")),
    "psu-fit": (("case", "psu_form_factors"), ("psu", "length_mm"), ("case", "max_psu_length_mm")),
    "gpu-thickness": (("gpu", "slot_width"),),
    "gpu-x16-slots": (("motherboard", "pcie_slots"),),
    "gpu-slot-geometry": (("gpu", "slot_width"), ("motherboard", "pcie_slots")),
    "case-expansion-slots": (("case", "expansion_slots"), ("gpu", "slot_width")),
    "gpu-cooling-stack": (("gpu", "cooler"), ("motherboard", "pcie_slots")),
    "open-air-position": (("gpu", "cooler"),),
    "three-slot-gpus": (("gpu", "slot_width"),),
    "cpu-pcie-lanes": (("cpu", "pcie_lanes_usable"),),
    "cpu-cores": (("cpu", "threads"), ("cpu", "cores")),
    "ram-vs-vram": (("gpu", "vram_gb"),),
    "no-graphics": (("cpu", "integrated_graphics"),),
    "m2-slots": (("motherboard", "m2_slots"),),
    "lane-sharing": (("motherboard", "m2_slots"),),
    "sata-ports": (("motherboard", "sata_ports"),),
    "nvme-storage": (("motherboard", "m2_slots"),),
    "drive-bays": (("case", "drive_bays_35"), ("case", "drive_bays_25")),
    "pcie-power-cables": (
        ("gpu", "power_connectors"), ("psu", "connectors.pcie_6_plus_2"),
        ("psu", "connectors.pcie_16pin"),
    ),
    "eps-cables": (("motherboard", "eps_8pin"), ("psu", "connectors.eps_4_plus_4")),
    "gpu-16pin-connector": (("gpu", "tdp_w"), ("gpu", "power_connectors")),
    "psu-wattage": (("gpu", "tdp_w"), ("cpu", "tdp_w")),
    "wall-circuit": (("gpu", "tdp_w"), ("cpu", "tdp_w"), ("psu", "efficiency")),
    "transient-spikes": (("psu", "atx_version"),),
    "gpu-maker-psu": (("gpu", "recommended_psu_w"),),
}  # fmt: skip
"""The ``(kind, field)`` pairs each rule reads and reports as *not checked* when empty.

Nested fields are dotted (``connectors.pcie_16pin``).
"""


def _patterns(part: PartBase, field: str) -> tuple[str, ...]:
    title = re.escape(part.title)
    name = re.escape(field.rsplit(".", 1)[-1])
    return (
        rf"the {title} has no (?:[a-z_0-9]+\.)?{name}(?![\w.]).*? in the catalog",
        rf"the {title} lists .*? a partial list \({name}\)",
        rf"the {title}'s slot map in the catalog is partial \({name}\b",
    )


def _fields(part: PartBase) -> Iterable[str]:
    model = MODEL_BY_KIND.get(getattr(part, "kind", ""))
    return () if model is None else model.model_fields


def needed_fields(finding: Finding, catalog: Catalog) -> list[tuple[str, str]]:
    """Return the ``(part id, field)`` pairs a *not checked* finding asks for, in order."""
    if finding.status is not Status.UNKNOWN:
        return []
    found: list[tuple[str, str]] = []
    for pid in finding.parts:
        part = catalog.get(pid)
        if part is None:
            continue
        for field in _dotted_fields(part):
            if any(re.search(p, finding.message) for p in _patterns(part, field)):
                found.append((pid, field))
    return list(dict.fromkeys(found))


def _dotted_fields(part: PartBase) -> list[str]:
    fields = list(_fields(part))
    if getattr(part, "kind", "") == "psu":
        fields += ["connectors.pcie_6_plus_2", "connectors.pcie_16pin", "connectors.eps_4_plus_4"]
    return fields


def is_empty(part: PartBase, field: str) -> bool:
    """Whether ``field`` (dotted for nested ones) has no value on ``part``."""
    value: object = part
    for name in field.split("."):
        value = getattr(value, name, None)
        if value is None:
            return True
    return value in ([], {}, ())


@dataclass(frozen=True, slots=True)
class MissingField:
    """One empty catalog field: which rules it blocks and which parts lack it."""

    kind: str
    field: str
    rules: tuple[str, ...]
    parts: tuple[str, ...]

    @property
    def is_list(self) -> bool:
        """Whether the field is a list that may be partial (``complete`` marks it whole)."""
        model = MODEL_BY_KIND.get(self.kind)
        return model is not None and self.field in model.MEMBER_LISTS


def missing_fields(catalog: Catalog, kind: str | None = None) -> list[MissingField]:
    """Return the empty fields of the catalog, the ones blocking the most rules first.

    Ties go to the field more parts lack. A field counts for a part when the part's value
    is empty; a partial list (a list not marked complete) counts too, as it can only say
    *not checked* for a value it does not hold.
    """
    blocks: dict[tuple[str, str], list[str]] = {}
    for rule_id, needs in RULE_FIELDS.items():
        for need in needs:
            blocks.setdefault(need, []).append(rule_id)
    rows = []
    for (need_kind, field), rules in blocks.items():
        if kind is not None and need_kind != kind:
            continue
        lacking = tuple(
            p.id for p in catalog.of_kind(need_kind) if is_empty(p, field) or _partial(p, field)
        )
        if lacking:
            rows.append(MissingField(need_kind, field, tuple(rules), lacking))
    rows.sort(key=lambda r: (-len(r.rules), -len(r.parts), r.kind, r.field))
    return rows


def _partial(part: PartBase, field: str) -> bool:
    return field in type(part).MEMBER_LISTS and not part.is_complete(field)
