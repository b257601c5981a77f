"""Rich tooltips and detail text for parts: labelled specs with units, price, notes, sources."""

from __future__ import annotations

from html import escape

from dlplanner.domain.parts import KIND_TITLES, PartBase
from dlplanner.report.specs import price_text, spec_rows


def part_tooltip(part: PartBase) -> str:
    """HTML for a part: title, price with kind and date, every known spec, notes, sources.

    Specs are labelled with their units ("VRAM 24 GB", "TDP 350 W"), never field names;
    the notes (mostly where a value came from and what was searched) follow in small type.
    """
    kind = KIND_TITLES.get(part.kind_name, part.kind_name)
    lines = [f"<b>{escape(part.title)}</b> <small>({escape(kind)} · {escape(part.id)})</small>"]
    lines.append("<table cellspacing=0 cellpadding=1>")
    for label, value in [("Price", price_text(part)), *spec_rows(part)]:
        lines.append(f"<tr><td>{escape(label)}</td><td>&nbsp;<b>{escape(value)}</b></td></tr>")
    lines.append("</table>")
    links = [*part.sources]
    if part.price_source and part.price_source not in links:
        links.append(part.price_source)
    lines.append(
        "<p><small>Sources: "
        + " · ".join(f"<a href='{escape(u)}'>{i}</a>" for i, u in enumerate(links, start=1))
        + "</small></p>"
    )
    if part.notes:
        lines.append(f"<p><small><b>Sourcing notes:</b> {escape(part.notes)}</small></p>")
    return "".join(lines)
