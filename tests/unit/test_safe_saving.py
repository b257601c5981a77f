"""Saves that respect links, owners, other writers and what is not a regular file."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dlplanner.domain.build import Build
from dlplanner.io.atomic import ConflictError, SaveError, backup_path, remove_stale_temporaries
from dlplanner.io.buildfile import load_build, save_build, write_build
from dlplanner.io.identity import current_identity
from tests.conftest import ROOT
from tests.privileges import NOBODY, reachable_dir, run_dropped

__all__ = ["reachable_dir"]  # a fixture


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


def test_save_through_a_symlink_updates_the_target_not_the_link(tmp_path: Path):
    synced = tmp_path / "synced"
    synced.mkdir()
    real = save_build(Build(name="one"), synced / "b.dlbuild.yaml")
    link = tmp_path / "b.dlbuild.yaml"
    link.symlink_to(real)
    save_build(Build(name="two"), link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert load_build(real).name == "two"
    assert (synced / "b.dlbuild.yaml.bak").is_file()  # the backup sits beside the real file


@pytest.mark.parametrize("kind", ["fifo", "socket"])
def test_non_regular_targets_are_never_replaced(tmp_path: Path, kind: str):
    import socket

    target = tmp_path / "b.dlbuild.yaml"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(target))
        sock.close()
    with pytest.raises(SaveError, match="not a regular file"):
        save_build(Build(name="x"), target)
    mode = target.lstat().st_mode
    assert stat.S_ISFIFO(mode) if kind == "fifo" else stat.S_ISSOCK(mode)


def test_a_device_is_never_replaced(tmp_path: Path):
    link = tmp_path / "null.dlbuild.yaml"
    link.symlink_to("/dev/null")
    with pytest.raises(SaveError, match="not a regular file"):
        save_build(Build(name="x"), link)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_folder_named_like_the_backup_is_named_in_the_message(tmp_path: Path):
    path = save_build(Build(name="one"), tmp_path / "b.dlbuild.yaml")
    (tmp_path / "b.dlbuild.yaml.bak").mkdir()
    with pytest.raises(SaveError) as info:
        save_build(Build(name="two"), path)
    assert "b.dlbuild.yaml.bak is in the way of the backup" in str(info.value)
    assert load_build(path).name == "one"


def test_another_writer_is_noticed_before_overwriting(tmp_path: Path):
    path = tmp_path / "b.dlbuild.yaml"
    opened = write_build(Build(name="mine"), path)
    path.write_text(path.read_text().replace("name: mine", "name: theirs"))  # an editor
    with pytest.raises(ConflictError, match="changed by another program"):
        write_build(Build(name="mine, edited"), path, expected=opened, check_expected=True)
    assert load_build(path).name == "theirs"
    again = write_build(Build(name="mine, edited"), path, expected=opened)  # "Overwrite"
    assert load_build(path).name == "mine, edited"
    assert load_build(backup_path(path)).name == "theirs"  # their version is in the .bak
    assert again == current_identity(path, 1 << 21)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="needs root to make files")
def test_root_keeps_the_owner_and_mode_of_a_file_it_saves(tmp_path: Path):
    path = save_build(Build(name="one"), tmp_path / "b.dlbuild.yaml")
    os.chown(path, NOBODY, NOBODY)
    os.chmod(path, 0o640)
    save_build(Build(name="two"), path)
    st = path.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (NOBODY, NOBODY, 0o640)
    assert load_build(path).name == "two"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="needs root to make files")
def test_a_read_only_file_of_another_user_is_refused_even_for_root(tmp_path: Path):
    path = save_build(Build(name="theirs"), tmp_path / "b.dlbuild.yaml")
    os.chown(path, NOBODY, NOBODY)
    os.chmod(path, 0o444)
    with pytest.raises(SaveError, match="permission to change this file"):
        save_build(Build(name="mine"), path)
    st = path.stat()
    assert (st.st_uid, stat.S_IMODE(st.st_mode)) == (NOBODY, 0o444)
    assert load_build(path).name == "theirs"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="drops root to nobody")
def test_a_user_may_not_replace_a_file_of_another_user_in_a_shared_folder(reachable_dir: Path):
    """Nobody can rename over root's file in a world-writable folder; saving must refuse."""
    shared = reachable_dir / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    path = save_build(Build(name="root's"), shared / "b.dlbuild.yaml")
    os.chmod(path, 0o644)
    out = run_dropped(
        f"""
        from dlplanner.domain.build import Build
        from dlplanner.io.atomic import SaveError
        from dlplanner.io.buildfile import save_build
        drop_privileges()
        try:
            save_build(Build(name="nobody's"), {str(path)!r})
        except SaveError as exc:
            print(exc)
        """
    )
    assert "permission to change this file" in out, out
    assert path.stat().st_uid == 0 and load_build(path).name == "root's"
    assert [p.name for p in shared.iterdir()] == ["b.dlbuild.yaml"]  # no temporary left
