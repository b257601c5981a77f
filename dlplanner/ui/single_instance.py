"""One dlplanner per user for opening files: a second start hands its file to the running one.

The first dlplanner listens on a local socket named per user and display (a Unix socket in
``$XDG_RUNTIME_DIR``, or in a private folder under the temporary folder; a named pipe on
Windows). A later ``dlplanner FILE`` (from a terminal, or a double-click in the file manager)
connects, sends the file's absolute path as one JSON line, gets one JSON line back saying
what the running dlplanner does with it ("opening" or "focused"), and exits. Nobody
listening, a dead socket file left by a crash, or a running dlplanner that does not answer:
the new process starts normally and, when it safely can, takes the name over.

A lock file around "connect, else listen" keeps two dlplanners started at the same moment
from both listening (the second would take the socket file from the first).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QLockFile, QObject, Qt, QTimer
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

from dlplanner.io.instance import lock_path, parse_request, server_name

if TYPE_CHECKING:
    from dlplanner.ui.main_window import MainWindow

MAX_MESSAGE_BYTES = 64 * 1024
"""A request or reply longer than this is refused (a request names a handful of paths)."""
CLIENT_TIMEOUT_MS = 5000
"""How long a starting dlplanner waits for the running one to answer."""
IDLE_CLIENT_MS = 10_000
"""A connection that sends nothing for this long is closed by the server."""
LOCK_TIMEOUT_MS = 15_000
"""How long to wait for another starting dlplanner to finish its own "connect, else listen"."""

ACTIVATION_TOKEN_ENV = "XDG_ACTIVATION_TOKEN"
"""Set by a Wayland launcher (xdg-activation); the running window needs it to take the focus."""

Handler = Callable[[list[Path]], list[str]]
"""Takes the requested files, returns what happens to each ("opening", "focused" …)."""


def send_request(name: str, paths: list[Path], timeout_ms: int = CLIENT_TIMEOUT_MS) -> list[str]:
    """Ask the dlplanner listening on ``name`` to open ``paths``; return its answers.

    Returns an empty list when nobody answers in time (no dlplanner, a stale socket, or a
    hung one), so the caller starts its own window.
    """
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(min(timeout_ms, 1000)):
        return []
    message: dict[str, object] = {"open": [str(p) for p in paths]}
    # A Wayland compositor lets a window take the focus with the token it gave the launcher.
    token = os.environ.get(ACTIVATION_TOKEN_ENV)
    if token:
        message["activation_token"] = token
    request = json.dumps(message).encode() + b"\n"
    socket.write(QByteArray(request))
    socket.waitForBytesWritten(timeout_ms)  # no event loop here: send it now
    deadline = time.monotonic() + timeout_ms / 1000
    reply = b""
    while b"\n" not in reply and len(reply) < MAX_MESSAGE_BYTES:
        left = int((deadline - time.monotonic()) * 1000)
        if left <= 0 or not socket.waitForReadyRead(left):
            break
        reply += bytes(socket.readAll().data())
    socket.abort()
    try:
        answers = json.loads(reply.partition(b"\n")[0])["results"]
    except (ValueError, KeyError, TypeError):
        return []
    return [str(a) for a in answers] if isinstance(answers, list) else []


class InstanceServer(QObject):
    """The running dlplanner's end: accepts requests and hands the files to a handler.

    Requests that arrive before :meth:`set_handler` (while the catalog loads) wait for it.
    """

    def __init__(self, name: str, parent: QObject | None = None):
        super().__init__(parent)
        self.name = name
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_new_connection)
        self._handler: Handler | None = None
        self._waiting: list[tuple[QLocalSocket, list[Path]]] = []

    def listen(self) -> bool:
        """Listen on the name; take it over from a dead dlplanner, never from a live one."""
        probe = QLocalSocket()
        probe.connectToServer(self.name)
        if probe.waitForConnected(500):  # someone listens (Qt's listen() would replace it)
            probe.abort()
            return False
        if self._server.listen(self.name):
            return True
        if self._server.serverError() != QAbstractSocket.SocketError.AddressInUseError:
            return False
        QLocalServer.removeServer(self.name)  # a socket file left behind by a crash
        return self._server.listen(self.name)

    def close(self) -> None:
        """Stop listening and free the name."""
        self._server.close()

    def set_handler(self, handler: Handler) -> None:
        """Handle requests from now on, starting with those that waited."""
        self._handler = handler
        waiting, self._waiting = self._waiting, []
        for socket, paths in waiting:
            self._answer(socket, paths)

    def _on_new_connection(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            buffer = bytearray()
            socket.readyRead.connect(lambda s=socket, b=buffer: self._on_ready_read(s, b))
            socket.disconnected.connect(socket.deleteLater)
            QTimer.singleShot(IDLE_CLIENT_MS, socket, socket.abort)

    def _on_ready_read(self, socket: QLocalSocket, buffer: bytearray) -> None:
        buffer += bytes(socket.readAll().data())
        if b"\n" not in buffer:
            if len(buffer) > MAX_MESSAGE_BYTES:
                socket.abort()
            return
        try:
            paths, token = parse_request(bytes(buffer.partition(b"\n")[0]))
        except (ValueError, UnicodeDecodeError):
            self._reply(socket, {"error": "bad request"})
            return
        if token:
            # Qt's Wayland plugin activates the next window with it (and then drops it).
            os.environ[ACTIVATION_TOKEN_ENV] = token
        if self._handler is None:
            self._waiting.append((socket, paths))
        else:
            self._answer(socket, paths)

    def _answer(self, socket: QLocalSocket, paths: list[Path]) -> None:
        assert self._handler is not None
        self._reply(socket, {"results": self._handler(paths)})

    @staticmethod
    def _reply(socket: QLocalSocket, message: dict[str, object]) -> None:
        if socket.state() != QLocalSocket.LocalSocketState.ConnectedState:
            return
        socket.write(QByteArray(json.dumps(message).encode() + b"\n"))
        socket.flush()
        socket.disconnectFromServer()


@dataclass
class Claim:
    """The outcome of :func:`claim`: the files went to a running dlplanner, or we listen."""

    answers: list[str]
    """What the running dlplanner said it does with the files (empty: not forwarded)."""
    server: InstanceServer | None
    """Our own server when we are now the dlplanner others hand files to."""


def claim(paths: list[Path], name: str | None = None) -> Claim:
    """Hand ``paths`` to a running dlplanner, or become the one that takes them.

    With no paths nothing is handed over (a plain start opens its own window), but the
    new process listens if no other dlplanner does.
    """
    name = name if name is not None else server_name()
    if name is None:
        return Claim([], None)
    lock = QLockFile(lock_path(name))
    locked = lock.tryLock(LOCK_TIMEOUT_MS)
    try:
        if paths:
            answers = send_request(name, [p.absolute() for p in paths])
            if answers:
                return Claim(answers, None)
        server = InstanceServer(name)
        return Claim([], server if server.listen() else None)
    finally:
        if locked:
            lock.unlock()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def open_in_window(window: MainWindow, paths: list[Path]) -> list[str]:
    """Handle a request in the running window; return "opening", "focused" or "ignored".

    The window holds one build: the first file opens there (after the usual question about
    unsaved changes), or, when it is the one already open, the window only comes to the
    front. The work happens once the reply has gone back to the waiting process.
    """
    answers: list[str] = []
    to_open: Path | None = None
    for path in paths:
        if answers:
            answers.append("ignored")
        elif window.doc.path is not None and _same_file(window.doc.path, path):
            answers.append("focused")
        else:
            answers.append("opening")
            to_open = path

    def act() -> None:
        bring_to_front(window)
        if to_open is not None:
            window.open_path(to_open)

    QTimer.singleShot(0, window, act)
    return answers


def bring_to_front(window: QWidget) -> None:
    """Un-minimize, raise and activate a window (as far as the window manager allows)."""
    state = window.windowState() & ~Qt.WindowState.WindowMinimized
    window.setWindowState(state | Qt.WindowState.WindowActive)
    window.show()
    window.raise_()
    window.activateWindow()
