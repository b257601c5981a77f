"""``dlplanner check FILE [--json] [--stage N|all]``: compatibility findings of a build."""

from __future__ import annotations

import argparse

from dlplanner.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    UsageError,
    cli_build_and_catalog,
    print_json,
)
from dlplanner.report.findings import format_text, to_json
from dlplanner.rules.engine import evaluate


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the ``check`` arguments."""
    parser.add_argument("file", metavar="FILE", help="a .dlbuild.yaml build file")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "--stage",
        default="all",
        metavar="N|all",
        help="check one stage of the upgrade plan (0 = the build as bought now); default all",
    )


def _stage(text: str, stages: int) -> int | None:
    if text == "all":
        return None
    try:
        stage = int(text)
    except ValueError:
        raise UsageError(f"--stage must be a stage number or 'all', not {text!r}") from None
    if not 0 <= stage < stages:
        raise UsageError(f"--stage {stage} does not exist; the plan has stages 0 to {stages - 1}")
    return stage


def run(args: argparse.Namespace) -> int:
    """Print the findings; exit 1 when the rules saw an error-severity problem."""
    build, catalog = cli_build_and_catalog(args.file)
    evaluation = evaluate(build, catalog, stage=_stage(args.stage, len(build.stages())))
    if args.json:
        print_json(to_json(evaluation))
    else:
        print(format_text(evaluation, catalog))
    return EXIT_FINDINGS if evaluation.has_errors else EXIT_OK
