"""The checked-catalog cache: same results as parsing, never trusted over the models."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dlplanner.io import catalog_cache
from dlplanner.io.catalog_cache import CatalogCache
from dlplanner.io.catalog_files import load_catalog, read_catalog_file
from dlplanner.io.resources import catalog_dir

HEADER = "format: dlplanner-catalog\nformat_version: 1\nkind: gpu\nparts:\n"


def entry(pid: str, tdp: int = 300) -> str:
    return (
        f"  - id: {pid}\n    brand: Me\n    name: GPU {pid}\n    chipset: Mine\n"
        f"    tdp_w: {tdp}\n    price_usd: 500\n    price_date: 2024-05-01\n"
        "    sources: [https://example.com/mine]\n"
    )


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.parts.json"))


@pytest.fixture
def cache(tmp_path: Path) -> CatalogCache:
    return CatalogCache(tmp_path / "cache")


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any YAML parse fail the test: what follows must come from the cache."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the YAML was parsed again")

    monkeypatch.setattr("dlplanner.io.catalog_files.parse_yaml", refuse)


def test_shipped_catalog_from_cache_equals_parsed(cache: CatalogCache, monkeypatch):
    parsed = load_catalog(user_dirs=[], cache=False).catalog
    load_catalog(user_dirs=[], cache=cache)  # fills the cache
    assert len(entries(cache.folder)) == len(list(catalog_dir().glob("*.yaml")))
    no_parsing(monkeypatch)
    cached = load_catalog(user_dirs=[], cache=cache).catalog
    assert list(cached) == list(parsed)
    # Same values, and the same fields given (exports list what the file said).
    for a, b in zip(cached, parsed, strict=True):
        assert a.model_fields_set == b.model_fields_set
        assert a.model_dump() == b.model_dump()


def test_changed_file_is_parsed_again(tmp_path: Path, cache: CatalogCache):
    path = tmp_path / "gpu.yaml"
    path.write_text(HEADER + entry("my-gpu", 300))
    assert read_catalog_file(path, cache)[0][0].tdp_w == 300
    path.write_text(HEADER + entry("my-gpu", 350))
    parts, problems = read_catalog_file(path, cache)
    assert not problems and parts[0].tdp_w == 350
    assert len(entries(cache.folder)) == 2  # one per content


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: b"\x00\xff" + data,  # not JSON
        lambda data: data.replace(b'"tdp_w":300', b'"tdp_w":-300'),  # fails the model
        lambda data: data.replace(b'"tdp_w":300', b'"tdp_w":300,"colour":"red"'),
        lambda data: b"[" * 100_000 + b"]" * 100_000,  # deeply nested
        lambda data: b"",
    ],
    ids=["truncated", "binary", "invalid-value", "unknown-field", "deep", "empty"],
)
def test_damaged_entry_is_a_miss_and_rewritten(tmp_path: Path, cache: CatalogCache, damage):
    path = tmp_path / "gpu.yaml"
    path.write_text(HEADER + entry("my-gpu"))
    read_catalog_file(path, cache)
    [stored] = entries(cache.folder)
    good = stored.read_bytes()
    assert b'"tdp_w":300' in good
    stored.write_bytes(damage(good))
    parts, problems = read_catalog_file(path, cache)
    assert not problems and [p.id for p in parts] == ["my-gpu"] and parts[0].tdp_w == 300
    assert stored.read_bytes() == good


def test_entry_that_is_a_folder_or_fifo_is_a_miss(tmp_path: Path, cache: CatalogCache):
    path = tmp_path / "gpu.yaml"
    path.write_text(HEADER + entry("my-gpu"))
    read_catalog_file(path, cache)
    [stored] = entries(cache.folder)
    stored.unlink()
    os.mkfifo(stored)  # would block a plain read
    parts, _ = read_catalog_file(path, cache)
    assert parts[0].id == "my-gpu"


def test_files_with_problems_are_never_cached(tmp_path: Path, cache: CatalogCache):
    path = tmp_path / "gpu.yaml"
    path.write_text(HEADER + entry("my-gpu") + entry("Bad_Id"))
    for _ in range(2):  # reported every time
        parts, problems = read_catalog_file(path, cache)
        assert [p.id for p in parts] == ["my-gpu"] and len(problems) == 1
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(HEADER + "  - &a {id: x}\n  - *a\n")
    for _ in range(2):
        assert "anchors" in read_catalog_file(hostile, cache)[1][0].message
    assert entries(cache.folder) == []


def test_unwritable_cache_still_loads(tmp_path: Path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    cache = CatalogCache(blocker / "catalog")
    path = tmp_path / "gpu.yaml"
    path.write_text(HEADER + entry("my-gpu"))
    for _ in range(2):
        parts, problems = read_catalog_file(path, cache)
        assert [p.id for p in parts] == ["my-gpu"] and not problems


def test_least_recently_used_entries_are_pruned(tmp_path: Path, cache: CatalogCache, monkeypatch):
    monkeypatch.setattr(catalog_cache, "MAX_ENTRIES", 3)
    first = tmp_path / "first.yaml"
    first.write_text(HEADER + entry("gpu-first"))
    read_catalog_file(first, cache)
    [kept] = entries(cache.folder)
    for index in range(5):
        os.utime(kept, (2e9 + index, 2e9 + index))  # used again, just now
        other = tmp_path / f"gpu{index}.yaml"
        other.write_text(HEADER + entry(f"gpu-{index}"))
        read_catalog_file(other, cache)
    cache.prune()  # once per catalog load
    assert len(entries(cache.folder)) == 3 and kept.exists()


def test_default_cache_follows_the_environment(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("DLPLANNER_CACHE_DIR", str(tmp_path / "elsewhere"))
    load_catalog(user_dirs=[])
    assert entries(tmp_path / "elsewhere" / "catalog")


def test_fingerprint_is_the_same_in_every_process():
    code = "from dlplanner.io.catalog_cache import fingerprint; print(fingerprint().hex())"
    runs = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
        for _ in range(2)
    }
    assert runs == {catalog_cache.fingerprint().hex()}
