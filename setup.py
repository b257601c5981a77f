"""Build hook: ship ``catalog/`` and ``resources/`` inside the installed package.

The data stays at the top of the source tree (where the project layout wants it); a wheel
gets a copy as ``dlplanner/_data/{catalog,resources}``, where ``dlplanner/io/resources.py``
looks for it. An editable install reads the source tree directly, so nothing is copied.
Everything else (metadata, dependencies, entry points) is in ``pyproject.toml``.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent

SHIPPED = {
    "catalog": ["*.yaml", "README.md"],
    "resources/examples": ["*.dlbuild.yaml"],
    "resources/fonts": ["*.ttf", "*.txt"],
    "resources/icons": ["*.svg", "*.ico", "*.icns", "hicolor/*/*/*.png"],
    "resources/desktop": ["*.desktop", "*.xml"],
}
"""Folder of the source tree → the file patterns copied into the wheel (screenshots stay out)."""


def shipped_files() -> list[Path]:
    """Every data file the wheel carries, relative to the source tree."""
    files: set[Path] = set()
    for folder, patterns in SHIPPED.items():
        for pattern in patterns:
            files.update(p.relative_to(ROOT) for p in (ROOT / folder).glob(pattern) if p.is_file())
    return sorted(files)


class BuildPyWithData(build_py):
    """``build_py`` that also copies the shipped data into ``dlplanner/_data/``."""

    def run(self) -> None:
        """Build the package, then add the data (not for editable installs)."""
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for path in self._data_targets():
            target = Path(self.build_lib) / path[1]
            self.mkpath(str(target.parent))
            self.copy_file(str(ROOT / path[0]), str(target))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        """Report the copied data among the outputs."""
        outputs = list(super().get_outputs(include_bytecode))
        if not getattr(self, "editable_mode", False):
            outputs += [str(Path(self.build_lib) / dest) for _src, dest in self._data_targets()]
        return outputs

    @staticmethod
    def _data_targets() -> list[tuple[Path, Path]]:
        files = shipped_files()
        if not any(f.parts[0] == "catalog" for f in files):
            raise SystemExit(f"setup.py: no catalog files under {ROOT / 'catalog'}")
        return [(f, Path("dlplanner") / "_data" / f) for f in files]


setup(cmdclass={"build_py": BuildPyWithData})
