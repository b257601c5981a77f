"""What several sub-commands share: loading the catalog and a build file, printing JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from dlplanner.domain.build import Build
from dlplanner.domain.catalog import Catalog
from dlplanner.io.buildfile import load_build
from dlplanner.io.catalog_files import load_catalog


def cli_catalog() -> Catalog:
    """The layered catalog; problems in user folders are warned about on stderr."""
    loaded = load_catalog()
    for problem in loaded.problems:
        print(f"dlplanner: warning: skipped {problem}", file=sys.stderr)
    return loaded.catalog


def cli_build(path: str | Path, catalog: Catalog) -> Build:
    """Load a build file and warn about part ids the catalog does not have."""
    build = load_build(path)
    missing = sorted({pid for pid in build.part_ids() if pid not in catalog})
    if missing:
        print(
            f"dlplanner: warning: {path}: parts not in the catalog (kept): {', '.join(missing)}",
            file=sys.stderr,
        )
    return build


def print_json(data: Any) -> None:
    """Pretty JSON on stdout."""
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
