"""``dlplanner prices import FILE…``: bring fresh cloud or part prices in from files."""

from __future__ import annotations

import argparse
import datetime as dt

from dlplanner.commands.common import UsageError, cli_catalog
from dlplanner.domain.parts import URL_PATTERN
from dlplanner.domain.price_rows import PROVIDERS
from dlplanner.io.price_overrides import plan_files, write_overrides
from dlplanner.report.imports import import_lines


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the ``prices`` sub-commands."""
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    p_import = sub.add_parser(
        "import",
        help="import SkyPilot vms.csv files or dlplanner price CSVs into your catalog folder",
        description="Read price files, show what would change (old -> new, new offers, "
        "skipped rows and why), then write dated, sourced overrides into your catalog "
        "folder. The shipped catalog is never edited; delete the written file to go back.",
    )
    p_import.add_argument("files", nargs="+", metavar="FILE", help="price files (CSV)")
    p_import.add_argument(
        "--provider",
        choices=sorted(PROVIDERS),
        help="the cloud of a SkyPilot vms.csv (default: from its folder, e.g. .../aws/vms.csv)",
    )
    p_import.add_argument(
        "--date", metavar="YYYY-MM-DD", help="the day the prices were true (default: today)"
    )
    p_import.add_argument("--source", metavar="URL", help="where the prices were read")
    p_import.add_argument(
        "--dry-run", action="store_true", help="show what would change and write nothing"
    )


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--date {text!r} is not a date (YYYY-MM-DD)") from None


def run(args: argparse.Namespace) -> int:
    """Plan the import, print it, and write it unless ``--dry-run``."""
    date = _date(args.date)
    if date is not None and date > dt.date.today():
        raise UsageError(f"--date {date} is in the future")
    if args.source is not None and not URL_PATTERN.match(args.source):
        raise UsageError(f"--source {args.source!r} is not an http(s) URL")
    catalog = cli_catalog()
    result = plan_files(args.files, catalog, provider=args.provider, date=date, source=args.source)
    for line in import_lines(result):
        print(line)
    overrides = result.overrides
    if args.dry_run:
        print(f"dry run: {len(overrides)} entries would be written; nothing written")
        return 0
    if not overrides:
        print("nothing to change")
        return 0
    for path in write_overrides(result):
        print(f"wrote {path}")
    print(f"{len(overrides)} entries imported; delete the file(s) above for the shipped prices")
    return 0
