"""Soak: kill a saving, autosaving app at random moments; nothing is ever torn or left behind.

Each round starts the real app (offscreen) on a build file; it edits, autosaves and saves
as fast as it can until it is killed with SIGKILL at a random moment. Then, as the next
start would: the file and its ``.bak`` must load completely, every autosave must be a
complete build, and after the next successful save and recovery scan no temporary file
of dlplanner's naming is left, in the build's folder or in the autosave folder.

CI runs a few rounds. The longer run (documented in the README):

    DLPLANNER_SOAK_ROUNDS=200 python -m pytest tests/ui/test_soak.py -q

``DLPLANNER_SOAK_SEED`` repeats a run's kill moments.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from dlplanner.domain.build import Build, BuildItem
from dlplanner.io.autosave import autosave_dir, scan
from dlplanner.io.buildfile import load_build, save_build
from tests.conftest import ROOT

ROUNDS = int(os.environ.get("DLPLANNER_SOAK_ROUNDS", "3"))
SEED = int(os.environ.get("DLPLANNER_SOAK_SEED", str(random.randrange(1 << 30))))

BUSY_APP = textwrap.dedent(
    """
    import os, random, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QTimer
    from dlplanner.app import create_window, make_app
    app = make_app()
    window, loaded, error = create_window(sys.argv[1])
    doc, saver = window.doc, window.autosaver
    rng = random.Random(int(sys.argv[2]))
    count = [0]

    def work():
        count[0] += 1
        n = count[0]
        doc.set_name(f"edit {n}")
        doc.set_notes(f"{n}:" + "x" * rng.randrange(0, 19_000))  # sizes vary: a torn write shows
        saver.save_now()
        if n % 3 == 0:
            window.save()

    timer = QTimer()
    timer.timeout.connect(work)
    timer.start(0)
    print("ready", flush=True)
    app.exec()
    """
)


def temporaries(*folders: Path) -> list[str]:
    return sorted(
        p.name
        for folder in folders
        if folder.is_dir()
        for p in folder.iterdir()
        if p.name.endswith(".tmp")
    )


def complete(build: Build) -> bool:
    """A build written by the busy app: its notes say how long they are."""
    if not build.name.startswith(("edit ", "Soak")):
        return False
    if build.name == "Soak":
        return True
    head, _, tail = build.notes.partition(":")
    return head == build.name.removeprefix("edit ") and set(tail) <= {"x"}


def test_killing_a_saving_autosaving_app_never_loses_or_tears_work(tmp_path: Path):
    rng = random.Random(SEED)
    folder = tmp_path / "builds"
    folder.mkdir()
    path = save_build(
        Build(name="Soak", items=(BuildItem(part="nvidia-geforce-rtx-4090-fe"),)),
        folder / "soak.dlbuild.yaml",
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    left_by_kills: set[str] = set()
    for round_ in range(ROUNDS):
        proc = subprocess.Popen(
            [sys.executable, "-c", BUSY_APP, str(path), str(rng.randrange(1 << 30))],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0.05, 2.5))
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            assert proc.stdout is not None
            proc.stdout.close()
        where = f"seed {SEED}, round {round_}"
        left_by_kills.update(temporaries(folder, autosave_dir()))
        assert complete(load_build(path)), where
        bak = path.with_name(path.name + ".bak")
        if bak.exists():
            assert complete(load_build(bak)), where
        found = scan()
        assert found.skipped == [], (where, found.skipped)
        for orphan in found.orphans:
            assert complete(orphan.load()), where
            orphan.discard()

    # The next start: its first successful save and its recovery scan leave nothing behind.
    save_build(load_build(path), path)
    scan()
    assert temporaries(folder, autosave_dir()) == [], f"seed {SEED}"
    seen = len(left_by_kills)
    print(f"soak: {ROUNDS} kills (seed {SEED}); {seen} temporary files seen, all removed")
