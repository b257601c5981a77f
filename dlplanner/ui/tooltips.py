"""Rich tooltips and detail text for parts: every spec, its sources, estimates marked."""

from __future__ import annotations

from html import escape
from typing import Any

from dlplanner.domain.parts import PartBase

_SKIP = {"id", "kind", "brand", "name", "sources", "estimated", "notes", "price_source"}


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return f"{len(value)} entries"
        return ", ".join(_value_text(v) for v in value) or "—"
    if isinstance(value, dict):
        shown = {k: v for k, v in value.items() if v not in (None, 0, [], {})}
        return ", ".join(f"{k.replace('_', ' ')} {_value_text(v)}" for k, v in shown.items()) or "—"
    return str(value)


def spec_rows(part: PartBase) -> list[tuple[str, str, bool]]:
    """(label, value, is_estimate) for every known field of a part."""
    data = part.model_dump(mode="json")
    rows = []
    for key, value in data.items():
        if key in _SKIP or value is None or value == [] or value == {}:
            continue
        label = key.replace("_usd", " (USD)").replace("_", " ")
        rows.append((label, _value_text(value), part.is_estimated(key)))
    return rows


def part_tooltip(part: PartBase) -> str:
    """HTML tooltip: title, every known spec (estimates marked), notes and sources."""
    lines = [f"<b>{escape(part.title)}</b> <small>({escape(part.id)})</small>"]
    lines.append("<table cellspacing=0 cellpadding=1>")
    for label, value, estimated in spec_rows(part):
        mark = " <i>(estimate)</i>" if estimated else ""
        lines.append(
            f"<tr><td>{escape(label)}</td><td>&nbsp;<b>{escape(value)}</b>{mark}</td></tr>"
        )
    lines.append("</table>")
    if part.notes:
        lines.append(f"<p>{escape(part.notes)}</p>")
    lines.append("<p><small>Sources: " + "<br>".join(escape(u) for u in part.sources))
    if part.price_source:
        lines.append(f"<br>Price: {escape(part.price_source)}")
    lines.append("</small></p>")
    return "".join(lines)
