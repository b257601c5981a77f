"""``dlplanner catalog list|search|show|missing``: browse the catalog from the command line."""

from __future__ import annotations

import argparse
from typing import Any

from dlplanner.commands.common import UsageError, cli_catalog, print_json
from dlplanner.domain.parts import KIND_TITLES, PART_KINDS, PartBase
from dlplanner.domain.prices import catalog_price
from dlplanner.report.format import date_text, usd
from dlplanner.report.prices import price_label
from dlplanner.report.specs import details_text
from dlplanner.rules.needs import MissingField, missing_fields


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the ``catalog`` sub-commands."""
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    p_list = sub.add_parser("list", help="list parts")
    p_search = sub.add_parser("search", help="find parts by name, brand or key specs")
    p_search.add_argument("text", metavar="TEXT")
    for p in (p_list, p_search):
        p.add_argument("--kind", type=str.lower, choices=PART_KINDS, help="only parts of this kind")
        p.add_argument("--json", action="store_true", help="print JSON (a list of objects)")
    p_show = sub.add_parser("show", help="show every field of one part")
    p_show.add_argument("id", metavar="ID")
    p_show.add_argument("--json", action="store_true", help="print JSON (one object)")
    p_show.add_argument(
        "--sourcing",
        action="store_true",
        help="also print the sourcing notes: where each value came from, what was searched",
    )
    p_missing = sub.add_parser(
        "missing", help="empty catalog fields, ranked by how many checks each one blocks"
    )
    p_missing.add_argument(
        "--kind", type=str.lower, choices=PART_KINDS, help="only fields of this kind"
    )
    p_missing.add_argument("--json", action="store_true", help="print JSON (a list of objects)")


def part_json(part: PartBase) -> dict[str, Any]:
    """Every field of a part, ``id`` and ``kind`` first, then the price a build would use."""
    data = part.model_dump(mode="json")
    head = {k: data.pop(k) for k in ("id", "kind", "brand", "name", "price_usd", "price_date")}
    price = catalog_price(part)
    resolved = {
        "usd": price.usd,
        "origin": price.origin,
        "date": price.when or None,
        "label": price_label(price),
    }
    return {**head, "price": resolved, **data}


WIDTH = 100
"""The table fits a 100-column terminal: names are shortened, ids never."""


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _table(parts: list[PartBase]) -> str:
    """Parts grouped by kind, one line each: id, name (shortened to fit), price, date.

    The brand is left out of the name: every id starts with it.
    """
    if not parts:
        return "no parts found"
    lines: list[str] = []
    for kind in PART_KINDS:
        group = [p for p in parts if p.kind_name == kind]
        if not group:
            continue
        rows = []
        for p in group:
            price = catalog_price(p)
            suffix = "/h" if kind == "cloud" and price.known else ""
            date = f"launch {price.when}".rstrip() if price.is_launch else date_text(price.date)
            rows.append((p.id, p.name, usd(price.usd) + suffix, date))
        id_w = max(len("ID"), *(len(r[0]) for r in rows))
        price_w = max(len("PRICE"), *(len(r[2]) for r in rows))
        date_w = max(len("DATE"), *(len(r[3]) for r in rows))
        name_w = max(WIDTH - id_w - price_w - date_w - 6, 12)
        name_w = min(name_w, max(len("NAME"), *(len(r[1]) for r in rows)))
        if lines:
            lines.append("")
        lines.append(f"{KIND_TITLES[kind]} ({len(group)})")
        for r in [("ID", "NAME", "PRICE", "DATE"), *rows]:
            cells = (r[0].ljust(id_w), _cut(r[1], name_w).ljust(name_w), r[2].rjust(price_w), r[3])
            lines.append("  ".join(cells).rstrip())
    lines.append(f"{len(parts)} part{'s' * (len(parts) != 1)}")
    return "\n".join(lines)


def _missing(rows: list[MissingField], total: dict[str, int]) -> str:
    if not rows:
        return "no empty fields that a check needs"
    lines = []
    for row in rows:
        lines.append(
            f"{row.kind}.{row.field}: {'empty or partial' if row.is_list else 'empty'} in "
            f"{len(row.parts)} of {total[row.kind]} "
            f"{row.kind} entries; blocks {len(row.rules)} check"
            f"{'s' * (len(row.rules) != 1)} ({', '.join(row.rules)})"
        )
        shown = ", ".join(row.parts[:5])
        more = f" and {len(row.parts) - 5} more" if len(row.parts) > 5 else ""
        lines.append(f"    {shown}{more}")
    lines.append(
        "Fill a value in in a user catalog folder (see catalog/README.md) or from a "
        "not-checked finding in the window; a list counts until it is marked complete."
    )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Run ``catalog list|search|show|missing``."""
    catalog = cli_catalog()
    if args.action == "missing":
        rows = missing_fields(catalog, args.kind)
        if args.json:
            print_json(
                [
                    {
                        "kind": r.kind,
                        "field": r.field,
                        "rules": list(r.rules),
                        "blocks": len(r.rules),
                        "parts": list(r.parts),
                    }
                    for r in rows
                ]
            )
        else:
            total = {kind: len(catalog.of_kind(kind)) for kind in PART_KINDS}
            print(_missing(rows, total))
        return 0
    if args.action == "show":
        part = catalog.get(args.id)
        if part is None:
            near = catalog.suggest(args.id)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            raise UsageError(f"no part with id {args.id!r}{hint}")
        if args.json:
            print_json(part_json(part))
        else:
            print(details_text(part, sourcing=args.sourcing))
        return 0
    if args.action == "search":
        parts = catalog.search(args.text, args.kind)
    else:
        parts = catalog.of_kind(args.kind) if args.kind else list(catalog)
    if args.json:
        print_json([part_json(p) for p in parts])
    else:
        print(_table(parts))
    return 0
