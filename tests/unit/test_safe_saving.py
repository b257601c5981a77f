"""Saves that respect links, owners, other writers and what is not a regular file."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dlplanner.domain.build import Build
from dlplanner.io.atomic import remove_stale_temporaries
from dlplanner.io.buildfile import load_build, save_build
from tests.conftest import ROOT


def test_stale_temporaries_are_cleaned_at_the_next_successful_save(tmp_path: Path):
    path = save_build(Build(name="one"), tmp_path / "b.dlbuild.yaml")
    stale = [
        tmp_path / ".b.dlbuild.yaml.k1ll3d_x.tmp",
        tmp_path / ".b.dlbuild.yaml.bak.zzzz0000.tmp",
    ]
    for leftover in stale:
        leftover.write_text("half a file")
    unrelated = [tmp_path / ".other.dlbuild.yaml.abcdefgh.tmp", tmp_path / "b.dlbuild.yaml.tmp"]
    for keep in unrelated:
        keep.write_text("not ours")
    # A temporary file a live writer (another real process) holds is not stale.
    busy = tmp_path / ".b.dlbuild.yaml.w0rk1ng_.tmp"
    busy.write_text("being written")
    code = textwrap.dedent(
        f"""
        import fcntl, os, sys
        fd = os.open({str(busy)!r}, os.O_RDWR)
        fcntl.flock(fd, fcntl.LOCK_EX)
        print("locked", flush=True)
        sys.stdin.read()
        """
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        save_build(Build(name="two"), path)
        assert not any(p.exists() for p in stale)
        assert all(p.exists() for p in unrelated) and busy.exists()
    finally:
        holder.kill()
        holder.wait(timeout=10)
        for stream in (holder.stdin, holder.stdout):
            assert stream is not None
            stream.close()
    assert remove_stale_temporaries(path) == [busy]
    assert load_build(path).name == "two"


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_killed_save_leaves_a_temporary_that_the_next_save_removes(tmp_path: Path):
    """A real process killed in the middle of writing (stopped inside fsync's neighbour)."""
    path = save_build(Build(name="one"), tmp_path / "b.dlbuild.yaml")
    code = textwrap.dedent(
        f"""
        import os, signal
        from dlplanner.domain.build import Build
        from dlplanner.io import atomic
        from dlplanner.io.buildfile import save_build
        real_fsync = os.fsync
        def fsync_then_die(fd):
            real_fsync(fd)
            os.kill(os.getpid(), signal.SIGKILL)
        os.fsync = fsync_then_die
        save_build(Build(name="never"), {str(path)!r})
        """
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-c", code], env=env, check=False, timeout=60)
    assert result.returncode == -9
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) == 1
    assert load_build(path).name == "one"
    save_build(Build(name="two"), path)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
