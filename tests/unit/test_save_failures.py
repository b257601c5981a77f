"""Saving never loses data: every failed save leaves the previous file intact and says why.

Each failure is produced for real where the machine allows it, also as root (CI runs as
root, where ``chmod`` does not stop anything):

- a read-only folder: a read-only bind mount in a private mount namespace (``unshare``),
  ``chattr +i`` on the folder, and ``chmod`` when not root;
- a full disk: a tiny tmpfs in a private mount namespace, filled up;
- a file that cannot be replaced: ``chattr +i`` on the file;
- names the file system refuses: too long, a NUL character, a folder in the way.

Where a real failure cannot be arranged (no ``unshare``, not Linux) those tests skip, and
the simulated failures below still cover every step of the atomic write.
"""

from __future__ import annotations

import errno
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dlplanner import cli
from dlplanner.domain.build import Build, BuildItem
from dlplanner.io import atomic
from dlplanner.io.atomic import SaveError, atomic_write_text, backup_path
from dlplanner.io.buildfile import load_build, save_build
from dlplanner.io.catalog_files import load_catalog
from dlplanner.report.export import export_text
from tests.conftest import ROOT

OLD = Build(name="previous", items=(BuildItem(part="amd-ryzen-7-7700", qty=1),))
NEW = Build(name="new", items=(BuildItem(part="amd-ryzen-9-9950x", qty=2),))
BIG_OLD = Build(
    name="previous, large",
    items=tuple(BuildItem(part=f"part-{i}", note="n" * 2000) for i in range(30)),
)  # about 60 KB


def leftovers(folder: Path) -> list[str]:
    """Temporary files a save left behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def assert_plain(exc: SaveError, path: Path, reason: str) -> None:
    message = str(exc)
    assert message.startswith(f"Could not save {path}"), message
    assert reason in message, message
    assert "\n" not in message and "Errno" not in message and "Traceback" not in message


def assert_intact(path: Path, before: bytes) -> None:
    assert path.read_bytes() == before
    load_build(path)  # still a good build file
    assert leftovers(path.parent) == []


# -- helpers for real failures --------------------------------------------------------------


@functools.cache
def namespace_prefix() -> tuple[str, ...] | None:
    """``unshare`` arguments for a private mount namespace where ``mount`` works, if any."""
    if sys.platform != "linux" or not (shutil.which("unshare") and shutil.which("mount")):
        return None
    prefix: tuple[str, ...] = ("unshare", "--mount", "--propagation", "private")
    if os.geteuid() != 0:
        prefix += ("--map-root-user",)  # a user namespace, where a user may mount tmpfs
    with tempfile.TemporaryDirectory() as probe:
        try:
            out = subprocess.run(
                [*prefix, "mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe],
                capture_output=True,
                timeout=30,
            )
        except (OSError, subprocess.SubprocessError):
            return None
    return prefix if out.returncode == 0 else None


@pytest.fixture
def namespace() -> tuple[str, ...]:
    """The ``unshare`` prefix; skips the test where mounting is not possible."""
    prefix = namespace_prefix()
    if prefix is None:
        pytest.skip("cannot mount in a private mount namespace here")
    return prefix


@functools.cache
def chattr_works() -> bool:
    """Whether ``chattr +i`` works on the file system of the temporary folder."""
    if not shutil.which("chattr"):
        return False
    with tempfile.TemporaryDirectory() as probe:  # the file system tmp_path is on
        target = Path(probe) / "f"
        target.write_text("x")
        if subprocess.run(["chattr", "+i", str(target)], capture_output=True).returncode:
            return False
        try:
            target.write_text("y")
        except PermissionError:
            return True
        finally:
            subprocess.run(["chattr", "-i", str(target)], capture_output=True)
        return False


@pytest.fixture
def immutable() -> None:
    """Skips the test where ``chattr +i`` does not work."""
    if not chattr_works():
        pytest.skip("chattr +i is not available (needs root and ext4, xfs or btrfs)")


NAMESPACE_SCRIPT = r"""
import errno, json, sys
from pathlib import Path
from dlplanner.domain.build import Build, BuildItem
from dlplanner.io.atomic import SaveError
from dlplanner.io.buildfile import load_build, save_build

folder = Path(sys.argv[1])
scenario = sys.argv[2]
target = folder / "b.dlbuild.yaml"
result = {}

def fill(path):
    with open(path, "wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc

if scenario == "read-only":
    pass  # the folder was mounted read-only before this script started
elif scenario in ("disk-full", "no-room-for-backup"):
    old = Build.model_validate_json(sys.argv[3])
    save_build(old, target)
    reserve = folder / "reserve"
    if scenario == "no-room-for-backup":
        reserve.write_bytes(b"r" * 8192)  # two pages: the new file fits, its backup does not
    fill(folder / "filler")
    if reserve.exists():
        reserve.unlink()
before = target.read_bytes()
try:
    save_build(Build(name="new"), target)
    result["saved"] = True
except SaveError as exc:
    result["error"] = str(exc)
result["intact"] = target.read_bytes() == before
result["loads"] = load_build(target).name
result["listing"] = sorted(p.name for p in folder.iterdir())
print(json.dumps(result))
"""


def in_namespace(setup: str, folder: Path, *args: str) -> dict[str, Any]:
    """Run the save scenario in a private mount namespace after the shell ``setup``."""
    prefix = namespace_prefix()
    assert prefix is not None
    command = [
        *prefix,
        "sh",
        "-c",
        setup + ' && exec "$0" -c "$1" "$2" "$3" "$4"',
        sys.executable,
        NAMESPACE_SCRIPT,
        str(folder),
        *args,
    ]
    out = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def chattr(flag: str, path: Path) -> None:
    subprocess.run(["chattr", flag, str(path)], check=True, capture_output=True)


# -- a read-only folder ---------------------------------------------------------------------


@pytest.mark.usefixtures("namespace")
def test_read_only_mount_keeps_the_previous_file(tmp_path: Path):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = save_build(OLD, folder / "b.dlbuild.yaml")
    before = path.read_bytes()
    setup = 'mount --bind "$2" "$2" && mount -o remount,bind,ro "$2"'
    result = in_namespace(setup, folder, "read-only", "")
    assert "saved" not in result
    assert result["error"] == f"Could not save {path}: Read-only file system"
    assert result["intact"] and result["loads"] == "previous"
    assert_intact(path, before)  # and seen from outside the namespace
    assert sorted(p.name for p in folder.iterdir()) == ["b.dlbuild.yaml"]


@pytest.mark.usefixtures("immutable")
def test_immutable_folder_keeps_the_previous_file(tmp_path: Path):
    folder = tmp_path / "immutable"
    folder.mkdir()
    path = save_build(OLD, folder / "b.dlbuild.yaml")
    before = path.read_bytes()
    chattr("+i", folder)
    try:
        with pytest.raises(SaveError) as info:
            save_build(NEW, path)
    finally:
        chattr("-i", folder)
    assert_plain(info.value, path, "Operation not permitted")
    assert_intact(path, before)


@pytest.mark.usefixtures("immutable")
def test_immutable_file_keeps_the_previous_file(tmp_path: Path):
    path = save_build(OLD, tmp_path / "b.dlbuild.yaml")
    before = path.read_bytes()
    chattr("+i", path)
    try:
        with pytest.raises(SaveError) as info:
            save_build(NEW, path)
    finally:
        chattr("-i", path)
    assert_plain(info.value, path, "Operation not permitted")
    assert_intact(path, before)
    bak = backup_path(path)
    assert not bak.exists() or bak.read_bytes() == before  # a backup is only ever the old file


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores chmod")
def test_chmod_read_only_folder_keeps_the_previous_file(tmp_path: Path):
    path = save_build(OLD, tmp_path / "b.dlbuild.yaml")
    before = path.read_bytes()
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(SaveError) as info:
            save_build(NEW, path)
    finally:
        tmp_path.chmod(0o700)
    assert_plain(info.value, path, "Permission denied")
    assert_intact(path, before)


# -- a full disk ----------------------------------------------------------------------------


@pytest.mark.usefixtures("namespace")
@pytest.mark.parametrize(
    ("scenario", "old"),
    [("disk-full", OLD), ("no-room-for-backup", BIG_OLD)],
    ids=["no-room-for-the-new-file", "no-room-for-the-backup"],
)
def test_full_disk_keeps_the_previous_file(tmp_path: Path, scenario: str, old: Build):
    folder = tmp_path / "tiny"
    folder.mkdir()
    target = folder / "b.dlbuild.yaml"
    setup = 'mount -t tmpfs -o size=256k,nr_inodes=64 tmpfs "$2"'
    result = in_namespace(setup, folder, scenario, old.model_dump_json())
    assert "saved" not in result
    assert result["error"] == f"Could not save {target}: No space left on device"
    assert result["intact"] and result["loads"] == old.name
    # No temporary file left to fill the disk further (the backup's was, before the fix).
    assert result["listing"] == ["b.dlbuild.yaml", "filler"]


# -- simulated failures at every step of the atomic write -----------------------------------


class _FullFile:
    """A file object whose writes fail as on a full disk."""

    def __init__(self, fh: Any):
        self._fh = fh

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fh, name)

    def __enter__(self) -> _FullFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._fh.close()


def _failing(err: int, message: str) -> Callable[..., Any]:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise OSError(err, message)

    return fail


def _copy_half(src: str, dst: str, **kwargs: Any) -> None:
    data = Path(src).read_bytes()
    Path(dst).write_bytes(data[: len(data) // 2])
    raise OSError(errno.ENOSPC, "No space left on device")


def _replace_failing_for(suffix: str, err: int, message: str) -> Callable[..., Any]:
    real = os.replace

    def replace(src: Any, dst: Any, **kwargs: Any) -> None:
        if str(dst).endswith(suffix):
            raise OSError(err, message)
        real(src, dst, **kwargs)

    return replace


STEPS = {
    "create-temp-file": ("tempfile.mkstemp", _failing(errno.EDQUOT, "Disk quota exceeded")),
    "write": ("os.fdopen", None),
    "fsync": ("os.fsync", _failing(errno.EIO, "Input/output error")),
    "copy-backup": ("shutil.copy2", _copy_half),
    "rename-backup": ("os.replace", _replace_failing_for(".bak", errno.ENOSPC, "No space")),
    "rename-into-place": ("os.replace", _replace_failing_for(".yaml", errno.EXDEV, "Cross-dev")),
}


@pytest.mark.parametrize("step", list(STEPS))
def test_a_failure_at_any_step_keeps_the_previous_file(
    step: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    path = save_build(OLD, tmp_path / "b.dlbuild.yaml")
    save_build(OLD.model_copy(update={"notes": "second"}), path)  # now a .bak exists too
    before = path.read_bytes()
    bak_before = backup_path(path).read_bytes()
    where, replacement = STEPS[step]
    if step == "write":
        real_fdopen = os.fdopen

        def replacement(fd: int, *args: Any, **kwargs: Any) -> Any:
            return _FullFile(real_fdopen(fd, *args, **kwargs))

    monkeypatch.setattr(where, replacement)
    with pytest.raises(SaveError) as info:
        save_build(NEW, path)
    monkeypatch.undo()
    assert "\n" not in str(info.value) and "Errno" not in str(info.value)
    assert_intact(path, before)
    # The backup is the file before this save or the one before that, never a partial copy.
    assert backup_path(path).read_bytes() in (before, bak_before)


# -- names the file system refuses ----------------------------------------------------------


def folder_in_the_way(folder: Path) -> Path:
    (folder / "b.dlbuild.yaml").mkdir()
    return folder / "b.dlbuild.yaml"


def parent_is_a_file(folder: Path) -> Path:
    (folder / "file").write_text("x")
    return folder / "file" / "b.dlbuild.yaml"


NAMES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "a-folder-in-the-way": (folder_in_the_way, "a folder with that name is in the way"),
    "missing-folder": (lambda f: f / "nowhere" / "b.dlbuild.yaml", "the folder does not exist"),
    "parent-is-a-file": (parent_is_a_file, "the folder does not exist"),
    "name-too-long": (lambda f: f / ("n" * 256), "longer than the 255 bytes"),
    "name-too-long-in-bytes": (lambda f: f / ("\u00e9" * 128), "longer than the 255 bytes"),
    "nul-character": (lambda f: f / "a\0b.dlbuild.yaml", "NUL character"),
    "no-room-for-the-backup-name": (lambda f: f / ("n" * 252), "too long to keep a backup"),
}


@pytest.mark.parametrize("case", list(NAMES))
def test_names_the_file_system_refuses(case: str, tmp_path: Path):
    make, reason = NAMES[case]
    path = make(tmp_path)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    with pytest.raises(SaveError) as info:
        save_build(NEW, path)
    message = str(info.value)
    assert reason in message and "\n" not in message and "\0" not in message, message
    assert "Errno" not in message
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # nothing written


@pytest.mark.parametrize("length", [240, 245, 250, 251])
def test_long_but_legal_names_save_twice(length: int, tmp_path: Path):
    # Before the fix, the temporary name (".<name>.XXXXXXXX.tmp") was too long here.
    path = tmp_path / ("n" * (length - len(".dlbuild.yaml")) + ".dlbuild.yaml")
    save_build(OLD, path)
    save_build(NEW, path)
    assert load_build(path) == NEW
    assert load_build(backup_path(path)) == OLD
    assert leftovers(tmp_path) == []


def test_exports_with_long_names(tmp_path: Path):
    catalog = load_catalog(user_dirs=[]).catalog
    ok = tmp_path / ("n" * 252 + ".md")  # no backup for exports: 255 bytes is fine
    export_text(NEW, catalog, "md", ok)
    assert ok.read_text(encoding="utf-8").startswith("# ")
    with pytest.raises(SaveError, match="longer than the 255 bytes"):
        export_text(NEW, catalog, "md", tmp_path / ("n" * 253 + ".csv"))
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "change",
    [
        {"items": tuple(BuildItem(part=f"p{i}") for i in range(101))},
        {"name": "n" * 201},
        {"assumptions": OLD.assumptions.model_copy(update={"utilization": float("nan")})},
    ],
    ids=["101-parts", "name-too-long", "nan"],
)
def test_a_build_that_could_not_be_opened_again_is_not_saved(change: dict, tmp_path: Path):
    path = save_build(OLD, tmp_path / "b.dlbuild.yaml")
    before = path.read_bytes()
    broken = OLD.model_copy(update=change)  # model_copy does not validate, as edits do
    with pytest.raises(SaveError, match="not valid") as info:
        save_build(broken, path)
    assert "\n" not in str(info.value)
    assert_intact(path, before)


def test_save_error_is_an_os_error_with_one_line():
    exc = SaveError("/x/a\nb\0c", "No space left on device")
    assert isinstance(exc, OSError)
    assert str(exc) == "Could not save /x/a\\nb\\0c: No space left on device"


# -- the command line says it in one line -------------------------------------------------------


@pytest.mark.parametrize("case", ["a-folder-in-the-way", "missing-folder", "name-too-long"])
def test_cli_export_failure_is_one_line(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    out = NAMES[case][0](tmp_path)
    example = ROOT / "resources" / "examples" / "budget-single-gpu.dlbuild.yaml"
    status = cli.main(["export", str(example), "-o", str(out), "--format", "md"])
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and err.startswith("dlplanner: error: Could not save"), err
    assert NAMES[case][1] in err


@pytest.mark.usefixtures("namespace")
def test_cli_export_to_a_read_only_folder(tmp_path: Path):
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "list.md").write_text("previous export\n")
    example = ROOT / "resources" / "examples" / "budget-single-gpu.dlbuild.yaml"
    prefix = namespace_prefix()
    assert prefix is not None
    command = [
        *prefix,
        "sh",
        "-c",
        'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"',
        str(folder),
        sys.executable,
        "-m",
        "dlplanner",
        "export",
        str(example),
        "-o",
        str(folder / "list.md"),
    ]
    out = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 2
    expected = f"dlplanner: error: Could not save {folder / 'list.md'}: Read-only file system\n"
    assert out.stderr == expected
    assert (folder / "list.md").read_text() == "previous export\n"


def test_atomic_write_text_never_half_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "report.html"
    atomic_write_text(path, "<p>old</p>")
    monkeypatch.setattr(atomic.os, "fsync", _failing(errno.EIO, "Input/output error"))
    with pytest.raises(SaveError, match="Input/output error"):
        atomic_write_text(path, "<p>new</p>" * 1000)
    monkeypatch.undo()
    assert path.read_text() == "<p>old</p>"
    assert leftovers(tmp_path) == []
