"""``dlplanner desktop-integration install|uninstall``: menu entry, file type and icons.

Writes (or removes) the freedesktop files in the user's data folder (``$XDG_DATA_HOME``,
by default ``~/.local/share``): the ``.desktop`` entry, the MIME type of ``*.dlbuild.yaml``
files, and the icons; then asks the desktop's own tools, where installed, to refresh their
caches, so the menu entry and double-clicking a build file work at once.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from dlplanner.io import desktop_files

REFRESH_TIMEOUT_S = 60.0
"""How long one cache-refresh tool may run."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument("action", choices=["install", "uninstall"], help="what to do")
    parser.add_argument(
        "--no-refresh",
        action="store_true",
        help="do not run update-mime-database, update-desktop-database, gtk-update-icon-cache",
    )


def _refresh(home: Path) -> list[str]:
    """Run the cache tools that are installed; return a line for each one run."""
    tools = [
        ["update-mime-database", str(home / "mime")],
        ["update-desktop-database", "-q", str(home / "applications")],
        ["gtk-update-icon-cache", "-q", "-f", "-t", "--ignore-theme-index",
         str(home / "icons" / "hicolor")],
    ]  # fmt: skip
    lines = []
    for argv in tools:
        exe = shutil.which(argv[0])
        if exe is None or not Path(argv[-1]).is_dir():
            continue
        try:
            result = subprocess.run(
                [exe, *argv[1:]], capture_output=True, text=True, timeout=REFRESH_TIMEOUT_S
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            lines.append(f"dlplanner: warning: {argv[0]} failed: {exc}")
            continue
        if result.returncode == 0:
            lines.append(f"refreshed: {argv[0]}")
        else:
            detail = (result.stderr.strip().splitlines() or ["no message"])[0]
            lines.append(f"dlplanner: warning: {argv[0]} exited {result.returncode}: {detail}")
    return lines


def run(args: argparse.Namespace) -> int:
    """Install or uninstall the desktop integration; return the exit status."""
    if sys.platform in ("win32", "darwin"):
        print(
            "dlplanner: error: desktop-integration is for Linux desktops (freedesktop); "
            "on Windows and macOS the offline bundle carries the icon and file type",
            file=sys.stderr,
        )
        return 2
    home = desktop_files.data_home()
    if args.action == "install":
        changed = desktop_files.install(home)
        verb = "installed"
    else:
        changed = desktop_files.uninstall(home)
        verb = "removed"
    for path in changed:
        print(f"{verb}: {path}")
    if not changed:
        print(f"nothing to remove in {home}")
    if not args.no_refresh:
        for line in _refresh(home):
            print(line, file=sys.stderr if line.startswith("dlplanner:") else sys.stdout)
    if args.action == "install":
        print(f"dlplanner is in the applications menu; *.dlbuild.yaml files open with it ({home})")
    return 0
