"""A build file opened while dlplanner runs goes to the running dlplanner.

In-process tests drive the server and client ends over a real local socket; the last test
starts real dlplanner processes, as a terminal or the file manager would.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtNetwork import QLocalSocket

from dlplanner.io import resources
from dlplanner.io.instance import server_name
from dlplanner.ui.single_instance import InstanceServer, claim, send_request
from tests.unit.test_instance import runtime_dir, unix_only

__all__ = ["runtime_dir"]  # a fixture

ROOT = Path(__file__).resolve().parents[2]


CLIENT = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from dlplanner.ui.single_instance import send_request
app = QCoreApplication([])
print(json.dumps(send_request(sys.argv[1], [Path(p) for p in sys.argv[2:]])))
"""


def _client(name: str, *paths: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Another process asking the server (PySide keeps the GIL in blocking socket calls)."""
    return subprocess.Popen(
        [sys.executable, "-c", CLIENT, name, *map(str, paths)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _answers(qtbot, client: subprocess.Popen) -> list[str]:
    """Keep the server's event loop turning until the client process has its answer."""
    qtbot.waitUntil(lambda: client.poll() is not None, timeout=60_000)
    out, err = client.communicate()
    assert client.returncode == 0, err
    return json.loads(out)


def test_a_request_reaches_the_handler_and_its_answer_comes_back(qtbot, runtime_dir, tmp_path):
    name = server_name()
    server = InstanceServer(name)
    assert server.listen()
    received = []
    server.set_handler(lambda paths: received.extend(paths) or ["opening"] * len(paths))
    target = tmp_path / "a.dlbuild.yaml"
    assert _answers(qtbot, _client(name, target)) == ["opening"]
    assert received == [target]
    server.close()


def test_requests_wait_for_the_handler(qtbot, runtime_dir, tmp_path):
    name = server_name()
    server = InstanceServer(name)
    assert server.listen()
    target = tmp_path / "b.dlbuild.yaml"
    client = _client(name, target)
    qtbot.wait(1000)  # the request is queued: no handler yet (the catalog is still loading)
    assert client.poll() is None
    server.set_handler(lambda paths: ["focused"])
    answers = {"v": _answers(qtbot, client)}
    assert answers["v"] == ["focused"]
    server.close()


@pytest.mark.parametrize(
    "payload",
    [
        b"not json\n",
        b'{"open": "x"}\n',
        b'{"open": ["relative/path"]}\n',
        b"\xff\xfe\n",
        b"[1]\n",
        b'{"open": ["/tmp/a.dlbuild.yaml"], "activation_token": "a\\nb"}\n',
    ],
)
def test_bad_requests_get_an_error_and_never_reach_the_handler(qtbot, runtime_dir, payload):
    name = server_name()
    server = InstanceServer(name)
    assert server.listen()
    calls = []
    server.set_handler(lambda paths: calls.append(paths) or [])
    client = QLocalSocket()
    client.connectToServer(name)
    assert client.waitForConnected(2000)
    client.write(payload)
    client.flush()
    qtbot.waitUntil(lambda: client.bytesAvailable() > 0 or client.state() == 0, timeout=5000)
    assert b"bad request" in bytes(client.readAll().data())
    assert calls == []
    client.abort()
    server.close()


def test_the_launchers_activation_token_reaches_the_running_window(
    qtbot, runtime_dir, tmp_path, monkeypatch
):
    monkeypatch.delenv("XDG_ACTIVATION_TOKEN", raising=False)  # restored after the test
    name = server_name()
    server = InstanceServer(name)
    assert server.listen()
    seen = []
    server.set_handler(lambda paths: seen.append(os.environ.get("XDG_ACTIVATION_TOKEN")) or ["x"])
    env = dict(os.environ, XDG_ACTIVATION_TOKEN="kwin-1234_abc")
    assert _answers(qtbot, _client(name, tmp_path / "d.dlbuild.yaml", env=env)) == ["x"]
    assert seen == ["kwin-1234_abc"]
    server.close()


def test_nobody_listening_means_no_answer(runtime_dir, tmp_path):
    assert send_request(server_name(), [tmp_path / "x.dlbuild.yaml"], timeout_ms=500) == []


@unix_only
def test_a_stale_socket_file_is_taken_over(qtbot, runtime_dir, tmp_path):
    name = server_name()
    dead = socket.socket(socket.AF_UNIX)
    dead.bind(name)  # a socket file whose owner is gone (crashed): nobody accepts on it
    dead.close()
    assert Path(name).exists()
    result = claim([tmp_path / "c.dlbuild.yaml"], name)
    assert result.answers == [] and result.server is not None
    result.server.set_handler(lambda paths: ["opening"])
    assert _answers(qtbot, _client(name, tmp_path / "c.dlbuild.yaml")) == ["opening"]
    result.server.close()


def test_a_live_server_is_never_taken_over(qtbot, runtime_dir):
    name = server_name()
    first = InstanceServer(name)
    assert first.listen()
    second = InstanceServer(name)
    assert not second.listen()
    assert claim([], name).server is None  # a plain start leaves the running one in place
    first.close()


# -- two real processes --------------------------------------------------------------------


def _env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DLPLANNER_")}
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_RUNTIME_DIR=str(tmp_path / "run"),
        QT_QPA_PLATFORM="offscreen",
    )
    (tmp_path / "run").mkdir(mode=0o700, exist_ok=True)
    return env


def _start(env: dict[str, str], *args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "dlplanner", *args],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _recent_files(env: dict[str, str]) -> list[str]:
    settings = QSettings(
        str(Path(env["XDG_CONFIG_HOME"]) / "dlplanner" / "dlplanner.conf"),
        QSettings.Format.IniFormat,
    )
    settings.sync()  # re-read: the running dlplanner writes it
    value = settings.value("recent_files", [])
    return [value] if isinstance(value, str) else list(value or [])


def _wait(predicate, timeout: float, what: str, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if process is not None and process.poll() is not None:
            raise AssertionError(f"{what}: the process exited: {process.communicate()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def _listening(name: str) -> bool:
    probe = socket.socket(socket.AF_UNIX)
    try:
        probe.connect(name)
    except OSError:
        return False
    finally:
        probe.close()
    return True


@unix_only
@pytest.mark.slow
def test_a_second_dlplanner_hands_its_file_to_the_running_one(tmp_path):
    env = _env(tmp_path)
    name = str(tmp_path / "run" / "dlplanner-offscreen.instance")
    article = resources.example_builds()[0]
    first, second = tmp_path / "first.dlbuild.yaml", tmp_path / "second.dlbuild.yaml"
    shutil.copy(article, first)
    shutil.copy(article, second)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    processes = []
    try:
        running = _start(env, str(first), cwd=tmp_path)
        processes.append(running)
        _wait(lambda: _listening(name), 120, "the first dlplanner to listen", running)
        first, second = first.resolve(), second.resolve()
        _wait(lambda: str(first) in _recent_files(env), 60, "the first file to open", running)

        # From another folder, with a relative path, as a terminal user would.
        relative = os.path.relpath(second, elsewhere)
        handed = subprocess.run(
            [sys.executable, "-m", "dlplanner", relative],
            env=env, cwd=elsewhere, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert handed.returncode == 0, handed.stderr
        assert "opened in the running dlplanner" in handed.stdout, handed.stdout + handed.stderr
        _wait(lambda: _recent_files(env)[:1] == [str(second)], 60, "the second file", running)
        assert running.poll() is None

        # The same file again: already open there, so it is only brought to the front.
        again = subprocess.run(
            [sys.executable, "-m", "dlplanner", str(second)],
            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert again.returncode == 0, again.stderr
        assert "already open in the running dlplanner" in again.stdout, again.stdout

        # --new-instance always starts its own window (checked here with --exit-on-ready).
        own = subprocess.run(
            [sys.executable, "-m", "dlplanner", "--new-instance", "--exit-on-ready", str(first)],
            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert own.returncode == 0 and "running dlplanner" not in own.stdout, own

        # The running one crashes and leaves its socket file behind; the next start takes over.
        running.send_signal(signal.SIGKILL)
        running.communicate(timeout=30)
        assert Path(name).exists() and not _listening(name)
        successor = _start(env, str(first), cwd=tmp_path)
        processes.append(successor)
        _wait(lambda: _listening(name), 120, "the successor to listen", successor)
        third = subprocess.run(
            [sys.executable, "-m", "dlplanner", str(second)],
            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert "opened in the running dlplanner" in third.stdout, third.stdout + third.stderr
        _wait(lambda: _recent_files(env)[:1] == [str(second)], 60, "the file in the successor")
        assert successor.poll() is None
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
            try:
                process.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate(timeout=30)
