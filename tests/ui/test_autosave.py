"""Unsaved work survives a crash: autosave, a real killed process, restore in a new session."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from dlplanner.domain.build import Build
from dlplanner.io.autosave import AutosaveSession, autosave_dir, find_orphans
from dlplanner.io.buildfile import load_build, save_build
from dlplanner.ui.autosave import Autosaver, ask_recovery, offer_recovery
from dlplanner.ui.document import BuildDocument

GPU = "nvidia-geforce-rtx-4090-fe"


def test_autosave_writes_while_dirty_and_clears_on_save(document, tmp_path):
    saver = Autosaver(document, tmp_path / "auto")
    assert not saver.save_now()  # clean: nothing to save
    document.add_parts([GPU])
    assert saver.save_now()
    assert load_build(saver.session.build_path) == document.build
    document.save(tmp_path / "b.dlbuild.yaml")
    assert not saver.session.build_path.exists() and not saver.session.meta_path.exists()


def test_autosave_after_a_pause(document, tmp_path, qtbot):
    saver = Autosaver(document, tmp_path / "auto")
    document.add_parts([GPU])
    qtbot.waitUntil(saver.session.build_path.exists, timeout=5000)


def test_live_session_is_not_an_orphan(document, tmp_path):
    session = AutosaveSession(tmp_path)
    session.write(document.build, None)  # this process is alive
    assert find_orphans(tmp_path) == []


CRASHING_APP = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from dlplanner.app import create_window, make_app
    app = make_app()
    window, loaded, error = create_window(sys.argv[1])
    window.show()
    window.doc.add_parts([{gpu!r}])
    window.doc.set_name("Unsaved before the crash")
    print("edited", flush=True)
    app.exec()
    """
).format(gpu=GPU)


def test_killed_process_is_restored_in_a_new_session(catalog, article_path, tmp_path, qapp):
    original = save_build(load_build(article_path), tmp_path / "mine.dlbuild.yaml")
    proc = subprocess.Popen(
        [sys.executable, "-c", CRASHING_APP, str(original)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "edited"
        deadline = time.monotonic() + 20
        metas: list[Path] = []
        while time.monotonic() < deadline and not metas:
            metas = list(autosave_dir().glob("*.meta.yaml")) if autosave_dir().is_dir() else []
            time.sleep(0.1)
        assert metas, "the running app never autosaved"
        time.sleep(0.2)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL

    orphans = find_orphans()
    assert len(orphans) == 1 and orphans[0].original == original.resolve()

    doc = BuildDocument(catalog, Build())
    asked = []
    restored = offer_recovery(None, doc, ask=lambda parent, o, others: asked.append(o) or "restore")
    assert restored and asked
    assert doc.build.name == "Unsaved before the crash"
    # restored as unsaved changes to the original
    assert doc.path == original.resolve() and doc.dirty
    assert sum(i.qty for i in doc.build.items if i.part == GPU) == 1
    assert load_build(original).name != doc.build.name  # the file itself is untouched
    doc.undo_stack.undo()
    assert doc.build == load_build(original)
    assert find_orphans() == []  # the autosave is consumed


def test_discard_deletes_and_later_keeps(catalog, tmp_path, qapp):
    session = AutosaveSession(tmp_path)
    session.write(Build(name="x"), None)
    session.lock.release()  # as if its process had died
    doc = BuildDocument(catalog, Build())
    assert not offer_recovery(None, doc, tmp_path, ask=lambda *a: "later")
    assert len(find_orphans(tmp_path)) == 1
    assert not offer_recovery(None, doc, tmp_path, ask=lambda *a: "discard")
    assert find_orphans(tmp_path) == []


def test_the_recovery_question_offers_restore_discard_and_later(tmp_path, qapp, monkeypatch):
    session = AutosaveSession(tmp_path)
    session.write(Build(name="x"), None)
    session.lock.release()
    [orphan] = find_orphans(tmp_path)
    seen: list[QMessageBox] = []

    def press(label: str):
        def exec_(box: QMessageBox) -> int:
            seen.append(box)
            next(b for b in box.buttons() if b.text() == label).click()
            return 0

        return exec_

    for label, answer in (("&Restore", "restore"), ("&Discard", "discard")):
        monkeypatch.setattr(QMessageBox, "exec", press(label))
        assert ask_recovery(None, orphan, 2) == answer
    box = seen[-1]
    assert box.icon() == QMessageBox.Icon.Question and "“x”" in box.text()
    assert box.informativeText().endswith("2 older autosave(s) will be offered next time.")
    assert box.defaultButton().text() == "&Restore"
    monkeypatch.setattr(QMessageBox, "exec", lambda box: 0)  # closed with Escape
    assert ask_recovery(None, orphan, 0) == "later"
