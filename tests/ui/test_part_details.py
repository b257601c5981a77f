"""The part details pane: user notes always, sourcing notes only when asked for (issue #15)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtTest import QTest

from dlplanner.ui.widgets.part_details import PartDetailsView

PART = "evga-supernova-1300-g2"  # user-free: its notes are all about where values came from


def click_text(view: PartDetailsView, text: str) -> None:
    """Click the middle of ``text`` in the pane, as a person would."""
    found = view.document().find(text, 0, QTextDocument.FindFlag.FindCaseSensitively)
    assert not found.isNull(), f"{text!r} is not in the pane"
    middle = QTextCursor(view.document())
    middle.setPosition((found.selectionStart() + found.selectionEnd()) // 2)
    view.setTextCursor(middle)
    view.ensureCursorVisible()
    rect = view.cursorRect(middle)
    assert view.anchorAt(rect.center()), f"{text!r} is not a link"
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def select_part(window, part_id: str) -> PartDetailsView:
    panel = window.catalog_panel
    part = window.doc.catalog.get(part_id)
    panel.fit_only.setChecked(False)
    panel.show_kind(part.kind_name)
    row = panel.model.row_of(part_id)
    assert row >= 0
    panel.view.selectRow(row)
    assert panel.view.selected_ids() == [part_id]
    return panel.details


def test_sourcing_notes_unfold_on_request_and_fold_again(window, qtbot):
    part = window.doc.catalog.get(PART)
    assert part.sourcing_notes and "BuildCores" in part.sourcing_notes
    view = select_part(window, PART)
    text = view.toPlainText()
    assert "Sourcing notes…" in text and "BuildCores" not in text

    click_text(view, "Sourcing notes…")
    qtbot.waitUntil(lambda: view.sourcing_shown)
    text = view.toPlainText()
    assert "Sourcing notes (hide):" in text and "BuildCores OpenDB record" in text

    # open stays open for the next part, so records can be compared
    view = select_part(window, "corsair-ax1600i")
    assert "AnandTech" in view.toPlainText()

    click_text(view, "hide")
    qtbot.waitUntil(lambda: not view.sourcing_shown)
    assert "AnandTech" not in view.toPlainText() and "Sourcing notes…" in view.toPlainText()


def test_user_notes_show_without_asking(window):
    part = window.doc.catalog.get("super-flower-leadex-platinum-2000w")
    assert part.notes and "230 V" in part.notes
    view = select_part(window, part.id)
    assert "Notes: " in view.toPlainText() and "230 V circuit" in view.toPlainText()


def test_a_part_without_sourcing_notes_offers_no_link(qtbot, catalog):
    plain = catalog.get(PART).model_copy(update={"sourcing_notes": None})
    view = PartDetailsView()
    qtbot.addWidget(view)
    view.show_part(plain)
    assert "Sourcing notes" not in view.toPlainText() and "Sources:" in view.toPlainText()
    view.show_part(None)
    assert view.toPlainText() == ""
