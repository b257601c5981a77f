"""``dlplanner catalog list|search|show``: browse the catalog from the command line."""

from __future__ import annotations

import argparse
from typing import Any

from dlplanner.commands.common import UsageError, cli_catalog, print_json
from dlplanner.domain.parts import PART_KINDS, PartBase
from dlplanner.report.format import date_text, usd


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the ``catalog`` sub-commands."""
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    p_list = sub.add_parser("list", help="list parts")
    p_search = sub.add_parser("search", help="find parts by name, brand or key specs")
    p_search.add_argument("text", metavar="TEXT")
    for p in (p_list, p_search):
        p.add_argument("--kind", choices=PART_KINDS, help="only parts of this kind")
        p.add_argument("--json", action="store_true", help="print JSON (a list of objects)")
    p_show = sub.add_parser("show", help="show every field of one part")
    p_show.add_argument("id", metavar="ID")
    p_show.add_argument("--json", action="store_true", help="print JSON (one object)")


def part_json(part: PartBase) -> dict[str, Any]:
    """Every field of a part, ``id`` and ``kind`` first."""
    data = part.model_dump(mode="json")
    head = {k: data.pop(k) for k in ("id", "kind", "brand", "name", "price_usd", "price_date")}
    return {**head, **data}


def _table(parts: list[PartBase]) -> str:
    if not parts:
        return "no parts found"
    rows = [("ID", "KIND", "NAME", "PRICE", "DATE")]
    for p in parts:
        date = date_text(p.price_date)
        suffix = "/h" if p.kind == "cloud" and p.price_usd is not None else ""  # type: ignore[attr-defined]
        rows.append((p.id, p.kind, p.title, usd(p.price_usd) + suffix, date))  # type: ignore[attr-defined]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = [
        "  ".join(
            [
                r[0].ljust(widths[0]),
                r[1].ljust(widths[1]),
                r[2].ljust(widths[2]),
                r[3].rjust(widths[3]),
                r[4],
            ]
        ).rstrip()
        for r in rows
    ]
    lines.append(f"{len(parts)} part{'s' * (len(parts) != 1)}")
    return "\n".join(lines)


def _details(part: PartBase) -> str:
    lines = [part.title, "=" * len(part.title)]
    for key, value in part_json(part).items():
        if value in (None, [], {}):
            continue
        lines.append(f"{key}: {value}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Run ``catalog list|search|show``."""
    catalog = cli_catalog()
    if args.action == "show":
        part = catalog.get(args.id)
        if part is None:
            near = catalog.search(args.id.replace("-", " "))[:3]
            hint = f"; did you mean {', '.join(p.id for p in near)}?" if near else ""
            raise UsageError(f"no part with id {args.id!r}{hint}")
        if args.json:
            print_json(part_json(part))
        else:
            print(_details(part))
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
