"""The wheel a user installs works: built from the sdist, installed into a fresh venv.

``python -m build`` makes the sdist from a copy of the checkout, then the wheel from the
sdist (the route ``pip install``/``pipx install`` and PyPI take). The wheel goes into a new
virtual environment, not editable; the environment borrows only the dependencies (PySide6 …)
from the running interpreter's site folders, so nothing is downloaded and dlplanner itself
can only come from the wheel. The installed command then runs from an unrelated folder.
"""

from __future__ import annotations

import email.parser
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

IGNORED = shutil.ignore_patterns(
    ".git", "build", "dist", "*.egg-info", "__pycache__", "*.pyc", ".venv", ".hypothesis",
    ".pytest_cache", ".mypy_cache", ".ruff_cache", ".benchmarks", "_data", "out",
)  # fmt: skip


def _run(cmd: list[str], *, timeout: float = 600, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kwargs)
    assert result.returncode == 0, (
        f"{cmd} exited {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result


def _setuptools_is_recent() -> bool:
    """Whether the local setuptools can build without an isolated (downloaded) one."""
    try:
        import setuptools
    except ImportError:
        return False
    return int(setuptools.__version__.split(".")[0]) >= 77


@pytest.fixture(scope="module")
def dists(tmp_path_factory) -> dict[str, Path]:
    if importlib.util.find_spec("build") is None:
        pytest.fail("the 'build' package is missing: python -m pip install -e '.[test]'")
    work = tmp_path_factory.mktemp("dist")
    source = work / "checkout"
    shutil.copytree(ROOT, source, ignore=IGNORED)
    out = work / "out"
    cmd = [sys.executable, "-m", "build", "--outdir", str(out), str(source)]
    if _setuptools_is_recent():
        cmd.insert(3, "--no-isolation")
    _run(cmd)
    (sdist,) = out.glob("dlplanner-*.tar.gz")
    (wheel,) = out.glob("dlplanner-*.whl")
    return {"sdist": sdist, "wheel": wheel, "work": work}


def _dependency_dirs() -> list[str]:
    """The running interpreter's site folders (for PySide6 …), never the checkout."""
    dirs = []
    for entry in sys.path:
        path = Path(entry or ".").resolve()
        site = path.name in ("site-packages", "dist-packages") and path.is_dir()
        if site and ROOT not in path.parents and str(path) not in dirs:
            dirs.append(str(path))
    return dirs


@pytest.fixture(scope="module")
def venv(dists) -> Path:
    env_dir = dists["work"] / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)])
    bindir = "Scripts" if os.name == "nt" else "bin"
    python = env_dir / bindir / ("python.exe" if os.name == "nt" else "python")
    purelib = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
    ).stdout.strip()
    # Plain path entries: .pth files in those folders (an editable dlplanner) are not run.
    Path(purelib, "_dependencies_of_the_test.pth").write_text("\n".join(_dependency_dirs()) + "\n")
    _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", "--no-compile", "--disable-pip-version-check", str(dists["wheel"])]
    )  # fmt: skip
    return env_dir


def _user_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "DLPLANNER_"))}
    home = tmp_path / "home"
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_RUNTIME_DIR=str(home / "run"),
        QT_QPA_PLATFORM="offscreen",
    )
    (home / "run").mkdir(parents=True, mode=0o700)
    return env


def _command(venv: Path) -> str:
    bindir = "Scripts" if os.name == "nt" else "bin"
    return str(venv / bindir / ("dlplanner.exe" if os.name == "nt" else "dlplanner"))


def test_the_installed_command_works_from_another_folder(venv, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = _user_env(tmp_path)
    dlplanner = _command(venv)

    python = Path(dlplanner).with_name(Path(sys.executable).name)
    probe = _run(
        [str(python), "-c", "import dlplanner, dlplanner.io.resources as r;"
         "print(dlplanner.__file__); print(r.install_kind()); print(r.catalog_dir())"],
        cwd=elsewhere, env=env,
    ).stdout.splitlines()  # fmt: skip
    assert Path(probe[0]).resolve().is_relative_to(venv.resolve()), probe
    assert probe[1] == "installed"
    assert Path(probe[2]).resolve().is_relative_to(venv.resolve()), probe

    listing = json.loads(
        _run([dlplanner, "catalog", "list", "--json"], cwd=elsewhere, env=env).stdout
    )
    assert len(listing) > 300
    assert {part["kind"] for part in listing} >= {"gpu", "cpu", "psu", "case", "motherboard"}

    selftest = _run([dlplanner, "selftest", "--timeout", "240"], cwd=elsewhere, env=env)
    assert "installed:" in selftest.stdout, selftest.stdout

    _run([dlplanner, "--exit-on-ready"], cwd=elsewhere, env=env, timeout=240)


def test_the_wheel_carries_the_data_and_no_tests(dists):
    names = set(zipfile.ZipFile(dists["wheel"]).namelist())
    catalog = {n for n in names if n.startswith("dlplanner/_data/catalog/")}
    assert {Path(n).name for n in catalog} >= {"gpu.yaml", "cpu.yaml", "cloud.yaml", "README.md"}
    for name in (
        "resources/examples/article-2019-scalable.dlbuild.yaml",
        "resources/fonts/DejaVuSans.ttf",
        "resources/icons/dlplanner.svg",
        "resources/icons/dlplanner.ico",
        "resources/icons/dlplanner.icns",
        "resources/icons/hicolor/256x256/apps/dlplanner.png",
        "resources/desktop/org.dlplanner.dlplanner.desktop",
        "resources/desktop/org.dlplanner.dlplanner.xml",
    ):
        assert f"dlplanner/_data/{name}" in names, name
    assert not any("screenshots" in n or n.startswith("tests/") for n in names)
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)


def test_the_sdist_is_a_full_source_release(dists):
    with tarfile.open(dists["sdist"]) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    for name in (
        "LICENSE", "README.md", "ARCHITECTURE.md", "pyproject.toml", "setup.py", "catalog/gpu.yaml",
        "tests/conftest.py", "tests/unit/test_wheel_install.py",
        "resources/examples/article-2019-scalable.dlbuild.yaml", "packaging/dlplanner.spec",
        "packaging/build.sh", "resources/icons/dlplanner.svg",
    ):  # fmt: skip
        assert name in names, name


def test_the_metadata_is_complete(dists):
    with zipfile.ZipFile(dists["wheel"]) as whl:
        (meta_name,) = [n for n in whl.namelist() if n.endswith(".dist-info/METADATA")]
        meta = email.parser.Parser().parsestr(whl.read(meta_name).decode())
    assert meta["Name"] == "dlplanner"
    assert meta["Summary"] and meta["Requires-Python"] == ">=3.11"
    assert meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"]
    assert meta["Description-Content-Type"] == "text/markdown"
    assert "## Quick start" in meta.get_payload()
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL"))
    assert urls and all(u.startswith("https://") for u in urls.values())
    assert not any("github.com/dlplanner" in u for u in urls.values())  # no invented home
    assert "deep learning" in meta["Keywords"]
    classifiers = meta.get_all("Classifier")
    assert "Environment :: X11 Applications :: Qt" in classifiers
    assert not any(c.startswith("License ::") for c in classifiers)  # the expression says it
    requires = meta.get_all("Requires-Dist")
    assert any(r.startswith("PySide6-Essentials") for r in requires)
    if importlib.util.find_spec("twine") is not None:
        check = _run([sys.executable, "-m", "twine", "check", "--strict", str(dists["wheel"]),
                      str(dists["sdist"])])  # fmt: skip
        assert check.stdout.count("PASSED") == 2, check.stdout
