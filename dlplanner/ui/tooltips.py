"""Rich tooltips and detail text for parts: labelled specs with units, price, notes, sources."""

from __future__ import annotations

from html import escape

from dlplanner.domain.parts import KIND_TITLES, PartBase
from dlplanner.report.specs import price_text, spec_rows

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
