"""The running dlplanner's socket name and its requests, without Qt (io.instance).

The socket itself, a real server and client, is tested in tests/ui/test_single_instance.py.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from dlplanner.io import instance
from dlplanner.io.instance import lock_path, parse_request, server_name

unix_only = pytest.mark.skipif(sys.platform == "win32", reason="Unix socket files")


@pytest.fixture
def runtime_dir(tmp_path, monkeypatch):
    folder = tmp_path / "run"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    return folder


@pytest.mark.parametrize(
    ("env", "key"),
    [
        ({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, "offscreen"),
        ({"QT_QPA_PLATFORM": "", "DISPLAY": ":0.0"}, "x_0"),
        ({"QT_QPA_PLATFORM": "", "DISPLAY": ":1"}, "x_1"),
        ({"QT_QPA_PLATFORM": "", "DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "wayland-0"),
        ({"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "x_0"),
        ({"QT_QPA_PLATFORM": "", "DISPLAY": "", "WAYLAND_DISPLAY": ""}, "default"),
    ],
)
def test_each_display_has_its_own_dlplanner(monkeypatch, env, key):
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert instance.session_key() == key


@unix_only
def test_the_name_is_per_user_and_private(runtime_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert server_name() == str(runtime_dir / "dlplanner-offscreen.instance")
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    short = Path(tempfile.mkdtemp(prefix="dlp"))  # pytest's folders can be too long for a socket
    monkeypatch.setattr(instance.tempfile, "gettempdir", lambda: str(short))
    name = server_name()
    folder = short / f"dlplanner-{os.getuid()}"
    assert name == str(folder / "dlplanner-offscreen.instance")
    assert (Path(name).parent.stat().st_mode & 0o777) == 0o700
    # A folder others may write to is not trusted: no single instance rather than a hijack.
    Path(name).parent.chmod(0o777)
    assert server_name() is None
    shutil.rmtree(short)


@unix_only
def test_a_runtime_folder_too_long_for_a_socket_falls_back(monkeypatch, tmp_path):
    deep = tmp_path / ("x" * 100)
    deep.mkdir()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(deep))
    short = Path(tempfile.mkdtemp(prefix="dlp"))
    monkeypatch.setattr(instance.tempfile, "gettempdir", lambda: str(short))
    assert server_name().startswith(str(short / f"dlplanner-{os.getuid()}"))
    shutil.rmtree(short)


@unix_only
def test_the_lock_sits_beside_the_socket(runtime_dir, monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert lock_path(server_name()) == str(runtime_dir / "dlplanner-offscreen.instance.lock")


def test_a_request_names_absolute_paths_and_maybe_a_token(tmp_path):
    path = tmp_path / "a.dlbuild.yaml"
    assert parse_request(f'{{"open": ["{path}"]}}'.encode()) == ([path], None)
    token = f'{{"open": ["{path}"], "activation_token": "t-1"}}'.encode()
    assert parse_request(token) == ([path], "t-1")
    for bad in (b'{"open": ["relative.yaml"]}', b'{"open": "x"}', b"[]", b'{"open": [""]}'):
        with pytest.raises(ValueError):
            parse_request(bad)
    with pytest.raises(ValueError, match="bad activation token"):
        parse_request(f'{{"open": ["{path}"], "activation_token": "a\\nb"}}'.encode())
