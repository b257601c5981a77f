"""The one path resolver: shipped data (source tree, wheel or PyInstaller bundle), user folders."""

from __future__ import annotations

import os
import sys
from pathlib import Path

CATALOG_DIRS_ENV = "DLPLANNER_CATALOG_DIRS"
"""A path list of extra catalog folders, layered over the shipped and user catalogs."""


PACKAGED_DATA = Path(__file__).resolve().parent.parent / "_data"
"""Where a wheel puts ``catalog/`` and ``resources/`` (``setup.py`` copies them in)."""

SOURCE_TREE = Path(__file__).resolve().parent.parent.parent
"""The checkout holding the ``dlplanner`` package (an editable install reads from here)."""


def install_kind() -> str:
    """How dlplanner runs: ``"bundle"`` (PyInstaller), ``"installed"`` (wheel) or ``"source"``."""
    if getattr(sys, "_MEIPASS", None):
        return "bundle"
    if (PACKAGED_DATA / "catalog").is_dir():
        return "installed"
    return "source"


def install_root() -> Path:
    """Return the folder holding ``catalog/`` and ``resources/``.

    The PyInstaller bundle's ``_internal/`` when frozen, ``dlplanner/_data/`` in an installed
    wheel, else the source tree (a checkout, or an editable install of one). The packaged copy
    wins over the source tree, so a wheel never reads a stray ``catalog/`` beside
    ``site-packages``.
    """
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    if install_kind() == "installed":
        return PACKAGED_DATA
    return SOURCE_TREE


def _shipped(name: str) -> Path:
    return install_root() / name


def catalog_dir() -> Path:
    """Return the shipped catalog folder."""
    return _shipped("catalog")


def resources_dir() -> Path:
    """Shipped resources: example builds, icons, fonts."""
    return _shipped("resources")


def examples_dir() -> Path:
    """Return the folder of the shipped example builds."""
    return resources_dir() / "examples"


def example_builds() -> list[Path]:
    """Every shipped example build, the article's first."""
    return sorted(examples_dir().glob("*.dlbuild.yaml"))


def icons_dir() -> Path:
    """Return the folder of the application icons (SVG master, PNG sizes, .ico, .icns)."""
    return resources_dir() / "icons"


def desktop_dir() -> Path:
    """Return the folder of the freedesktop files: the ``.desktop`` entry and the MIME type."""
    return resources_dir() / "desktop"


def font_path() -> Path:
    """Return the path of the bundled font used for printing and exports."""
    return resources_dir() / "fonts" / "DejaVuSans.ttf"


def _home() -> Path:
    return Path(os.environ.get("HOME") or Path.home())


def user_data_dir() -> Path:
    """Per-user data (the user catalog): XDG on Linux, the platform folder elsewhere."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or _home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = _home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or _home() / ".local" / "share")
    return base / "dlplanner"


def user_state_dir() -> Path:
    """Per-user state: autosaves and crash-recovery files."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or _home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = _home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_STATE_HOME") or _home() / ".local" / "state")
    return base / "dlplanner"


CACHE_DIR_ENV = "DLPLANNER_CACHE_DIR"
"""Where derived data (the checked-catalog cache) goes, instead of the platform cache folder."""


def user_cache_dir() -> Path:
    """Per-user cache: data dlplanner can always rebuild (checked catalog files)."""
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or _home() / "AppData" / "Local")
        return base / "dlplanner" / "cache"
    if sys.platform == "darwin":
        return _home() / "Library" / "Caches" / "dlplanner"
    return Path(os.environ.get("XDG_CACHE_HOME") or _home() / ".cache") / "dlplanner"


def user_catalog_dirs() -> list[Path]:
    """Catalog folders layered over the shipped one, lowest priority first."""
    dirs = [user_data_dir() / "catalog"]
    extra = os.environ.get(CATALOG_DIRS_ENV, "")
    dirs.extend(Path(p) for p in extra.split(os.pathsep) if p.strip())
    return dirs
