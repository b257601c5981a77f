"""What the command line and its sub-commands share: exit codes, the usage error, loading, JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from dlplanner.domain.build import Build
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.power import power_limit_problems
from dlplanner.io.buildfile import load_build
from dlplanner.io.catalog_files import load_catalog
from dlplanner.io.yamlsafe import LoadError

EXIT_OK = 0
"""Success."""
EXIT_FINDINGS = 1
"""``check`` found a finding of error severity; ``selftest`` failed a step."""
EXIT_BAD_INPUT = 2
"""Bad input or usage, reported in one line on stderr."""


class UsageError(Exception):
    """Bad command-line input: reported in one line with exit status 2."""


def cli_catalog() -> Catalog:
    """Return the layered catalog; warn on stderr about problems in user folders."""
    loaded = load_catalog()
    for problem in loaded.problems:
        print(f"dlplanner: warning: skipped {problem}", file=sys.stderr)
    return loaded.catalog


def cli_build_and_catalog(path: str | Path) -> tuple[Build, Catalog]:
    """Load a build file, then the catalog; warn about part ids the catalog does not have.

    The build is read first, so a bad file is refused before the catalog is loaded; a
    power limit the catalog's card does not accept is refused as a bad file too.
    """
    build = load_build(path)
    catalog = cli_catalog()
    problems = power_limit_problems(build, catalog)
    if problems:
        more = len(problems) - 1
        suffix = f" (and {more} more problem{'s' * (more > 1)})" if more else ""
        raise LoadError(path, problems[0] + suffix)
    missing = sorted({pid for pid in build.part_ids() if pid not in catalog})
    if missing:
        print(
            f"dlplanner: warning: {path}: parts not in the catalog (kept): {', '.join(missing)}",
            file=sys.stderr,
        )
    return build, catalog


def print_json(data: Any) -> None:
    """Pretty JSON on stdout."""
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
