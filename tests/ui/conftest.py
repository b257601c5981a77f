"""Fixtures for the Qt tests: the shipped catalog, a document, a window with private settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from dlplanner.domain.build import Build
from dlplanner.domain.catalog import Catalog
from dlplanner.io.buildfile import load_build
from dlplanner.io.catalog_files import load_catalog
from dlplanner.io.resources import example_builds
from dlplanner.ui.document import BuildDocument


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(user_dirs=[]).catalog


@pytest.fixture(scope="session")
def article_path() -> Path:
    return next(p for p in example_builds() if p.name.startswith("article"))


@pytest.fixture
def article(article_path: Path) -> Build:
    return load_build(article_path)


@pytest.fixture
def document(catalog: Catalog, article: Build, qapp) -> BuildDocument:
    return BuildDocument(catalog, article)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(document: BuildDocument, settings: QSettings, qtbot):
    from dlplanner.ui.main_window import MainWindow

    win = MainWindow(document, settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.doc.undo_stack.setClean()  # no unsaved-changes prompt at teardown


@pytest.fixture(autouse=True)
def _no_modal_dialogs(monkeypatch: pytest.MonkeyPatch):
    """A modal dialog offscreen would wait forever: answer every one, and record what was said.

    Tests that care about a dialog patch it themselves (their patch wins).
    """
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    said: list[tuple[str, str]] = []

    def record(kind: str):
        def show(*args, **kwargs):
            said.append((kind, str(args[2]) if len(args) > 2 else ""))
            return QMessageBox.StandardButton.Ok

        return show

    for kind in ("critical", "warning", "information", "about"):
        monkeypatch.setattr(QMessageBox, kind, record(kind))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    return said
