"""A cache of checked catalog files, so a large catalog is parsed once, not at every start.

Parsing YAML is what makes a big catalog slow: libyaml hands PyYAML one Python event object
per value, and a 10,000-part catalog has over a million of them. The parts that come out of a
clean file are the same every time the file's bytes are the same, so after a file has passed
the hardened reader and every check, its parts are kept as JSON under a name derived from

* the exact bytes of the file (SHA-256),
* the part models' schemas (so a changed model never meets old data), and
* dlplanner's version.

A cached file is read through the same raw-file checks as everything else (a regular file,
a size limit) and its parts are validated again by the same models, so the cache never
lets through anything the models refuse. Anything wrong with a cache file (missing, cut
short, edited, from another version) is a miss: the YAML is parsed again and the entry
rewritten. Failing to write the cache (a read-only home folder) is silent; it only costs
time. Files with problems are never cached, so their problems are reported every time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from dlplanner import __version__
from dlplanner.domain.parts import MODEL_BY_KIND, Part, PartBase
from dlplanner.io import resources
from dlplanner.io.atomic import atomic_write_bytes
from dlplanner.io.yamlsafe import DATA_MAX_BYTES, LoadError, read_bytes

CACHE_FORMAT = "dlplanner-catalog-cache-1"
"""Changes whenever what a cache entry holds changes."""

MAX_ENTRIES = 50_000
"""Cache entries kept (every clean file a person plausibly has); the least recently used
beyond this are removed by :meth:`CatalogCache.prune`, once per catalog load."""

_SUFFIX = ".parts.json"
_PACK_SUFFIX = ".folder.json"

_ADDRESSES = re.compile(r" at 0x[0-9a-f]+|(?<=[A-Za-z_]):[0-9]+(?=')")


@cache
def _parts_adapter() -> TypeAdapter[list[Part]]:
    return TypeAdapter(list[Part])


@cache
def _pack_adapter() -> TypeAdapter[dict[str, list[Part]]]:
    return TypeAdapter(dict[str, list[Part]])


@cache
def fingerprint() -> bytes:
    """Return what entries depend on besides a file's bytes: format, version, model schemas."""
    digest = hashlib.sha256(f"{CACHE_FORMAT}\0{__version__}\0".encode())
    for kind, model in sorted(MODEL_BY_KIND.items()):
        # The core schema names functions with their address and models with an object id;
        # both differ from one process to the next.
        schema = _ADDRESSES.sub("", str(model.__pydantic_core_schema__))
        digest.update(f"{kind}\0{schema}\0".encode())
    return digest.digest()


class CatalogCache:
    """Checked catalog files, as validated parts, in one folder."""

    def __init__(self, folder: Path):
        self.folder = folder

    @classmethod
    def default(cls) -> CatalogCache:
        """Return the per-user cache (``DLPLANNER_CACHE_DIR`` overrides its folder)."""
        return cls(resources.user_cache_dir() / "catalog")

    def _path(self, raw: bytes) -> Path:
        key = hashlib.sha256(fingerprint() + raw).hexdigest()
        return self.folder / f"{key}{_SUFFIX}"

    def get(self, raw: bytes) -> list[PartBase] | None:
        """Return the parts of a catalog file with these exact bytes, or None if not cached."""
        path = self._path(raw)
        try:
            data = read_bytes(path, max_bytes=2 * DATA_MAX_BYTES)
            parts = _parts_adapter().validate_json(data)
        except (LoadError, ValidationError, ValueError, RecursionError):
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept longest
        return list(parts)

    def put(self, raw: bytes, parts: Sequence[PartBase]) -> None:
        """Keep the checked parts of a catalog file with these bytes."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            data = _parts_adapter().dump_json(list(parts), exclude_unset=True)  # type: ignore[arg-type]
            atomic_write_bytes(self._path(raw), data)
        except OSError:
            return

    def _pack_path(self, directory: Path) -> Path:
        where = os.fsencode(str(directory.resolve()))
        key = hashlib.sha256(fingerprint() + b"\0" + where).hexdigest()
        return self.folder / "folders" / f"{key}{_PACK_SUFFIX}"

    def read_pack(self, directory: Path) -> dict[str, list[PartBase]]:
        """Return the checked parts of a folder's clean files, by SHA-256 of each file's bytes."""
        try:
            data = read_bytes(self._pack_path(directory), max_bytes=8 * DATA_MAX_BYTES)
            pack = _pack_adapter().validate_json(data)
        except (LoadError, ValidationError, ValueError, RecursionError, OSError):
            return {}
        return {key: list(parts) for key, parts in pack.items()}

    def write_pack(self, directory: Path, pack: dict[str, list[PartBase]]) -> None:
        """Keep the checked parts of every clean file of a folder (silently, if possible)."""
        path = self._pack_path(directory)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            data = _pack_adapter().dump_json(pack, exclude_unset=True)  # type: ignore[arg-type]
            atomic_write_bytes(path, data)
        except OSError:
            return

    def prune(self) -> None:
        """Remove the least recently used entries beyond :data:`MAX_ENTRIES`."""
        try:
            names = [e.path for e in os.scandir(self.folder) if e.name.endswith(_SUFFIX)]
        except OSError:
            return
        if len(names) <= MAX_ENTRIES:
            return
        try:
            entries = [(os.stat(p).st_mtime, Path(p)) for p in names]
        except OSError:
            return
        entries.sort(reverse=True)
        for _mtime, stale in entries[MAX_ENTRIES:]:
            with contextlib.suppress(OSError):
                stale.unlink()
