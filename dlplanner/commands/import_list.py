"""``dlplanner import FILE -o OUT``: turn a PCPartPicker part list into a build file."""

from __future__ import annotations

import argparse
import sys

from dlplanner.commands.common import UsageError, cli_catalog
from dlplanner.domain.list_match import import_part_list
from dlplanner.domain.part_list import MAX_LIST_CHARS, parse_part_list
from dlplanner.io.buildfile import SUFFIX, save_build
from dlplanner.io.yamlsafe import read_text
from dlplanner.report.imports import list_lines


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the ``import`` arguments."""
    parser.add_argument(
        "file", metavar="FILE", help="a PCPartPicker Markdown or plain-text export ('-': stdin)"
    )
    parser.add_argument(
        "-o", "--output", required=True, metavar="OUT", help=f"the build file to write (*{SUFFIX})"
    )
    parser.add_argument("--name", metavar="NAME", help="the build's name")


def run(args: argparse.Namespace) -> int:
    """Match the list's parts, print what became of each line, write the build."""
    if args.file == "-":
        text = sys.stdin.read(MAX_LIST_CHARS + 1)
    else:
        text = read_text(args.file, max_bytes=MAX_LIST_CHARS * 4)
    try:
        part_list = parse_part_list(text)
    except ValueError as exc:
        raise UsageError(f"{args.file}: {exc}") from None
    result = import_part_list(part_list, cli_catalog(), args.name or "")
    for line in list_lines(result):
        print(line)
    saved = save_build(result.build, args.output)
    matched = len(result.matches) - len(result.notes)
    print(
        f"wrote {saved}: {matched} of {len(result.matches)} lines matched; "
        f"{len(result.notes)} kept as notes"
    )
    return 0
