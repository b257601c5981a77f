"""Reading catalog folders: every file through the hardened reader, every error reported at once."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from dlplanner.domain.catalog import Catalog
from dlplanner.domain.parts import MODEL_BY_KIND, PartBase
from dlplanner.domain.text import escape_line
from dlplanner.io import resources
from dlplanner.io.catalog_cache import CatalogCache
from dlplanner.io.yamlsafe import (
    DATA_MAX_BYTES,
    LoadError,
    decode_text,
    parse_yaml,
    read_bytes,
    read_identified,
)

CATALOG_FORMAT = "dlplanner-catalog"
CATALOG_FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class CatalogProblem:
    """One problem in a catalog file: where it is and what is wrong."""

    path: str
    message: str
    entry: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        """Return ``file: entry: field: message`` on one line."""
        where = self.path
        if self.entry:
            where += f": {self.entry}"
        if self.field:
            where += f": {self.field}"
        # One line even when a key or an id in the file has a line break or escape in it.
        return escape_line(f"{where}: {self.message}")


class CatalogError(LoadError):
    """A catalog that cannot be used; carries every problem found."""

    def __init__(self, problems: Sequence[CatalogProblem]):
        self.problems = list(problems)
        first = str(self.problems[0]) if self.problems else "catalog error"
        more = len(self.problems) - 1
        message = first + (f" (and {more} more problem{'s' * (more > 1)})" if more else "")
        super().__init__(None, message)

    def _format(self) -> str:
        return self.reason


@dataclass
class CatalogLoad:
    """The result of loading a layered catalog: the parts and what was skipped."""

    catalog: Catalog
    problems: list[CatalogProblem] = field(default_factory=list)
    """Problems in user folders; their broken entries were skipped."""
    files: list[Path] = field(default_factory=list)


def _field_path(loc: Iterable[Any]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts)


def _validation_problems(path: str, entry: str, exc: ValidationError) -> list[CatalogProblem]:
    out = []
    for err in exc.errors():
        loc = [x for x in err["loc"] if x not in MODEL_BY_KIND]  # drop the union tag
        out.append(CatalogProblem(path, err["msg"], entry, _field_path(loc) or None))
    return out


MAX_PARTS_PER_FILE = 10_000
"""Entries one catalog file may hold (the generated 10,000-part benchmark catalog has 6,000
GPUs in one file); counted before any entry is validated, so a file of a million empty
entries is refused at once instead of costing seconds and hundreds of MB."""
MAX_NODES_PER_FILE = 1_000_000
"""Values one catalog file may hold; the parse stops as soon as this is passed."""
MAX_PROBLEMS_PER_FILE = 20
"""Problems reported per file; the rest are counted in one last line."""

ParseProgress = Callable[[Path, int], object]
"""Called with a file and its size before a file is parsed (not found in the cache)."""


def read_catalog_file(
    path: str | os.PathLike[str],
    cache: CatalogCache | None = None,
    on_parse: ParseProgress | None = None,
) -> tuple[list[PartBase], list[CatalogProblem]]:
    """Read one catalog file; return the valid parts and every problem found.

    With a ``cache``, a file whose exact bytes were read and found clean before is not
    parsed again (see :mod:`dlplanner.io.catalog_cache`). ``on_parse`` hears about each
    file that is parsed, so a caller can say why a first start takes a moment.
    """
    try:
        raw = read_bytes(path, max_bytes=DATA_MAX_BYTES)
    except LoadError as exc:
        return [], [_load_problem(exc)]
    return _read_raw(Path(path), raw, cache, on_parse)


def _load_problem(exc: LoadError) -> CatalogProblem:
    return CatalogProblem(
        exc.path or "<input>", exc.reason + (f" (line {exc.line})" if exc.line else "")
    )


def _read_raw(
    path: Path, raw: bytes, cache: CatalogCache | None, on_parse: ParseProgress | None
) -> tuple[list[PartBase], list[CatalogProblem]]:
    spath = str(path)
    try:
        cached = cache.get(raw) if cache is not None else None
        if cached is not None:
            return cached, []
        if on_parse is not None:
            on_parse(path, len(raw))
        doc = parse_yaml(decode_text(raw, path), path, max_nodes=MAX_NODES_PER_FILE)
    except LoadError as exc:
        return [], [_load_problem(exc)]
    parts, problems = _catalog_parts(spath, doc)
    if len(problems) > MAX_PROBLEMS_PER_FILE:
        more = len(problems) - MAX_PROBLEMS_PER_FILE
        problems = problems[:MAX_PROBLEMS_PER_FILE]
        problems.append(CatalogProblem(spath, f"…and {more:,} more problems in this file"))
    if cache is not None and parts and not problems:
        cache.put(raw, parts)
    return parts, problems


def _catalog_parts(spath: str, doc: object) -> tuple[list[PartBase], list[CatalogProblem]]:
    """Check one parsed catalog document; return its valid parts and every problem."""
    if not isinstance(doc, dict):
        return [], [CatalogProblem(spath, "expected a mapping with format, kind and parts")]
    problems: list[CatalogProblem] = []
    if doc.get("format") != CATALOG_FORMAT:
        problems.append(CatalogProblem(spath, f"format must be {CATALOG_FORMAT!r}"))
    version = doc.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        problems.append(CatalogProblem(spath, "format_version must be a whole number"))
    elif version > CATALOG_FORMAT_VERSION:
        problems.append(
            CatalogProblem(
                spath,
                f"format_version {version} is newer than this dlplanner reads "
                f"({CATALOG_FORMAT_VERSION}); update dlplanner",
            )
        )
    kind = doc.get("kind")
    if not isinstance(kind, str) or kind not in MODEL_BY_KIND:  # a list is not hashable
        problems.append(CatalogProblem(spath, f"unknown kind {kind!r}"))
    extra = set(doc) - {"format", "format_version", "kind", "parts"}
    if extra:
        names = ", ".join(sorted(map(str, extra)))
        problems.append(CatalogProblem(spath, f"unknown keys: {names}"))
    entries = doc.get("parts")
    if not isinstance(entries, list):
        problems.append(CatalogProblem(spath, "parts must be a list"))
    elif len(entries) > MAX_PARTS_PER_FILE:
        problems.append(
            CatalogProblem(
                spath,
                f"{len(entries):,} entries; a catalog file may hold at most "
                f"{MAX_PARTS_PER_FILE:,} (split it into several files)",
            )
        )
    if problems:
        return [], problems
    assert isinstance(kind, str) and isinstance(entries, list)
    model = MODEL_BY_KIND[kind]
    parts: list[PartBase] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        label = f"entry {index + 1}"
        if not isinstance(entry, dict):
            problems.append(CatalogProblem(spath, "entry is not a mapping", label))
            continue
        if isinstance(entry.get("id"), str):
            label = entry["id"]
        entry_kind = entry.get("kind", kind)
        if entry_kind != kind:
            problems.append(
                CatalogProblem(spath, f"kind {entry_kind!r} in a {kind!r} file", label, "kind")
            )
            continue
        try:
            part = model.model_validate({**entry, "kind": kind})
        except ValidationError as exc:
            problems.extend(_validation_problems(spath, label, exc))
            continue
        if part.id in seen:
            problems.append(CatalogProblem(spath, "duplicate id in this file", label, "id"))
            continue
        seen.add(part.id)
        parts.append(part)
    return parts, problems


def read_catalog_dir(
    directory: Path, cache: CatalogCache | None = None, on_parse: ParseProgress | None = None
) -> tuple[list[PartBase], list[CatalogProblem], list[Path]]:
    """Read every ``*.yaml`` file of one folder; ids must be unique across its files."""
    parts: list[PartBase] = []
    problems: list[CatalogProblem] = []
    owner: dict[str, str] = {}
    try:
        real_dir = directory.resolve()
        listed = sorted(
            (entry.name, entry.is_symlink())
            for entry in os.scandir(real_dir)
            if entry.name.endswith(".yaml") and entry.is_file()
        )
    except OSError as exc:
        return [], [CatalogProblem(str(directory), f"cannot list: {exc.strerror or exc}")], []
    files = [directory / name for name, _link in listed]
    # Every clean file of the folder, by the hash of its bytes, in one cache entry: a warm
    # start reads and hashes each file but validates the folder's parts in one go.
    packed = cache.read_pack(directory) if cache is not None else {}
    pack: dict[str, list[PartBase]] = {}
    for path, (name, link) in zip(files, listed, strict=True):
        try:
            if link:
                raw = read_bytes(path, max_bytes=DATA_MAX_BYTES)
            else:  # no link anywhere in the path: the costly resolving is done once, above
                raw = read_identified(real_dir / name, max_bytes=DATA_MAX_BYTES, real=True)[0]
        except LoadError as exc:
            problems.append(_load_problem(exc))
            continue
        key = hashlib.sha256(raw).hexdigest()
        if key in packed:
            file_parts, file_problems = packed[key], list[CatalogProblem]()
        else:
            file_parts, file_problems = _read_raw(path, raw, cache, on_parse)
        if file_parts and not file_problems:
            pack[key] = file_parts
        problems.extend(file_problems)
        for part in file_parts:
            if part.id in owner:
                problems.append(
                    CatalogProblem(str(path), f"id also used in {owner[part.id]}", part.id, "id")
                )
                continue
            owner[part.id] = str(path)
            parts.append(part)
    if cache is not None and pack.keys() != packed.keys():
        cache.write_pack(directory, pack)
    return parts, problems, files


def load_catalog(
    shipped: Path | None = None,
    user_dirs: Sequence[Path] | None = None,
    *,
    cache: CatalogCache | bool | None = True,
    on_parse: ParseProgress | None = None,
) -> CatalogLoad:
    """Load the shipped catalog (strict) and layer user folders over it (lenient).

    Any problem in the shipped catalog raises :class:`CatalogError` with every problem.
    Problems in user folders skip the broken entries and are returned, so a broken user
    catalog never stops the program. ``cache``: True for the per-user cache of checked
    files, False or None to parse every file, or a :class:`CatalogCache` to use.
    ``on_parse`` is called before each file that has to be parsed.
    """
    if cache is True:
        cache = CatalogCache.default()
    elif cache is False:
        cache = None
    shipped = shipped or resources.catalog_dir()
    if not shipped.is_dir():
        raise CatalogError([CatalogProblem(str(shipped), "catalog folder not found")])
    parts, problems, files = read_catalog_dir(shipped, cache, on_parse)
    if problems:
        raise CatalogError(problems)
    user_problems: list[CatalogProblem] = []
    dirs = resources.user_catalog_dirs() if user_dirs is None else list(user_dirs)
    for directory in dirs:
        if not directory.exists():
            continue
        if not directory.is_dir():
            user_problems.append(CatalogProblem(str(directory), "not a folder; skipped"))
            continue
        extra, extra_problems, extra_files = read_catalog_dir(directory, cache, on_parse)
        parts.extend(extra)  # later layers override by id
        user_problems.extend(extra_problems)
        files.extend(extra_files)
    if cache is not None:
        cache.prune()
    return CatalogLoad(Catalog(parts), user_problems, files)
