"""The main window end to end, offscreen: drag and drop, keyboard, undo, files, prompts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from dlplanner.domain.build import Build
from dlplanner.io.buildfile import load_build, save_build
from dlplanner.ui.models.catalog_model import encode_part_ids
from tests.ui.dnd import drag_and_drop

GPU = "nvidia-geforce-gtx-1080-ti-fe"


def gpu_count(win) -> int:
    return sum(i.qty for i in win.doc.build.items if i.part.startswith("nvidia"))


def test_title_shows_name_and_dirty_marker(window):
    assert window.windowTitle().startswith(window.doc.build.name)
    assert not window.isWindowModified()
    window.doc.add_parts([GPU])
    assert window.isWindowModified()
    window.doc.undo_stack.undo()
    assert not window.isWindowModified()


def test_synthetic_drop_event_on_parts_view(window, qtbot):
    view = window.parts_panel.view
    before = gpu_count(window)
    mime = encode_part_ids([GPU])
    drag_and_drop(view.viewport(), view.viewport().rect().center(), mime)
    assert gpu_count(window) == before + 1
    assert "Findings" in window.findings_dock.windowTitle()


def test_keyboard_only_adds_part(window, qtbot):
    panel = window.catalog_panel
    window.actions_by_id["parts.find"].trigger()
    assert panel.search.hasFocus() or QApplication.focusWidget() is panel.search
    qtbot.keyClicks(panel.search, "1080 ti founders")
    panel.view.setFocus()
    panel.view.selectRow(0)
    before = gpu_count(window)
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert gpu_count(window) == before + 1


def test_double_click_and_add_button(window, qtbot):
    panel = window.catalog_panel
    panel.search.setText("1080 ti founders")
    panel.view.selectRow(0)
    before = gpu_count(window)
    panel.add_button.click()
    assert gpu_count(window) == before + 1


def test_delete_key_removes_and_undo_redo(window, qtbot):
    view = window.parts_panel.view
    n = len(window.doc.build.items)
    view.setFocus()
    view.selectRow(0)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert len(window.doc.build.items) == n - 1
    assert window.undo_action.text().replace("&", "").startswith("Undo Remove")
    window.undo_action.trigger()
    assert len(window.doc.build.items) == n
    window.redo_action.trigger()
    assert len(window.doc.build.items) == n - 1
    assert QKeySequence(QKeySequence.StandardKey.Undo) in window.undo_action.shortcuts()


def test_findings_update_and_highlight(window):
    window.doc.add_parts(["nvidia-geforce-rtx-4090-fe"] * 3)
    tree = window.findings_panel.tree
    assert tree.topLevelItemCount() > 0
    assert tree.topLevelItem(0).text(0) == "A"
    window.findings_panel.select_first()
    finding = window.findings_panel.current_finding()
    assert finding is not None
    assert "How to fix" in window.findings_panel.detail.toPlainText()
    if finding.parts:
        model = window.parts_panel.model
        background = Qt.ItemDataRole.BackgroundRole
        highlighted = [
            r for r in range(model.rowCount()) if model.index(r, 0).data(background) is not None
        ]
        assert highlighted


def test_save_as_then_save_keeps_backup(window, tmp_path, monkeypatch):
    target = tmp_path / "mine.dlbuild.yaml"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.doc.add_parts([GPU])
    assert window.save()  # no path yet: asks for one
    assert load_build(target) == window.doc.build
    assert not window.isWindowModified()
    window.doc.set_name("Renamed")
    assert window.save()
    assert load_build(target).name == "Renamed"
    assert target.with_name(target.name + ".bak").exists()
    assert window.recent_files()[0] == str(target.resolve())


def test_unsaved_prompt_cancel_keeps_window_open(window, monkeypatch):
    window.doc.add_parts([GPU])
    asked = []

    def answer(*args, **kwargs):
        asked.append(args[1])
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", answer)
    assert not window.close()
    assert asked == ["Unsaved changes"] and window.isVisible()


def test_unsaved_prompt_discard_on_new(window, monkeypatch):
    window.doc.add_parts([GPU])
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    window.new_build()
    assert window.doc.build == Build() and not window.doc.dirty


def test_unsaved_prompt_save_on_open(window, tmp_path, monkeypatch):
    other = save_build(Build(name="Other"), tmp_path / "other.dlbuild.yaml")
    saved_to = tmp_path / "current.dlbuild.yaml"
    window.doc.add_parts([GPU])
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Save)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved_to), ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
    window.open_dialog()
    assert saved_to.exists() and window.doc.build.name == "Other"


def test_bad_file_shows_error_and_keeps_build(window, tmp_path, monkeypatch):
    bad = tmp_path / "bad.dlbuild.yaml"
    bad.write_text("format: dlplanner-build\nformat_version: 99\n")
    errors = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: errors.append(a[2]))
    before = window.doc.build
    assert not window.open_path(bad)
    assert window.doc.build == before
    assert errors and "newer dlplanner" in errors[0]


def test_unknown_parts_kept_and_reported(window, tmp_path, monkeypatch):
    build = Build.model_validate({"items": [{"part": "mystery-part"}]})
    path = save_build(build, tmp_path / "u.dlbuild.yaml")
    infos = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: infos.append(a[2]))
    assert window.open_path(path)
    assert "mystery-part" in infos[0]
    window.doc.add_parts([GPU])
    window.save()
    assert [i.part for i in load_build(path).items] == ["mystery-part", GPU]


def test_dropping_a_build_file_on_the_window_opens_it(window, tmp_path):
    path = save_build(Build(name="Dropped"), tmp_path / "d.dlbuild.yaml")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(QPoint(10, 10)), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)  # fmt: skip
    window.dropEvent(event)
    assert window.doc.build.name == "Dropped" and window.doc.path == path


def test_layout_is_remembered(window, settings, document, qtbot):
    from dlplanner.ui.main_window import MainWindow

    window.findings_dock.hide()
    window.save_layout()
    again = MainWindow(document, settings)
    qtbot.addWidget(again)
    again.show()
    assert not again.findings_dock.isVisible()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_themes(window, theme):
    window.set_theme(theme)
    dark = QApplication.palette().window().color().lightness() < 128
    assert dark == (theme == "dark")
    window.set_theme("light")


def test_every_action_has_text_and_the_file_menu_has_mnemonics(window):
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&Build", "&View", "&Help"]
    save = window.actions_by_id["build.save"]
    assert save.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)


def test_about_mentions_catalog_date(window, monkeypatch):
    seen = []
    monkeypatch.setattr(QMessageBox, "about", lambda *a: seen.append(a[2]))
    window.about()
    assert "newest price" in seen[0]
