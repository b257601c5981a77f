"""Recovery finds the right file: real crashed processes, PID namespaces, damaged records."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from dlplanner.domain.build import Build, BuildItem
from dlplanner.io.autosave import AutosaveSession, autosave_dir, find_orphans, scan
from dlplanner.io.buildfile import load_build, save_build
from dlplanner.io.identity import current_identity
from dlplanner.ui.autosave import Autosaver, offer_recovery
from dlplanner.ui.document import BuildDocument
from tests.conftest import ROOT
from tests.privileges import reachable_dir, run_dropped

__all__ = ["reachable_dir"]  # a fixture

GPU = "nvidia-geforce-rtx-4090-fe"

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
    window.autosaver.save_now()
    print("autosaved", flush=True)
    app.exec()
    """
).format(gpu=GPU)


def crash(file: str, cwd: Path, prefix: tuple[str, ...] = ()) -> None:
    """Run the app on ``file`` in ``cwd``, let it autosave an edit, then SIGKILL it."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [*prefix, sys.executable, "-c", CRASHING_APP, file],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "autosaved"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=20)
        assert proc.stdout is not None
        proc.stdout.close()
    # Through unshare the app is a child that dies just after (parent-death signal).
    deadline = time.monotonic() + 10
    while not find_orphans() and time.monotonic() < deadline:
        time.sleep(0.05)


def restore_newest(catalog, **kw) -> tuple[BuildDocument, list[tuple[str, str]]]:
    doc = BuildDocument(catalog, Build())
    told: list[tuple[str, str]] = []
    assert offer_recovery(
        None, doc, ask=lambda *a: "restore", tell=lambda _p, t, m: told.append((t, m)), **kw
    )
    return doc, told


def test_relative_path_restores_into_the_file_it_was_made_on(catalog, tmp_path, monkeypatch, qapp):
    """The issue's case: edit box.dlbuild.yaml in one folder, crash, restore in another."""
    here, there = tmp_path / "here", tmp_path / "there"
    here.mkdir()
    there.mkdir()
    mine = save_build(Build(name="Mine"), here / "box.dlbuild.yaml")
    other = save_build(Build(name="Someone else's"), there / "box.dlbuild.yaml")
    crash("box.dlbuild.yaml", cwd=here)

    monkeypatch.chdir(there)
    doc, told = restore_newest(catalog)
    assert told == []
    assert doc.path == mine.resolve() and doc.dirty
    doc.save()
    assert load_build(mine).name == "Unsaved before the crash"
    assert load_build(other).name == "Someone else's"  # the other folder's file is untouched


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare")
def test_recovery_is_offered_after_a_crash_inside_a_pid_namespace(catalog, tmp_path, qapp):
    """In a PID namespace the app is process 1 or 2 — IDs that are alive outside it."""
    ok = subprocess.run(["unshare", "--pid", "--fork", "--mount-proc", "true"], check=False)
    if ok.returncode != 0:
        pytest.skip("cannot make a PID namespace here")
    mine = save_build(Build(name="Mine"), tmp_path / "box.dlbuild.yaml")
    crash(str(mine), cwd=tmp_path, prefix=("unshare", "--pid", "--fork", "--kill-child"))
    orphans = find_orphans()
    assert [o.name for o in orphans] == ["Unsaved before the crash"]


def test_a_running_process_holds_its_session(tmp_path):
    """Liveness is the lock a real other process holds, released by the kernel on SIGKILL."""
    code = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from dlplanner.domain.build import Build
        from dlplanner.io.autosave import AutosaveSession
        s = AutosaveSession(Path({str(tmp_path)!r}))
        s.write(Build(name="alive"), None)
        print("written", flush=True)
        sys.stdin.read()
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "written"
        assert find_orphans(tmp_path) == []
    finally:
        proc.kill()
        proc.wait(timeout=10)
        for stream in (proc.stdin, proc.stdout):
            assert stream is not None
            stream.close()
    assert [o.name for o in find_orphans(tmp_path)] == ["alive"]


def test_changed_original_is_restored_as_untitled_and_said(catalog, tmp_path, qapp):
    mine = save_build(Build(name="Mine"), tmp_path / "box.dlbuild.yaml")
    crash(str(mine), cwd=tmp_path)
    save_build(Build(name="Edited elsewhere"), mine)  # another program changed it since
    doc, told = restore_newest(catalog)
    assert doc.path is None and doc.build.name == "Unsaved before the crash" and doc.dirty
    assert len(told) == 1 and "was changed since" in told[0][1] and "untitled" in told[0][1]
    assert load_build(mine).name == "Edited elsewhere"


def test_missing_original_is_restored_as_untitled_and_said(catalog, tmp_path, qapp):
    mine = save_build(Build(name="Mine"), tmp_path / "box.dlbuild.yaml")
    crash(str(mine), cwd=tmp_path)
    mine.unlink()
    doc, told = restore_newest(catalog)
    assert doc.path is None and doc.build.name == "Unsaved before the crash"
    assert "could not be opened" in told[0][1] and "untitled" in told[0][1]


def test_symlinked_original_is_recorded_resolved(catalog, tmp_path, qapp):
    real = save_build(Build(name="Mine"), tmp_path / "real.dlbuild.yaml")
    link = tmp_path / "link.dlbuild.yaml"
    link.symlink_to(real)
    crash(str(link), cwd=tmp_path)
    link.unlink()
    link.symlink_to(save_build(Build(name="Other"), tmp_path / "other.dlbuild.yaml"))
    doc, told = restore_newest(catalog)
    assert doc.path == real and told == []


def _record(folder: Path, session: str, body: str | bytes) -> None:
    data = body.encode() if isinstance(body, str) else body
    (folder / f"{session}.meta.yaml").write_bytes(data)
    save_build(Build(name="work"), folder / f"{session}.dlbuild.yaml")


def _meta(name: str = "work", saved_at: str = "2026-01-02T03:04:05+00:00", **extra: str) -> str:
    fields = {
        "format": "dlplanner-autosave",
        "format_version": "1",
        "original": "null",
        "identity": "null",
        "saved_at": f"'{saved_at}'",
        "name": f"'{name}'",
        **extra,
    }
    return "".join(f"{k}: {v}\n" for k, v in fields.items())


def test_damaged_and_foreign_records_are_skipped_with_one_line_each(
    catalog, tmp_path, qapp, capsys
):
    folder = tmp_path
    _record(folder, "20260101-000000-0000000a", _meta(saved_at="2026-01-02T03:04:05"))  # naive
    _record(folder, "20260101-000000-0000000b", _meta(saved_at="2026-01-03T03:04:05+02:00"))
    _record(folder, "20260101-000000-0000000c", "pid: " + "9" * 400 + "\n")  # the old huge pid
    _record(folder, "20260101-000000-0000000d", _meta(name="n" * 1_900_000))  # 1.9 MB
    _record(folder, "20260101-000000-0000000e", b"\x89PNG\r\n\x1a\n\x00\x00")
    _record(folder, "20260101-000000-0000000f", _meta(name="x" * 201))
    _record(folder, "20260101-000000-00000010", _meta(original="'relative/path.dlbuild.yaml'"))
    _record(folder, "20260101-000000-00000011", _meta(saved_at="yesterday"))
    _record(folder, "20260101-000000-00000012", _meta(identity="{device: 1}"))
    _record(folder, "20260101-000000-00000013", "\x1b[31mred: [unclosed\n")
    _record(folder, "not-a-session", _meta())
    started = time.monotonic()
    found = scan(folder)
    took = time.monotonic() - started
    assert took < 1.0, took
    assert [o.session[-2:] for o in found.orphans] == ["0b", "0a"]  # newest first, aware and naive
    assert len(found.skipped) == 9
    assert all("\n" not in line and "\x1b" not in line for line in found.skipped)

    restore_newest(catalog, directory=folder)
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 9
    assert all(line.startswith("dlplanner: warning: skipped autosave") for line in err)


def test_autosave_problem_is_reported_once_not_a_traceback(document, tmp_path, qapp, capsys):
    blocked = tmp_path / "state"
    blocked.write_text("a file where the autosave folder should be")
    saver = Autosaver(document, blocked / "autosave")
    messages: list[str] = []
    saver.failed.connect(messages.append)
    document.add_parts([GPU])
    assert not saver.save_now() and not saver.save_now()
    assert len(messages) == 1 and "Autosave is not working" in messages[0]
    assert "\n" not in messages[0]
    blocked.unlink()
    recovered: list[bool] = []
    saver.recovered.connect(lambda: recovered.append(True))
    assert saver.save_now() and recovered == [True]
    saver.stop()


def test_read_only_autosave_folder_is_reported(reachable_dir):
    """A state folder the user may not write (as nobody: root writes anywhere)."""
    folder = reachable_dir / "auto"
    folder.mkdir()
    os.chmod(folder, 0o555)
    code = textwrap.dedent(
        f"""
        from pathlib import Path
        from dlplanner.domain.build import Build
        from dlplanner.io.atomic import SaveError
        from dlplanner.io.autosave import AutosaveSession
        drop_privileges()
        try:
            AutosaveSession(Path({str(folder)!r})).write(Build(), None)
        except SaveError as exc:
            print(exc)
        """
    )
    out = run_dropped(code)
    assert out.startswith("Could not save") and "Permission denied" in out, out
    assert list(folder.iterdir()) == []


def test_restored_identity_matches_file(catalog, tmp_path, qapp):
    mine = save_build(Build(name="Mine", items=(BuildItem(part=GPU),)), tmp_path / "b.dlbuild.yaml")
    crash(str(mine), cwd=tmp_path)
    [orphan] = find_orphans()
    assert orphan.identity == current_identity(mine, 1 << 21)
    assert orphan.saved_at is not None and orphan.saved_at.tzinfo is not None
    assert abs(orphan.saved_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    assert autosave_dir().is_dir()


def test_stale_temporaries_of_dead_sessions_are_removed(tmp_path):
    session = AutosaveSession(tmp_path)
    session.write(Build(name="x"), None)
    stale = tmp_path / f".{session.build_path.name}.abcd_123.tmp"
    stale.write_text("half")
    assert scan(tmp_path).orphans == [] and stale.exists()  # live: its writer may be writing
    session.lock.release()
    scan(tmp_path)
    assert not stale.exists()
