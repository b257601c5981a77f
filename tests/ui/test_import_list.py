"""File > Import PCPartPicker List…: paste, preview every line, open as a new build."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialog, QFileDialog

from dlplanner.ui.dialogs.import_list_dialog import ImportListDialog
from dlplanner.ui.imports import read_list_file
from tests.unit.test_part_list_import import MARKDOWN, TEXT


def test_paste_previews_each_line(qtbot, catalog):
    dialog = ImportListDialog(catalog, read_list_file)
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    dialog.source.setPlainText(MARKDOWN)
    qtbot.waitUntil(lambda: dialog.result_import is not None, timeout=3000)
    text = dialog.preview.toPlainText()
    assert text.startswith("8 of 11 lines matched")
    assert "line 5: amd-ryzen-9-7950x" in text and "did you mean" in text
    assert dialog.ok_button.isEnabled()
    dialog.source.setPlainText("just some words")
    dialog.refresh()
    assert dialog.preview.toPlainText().startswith("Not a PCPartPicker list")
    assert not dialog.ok_button.isEnabled()


def test_open_file_and_bad_file(qtbot, catalog, tmp_path, monkeypatch):
    good = tmp_path / "list.txt"
    good.write_text(TEXT, encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00binary")
    dialog = ImportListDialog(catalog, read_list_file)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    dialog._open()
    assert dialog.preview.toPlainText().startswith("Cannot read:")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(good), ""))
    dialog._open()
    assert dialog.result_import is not None
    assert "evga-supernova-1600-p2" in dialog.preview.toPlainText()


def test_window_opens_the_list_as_a_new_build(window, monkeypatch):
    def run(dialog):
        dialog.source.setPlainText(MARKDOWN)
        dialog.refresh()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ImportListDialog, "exec", run)
    window.actions_by_id["list.import"].trigger()
    build = window.doc.build
    assert build.name == "PCPartPicker list 2024-01-15"
    assert window.doc.path is None
    gpu = next(i for i in build.items if i.part == "nvidia-geforce-rtx-4090-fe")
    assert (gpu.qty, gpu.price_date) == (2, dt.date(2024, 1, 15))
    assert "did you mean" in build.notes
    assert "Imported 8 parts; 3 lines kept" in window.statusBar().currentMessage()
    rows = window.parts_panel.model.rowCount()
    assert rows >= 6
