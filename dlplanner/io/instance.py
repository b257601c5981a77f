"""Where the running dlplanner listens, and what a request to it says (no Qt here).

One dlplanner per user and display opens files: a later start sends its files to the
running one over a local socket (:mod:`dlplanner.ui.single_instance`). This module names
that socket (a Unix socket in ``$XDG_RUNTIME_DIR``, or in a private folder under the
temporary folder; a named pipe on Windows) and reads a request's one JSON line.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from pathlib import Path


def _private_dirs() -> list[Path]:
    """Return the folders only this user can use for the socket and its lock, best first."""
    folders = []
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isabs(runtime) and os.path.isdir(runtime):
        folders.append(Path(runtime))
    folder = Path(tempfile.gettempdir()) / f"dlplanner-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.lstat()
    except OSError:
        return folders
    # Someone else's folder, or one others can write to: do not trust it.
    if info.st_uid == os.getuid() and not info.st_mode & 0o077 and folder.is_dir():
        folders.append(folder)
    return folders


def session_key() -> str:
    """Name the display this process shows its windows on.

    A file opened on one display must not land in a window on another (an Xvfb used for
    screenshots, a second seat, a remote X session), and offscreen runs only meet each other.
    """
    platform = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0]
    if platform in ("offscreen", "minimal"):
        key = platform
    elif os.environ.get("WAYLAND_DISPLAY") and platform != "xcb":
        key = os.environ["WAYLAND_DISPLAY"]
    elif os.environ.get("DISPLAY"):
        key = "x" + re.sub(r"\.[0-9]+$", "", os.environ["DISPLAY"])  # :0.0 and :0 are one
    else:
        key = "default"
    return re.sub(r"[^A-Za-z0-9_.-]", "_", key)[:40]


def server_name() -> str | None:
    """Return the name of the running dlplanner's socket, per user and display.

    None when there is no private place for it (then every start opens its own window).
    """
    if sys.platform == "win32":
        user = os.environ.get("USERNAME") or "user"
        return "dlplanner-" + re.sub(r"[^A-Za-z0-9_.-]", "_", user)
    for folder in _private_dirs():
        path = folder / f"dlplanner-{session_key()}.instance"
        if len(os.fsencode(path)) <= 107:  # the longest path a Unix socket can have
            return str(path)
    return None


def lock_path(name: str) -> str:
    """Return the lock file guarding "connect, else listen" on the socket ``name``."""
    if sys.platform == "win32":
        return str(Path(tempfile.gettempdir()) / f"{name}.lock")
    return name + ".lock"


def parse_request(data: bytes) -> tuple[list[Path], str | None]:
    """Return the absolute paths and activation token of one request; ValueError if bad."""
    message = json.loads(data.decode("utf-8"))
    paths = message.get("open") if isinstance(message, dict) else None
    if not isinstance(paths, list) or not all(isinstance(p, str) and p for p in paths):
        raise ValueError("expected {'open': [path, ...]}")
    result = [Path(p) for p in paths]
    if not all(p.is_absolute() for p in result):
        raise ValueError("paths must be absolute")
    token = message.get("activation_token")
    if token is not None and not (isinstance(token, str) and token.isprintable()):
        raise ValueError("bad activation token")
    return result, token
