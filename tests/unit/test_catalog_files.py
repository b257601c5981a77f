"""The catalog loader: layered folders, every error at once, user folders never fatal."""

from __future__ import annotations

from pathlib import Path

import pytest

from dlplanner.domain.catalog import Catalog
from dlplanner.io.catalog_files import CatalogError, load_catalog, read_catalog_file

MIN = Path(__file__).resolve().parent.parent / "data" / "catalog_min"

HEADER = "format: dlplanner-catalog\nformat_version: 1\nkind: gpu\nparts:\n"
GOOD = """  - id: user-gpu
    brand: Me
    name: My GPU
    chipset: Mine
    tdp_w: 300
    sources: [https://example.com/mine]
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


def test_minimal_catalog_loads():
    loaded = load_catalog(MIN, user_dirs=[])
    assert len(loaded.catalog) == 3 and not loaded.problems
    assert loaded.catalog.get("test-cpu").cores == 12
    assert loaded.catalog.get("test-cpu-unpriced").price_usd is None  # unknown, not 0


def test_every_error_reported_at_once(tmp_path: Path):
    bad = (
        HEADER
        + """  - id: Bad_Id
    brand: X
    name: Y
    chipset: Z
    sources: [https://e.com]
  - id: ok-but-negative
    brand: X
    name: Y
    chipset: Z
    tdp_w: -5
    sources: [not-a-url]
  - id: unknown-key
    brand: X
    name: Y
    chipset: Z
    colour: red
    sources: [https://e.com]
"""
    )
    write(tmp_path, "gpu.yaml", bad)
    with pytest.raises(CatalogError) as info:
        load_catalog(tmp_path, user_dirs=[])
    problems = info.value.problems
    text = [str(p) for p in problems]
    assert any("Bad_Id: id: String should match pattern" in t for t in text)
    assert any("ok-but-negative: tdp_w" in t for t in text)
    assert any("ok-but-negative: sources[0]" in t for t in text)
    assert any("unknown-key: colour" in t for t in text)
    assert len(problems) == 4
    assert "and 3 more problems" in str(info.value)


def test_duplicate_ids_across_files(tmp_path: Path):
    write(tmp_path, "a.yaml", HEADER + GOOD)
    write(tmp_path, "b.yaml", HEADER + GOOD)
    with pytest.raises(CatalogError, match="id also used in"):
        load_catalog(tmp_path, user_dirs=[])


def test_hostile_catalog_file_reported(tmp_path: Path):
    write(tmp_path, "gpu.yaml", HEADER + "  - &x {id: a}\n  - *x\n")
    with pytest.raises(CatalogError, match="anchors"):
        load_catalog(tmp_path, user_dirs=[])


def test_newer_catalog_format_refused(tmp_path: Path):
    write(tmp_path, "gpu.yaml", HEADER.replace("format_version: 1", "format_version: 9") + GOOD)
    with pytest.raises(CatalogError, match="newer"):
        load_catalog(tmp_path, user_dirs=[])


def test_user_folder_layers_and_overrides(tmp_path: Path):
    override = GOOD.replace("user-gpu", "test-gpu-blower").replace("tdp_w: 300", "tdp_w: 260")
    user = tmp_path / "user"
    write(user, "mine.yaml", HEADER + GOOD + override)
    loaded = load_catalog(MIN, user_dirs=[user])
    assert loaded.catalog.get("user-gpu") is not None
    assert loaded.catalog.get("test-gpu-blower").tdp_w == 260
    assert not loaded.problems


def test_broken_user_folder_is_skipped_not_fatal(tmp_path: Path):
    user = tmp_path / "user"
    write(user, "broken.yaml", "a: [unclosed\n")
    write(user, "half.yaml", HEADER + GOOD + "  - id: x\n")
    loaded = load_catalog(MIN, user_dirs=[user, tmp_path / "missing", user / "broken.yaml"])
    assert loaded.catalog.get("user-gpu") is not None
    assert len(loaded.catalog) == 4
    messages = [str(p) for p in loaded.problems]
    assert any("broken.yaml" in m and "invalid YAML" in m for m in messages)
    assert any("half.yaml: x" in m for m in messages)
    assert any("not a folder" in m for m in messages)


def test_env_var_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    user = tmp_path / "envcat"
    write(user, "mine.yaml", HEADER + GOOD)
    monkeypatch.setenv("DLPLANNER_CATALOG_DIRS", str(user))
    assert load_catalog(MIN).catalog.get("user-gpu") is not None


def test_xdg_user_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    write(tmp_path / "dlplanner" / "catalog", "mine.yaml", HEADER + GOOD)
    assert load_catalog(MIN).catalog.get("user-gpu") is not None


def test_read_catalog_file_kind_mismatch(tmp_path: Path):
    path = write(tmp_path, "gpu.yaml", HEADER + "  - kind: cpu\n    id: a\n")
    parts, problems = read_catalog_file(path)
    assert not parts and "kind 'cpu' in a 'gpu' file" in str(problems[0])


def test_search_matches_every_word():
    catalog = load_catalog(MIN, user_dirs=[]).catalog
    assert [p.id for p in catalog.search("testco 12-core")] == ["test-cpu"]
    assert [p.id for p in catalog.search("11gb")] == ["test-gpu-blower"]
    assert catalog.search("blower", kind="cpu") == []
    assert isinstance(catalog, Catalog) and "test-cpu" in catalog
