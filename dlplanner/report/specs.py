"""A part's specs for people: labelled, with units ("VRAM 24 GB", "TDP 350 W", "Slots 3").

One home for the words the catalog's details pane, the parts' tooltips and
``dlplanner catalog show`` use, so none shows a raw field name (``vram_gb``) or a Python repr.
"""

from __future__ import annotations

import textwrap
from html import escape
from typing import Any

from pydantic import BaseModel

from dlplanner.domain.build import CLOUD_PLANS
from dlplanner.domain.cloud import plan_rate
from dlplanner.domain.parts import KIND_TITLES, CloudOffer, PartBase
from dlplanner.domain.prices import catalog_price
from dlplanner.report.format import date_text, unit_price, usd
from dlplanner.report.names import PLAN_TITLES
from dlplanner.report.prices import price_label

SKIPPED = frozenset(
    {
        "id",
        "kind",
        "brand",
        "name",
        "sources",
        "estimated",
        "complete",
        "notes",
        "sourcing_notes",
        "price_usd",
        "price_date",
        "price_source",
        "price_kind",
        "launch_price_usd",
        "launch_date",
        "launch_price_source",
    }
)
"""Fields told elsewhere (title, price line, sources, notes) or only for the checks."""

LABELS: dict[str, str] = {
    "vram_gb": "VRAM",
    "tdp_w": "TDP",
    "slot_width": "Slots",
    "wattage_w": "Wattage",
    "cooler": "Cooler",
    "cooler_type": "Cooler type",
    "speed_mts": "Speed",
    "memory_max_speed_mts": "Memory speed (max)",
    "max_memory_gb": "Memory (max)",
    "module_size_gb": "Module size",
    "capacity_gb": "Capacity",
    "cas_latency": "CAS latency",
    "pcie_lanes_total": "PCIe lanes (total)",
    "pcie_lanes_usable": "PCIe lanes (usable)",
    "m2_slots": "M.2 slots",
    "pcie_slots": "PCIe slots",
    "gpu_count": "GPUs",
    "usd_per_hour": "Price per hour",
    "drive_bays_35": "3.5-inch drive bays",
    "drive_bays_25": "2.5-inch drive bays",
    "pcie_6_plus_2": "PCIe 6+2-pin",
    "eps_4_plus_4": "EPS 4+4-pin",
    "vcpus": "vCPUs",
    "ram_gb": "RAM",
    "pcie_map": "PCIe slot map",
}
"""Labels that the generic rule (field name without its unit, words capitalised) gets wrong."""

_UNITS = (
    ("_gb", "GB"),
    ("_mm", "mm"),
    ("_mts", "MT/s"),
    ("_ghz", "GHz"),
    ("_w", "W"),
)
_WORDS = {
    "gpu": "GPU",
    "gpus": "GPUs",
    "cpu": "CPU",
    "psu": "PSU",
    "pcie": "PCIe",
    "vram": "VRAM",
    "tdp": "TDP",
    "ecc": "ECC",
    "eps": "EPS",
    "atx": "ATX",
    "sata": "SATA",
    "dimm": "DIMM",
    "m2": "M.2",
    "bios": "BIOS",
    "aio": "AIO",
    "usd": "$",
    "nvlink": "NVLink",
    "8pin": "8-pin",
    "6pin": "6-pin",
    "4pin": "4-pin",
    "16pin": "16-pin",
    "fp32": "FP32",
}


def _unit(field: str) -> tuple[str, str]:
    for suffix, unit in _UNITS:
        if field.endswith(suffix):
            return field[: -len(suffix)], unit
    return field, ""


def label(field: str) -> str:
    """Return the label of a field: ``max_gpu_length_mm`` → ``Max GPU length``."""
    if field in LABELS:
        return LABELS[field]
    stem, _ = _unit(field.removesuffix("_usd_per_hour"))
    words = [_WORDS.get(w, w) for w in stem.split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def field_title(field: str) -> str:
    """Return a (dotted) field's label with its unit: ``tdp_rating_w`` → ``TDP rating (W)``."""
    name = field.rsplit(".", 1)[-1]
    unit = _unit(name)[1].strip()
    return label(name) + (f" ({unit})" if unit else "")


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _model_text(value: BaseModel) -> str:
    data = value.model_dump()
    name = data.get("name")
    if name is not None:  # a slot: its name and lanes
        lanes = data.get("electrical_lanes") or data.get("lanes")
        return f"{name} (x{lanes})" if lanes else str(name)
    parts = []
    for key, sub in data.items():
        if sub in (None, 0, [], {}, False) or key in ("source", "basis"):
            continue
        text = value_text(key, sub)
        parts.append(f"{text} × {label(key)}" if isinstance(sub, int) else f"{label(key)} {text}")
    return ", ".join(parts)


def value_text(field: str, value: Any) -> str:
    """Return a value as people read it, with the field's unit (``24 GB``, ``yes``)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, BaseModel):
        return _model_text(value)
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(value_text(field, v) for v in value)
    _, unit = _unit(field)
    if field.endswith("usd_per_hour") and isinstance(value, int | float):
        return f"{unit_price(value)}/h"
    if isinstance(value, int | float):
        return f"{_number(value)} {unit}".strip()
    return str(value)


def spec_rows(part: PartBase) -> list[tuple[str, str]]:
    """Return the part's known specs as (label, value) pairs, in the model's field order.

    Unknown specs (``None``) and empty lists are left out; an estimated value is marked.
    """
    rows = []
    for field in type(part).model_fields:
        if field in SKIPPED:
            continue
        value = getattr(part, field)
        if value is None or value == [] or value == {}:
            continue
        text = value_text(field, value)
        if not text:
            continue
        if part.is_estimated(field):
            text += " (estimated)"
        rows.append((label(field), text))
    return rows


def price_text(part: PartBase) -> str:
    """Return the price with its kind and date: ``$1,499.00 (launch price, 2020-09-24)``."""
    price = catalog_price(part)
    if not price.known:
        return "no price in the catalog"
    suffix = "/h" if getattr(part, "kind", "") == "cloud" else ""
    if price.is_launch:
        return f"{usd(price.usd)}{suffix} ({price_label(price)})"
    kind = f"{part.price_kind} price, " if part.price_kind else ""
    return f"{usd(price.usd)}{suffix} ({kind}{date_text(price.date)})"


def details_text(part: PartBase, *, sourcing: bool = False) -> str:
    """Return a part as readable text for a terminal: title, specs, price, notes, sources.

    The sourcing notes (where each value came from, what was searched) follow the sources
    with ``sourcing``; without it, one line says they are there and how to see them.
    """
    kind = KIND_TITLES.get(part.kind_name, part.kind_name)
    rows = [("Id", part.id), ("Kind", kind), ("Price", price_text(part)), *spec_rows(part)]
    width = max(len(name) for name, _ in rows)
    lines = [part.title, "=" * len(part.title)]
    lines.extend(f"{name.ljust(width)}  {text}" for name, text in rows)
    if part.notes:
        lines.extend(("", f"Notes: {part.notes}"))
    lines.append("")
    lines.append("Sources:")
    links = [*part.sources]
    if part.price_source and part.price_source not in links:
        links.append(part.price_source)
    lines.extend(f"  {i}. {url}" for i, url in enumerate(links, start=1))
    if part.sourcing_notes and sourcing:
        lines.extend(("", "Sourcing notes:", *_wrap(part.sourcing_notes, "  ")))
    elif part.sourcing_notes:
        lines.extend(("", "Sourcing notes: add --sourcing to read where each value came from."))
    return "\n".join(lines)


def _wrap(text: str, indent: str, width: int = 100) -> list[str]:
    return textwrap.wrap(
        text, width, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
    )


SHOW_SOURCING = "dlplanner:sourcing-notes/show"
"""The link in a part's details that reveals its sourcing notes."""
HIDE_SOURCING = "dlplanner:sourcing-notes/hide"
"""The link in a part's details that hides them again."""
SOURCING_ANCHOR = "sourcing-notes"
"""The anchor the details pane scrolls to when the sourcing notes unfold."""


def part_tooltip(part: PartBase) -> str:
    """HTML for a part: title, price with kind and date, every known spec, notes, sources.

    Specs are labelled with their units ("VRAM 24 GB", "TDP 350 W"), never field names;
    the user's notes follow in small type. The sourcing notes (where each value came from,
    what was searched) are left out: :func:`part_details_html` shows them on request.
    """
    kind = KIND_TITLES.get(part.kind_name, part.kind_name)
    lines = [f"<b>{escape(part.title)}</b> <small>({escape(kind)} · {escape(part.id)})</small>"]
    lines.append("<table cellspacing=0 cellpadding=1>")
    for label, value in [("Price", price_text(part)), *spec_rows(part)]:
        lines.append(f"<tr><td>{escape(label)}</td><td>&nbsp;<b>{escape(value)}</b></td></tr>")
    lines.append("</table>")
    if part.notes:
        lines.append(f"<p><small><b>Notes:</b> {escape(part.notes)}</small></p>")
    links = [*part.sources]
    if part.price_source and part.price_source not in links:
        links.append(part.price_source)
    lines.append(
        "<p><small>Sources: "
        + " · ".join(f"<a href='{escape(u)}'>{i}</a>" for i, u in enumerate(links, start=1))
        + "</small></p>"
    )
    return "".join(lines)


def part_details_html(part: PartBase, *, show_sourcing: bool) -> str:
    """HTML for the details pane: the tooltip's text plus the sourcing notes on request.

    A part with sourcing notes ends in a "Sourcing notes…" link (:data:`SHOW_SOURCING`);
    with ``show_sourcing`` the notes follow in full, with a link to hide them again.
    """
    html = part_tooltip(part)
    if not part.sourcing_notes:
        return html
    if not show_sourcing:
        return html + f"<p><small><a href='{SHOW_SOURCING}'>Sourcing notes…</a></small></p>"
    return html + (
        f"<p><a name='{SOURCING_ANCHOR}'></a><small><b>Sourcing notes</b> "
        f"(<a href='{HIDE_SOURCING}'>hide</a>): "
        f"{escape(part.sourcing_notes)}</small></p>"
    )


def offer_details(offer: CloudOffer) -> str:
    """Return ``1× V100 16GB · $3.06/h · 2026-09-25`` for an offer."""
    price = "no price" if offer.price_usd is None else f"{usd(offer.price_usd)}/h"
    date = f" · {date_text(offer.price_date)}" if offer.price_date else ""
    return f"{offer.gpu_count}× {offer.gpu_model} · {price}{date}"


def offer_tooltip(offer: CloudOffer) -> str:
    """Return the offer's full tooltip: its plans' hourly prices, then every spec."""
    rows = []
    for plan in CLOUD_PLANS:
        rate = plan_rate(offer, plan)
        value = "not offered or unknown" if rate is None else f"{usd(rate, 3)} per hour"
        rows.append(f"<tr><td>{PLAN_TITLES[plan]}</td><td>&nbsp;<b>{value}</b></td></tr>")
    plans = f"<p><b>Plans</b><table cellspacing=0 cellpadding=1>{''.join(rows)}</table></p>"
    return part_tooltip(offer) + plans
