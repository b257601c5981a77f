"""Start-up says when it parses catalog files, and later starts read the checked copies."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from dlplanner.app import CatalogReadProgress, create_window
from dlplanner.io.resources import catalog_dir

GPU = """format: dlplanner-catalog
format_version: 1
kind: gpu
parts:
  - id: my-own-gpu
    brand: Me
    name: My GPU
    chipset: Mine
    tdp_w: 300
    sources: [https://example.com/mine]
"""


def start(tmp_path: Path, progress: CatalogReadProgress) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window, loaded, error = create_window(new=True, settings=settings, progress=progress)
    try:
        assert error is None and "my-own-gpu" in loaded.catalog
        assert progress.dialog is None  # closed once the catalog is in
    finally:
        window.doc.undo_stack.setClean()
        window.close()
        window.deleteLater()


def test_first_start_names_parsed_files_later_starts_parse_none(tmp_path, qapp, monkeypatch):
    user = tmp_path / "user-catalog"
    user.mkdir()
    (user / "mine.yaml").write_text(GPU)
    monkeypatch.setenv("DLPLANNER_CATALOG_DIRS", str(user))
    first = CatalogReadProgress(min_bytes=0)
    shown: list[str] = []
    original = CatalogReadProgress.__call__

    def spy(self: CatalogReadProgress, path: Path, size: int) -> None:
        original(self, path, size)
        assert self.dialog is not None and self.dialog.isVisible()
        shown.append(self.dialog.labelText())

    monkeypatch.setattr(CatalogReadProgress, "__call__", spy)
    start(tmp_path, first)
    shipped = sorted(p.name for p in catalog_dir().glob("*.yaml"))
    assert sorted(first.files) == sorted([*shipped, "mine.yaml"])
    assert any("mine.yaml" in text for text in shown)

    again = CatalogReadProgress(min_bytes=0)
    start(tmp_path, again)
    assert again.files == []  # every file came from the checked-catalog cache

    (user / "mine.yaml").write_text(GPU.replace("tdp_w: 300", "tdp_w: 320"))
    changed = CatalogReadProgress(min_bytes=0)
    start(tmp_path, changed)
    assert changed.files == ["mine.yaml"]


def test_small_files_are_not_mentioned(tmp_path, qapp):
    quiet = CatalogReadProgress()  # the shipped files are far below a megabyte
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window, _loaded, _error = create_window(new=True, settings=settings, progress=quiet)
    assert quiet.files == [] and quiet.dialog is None
    window.close()
    window.deleteLater()
