"""HTML building blocks of the report: its stylesheet, severity colours, escaping and tables."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from html import escape

from dlplanner.rules.finding import Severity

SEVERITY_HEX = {Severity.ERROR: "#c0392b", Severity.WARNING: "#b9660b", Severity.INFO: "#2471a3"}
"""Severity colours, a shade darker than on screen so they stay legible on paper."""

STYLE = """
body { font-family: 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif; font-size: 9pt;
       color: #1f2328; }
h1 { font-size: 18pt; font-weight: bold; margin-top: 0; margin-bottom: 2px; color: #1a3d5c; }
h2 { font-size: 12.5pt; font-weight: bold; margin-top: 16px; margin-bottom: 6px;
     color: #1a3d5c; }
h3 { font-size: 10pt; font-weight: bold; margin-top: 10px; margin-bottom: 4px; }
p { margin-top: 0; margin-bottom: 6px; }
.sub { color: #57606a; font-size: 9pt; margin-bottom: 10px; }
.small { color: #57606a; font-size: 7.5pt; }
.lead { font-size: 10pt; margin-bottom: 8px; }
table.grid { border-collapse: collapse; margin-bottom: 6px; }
table.grid th { background-color: #e8eef4; color: #1a3d5c; font-weight: bold;
                font-size: 8pt; text-align: left; border-bottom: 1px solid #9fb3c8; }
table.grid td { font-size: 8.5pt; border-bottom: 1px solid #d8dee4; vertical-align: top; }
table.compact td { font-size: 8pt; }
table.rows { margin-bottom: 0; margin-top: 0; }
.after-rows { margin-top: 0; margin-bottom: 2px; font-size: 2pt; }
table.grid tr.total td { font-weight: bold; border-bottom: 0; border-top: 1px solid #57606a; }
table.facts td { font-size: 9pt; vertical-align: top; }
td.key { color: #57606a; }
td.num, th.num { text-align: right; white-space: nowrap; }
.grand { font-size: 11pt; font-weight: bold; margin-top: 8px; }
.part { font-size: 9pt; font-weight: normal; color: #57606a; }
.chart { margin-top: 8px; margin-bottom: 4px; }
.notes { margin-top: 8px; }
img { max-width: 100%; height: auto; }
@media screen { body { max-width: 190mm; margin: 24px auto; padding: 0 16px; } }
@media print { h2, h3 { page-break-after: avoid; } tr { page-break-inside: avoid; } }
@page { margin: 15mm; }
"""


def png_data_uri(png: bytes) -> str:
    """Return a ``data:`` URI holding PNG bytes, for an ``<img src>`` that needs no file."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def esc(text: object) -> str:
    """Return ``text`` as HTML, quotes escaped too (safe in attributes)."""
    return escape(str(text), quote=True)


def grid_table(
    head: Sequence[str],
    rows: Iterable[Sequence[str]],
    numeric: Iterable[int] = (),
    *,
    widths: Sequence[str] = (),
    total: Sequence[str] | None = None,
    width: str = "100%",
    css: str = "grid",
) -> str:
    """Make a grid table; ``numeric`` columns are right-aligned. Cells are HTML already."""
    num = set(numeric)

    def cell(tag: str, i: int, text: str) -> str:
        width = f' width="{widths[i]}"' if i < len(widths) and widths[i] else ""
        align = ' class="num" align="right"' if i in num else ""
        return f"<{tag}{align}{width}>{text}</{tag}>"

    out = [f'<table class="{css}" width="{width}" cellspacing="0" cellpadding="4">']
    if head:
        out.append("<thead><tr>")
        out.extend(cell("th", i, h) for i, h in enumerate(head))
        out.append("</tr></thead>")
    out.append("<tbody>")
    for row in rows:
        out.append("<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>")
    if total is not None:
        out.append('<tr class="total">')
        out.extend(cell("td", i, c) for i, c in enumerate(total))
        out.append("</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)
