"""Reading cloud price files: SkyPilot-style ``vms.csv`` and dlplanner's own price CSV.

SkyPilot's catalog (github.com/skypilot-org/skypilot-catalog) keeps one ``vms.csv`` per
cloud; the columns are the same names in a different order for each cloud, so they are
mapped by header name. ``GpuInfo`` is a Python-literal string: it is read with
:func:`ast.literal_eval` (never ``eval``) and only when it is short. dlplanner's own format
is a CSV with the header ``id,price_usd,spot_usd_per_hour,price_date,price_source``.

A file that is not one of these formats (binary, not UTF-8, too large, no known header,
no rows) raises :class:`~dlplanner.io.yamlsafe.LoadError` with one line. A single row that
cannot be read is *skipped* and reported with its line number and the reason.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from dlplanner.domain.price_rows import (
    PLACEHOLDER_SPECS,
    PROVIDERS,
    OwnRow,
    SkippedRow,
    VmRow,
)
from dlplanner.io.yamlsafe import LoadError, decode_text, read_bytes

PRICE_FILE_MAX_BYTES = 16 * 1024 * 1024
"""The largest price file read (SkyPilot's AWS ``vms.csv`` is a few MiB)."""

MAX_ROWS = 200_000
"""More rows than any real price file has; a longer file is refused."""

GPU_INFO_MAX_CHARS = 2000
"""A longer ``GpuInfo`` is not parsed (a real one is about 150 characters)."""

OWN_COLUMNS = ("id", "price_usd", "spot_usd_per_hour", "price_date", "price_source")
"""dlplanner's own price CSV: ``id`` and ``price_usd`` are required, the rest optional."""

SKYPILOT_REQUIRED = ("InstanceType", "AcceleratorName", "AcceleratorCount", "Price", "Region")
"""Columns every SkyPilot ``vms.csv`` has (the others are read when present)."""


@dataclass
class PriceFile:
    """A price file read: its format, provider (SkyPilot only), rows and skipped rows."""

    path: str
    format: Literal["skypilot", "own"]
    provider: str | None = None
    """The SkyPilot folder name (``aws``, ``gcp`` …), None for the own format."""
    vm_rows: list[VmRow] = field(default_factory=list)
    own_rows: list[OwnRow] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)


def provider_from_path(path: str | os.PathLike[str]) -> str | None:
    """Guess the cloud from a path like ``catalogs/v7/aws/vms.csv`` or ``gcp-vms.csv``."""
    p = Path(path)
    for name in (p.parent.name.lower(), *re.split(r"[^a-z]+", p.name.lower())):
        if name in PROVIDERS:
            return name
    return None


def _number(text: str, what: str, *, positive: bool = False) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{what} {text[:20]!r} is not a number") from None
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        raise ValueError(f"{what} {text[:20]!r} is not a usable amount")
    return value


def parse_gpu_info(text: str) -> tuple[float | None, str | None]:
    """Return (memory of one GPU in GB, manufacturer) from a SkyPilot ``GpuInfo`` string.

    The string is a Python literal (``{'Gpus': [{'Name': …, 'MemoryInfo': {'SizeInMiB':
    …}}]}``); it is read with :func:`ast.literal_eval` only. A plain name (RunPod writes
    the GPU's name there) gives (None, None). Raises ValueError for anything else.
    """
    text = text.strip()
    if not text.startswith("{"):
        return None, None
    if len(text) > GPU_INFO_MAX_CHARS:
        raise ValueError("GpuInfo is too long")
    try:
        info = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise ValueError("GpuInfo is not a Python literal") from None
    if not isinstance(info, dict):
        raise ValueError("GpuInfo is not a mapping")
    gpus = info.get("Gpus")
    if not isinstance(gpus, list) or not gpus or not isinstance(gpus[0], dict):
        return None, None
    first: dict[str, Any] = gpus[0]
    memory = first.get("MemoryInfo")
    mib = memory.get("SizeInMiB") if isinstance(memory, dict) else None
    vram = None
    if isinstance(mib, int | float) and not isinstance(mib, bool) and 0 < mib < 2**31:
        vram = round(mib / 1024, 1)
    maker = first.get("Manufacturer")
    return vram, maker if isinstance(maker, str) else None


def _reader(text: str) -> tuple[list[str], Iterator[list[str]]]:
    rows = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(rows)
    except StopIteration:
        raise ValueError("empty file") from None
    except csv.Error as exc:
        raise ValueError(f"not a CSV file ({exc})") from None
    return [h.strip() for h in header], rows


def read_price_file(path: str | os.PathLike[str], provider: str | None = None) -> PriceFile:
    """Read one price file; raise :class:`LoadError` (one line) if it cannot be used.

    ``provider`` names the cloud of a SkyPilot file (``aws``, ``gcp`` …); without it the
    cloud is taken from the path (``…/aws/vms.csv``), and a file whose cloud cannot be
    told is refused.
    """
    raw = read_bytes(path, max_bytes=PRICE_FILE_MAX_BYTES)
    text = decode_text(raw, path).replace("\r\n", "\n")
    if any(ch in text for ch in ("\x0b", "\x0c", "\x1b")):
        raise LoadError(path, "control characters: not a price file")
    try:
        header, rows = _reader(text)
        if "id" in header and "price_usd" in header:
            result = PriceFile(str(path), "own")
            _read_own(header, rows, result)
        elif all(name in header for name in SKYPILOT_REQUIRED):
            key = (provider or provider_from_path(path) or "").lower()
            if key not in PROVIDERS:
                raise ValueError(
                    "cannot tell which cloud this vms.csv is for; give --provider "
                    f"({', '.join(PROVIDERS)})"
                    if not provider
                    else f"unknown provider {provider!r} (one of {', '.join(PROVIDERS)})"
                )
            result = PriceFile(str(path), "skypilot", key)
            _read_skypilot(header, rows, result)
        else:
            raise ValueError(
                "not a price file: the header is neither SkyPilot's vms.csv "
                f"({', '.join(SKYPILOT_REQUIRED)}) nor dlplanner's ({', '.join(OWN_COLUMNS)})"
            )
    except csv.Error as exc:
        raise LoadError(path, f"not a well-formed CSV file ({exc})") from None
    except ValueError as exc:
        raise LoadError(path, str(exc)) from None
    if not result.vm_rows and not result.own_rows:
        reason = f"; first skipped row: {result.skipped[0]}" if result.skipped else ""
        raise LoadError(path, f"no usable price rows{reason}")
    return result


def _rows(header: list[str], rows: Any) -> Any:
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS:
            raise ValueError(f"more than {MAX_ROWS} rows: not a price file")
        if not values or all(not v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise ValueError(
                f"line {number} has {len(values)} fields where the header has {len(header)}"
            )
        yield number, dict(zip(header, values, strict=True))


def _read_skypilot(header: list[str], rows: Any, out: PriceFile) -> None:
    placeholders = out.provider in PLACEHOLDER_SPECS
    for line, row in _rows(header, rows):
        instance = row["InstanceType"].strip()
        accelerator = row["AcceleratorName"].strip()
        label = instance or accelerator
        try:
            vram, maker = parse_gpu_info(row.get("GpuInfo", ""))
            count = _number(row["AcceleratorCount"], "AcceleratorCount")
            vcpus = ram = spot = None
            if not placeholders:
                vcpus = _number(row.get("vCPUs", ""), "vCPUs")
                ram = _number(row.get("MemoryGiB", ""), "MemoryGiB")
                spot = _number(row.get("SpotPrice", ""), "SpotPrice", positive=True)
            price = _number(row["Price"], "Price", positive=True)
        except ValueError as exc:
            out.skipped.append(SkippedRow(line, label, str(exc)))
            continue
        if not instance and not accelerator:
            out.skipped.append(SkippedRow(line, "", "neither an instance nor a GPU"))
            continue
        region = row["Region"].strip()
        out.vm_rows.append(
            VmRow(line, instance, accelerator, count, vcpus, ram, vram, maker, price, spot, region)
        )


def _read_own(header: list[str], rows: Any, out: PriceFile) -> None:
    unknown = [h for h in header if h not in OWN_COLUMNS]
    if unknown:
        expected = ", ".join(OWN_COLUMNS)
        raise ValueError(f"unknown columns {', '.join(unknown)} (expected {expected})")
    for line, row in _rows(header, rows):
        part_id = row["id"].strip()
        try:
            price = _number(row["price_usd"], "price_usd", positive=True)
            if price is None:
                raise ValueError("no price_usd")
            spot = _number(row.get("spot_usd_per_hour", ""), "spot_usd_per_hour", positive=True)
            date_text = row.get("price_date", "").strip()
            date = dt.date.fromisoformat(date_text) if date_text else None
        except ValueError as exc:
            reason = str(exc)
            if "isoformat" in reason or "month" in reason or "day" in reason:
                reason = "price_date is not a date (YYYY-MM-DD)"
            out.skipped.append(SkippedRow(line, part_id, reason))
            continue
        source = row.get("price_source", "").strip() or None
        out.own_rows.append(OwnRow(line, part_id, price, spot, date, source))
