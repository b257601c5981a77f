"""``dlplanner cost [FILE] [flags]``: compare owning a build with renting cloud GPUs."""

from __future__ import annotations

import argparse

from dlplanner.commands.common import cli_build_and_catalog, cli_catalog, print_json
from dlplanner.domain.build import CLOUD_PLANS, Build
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.cost_options import CostOptions, compare_from_options
from dlplanner.domain.presets import PRESETS
from dlplanner.report.costs import format_text, to_json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the ``cost`` arguments."""
    parser.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="a .dlbuild.yaml build; without it --build-cost and --gpus describe the machine",
    )
    parser.add_argument(
        "--preset", metavar="NAME", help=f"start from a preset ({', '.join(PRESETS)})"
    )
    parser.add_argument("--build-cost", type=float, metavar="USD", help="what the machine costs")
    parser.add_argument("--gpus", type=int, metavar="N", help="GPUs in the machine (default 1)")
    parser.add_argument("--power-kw", type=float, metavar="KW", help="draw while training")
    parser.add_argument("--kwh-price", type=float, metavar="USD", help="electricity, $ per kWh")
    parser.add_argument(
        "--utilization", type=float, metavar="0..1", help="share of all hours the GPUs train"
    )
    parser.add_argument("--months", type=int, metavar="N", help="comparison horizon in months")
    parser.add_argument(
        "--depreciation-years", type=float, metavar="Y", help="straight-line depreciation period"
    )
    parser.add_argument(
        "--residual", type=float, metavar="0..1", help="value left after depreciation, a fraction"
    )
    parser.add_argument(
        "--cloud",
        action="append",
        metavar="OFFER_ID",
        help="a cloud offer to compare with (repeatable)",
    )
    parser.add_argument(
        "--cloud-price",
        type=float,
        metavar="USD_PER_HOUR",
        help="a custom on-demand offer: $ per hour for as many GPUs as the machine has",
    )
    parser.add_argument(
        "--plans",
        metavar="PLANS",
        help=f"comma-separated plans ({','.join(CLOUD_PLANS)}); default: all an offer prices",
    )
    parser.add_argument("--storage-gb", type=float, metavar="GB", help="cloud persistent storage")
    parser.add_argument(
        "--storage-price", type=float, metavar="USD_PER_GB_MONTH", help="cloud storage price"
    )
    parser.add_argument(
        "--normalize",
        choices=("none", "fp32", "mixed"),
        help="also compare equal work, scaled by FP32 or mixed-precision throughput",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")


def run(
    args: argparse.Namespace, catalog: Catalog | None = None, build: Build | None = None
) -> int:
    """Print the comparison; bad flags raise ValueError (the CLI exits 2)."""
    options = CostOptions.from_mapping(vars(args))
    if build is None and getattr(args, "file", None):
        build, loaded = cli_build_and_catalog(args.file)
        catalog = catalog or loaded
    if catalog is None:
        catalog = cli_catalog()
    comparison = compare_from_options(options, catalog, build)
    if getattr(args, "json", False):
        print_json(to_json(comparison))
    else:
        print(format_text(comparison))
    return 0
