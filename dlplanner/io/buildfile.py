"""Build files (``*.dlbuild.yaml``): hardened read, migrations, validation, atomic save."""

from __future__ import annotations

import difflib
import math
import os
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from dlplanner.domain.build import Build
from dlplanner.io.atomic import SaveError, atomic_write_bytes
from dlplanner.io.identity import FileIdentity
from dlplanner.io.yamlsafe import (
    BUILD_MAX_BYTES,
    BUILD_MAX_NODES,
    LoadError,
    decode_text,
    dump_yaml,
    line_of,
    parse_yaml,
    read_identified,
)

BUILD_FORMAT = "dlplanner-build"
FORMAT_VERSION = 2
"""The version this program writes and the newest it reads.

Version 2 added ``power_limit_w`` on parts-list and plan lines and ``site.circuits``.
"""
SUFFIX = ".dlbuild.yaml"

Migration = Callable[[dict[str, Any]], dict[str, Any]]
MIGRATIONS: dict[int, Migration] = {}
"""Version steps: ``MIGRATIONS[n]`` turns a version-n document into version n+1."""


def migration(from_version: int) -> Callable[[Migration], Migration]:
    """Register the step that upgrades documents of ``from_version`` by one version."""

    def register(func: Migration) -> Migration:
        if from_version in MIGRATIONS:
            raise ValueError(f"a migration from version {from_version} is already registered")
        MIGRATIONS[from_version] = func
        return func

    return register


@migration(1)
def _power_limits(doc: dict[str, Any]) -> dict[str, Any]:
    """Version 1 to 2: no line had a power limit and every build used one circuit."""
    return doc


def migrate(doc: dict[str, Any], path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Bring a document up to :data:`FORMAT_VERSION`, one registered step at a time."""
    version = doc.get("format_version")
    if version is None:
        raise LoadError(path, "format_version is missing")
    if isinstance(version, bool) or not isinstance(version, int):
        raise LoadError(path, f"format_version must be a whole number, not {version!r}")
    if version > FORMAT_VERSION:
        raise LoadError(
            path,
            f"written by a newer dlplanner (format_version {version}; "
            f"this version reads up to {FORMAT_VERSION}); please update dlplanner",
        )
    if version < 1:
        raise LoadError(path, f"format_version {version} is not a dlplanner build version")
    while version < FORMAT_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise LoadError(path, f"no migration from format_version {version}")
        doc = step(dict(doc))
        version += 1
        doc["format_version"] = version
    return doc


_MESSAGES = {
    "extra_forbidden": "unknown key",
    "missing": "is required",
}


def _loc_text(loc: tuple[Any, ...]) -> str:
    out = ""
    for item in loc:
        out += f"[{item}]" if isinstance(item, int) else ("." if out else "") + str(item)
    return out


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """Return the model a field holds (directly, in a tuple or list, or optional)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _nearest_key(loc: tuple[Any, ...]) -> str:
    """Return ``; did you mean 'qty'?`` for an unknown key at ``loc`` ("" if none is near)."""
    model: type[BaseModel] | None = Build
    for step in loc[:-1]:
        if isinstance(step, int) or model is None:
            continue
        field = model.model_fields.get(str(step))
        model = _model_in(field.annotation) if field else None
    if model is None or not loc:
        return ""
    known = list(model.model_fields)
    near = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.4)
    if not near and str(loc[-1]).startswith(tuple(k[:3] for k in known)):
        near = [k for k in known if str(loc[-1]).startswith(k[:3])][:1]
    return f"; did you mean {near[0]!r}?" if near else f"; known keys: {', '.join(known)}"


def _first_bad_float(value: Any, loc: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
    """Return where the first NaN or infinity is (no build field accepts one)."""
    if isinstance(value, float) and not math.isfinite(value):
        return loc
    if isinstance(value, dict):
        for key, sub in value.items():
            found = _first_bad_float(sub, (*loc, key))
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            found = _first_bad_float(sub, (*loc, index))
            if found is not None:
                return found
    return None


def build_from_document(
    doc: Any, path: str | os.PathLike[str] | None = None, text: str | None = None
) -> Build:
    """Check the envelope, migrate, and validate a parsed document into a :class:`Build`."""
    if doc is None:
        raise LoadError(path, "the file is empty")
    if not isinstance(doc, dict):
        raise LoadError(path, f"not a build file: expected a mapping, found {type(doc).__name__}")
    fmt = doc.get("format")
    if fmt != BUILD_FORMAT:
        found = "no format key" if fmt is None else f"format is {fmt!r}"
        raise LoadError(path, f"not a dlplanner build file ({found}; expected {BUILD_FORMAT!r})")
    doc = migrate(doc, path)
    body = {k: v for k, v in doc.items() if k not in ("format", "format_version")}
    bad = _first_bad_float(body)
    if bad is not None:
        line = line_of(text, bad) if text else None
        raise LoadError(path, f"{_loc_text(bad)}: NaN and infinity are not allowed", line)
    try:
        return Build.model_validate(body)
    except ValidationError as exc:
        errors = exc.errors()
        err = errors[0]
        loc = tuple(err["loc"])
        message = _MESSAGES.get(err["type"], err["msg"])
        if err["type"] == "extra_forbidden":
            message += _nearest_key(loc)
        more = len(errors) - 1
        suffix = f" (and {more} more problem{'s' * (more > 1)})" if more else ""
        line = line_of(text, loc) if text else None
        raise LoadError(path, f"{_loc_text(loc) or 'build'}: {message}{suffix}", line) from None


def load_build(path: str | os.PathLike[str]) -> Build:
    """Read a build file; any problem raises :class:`LoadError` with one line."""
    return load_build_identified(path)[0]


def load_build_identified(path: str | os.PathLike[str]) -> tuple[Build, FileIdentity]:
    """Read a build file and return it with the identity of the version read."""
    raw, identity = read_identified(path, max_bytes=BUILD_MAX_BYTES)
    text = decode_text(raw, path)
    build = build_from_document(parse_yaml(text, path, max_nodes=BUILD_MAX_NODES), path, text)
    return build, identity


def loads_build(text: str, path: str | None = None) -> Build:
    """Parse a build from text (autosaves, the clipboard, tests)."""
    if len(text.encode("utf-8")) > BUILD_MAX_BYTES:
        raise LoadError(path, f"larger than the {BUILD_MAX_BYTES // 1048576} MiB limit")
    return build_from_document(parse_yaml(text, path, max_nodes=BUILD_MAX_NODES), path, text)


def _item_doc(item: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"part": item.part, "qty": item.qty}
    if item.price_usd is not None:
        out["price_usd"] = item.price_usd
        if item.price_date is not None:
            out["price_date"] = item.price_date
    if item.note:
        out["note"] = item.note
    if item.power_limit_w is not None:
        out["power_limit_w"] = item.power_limit_w
    return out


def build_to_document(build: Build) -> dict[str, Any]:
    """Return the file's mapping: keys in the documented order, plain types only."""
    doc: dict[str, Any] = {
        "format": BUILD_FORMAT,
        "format_version": FORMAT_VERSION,
        "name": build.name,
        "notes": build.notes,
        "items": [_item_doc(i) for i in build.items],
    }
    if build.plan:
        doc["plan"] = [
            {
                "month": step.month,
                **({"label": step.label} if step.label else {}),
                "add": [_item_doc(i) for i in step.add],
            }
            for step in build.plan
        ]
    doc["assumptions"] = build.assumptions.model_dump(mode="json")
    doc["compare"] = [c.model_dump(mode="json") for c in build.compare]
    doc["site"] = build.site.model_dump(mode="json")
    return doc


def dumps_build(build: Build) -> str:
    """Return the text of a build file."""
    return "# dlplanner build file (see the README, 'Build files')\n" + dump_yaml(
        build_to_document(build)
    )


def build_file_bytes(build: Build, path: str | os.PathLike[str]) -> bytes:
    """Return the bytes of a build's file; :class:`SaveError` if it could not be opened again.

    ``model_copy`` does not validate, so an edited build may break a bound (a 101st part,
    a NaN); such a build, or one too large for the reader, is refused before writing.
    """
    try:
        Build.model_validate(build.model_dump())
    except ValidationError as exc:
        err = exc.errors()[0]
        where = _loc_text(tuple(err["loc"])) or "build"
        raise SaveError(
            path, f"the build is not valid ({where}: {err['msg']}) and could not be opened again"
        ) from None
    data = dumps_build(build).encode("utf-8")
    if len(data) > BUILD_MAX_BYTES:
        raise SaveError(
            path,
            f"the build is too large to save ({len(data) / 1048576:.1f} MiB; "
            f"files over {BUILD_MAX_BYTES // 1048576} MiB cannot be opened); shorten its notes",
        )
    return data


def save_build(build: Build, path: str | os.PathLike[str]) -> Path:
    """Save atomically, keeping the previous file as ``<name>.bak``; return the path.

    A build that could not be opened again (invalid, or too large for the reader) is
    refused with :class:`SaveError` before anything is written.
    """
    write_build(build, path)
    return Path(path)


def write_build(
    build: Build,
    path: str | os.PathLike[str],
    *,
    expected: FileIdentity | None = None,
    check_expected: bool = False,
) -> FileIdentity:
    """Like :func:`save_build`, returning the identity of the written file.

    With ``check_expected`` the file must still be the version ``expected`` (None: it
    must not exist), else :class:`~dlplanner.io.atomic.ConflictError`.
    """
    target = Path(path)
    return atomic_write_bytes(
        target,
        build_file_bytes(build, target),
        backup=True,
        expected=expected,
        check_expected=check_expected,
    )
