"""``dlplanner export FILE -o OUT --format md|csv``: the shopping list, headless."""

from __future__ import annotations

import argparse
from pathlib import Path

from dlplanner.cli import UsageError
from dlplanner.commands.common import cli_build, cli_catalog
from dlplanner.io.export import TEXT_FORMATS, export_text

FORMATS = tuple(TEXT_FORMATS)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the ``export`` arguments."""
    parser.add_argument("file", metavar="FILE", help="a .dlbuild.yaml build file")
    parser.add_argument("-o", "--output", required=True, metavar="OUT", help="where to write")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        help="output format (default: from OUT's extension)",
    )


def _format_of(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    ext = Path(args.output).suffix.lower().lstrip(".")
    ext = {"markdown": "md", "htm": "html"}.get(ext, ext)
    if ext not in FORMATS:
        raise UsageError(f"cannot tell the format from {args.output!r}; give --format")
    return ext


def run(args: argparse.Namespace) -> int:
    """Write the export."""
    fmt = _format_of(args)
    catalog = cli_catalog()
    build = cli_build(args.file, catalog)
    export_text(build, catalog, fmt, args.output)
    return 0
