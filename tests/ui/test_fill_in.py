"""Fill in a missing spec from a *not checked* finding: saved to a real user catalog folder.

End to end: the finding's detail offers the link, the dialog (answered in the test) checks
the value, the override file is written under XDG_DATA_HOME, the check runs again, and a
fresh catalog load (as the next start does) reads the value back.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog

from dlplanner.io.catalog_files import load_catalog
from dlplanner.io.resources import user_catalog_dirs
from dlplanner.rules import Status
from dlplanner.ui.dialogs.fill_value import FillValueDialog

COOLER = "noctua-nh-u14s-tr4-sp3"


def _answer(monkeypatch: pytest.MonkeyPatch, value: str, source: str, seen: list[str]) -> None:
    def exec_(self: FillValueDialog) -> int:
        self.value.setText(value)
        self.source.setText(source)
        self.accept()
        seen.append(self.error.text())
        return self.result()

    monkeypatch.setattr(FillValueDialog, "exec", exec_)


def _capacity_finding(window):
    panel = window.findings_panel
    for row in range(panel.tree.topLevelItemCount()):
        item = panel.tree.topLevelItem(row)
        panel.tree.setCurrentItem(item)
        finding = panel.current_finding()
        if finding and finding.rule == "cooler-capacity":
            return finding
    return None


def test_fill_in_writes_the_user_catalog_and_checks_again(
    window, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    folder = user_catalog_dirs()[0]
    assert not folder.exists()
    finding = _capacity_finding(window)
    assert finding is not None and finding.status is Status.UNKNOWN
    html = window.findings_panel.detail.toHtml()
    assert "Fill in TDP rating (W)" in html and f"fill:{COOLER}:tdp_rating_w" in html

    seen: list[str] = []
    _answer(monkeypatch, "abc", "", seen)  # refused: the dialog says why and stays open
    window.findings_panel.detail.anchorClicked.emit(QUrl(f"fill:{COOLER}:tdp_rating_w"))
    assert seen and "tdp_rating_w" in seen[0]
    assert not folder.exists()

    source = "https://noctua.at/en/nh-u14s-tr4-sp3"
    _answer(monkeypatch, "250", source, seen)
    window.findings_panel.detail.anchorClicked.emit(QUrl(f"fill:{COOLER}:tdp_rating_w"))
    written = folder / "user-overrides-cooler.yaml"
    assert written.exists()
    assert not [f for f in window.doc.evaluation.findings if f.rule == "cooler-capacity"]
    assert window.doc.catalog.get(COOLER).tdp_rating_w == 250  # type: ignore[union-attr]
    model = window.catalog_panel.model
    model.set_kind("cooler")
    shown = model.part_at(model.row_of(COOLER))
    assert shown is not None and shown.tdp_rating_w == 250  # type: ignore[attr-defined]

    reloaded = load_catalog(user_dirs=[folder])
    assert not reloaded.problems
    part = reloaded.catalog.get(COOLER)
    assert part is not None and part.tdp_rating_w == 250  # type: ignore[attr-defined]
    assert source in part.sources and "entered by the user" in (part.sourcing_notes or "")


def test_cancel_writes_nothing(window, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setattr(FillValueDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert _capacity_finding(window) is not None
    window.findings_panel.detail.anchorClicked.emit(QUrl(f"fill:{COOLER}:tdp_rating_w"))
    assert not user_catalog_dirs()[0].exists()
    assert [f for f in window.doc.evaluation.findings if f.rule == "cooler-capacity"]
