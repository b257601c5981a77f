"""Other writers of the open file: an editor, a second dlplanner; Save As without a suffix."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from dlplanner.domain.build import Build
from dlplanner.io.atomic import backup_path
from dlplanner.io.buildfile import load_build, save_build
from dlplanner.ui import file_guard
from dlplanner.ui.main_window import MainWindow
from tests.conftest import ROOT

GPU = "nvidia-geforce-rtx-4090-fe"


def edit_elsewhere(path: Path, name: str) -> None:
    """What a text editor does: write the file with other content (new inode, like most)."""
    text = path.read_text()
    tmp = path.with_name("editor-swap")
    tmp.write_text(text.replace(f"name: {load_build(path).name}", f"name: {name}"))
    os.replace(tmp, path)


@pytest.fixture
def opened(window, tmp_path) -> tuple[MainWindow, Path]:
    path = save_build(Build(name="Mine"), tmp_path / "box.dlbuild.yaml")
    assert window.open_path(path, confirmed=True)
    return window, path


def answer(monkeypatch, *keys: str) -> list[str]:
    asked: list[str] = []
    replies = iter(keys)

    def choose(parent, title, text, choices):
        asked.append(text)
        return next(replies)

    monkeypatch.setattr(file_guard, "choose", choose)
    return asked


def test_save_does_not_overwrite_an_editors_change_without_asking(opened, monkeypatch):
    window, path = opened
    window.doc.set_name("Mine, edited")
    edit_elsewhere(path, "Theirs")
    asked = answer(monkeypatch, "cancel")
    assert not window.save()
    assert len(asked) == 1 and "changed by another program" in asked[0]
    assert load_build(path).name == "Theirs" and window.doc.dirty

    answer(monkeypatch, "overwrite")
    assert window.save()
    assert load_build(path).name == "Mine, edited"
    assert load_build(backup_path(path)).name == "Theirs"  # kept, not lost


def test_conflict_reload_takes_their_version(opened, monkeypatch):
    window, path = opened
    window.doc.set_name("Mine, edited")
    edit_elsewhere(path, "Theirs")
    answer(monkeypatch, "reload")
    assert not window.save()
    assert window.doc.build.name == "Theirs" and not window.doc.dirty


def test_conflict_save_as_writes_elsewhere(opened, monkeypatch, tmp_path):
    window, path = opened
    window.doc.set_name("Mine, edited")
    edit_elsewhere(path, "Theirs")
    answer(monkeypatch, "save_as")
    copy = tmp_path / "copy"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(copy), ""))
    assert window.save()
    assert load_build(path).name == "Theirs"
    assert load_build(tmp_path / "copy.dlbuild.yaml").name == "Mine, edited"


def test_watcher_offers_reload_and_keeps_unsaved_edits_unless_chosen(opened, monkeypatch, qtbot):
    window, path = opened
    window.doc.set_name("Mine, edited")
    asked = answer(monkeypatch, "keep")
    edit_elsewhere(path, "Theirs")
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=5000)
    assert "Reloading discards the unsaved changes" in asked[0]
    assert window.doc.build.name == "Mine, edited" and window.doc.dirty
    assert window.file_guard.check_now() is None  # the same change is not asked about twice

    asked = answer(monkeypatch, "reload")
    edit_elsewhere(path, "Theirs again")
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=5000)
    qtbot.waitUntil(lambda: window.doc.build.name == "Theirs again", timeout=5000)
    assert not window.doc.dirty


def test_own_saves_do_not_trigger_the_watcher(opened, monkeypatch, qtbot):
    window, _path = opened
    asked = answer(monkeypatch)
    for n in range(3):
        window.doc.set_name(f"Mine {n}")
        assert window.save()
    qtbot.wait(file_guard.SETTLE_MS * 3)
    assert asked == []


def test_two_dlplanner_processes_warn_each_other(opened, qapp):
    """A second real dlplanner process opening the same file is warned through the lock."""
    window, path = opened
    code = textwrap.dedent(
        f"""
        import os
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtWidgets import QMessageBox
        seen = []
        QMessageBox.warning = lambda *a, **k: seen.append(a[2])
        from dlplanner.app import create_window, make_app
        app = make_app()
        window, loaded, error = create_window({str(path)!r})
        print(window.file_guard.shared_with_other, "|", " ".join(seen))
        """
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    shared, message = result.stdout.strip().split("|", 1)
    assert shared.strip() == "True"
    assert "also open in another dlplanner window" in message
    assert not window.file_guard.shared_with_other  # the first one opened it alone

    window.file_guard.release()  # the first window closes: a later one is alone again
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.strip().startswith("False")


def test_save_as_adds_the_suffix_before_asking_to_overwrite(window, monkeypatch, tmp_path):
    existing = save_build(Build(name="Precious"), tmp_path / "box.dlbuild.yaml")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "box"), ""))
    questions: list[str] = []

    def question(*args, **kwargs):
        questions.append(args[2])
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    assert not window.save_as()
    assert questions == ["box.dlbuild.yaml already exists. Replace it?"]
    assert load_build(existing).name == "Precious"

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert window.save_as()
    assert load_build(existing).name == window.doc.build.name


def test_save_through_a_symlink_goes_to_the_file_resolved_at_open(window, tmp_path):
    real = save_build(Build(name="Real"), tmp_path / "real.dlbuild.yaml")
    link = tmp_path / "link.dlbuild.yaml"
    link.symlink_to(real)
    assert window.open_path(link, confirmed=True)
    decoy = save_build(Build(name="Decoy"), tmp_path / "decoy.dlbuild.yaml")
    link.unlink()
    link.symlink_to(decoy)  # the link is pointed elsewhere while the build is open
    window.doc.set_name("Edited")
    assert window.save()
    assert link.is_symlink()
    assert load_build(real).name == "Edited" and load_build(decoy).name == "Decoy"


def test_read_only_file_is_refused_with_a_clear_message(window, tmp_path, monkeypatch):
    path = save_build(Build(name="Locked"), tmp_path / "ro.dlbuild.yaml")
    os.chmod(path, 0o444)
    assert window.open_path(path, confirmed=True)
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: errors.append(a[2]))
    window.doc.set_name("Edited")
    assert not window.save()
    assert len(errors) == 1 and "permission to change this file" in errors[0]
    assert load_build(path).name == "Locked" and window.doc.dirty
