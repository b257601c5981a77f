"""Values the user fills in: written to the user's catalog folder as overrides of parts.

When a check cannot run because a spec is missing, the user can type the value (with the
page it comes from). The part is copied whole into ``user-overrides-<kind>.yaml`` in the
per-user catalog folder, with the value set, the source added to ``sources`` and a note
saying who entered what; the loader layers that folder over the shipped catalog, so the
entry replaces the shipped one by ``id`` from then on (see catalog/README.md).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from dlplanner.domain.parts import PART_ADAPTER, PartBase
from dlplanner.io.atomic import atomic_write_text
from dlplanner.io.catalog_files import read_catalog_file
from dlplanner.io.yamlsafe import LoadError, dump_yaml, parse_yaml

OVERRIDES_STEM = "user-overrides"


class OverrideError(ValueError):
    """The value does not fit the field (the message says why, in one line)."""


def overrides_path(folder: str | os.PathLike[str], kind: str) -> Path:
    """Return the file that holds the user's overrides of parts of ``kind``."""
    return Path(folder) / f"{OVERRIDES_STEM}-{kind}.yaml"


def parse_value(text: str) -> Any:
    """Read a typed value as YAML: ``16``, ``2.5``, ``true``, ``[AM5, sTR5]``, ``DDR5``."""
    try:
        return parse_yaml(text.strip() or "null", "the value")
    except LoadError as exc:
        raise OverrideError(f"not a value: {exc.reason}") from exc


def _set(data: dict[str, Any], field: str, value: Any) -> None:
    *outer, last = field.split(".")
    target = data
    for name in outer:
        inner = target.get(name)
        if not isinstance(inner, dict):
            inner = target[name] = {}
        target = inner
    target[last] = value


def with_value(part: PartBase, field: str, text: str, source: str = "") -> PartBase:
    """Return a copy of ``part`` with ``field`` set from ``text``; OverrideError if invalid.

    ``source`` (an http(s) URL, optional) is added to the part's ``sources``; a note records
    the value, the day and the source in the part's sourcing notes.
    """
    value = parse_value(text)
    if value is None:
        raise OverrideError("type a value")
    data = part.model_dump(mode="json", exclude_none=True)
    _set(data, field, value)
    source = source.strip()
    if source and source not in data["sources"]:
        data["sources"] = [*data["sources"], source]
    said = f"{field} = {text.strip()} entered by the user on {dt.date.today().isoformat()}"
    said += f" (source: {source})" if source else " (no source given)"
    data["sourcing_notes"] = f"{data.get('sourcing_notes', '')}\n{said}".strip()
    if not source:
        data["estimated"] = list(dict.fromkeys([*data.get("estimated", []), field]))
    try:
        return PART_ADAPTER.validate_python(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err["loc"][1:]) or field
        raise OverrideError(f"{where}: {err['msg']}") from exc


def write_override(folder: str | os.PathLike[str], part: PartBase) -> Path:
    """Write ``part`` into the user's override file of its kind, replacing an older entry.

    Entries of other parts in the file are kept. The folder is created when missing.
    """
    kind = str(getattr(part, "kind", ""))
    path = overrides_path(folder, kind)
    kept: list[PartBase] = []
    if path.exists():
        parts, _problems = read_catalog_file(path)
        kept = [p for p in parts if p.id != part.id]
    entries = [_entry(p) for p in [*kept, part]]
    doc = {"format": "dlplanner-catalog", "format_version": 1, "kind": kind, "parts": entries}
    path.parent.mkdir(parents=True, exist_ok=True)
    header = "# dlplanner: values you filled in; these entries replace the shipped ones by id\n"
    atomic_write_text(path, header + dump_yaml(doc))
    return path


def _entry(part: PartBase) -> dict[str, Any]:
    data = part.model_dump(mode="json", exclude_none=True)
    data.pop("kind", None)
    return data
