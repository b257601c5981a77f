"""Text exports of the shopping list: Markdown (readable on its own) and CSV (for spreadsheets)."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from dlplanner.domain.build import Build
from dlplanner.domain.catalog import Catalog
from dlplanner.io.atomic import atomic_write_text
from dlplanner.report.format import date_text, usd
from dlplanner.report.prices import unpriced_headline
from dlplanner.report.shopping import PRICES_NOTE, ShoppingList, StageList, shopping_list

CSV_COLUMNS = (
    "Stage",
    "Month",
    "Type",
    "Item",
    "Part id",
    "Quantity",
    "Unit price (USD)",
    "Price date",
    "Price kind",
    "Line total (USD)",
    "Where to buy / price source",
)


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def source_host(url: str) -> str:
    """Return the site a source link goes to (``techgage.com``), to name the link by."""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or url


def _md_stage(stage: StageList) -> list[str]:
    lines = [
        "| Type | Item | Qty | Unit price | Price date | Price kind | Line total "
        "| Where to buy / price source |",
        "|---|---|--:|--:|---|---|--:|---|",
    ]
    for row in stage.rows:
        item = _md_escape(row.item) + ("" if row.known else " ⚠ not in the catalog")
        link = f"[{source_host(row.source_url)}]({row.source_url})" if row.source_url else ""
        lines.append(
            f"| {row.kind_title} | {item} | {row.qty} | {usd(row.unit_price_usd)} "
            f"| {row.date_text or '—'} | {row.price_kind} | {usd(row.line_total_usd)} | {link} |"
        )
    lines.append(f"| | **Total** | | | | | **{usd(stage.total_usd)}** | |")
    unpriced = unpriced_headline(stage.unpriced_names)
    if unpriced:
        lines.extend(["", _md_escape(unpriced)])
    return lines


def to_markdown(sl: ShoppingList) -> str:
    """Return a Markdown shopping list: the build now, each planned stage, and the grand total."""
    out = [f"# {_md_escape(sl.name)}", "", f"Shopping list made {date_text(sl.created)}.", ""]
    out.append("## Buy now")
    out.append("")
    out.extend(_md_stage(sl.now))
    for stage in sl.stages[1:]:
        out.extend(["", f"## Month {stage.month}: {_md_escape(stage.label)}", ""])
        out.extend(_md_stage(stage))
    out.extend(["", f"**Grand total: {usd(sl.grand_total_usd)}**"])
    if len(sl.stages) > 1:
        out[-1] += f" (now {usd(sl.now.total_usd)}, planned later " + (
            f"{usd(sl.grand_total_usd - sl.now.total_usd)})"
        )
    out.append("")
    out.append(PRICES_NOTE)
    return "\n".join(out) + "\n"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection")."""
_PLAIN_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def neutralise_cell(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with ``'``.

    OWASP's rule: a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return is a formula to Excel, LibreOffice and Google Sheets (``=HYPERLINK(...)``,
    ``@SUM(...)``, DDE). Such a cell that is not a plain number gets a leading quote,
    which the spreadsheet shows as text. Numbers (``-5.00``) stay numbers.
    """
    if not isinstance(value, str) or not value.startswith(_FORMULA_START):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


class _NeutralWriter:
    """A CSV writer whose every cell is neutralised."""

    def __init__(self, buf: io.StringIO):
        self._writer = csv.writer(buf, lineterminator="\r\n")

    def writerow(self, row: Sequence[object]) -> None:
        self._writer.writerow([neutralise_cell(cell) for cell in row])


def to_csv(sl: ShoppingList) -> str:
    """CSV with one row per item, a total per stage and the grand total (formulas neutralised)."""
    buf = io.StringIO()
    writer = _NeutralWriter(buf)
    writer.writerow(CSV_COLUMNS)
    for stage in sl.stages:
        for row in stage.rows:
            writer.writerow(
                [
                    stage.index,
                    stage.month,
                    row.kind_title,
                    row.item,
                    row.part_id,
                    row.qty,
                    "" if row.unit_price_usd is None else f"{row.unit_price_usd:.2f}",
                    row.date_text,
                    row.price_kind,
                    "" if row.line_total_usd is None else f"{row.line_total_usd:.2f}",
                    row.source_url,
                ]
            )
        label = "Total" if len(sl.stages) == 1 else f"Stage {stage.index} total"
        writer.writerow(
            [stage.index, stage.month, "", label, "", "", "", "", "", f"{stage.total_usd:.2f}", ""]
        )
    if len(sl.stages) > 1:
        writer.writerow(
            ["", "", "", "Grand total", "", "", "", "", "", f"{sl.grand_total_usd:.2f}", ""]
        )
    return buf.getvalue()


TEXT_FORMATS = {"md": to_markdown, "csv": to_csv}


def export_text(build: Build, catalog: Catalog, fmt: str, out: str | os.PathLike[str]) -> None:
    """Write a text export atomically; ``fmt`` is ``md`` or ``csv``."""
    render = TEXT_FORMATS[fmt]
    text = render(shopping_list(build, catalog))
    # The BOM lets spreadsheet programs detect UTF-8 in CSV files.
    atomic_write_text(out, ("\ufeff" if fmt == "csv" else "") + text)
