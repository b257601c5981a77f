"""File > Import Prices…: a real price file, the preview, the write, the window's new prices."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog

from dlplanner.io.price_overrides import plan_files, user_price_dir, write_overrides
from dlplanner.report.imports import rate
from dlplanner.ui.dialogs.import_prices_dialog import ImportPricesDialog

LAMBDA = (
    "InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,Price,Region,GpuInfo,SpotPrice\n"
    "gpu_8x_h100_sxm5,H100,8.0,208.0,1800.0,34.56,us-east-1,"
    "\"{'Gpus': [{'Name': 'H100', 'Manufacturer': 'NVIDIA', 'Count': 8.0, "
    "'MemoryInfo': {'SizeInMiB': 81920}}], 'TotalGpuMemoryInMiB': 81920}\",\n"
)
OFFER = "lambda-gpu-8x-h100-sxm5"
NEW_PRICE = 34.56
"""A price the shipped catalog does not have, so the import always changes it."""


def price_file(tmp_path: Path, text: str = LAMBDA) -> Path:
    path = tmp_path / "lambda" / "vms.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_dialog_previews_then_writes(qtbot, catalog, tmp_path):
    def plan(files, provider, date, source):
        return plan_files(files, catalog, provider=provider, date=date, source=source)

    dialog = ImportPricesDialog(plan, write_overrides)
    qtbot.addWidget(dialog)
    dialog.date.setDate(QDate(2026, 11, 15))
    dialog.set_files([str(price_file(tmp_path))])
    text = dialog.preview.toPlainText()
    shipped = rate(catalog.get(OFFER).price_usd)
    assert f"{OFFER}: {shipped} -> {rate(NEW_PRICE)}" in text and "left as they are" in text
    assert dialog.import_button.isEnabled()
    assert not user_price_dir().exists()  # nothing written by the preview

    dialog.source.setText("not a url")
    dialog.refresh()
    assert "http" in dialog.preview.toPlainText() and not dialog.import_button.isEnabled()
    dialog.source.setText("")
    dialog.refresh()

    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.written == [user_price_dir() / "imported-prices-cloud.yaml"]


def test_dialog_refuses_a_bad_file(qtbot, catalog, tmp_path):
    dialog = ImportPricesDialog(
        lambda f, p, d, s: plan_files(f, catalog, provider=p, date=d, source=s), write_overrides
    )
    qtbot.addWidget(dialog)
    bad = tmp_path / "prices.csv"
    bad.write_bytes(b"\x00\x01binary")
    dialog.set_files([str(bad)])
    assert dialog.preview.toPlainText().startswith("Cannot import:")
    assert "\n" not in dialog.preview.toPlainText()
    assert not dialog.import_button.isEnabled()


def test_window_uses_the_imported_prices(window, qtbot, tmp_path, monkeypatch):
    path = price_file(tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(path)], ""))

    def run(dialog):
        dialog._choose()
        assert "34.56" in dialog.preview.toPlainText()
        dialog._import()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ImportPricesDialog, "exec", run)
    old = window.doc.catalog
    window.actions_by_id["prices.import"].trigger()
    assert window.doc.catalog is not old
    part = window.doc.catalog.get(OFFER)
    assert part.price_usd == NEW_PRICE and part.price_date == dt.date.today()
    model = window.catalog_panel.model
    assert model._catalog is window.doc.catalog
    assert "Imported" in window.statusBar().currentMessage()
