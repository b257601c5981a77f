"""Desktop integration files (freedesktop): the ``.desktop`` entry, MIME type and icons.

The shipped templates live in ``resources/desktop/`` and the icons in ``resources/icons/``
(see ``packaging/make_icons.py``). :func:`plan_install` lists what goes where in the user's
data folder (``$XDG_DATA_HOME``, by default ``~/.local/share``); the ``.desktop`` entry gets
the absolute path of the command that is running, so it works whether dlplanner came from
pipx, a virtual environment or the offline bundle, and whether or not that is on ``PATH``.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from dlplanner.io import resources
from dlplanner.io.atomic import atomic_write_bytes

APP_ID = "org.dlplanner.dlplanner"
"""Reverse-DNS id: the ``.desktop`` file's name (and Qt's desktop file name), the MIME file's."""
MIME_TYPE = "application/x-dlplanner-build"
"""The MIME type of ``*.dlbuild.yaml`` build files."""
APP_ICON = "dlplanner"
"""Icon-theme name of the application icon."""
MIME_ICON = MIME_TYPE.replace("/", "-")
"""Icon-theme name of the build-file icon (the MIME type with '-' for '/')."""


@dataclass(frozen=True)
class InstallFile:
    """One file of the desktop integration: where it goes and what it holds."""

    target: Path
    data: bytes


def data_home() -> Path:
    """Return ``$XDG_DATA_HOME``, or ``~/.local/share`` when it is unset or not absolute."""
    value = os.environ.get("XDG_DATA_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path(os.environ.get("HOME") or Path.home()) / ".local" / "share"


def launch_command() -> list[str]:
    """Return the command that starts this dlplanner: the bundle, console script or ``-m``."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    script = Path(sys.executable).with_name("dlplanner.exe" if os.name == "nt" else "dlplanner")
    if script.is_file():
        return [str(script.absolute())]
    found = shutil.which("dlplanner")
    if found:
        return [str(Path(found).absolute())]
    return [sys.executable, "-m", "dlplanner"]


def quote_exec_arg(arg: str) -> str:
    r"""Quote one argument for a desktop entry's ``Exec`` key, then escape it as a string value.

    The Desktop Entry spec quotes an argument holding a space or a reserved character in
    double quotes, with ``"`` `` ` `` ``$`` ``\`` backslash-escaped inside; ``%`` is written
    ``%%``; and the value as a whole is a string, in which ``\`` is written ``\\``.
    """
    reserved = set(" \t\n\"'\\><~|&;$*?#()`")
    arg = arg.replace("%", "%%")
    if any(c in reserved for c in arg):
        inner = "".join("\\" + c if c in '"`$\\' else c for c in arg)
        arg = f'"{inner}"'
    return arg.replace("\\", "\\\\")


def desktop_entry(command: list[str]) -> bytes:
    """Return the shipped ``.desktop`` entry with every ``Exec`` line starting ``command``."""
    template = (resources.desktop_dir() / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    head = " ".join(quote_exec_arg(a) for a in command)
    lines = []
    for line in template.splitlines():
        if line.startswith("Exec=dlplanner"):
            line = "Exec=" + head + line[len("Exec=dlplanner") :]
        lines.append(line)
    return ("\n".join(lines) + "\n").encode("utf-8")


def _icon_files(home: Path) -> list[InstallFile]:
    icons = resources.icons_dir()
    hicolor = home / "icons" / "hicolor"
    files = [
        InstallFile(hicolor / path.relative_to(icons / "hicolor"), path.read_bytes())
        for path in sorted((icons / "hicolor").glob("*/*/*.png"))
    ]
    files.append(InstallFile(hicolor / "scalable/apps" / f"{APP_ICON}.svg", _read(icons, APP_ICON)))
    files.append(
        InstallFile(hicolor / "scalable/mimetypes" / f"{MIME_ICON}.svg", _read(icons, MIME_ICON))
    )
    return files


def _read(folder: Path, stem: str) -> bytes:
    return (folder / f"{stem}.svg").read_bytes()


def plan_install(home: Path | None = None, command: list[str] | None = None) -> list[InstallFile]:
    """Every file ``desktop-integration install`` writes, with its content.

    Raises
    ------
    OSError
        If a shipped template or icon cannot be read (a broken install).
    """
    home = home or data_home()
    mime_xml = (resources.desktop_dir() / f"{APP_ID}.xml").read_bytes()
    return [
        InstallFile(
            home / "applications" / f"{APP_ID}.desktop", desktop_entry(command or launch_command())
        ),
        InstallFile(home / "mime" / "packages" / f"{APP_ID}.xml", mime_xml),
        *_icon_files(home),
    ]


def install(home: Path | None = None, command: list[str] | None = None) -> list[Path]:
    """Write the desktop integration into ``home``; return the files written."""
    written = []
    for item in plan_install(home, command):
        item.target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(item.target, item.data)
        written.append(item.target)
    return written


def uninstall(home: Path | None = None) -> list[Path]:
    """Remove the files :func:`install` writes (those present); return the ones removed."""
    removed = []
    for item in plan_install(home, ["dlplanner"]):
        if item.target.is_file() or item.target.is_symlink():
            item.target.unlink()
            removed.append(item.target)
    return removed
