"""What unsaved work is restored onto after a crash: its file, if unchanged (io.autosave)."""

from __future__ import annotations

from pathlib import Path

from dlplanner.domain.build import Build
from dlplanner.io.autosave import AutosaveSession, find_orphans
from dlplanner.io.buildfile import load_build_identified, save_build


def orphan_of(tmp_path: Path, original: Path | None):
    session = AutosaveSession(tmp_path / "autosave")
    identity = load_build_identified(original)[1] if original else None
    session.write(Build(name="unsaved"), original, identity)
    session.lock.release()  # as if its process had died
    [orphan] = find_orphans(tmp_path / "autosave")
    return orphan


def test_work_goes_back_onto_its_unchanged_file(tmp_path):
    original = save_build(Build(name="on disk"), tmp_path / "mine.dlbuild.yaml")
    base, path, identity, note = orphan_of(tmp_path, original).base()
    assert (base.name, path, note) == ("on disk", original.resolve(), None)
    assert identity is not None


def test_a_changed_or_missing_file_gives_an_untitled_build_and_says_why(tmp_path):
    original = save_build(Build(name="on disk"), tmp_path / "mine.dlbuild.yaml")
    orphan = orphan_of(tmp_path, original)
    save_build(Build(name="changed since"), original)
    base, path, identity, note = orphan.base()
    assert (base, path, identity) == (Build(), None, None)
    assert note == (
        f"{original.resolve()} was changed since the unsaved work was made; the work was "
        "restored as an untitled build (use Save As)."
    )
    original.unlink()
    note = orphan.base()[3]
    assert note is not None and "could not be opened" in note and note.endswith("(use Save As).")


def test_work_that_never_had_a_file_is_untitled_without_a_note(tmp_path):
    assert orphan_of(tmp_path, None).base() == (Build(), None, None, None)
