"""Build > Complete Build…: a real search in the background, a proposal applied and undone."""

from __future__ import annotations

from dlplanner.domain.build import Build, BuildItem
from dlplanner.ui.dialogs.complete_dialog import CompleteDialog
from dlplanner.ui.document import BuildDocument

TURBO_3090 = "asus-turbo-geforce-rtx-3090"


def test_apply_a_proposal_and_undo_it(catalog, qtbot):
    doc = BuildDocument(catalog, Build(name="Quad", items=(BuildItem(part=TURBO_3090, qty=4),)))
    before = doc.build
    dialog = CompleteDialog(doc)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start()
    assert dialog.running and not dialog.find_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.running, timeout=180_000)
    assert dialog.completion is not None and dialog.completion.found
    assert dialog.table.rowCount() == len(dialog.completion.proposals)
    assert dialog.table.item(0, 0).text().startswith("Cheapest")
    assert "CPU" in dialog.details.toPlainText()
    assert dialog.apply_button.isEnabled()
    proposal = dialog.selected()
    dialog.apply_button.click()
    assert doc.build.items == proposal.build.items
    assert doc.build.name == "Quad"
    assert not doc.evaluation.has_errors
    assert doc.undo_stack.undoText() == "Complete build"
    doc.undo_stack.undo()
    assert doc.build == before


def test_cancel_stops_the_search(catalog, qtbot):
    doc = BuildDocument(catalog, Build(items=(BuildItem(part=TURBO_3090, qty=4),)))
    dialog = CompleteDialog(doc)
    qtbot.addWidget(dialog)
    dialog.start()
    dialog.cancel()
    qtbot.waitUntil(lambda: not dialog.running, timeout=10_000)
    assert dialog.status.text() == "Search cancelled."
    assert dialog.completion is None
    assert dialog.find_button.isEnabled()


def test_the_menu_opens_the_dialog(window, qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(CompleteDialog, "exec", lambda self: shown.append(self) or 0)
    window.actions_by_id["build.complete"].trigger()
    assert shown and shown[0].windowTitle() == "Complete Build"
