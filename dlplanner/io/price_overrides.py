"""Price imports end to end over files: read price files, plan, write the user's overrides.

The overrides go into the per-user catalog folder as ``imported-prices-<kind>.yaml``,
a catalog file like any other (later folders override the shipped catalog by id), so
the shipped catalog is never edited and deleting the file restores the shipped prices.
Entries already in the file are kept unless the new import replaces them by id, which
makes re-running an import a no-op.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dlplanner.domain.catalog import Catalog
from dlplanner.domain.price_import import ImportPlan, plan_own, plan_skypilot
from dlplanner.io import resources
from dlplanner.io.atomic import atomic_write_text
from dlplanner.io.catalog_files import CATALOG_FORMAT, CATALOG_FORMAT_VERSION, read_catalog_file
from dlplanner.io.price_files import read_price_file
from dlplanner.io.yamlsafe import LoadError, dump_yaml

OVERRIDE_PREFIX = "imported-prices-"
"""File names of the overrides: ``imported-prices-cloud.yaml``, ``imported-prices-gpu.yaml`` …"""

SKYPILOT_SOURCE = (
    "https://github.com/skypilot-org/skypilot-catalog/blob/master/catalogs/v7/{}/vms.csv"
)
"""The source recorded for a SkyPilot file when the user gives none."""

HEADER = (
    "# Prices imported with 'dlplanner prices import' (or File > Import Prices...).\n"
    "# Entries here override the shipped catalog by id; delete this file to go back to the\n"
    "# shipped prices.\n"
)


@dataclass
class FileImport:
    """One price file and what importing it would change."""

    path: str
    plan: ImportPlan
    provider: str | None = None


@dataclass
class PriceImport:
    """The plans for several files, applied one after the other, ready to write."""

    files: list[FileImport] = field(default_factory=list)
    directory: Path = field(default_factory=lambda: user_price_dir())

    @property
    def overrides(self) -> list[Any]:
        """Every entry to write, the last file's version of an id winning."""
        merged: dict[str, Any] = {}
        for item in self.files:
            for part in item.plan.overrides:
                merged[part.id] = part
        return list(merged.values())


def user_price_dir() -> Path:
    """Return the per-user catalog folder the overrides are written to."""
    return resources.user_catalog_dirs()[0]


def plan_files(
    paths: Sequence[str | os.PathLike[str]],
    catalog: Catalog,
    *,
    provider: str | None = None,
    date: dt.date | None = None,
    source: str | None = None,
    directory: Path | None = None,
) -> PriceImport:
    """Read every file and plan its import; a bad file raises LoadError (nothing written).

    Each file is planned against the catalog as the files before it leave it.
    """
    when = date or dt.date.today()
    result = PriceImport(directory=directory or user_price_dir())
    current = catalog
    for path in paths:
        price_file = read_price_file(path, provider)
        if price_file.format == "own":
            plan = plan_own(current, price_file.own_rows, when, source)
        else:
            key = price_file.provider or ""
            plan = plan_skypilot(
                current, price_file.vm_rows, key, when, source or SKYPILOT_SOURCE.format(key)
            )
        plan.skipped[:0] = price_file.skipped
        result.files.append(FileImport(str(path), plan, price_file.provider))
        if plan.overrides:
            current = Catalog([*current, *plan.overrides])
    return result


def write_overrides(result: PriceImport) -> list[Path]:
    """Write the planned overrides into the user's catalog folder; return the files written."""
    by_kind: dict[str, list[Any]] = {}
    for part in result.overrides:
        by_kind.setdefault(part.kind, []).append(part)
    written: list[Path] = []
    for kind, parts in sorted(by_kind.items()):
        path = result.directory / f"{OVERRIDE_PREFIX}{kind}.yaml"
        entries: dict[str, Any] = {}
        if path.exists():
            old, problems = read_catalog_file(path)
            if problems:
                raise LoadError(path, f"cannot merge into it: {problems[0].message}")
            entries = {p.id: p for p in old}
        entries.update({p.id: p for p in parts})
        doc = {
            "format": CATALOG_FORMAT,
            "format_version": CATALOG_FORMAT_VERSION,
            "kind": kind,
            "parts": [_entry(p) for p in entries.values()],
        }
        result.directory.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, HEADER + dump_yaml(doc))
        written.append(path)
    return written


def _entry(part: Any) -> dict[str, Any]:
    data: dict[str, Any] = part.model_dump(mode="json", exclude_none=True)
    data.pop("kind", None)
    return data
