"""``dlplanner complete FILE``: complete a build from the parts chosen so far.

Exit status: 0 when a build was found (and written), 1 when none satisfies the goals
(the binding constraint is named), 2 for bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from dlplanner.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    UsageError,
    cli_build_and_catalog,
    print_json,
)
from dlplanner.completion.goals import DEFAULT_MIN_STORAGE_GB, Goals
from dlplanner.completion.propose import ALL_WARNINGS, Completion, Proposal, complete
from dlplanner.domain.build import Build
from dlplanner.domain.catalog import Catalog
from dlplanner.io.buildfile import save_build
from dlplanner.report.completion import (
    completion_lines,
    differences,
    failure_text,
    headline,
    reason_title,
    ruled_out,
    why,
)
from dlplanner.report.findings import counts_text, finding_to_json, verdict

SUFFIX = ".dlbuild.yaml"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the ``complete`` arguments."""
    parser.add_argument("file", metavar="FILE", help="a .dlbuild.yaml build with some parts")
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="where to write the completed build (default: FILE-completed.dlbuild.yaml "
        "beside FILE, never FILE itself)",
    )
    parser.add_argument("--budget", type=float, metavar="USD", help="most the build may cost")
    parser.add_argument(
        "--keep",
        action="append",
        default=[],
        metavar="ID",
        help="a part that must stay (repeat); other parts of the build are replaced only "
        "when no build keeps them",
    )
    parser.add_argument(
        "--alternatives",
        type=int,
        default=3,
        metavar="N",
        help="proposals to show, 1 to 3: cheapest, more lanes per GPU, room for one more GPU",
    )
    parser.add_argument(
        "--choose", type=int, default=1, metavar="N", help="which proposal to write (default 1)"
    )
    parser.add_argument(
        "--gpu-cooler",
        action="append",
        default=[],
        choices=("blower", "open-air", "hybrid", "water", "passive"),
        help="allowed GPU cooler type (repeat); other GPUs are swapped for a card of the "
        "same chip with an allowed cooler",
    )
    parser.add_argument("--brand", action="append", default=[], help="only parts of this brand")
    parser.add_argument("--socket", action="append", default=[], help="only this CPU socket")
    parser.add_argument(
        "--psu-headroom", type=float, metavar="X", help="PSU size over the DC load (1.0-3.0)"
    )
    parser.add_argument(
        "--min-storage-gb",
        type=int,
        default=DEFAULT_MIN_STORAGE_GB,
        metavar="GB",
        help=f"smallest NVMe drive to add (default {DEFAULT_MIN_STORAGE_GB})",
    )
    parser.add_argument(
        "--allow-warnings", action="store_true", help="accept warnings, not only errors"
    )
    parser.add_argument("--dry-run", action="store_true", help="print, write nothing")
    parser.add_argument("--json", action="store_true", help="print JSON")


def goals_from(args: argparse.Namespace) -> Goals:
    """Turn the arguments into goals; bad values are usage errors."""
    if args.budget is not None and not 0 < args.budget < 10_000_000:
        raise UsageError("--budget must be a positive number of dollars")
    if not 1 <= args.alternatives <= 3:
        raise UsageError("--alternatives must be 1, 2 or 3")
    if not 1 <= args.choose <= args.alternatives:
        raise UsageError(f"--choose must be between 1 and {args.alternatives}")
    if args.psu_headroom is not None and not 1.0 <= args.psu_headroom <= 3.0:
        raise UsageError("--psu-headroom must be between 1.0 and 3.0")
    if not 0 <= args.min_storage_gb <= 1_000_000:
        raise UsageError("--min-storage-gb must be between 0 and 1000000")
    return Goals(
        budget_usd=args.budget,
        keep=frozenset(args.keep),
        psu_headroom=args.psu_headroom,
        brands=frozenset(b.lower() for b in args.brand),
        sockets=frozenset(s.lower() for s in args.socket),
        min_storage_gb=args.min_storage_gb,
        allow_warnings=args.allow_warnings,
        alternatives=args.alternatives,
        gpu_coolers=frozenset(args.gpu_cooler),
    )


def default_output(path: Path) -> Path:
    """Return ``NAME-completed.dlbuild.yaml`` beside ``path``; numbered, never overwriting."""
    name = path.name
    stem = name[: -len(SUFFIX)] if name.endswith(SUFFIX) else path.stem
    for n in range(1, 1000):
        tail = "-completed" if n == 1 else f"-completed-{n}"
        candidate = path.with_name(f"{stem}{tail}{SUFFIX}")
        if not candidate.exists():
            return candidate
    raise UsageError(f"too many completed builds beside {path}; give -o")


def completed_build(proposal: Proposal, original: Build) -> Build:
    """Return the proposal named as the user's build, marked as completed."""
    name = (
        original.name if original.name.endswith("(completed)") else f"{original.name} (completed)"
    )
    return proposal.build.model_copy(update={"name": name[:200]})


def proposal_json(proposal: Proposal, original: Build, catalog: Catalog) -> dict[str, Any]:
    """Return one proposal as JSON-ready data."""
    text, _ = verdict(proposal.evaluation)
    accepted = proposal.accepted_warnings
    return {
        "label": proposal.label,
        "headline": headline(proposal, catalog),
        "total_usd": round(proposal.total_usd, 2),
        "unpriced": list(proposal.unpriced),
        "verdict": text,
        "counts": counts_text(proposal.evaluation),
        "accepted_warnings": "all" if accepted == ALL_WARNINGS else sorted(accepted),
        "items": [{"part": i.part, "qty": i.qty} for i in proposal.build.items],
        "picks": [
            {
                "kind": pick.kind,
                "part": pick.items[0].part,
                "qty": pick.items[0].qty,
                "price_usd": round(pick.price_usd, 2),
                "why": why(pick, proposal.build, catalog),
                "ruled_out": ruled_out(pick),
                "cheaper_turned_down": pick.cheaper_turned_down,
                "reasons": [
                    {"reason": r, "title": reason_title(r), "count": c, "example": e}
                    for r, c, e in pick.reasons
                ],
            }
            for pick in proposal.picks
        ],
        "differences": differences(proposal, original, catalog),
        "findings": [finding_to_json(f) for f in proposal.evaluation.findings],
    }


def completion_json(
    completion: Completion, original: Build, catalog: Catalog, goals: Goals, written: Path | None
) -> dict[str, Any]:
    """Return the whole completion as JSON-ready data."""
    return {
        "found": completion.found,
        "binding": completion.binding,
        "message": None if completion.found else failure_text(completion, goals.budget_usd),
        "cheapest_without_goal_usd": completion.cheapest_without_goal_usd,
        "proposals": [proposal_json(p, original, catalog) for p in completion.proposals],
        "notes": list(completion.notes),
        "unpriced_catalog_parts": completion.unpriced,
        "written": str(written) if written else None,
    }


def run(args: argparse.Namespace) -> int:
    """Complete the build, print the proposals, write the chosen one."""
    goals = goals_from(args)
    source = Path(args.file)
    build, catalog = cli_build_and_catalog(source)
    completion = complete(build, catalog, goals)
    written: Path | None = None
    if completion.found and not args.dry_run:
        index = min(args.choose, len(completion.proposals)) - 1
        out = Path(args.output) if args.output else default_output(source)
        written = save_build(completed_build(completion.proposals[index], build), out)
    if args.json:
        print_json(completion_json(completion, build, catalog, goals, written))
    else:
        for line in completion_lines(completion, build, catalog, goals.budget_usd):
            print(line)
        if written is not None:
            print(f"Wrote {written}")
    if not completion.found:
        if not args.json:
            sys.stdout.flush()
        return EXIT_FINDINGS
    return EXIT_OK
