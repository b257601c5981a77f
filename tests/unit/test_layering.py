"""The layers import one way only, and the core stays Qt-free.

The contract (see ARCHITECTURE.md), lowest layer first; a layer may import itself and the
layers listed for it, nothing else:

    domain    ← nothing (pydantic models, catalog, costs, timeline)
    rules     ← domain
    completion ← domain, rules (the search for builds that pass every rule)
    io        ← domain (files only: never rules, report or ui)
    report    ← domain, rules, completion, io (words and documents; writes files through io)
    ui        ← domain, rules, completion, io, report
    app       ← everything below (the one place that wires things)
    commands  ← everything below and app (never cli)
    cli       ← everything

The top-level package (``dlplanner``, which only holds ``__version__``) may be imported by
any layer. Every ``import`` in every module counts, also those inside functions. This is
import-linter's "layers" contract, checked by walking each module's syntax tree.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import dlplanner

PACKAGE = Path(dlplanner.__file__).parent

_BELOW_UI = {"domain", "rules", "completion", "io", "report"}
ALLOWED: dict[str, set[str]] = {
    "domain": {"domain"},
    "rules": {"domain", "rules"},
    "completion": {"domain", "rules", "completion"},
    "io": {"domain", "io"},
    "report": {"domain", "rules", "completion", "io", "report"},
    "ui": _BELOW_UI | {"ui"},
    "app": _BELOW_UI | {"ui", "app"},
    "commands": _BELOW_UI | {"ui", "app", "commands"},
    "cli": _BELOW_UI | {"ui", "app", "commands", "cli"},
    "__main__": {"cli"},
}
"""Layer → the layers it may import (the top-level ``dlplanner`` is always allowed)."""

QT_FREE = ("domain", "rules", "completion", "io", "report")
QT_PACKAGES = ("PySide6", "shiboken6", "pyqtgraph")


def layer_of(module: str) -> str | None:
    """``dlplanner.ui.models.x`` → ``ui``; the top-level package itself → ``None``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def module_name(path: Path, root: Path = PACKAGE) -> str:
    rel = path.relative_to(root.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(
    tree: ast.AST, module: str, is_package: bool, root: Path = PACKAGE
) -> list[tuple[int, str]]:
    """Every module an import statement names, with its line (relative imports resolved)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((node.lineno, base))
            # ``from dlplanner import cli`` imports the sub-module dlplanner.cli
            if base == "dlplanner":
                found.extend(
                    (node.lineno, f"dlplanner.{alias.name}")
                    for alias in node.names
                    if (root / alias.name).is_dir() or (root / f"{alias.name}.py").is_file()
                )
    return found


def violations(root: Path = PACKAGE) -> list[str]:
    """Return one line per import that breaks the contract: ``file:line: a imports b``."""
    bad: list[str] = []
    for path in sorted(root.rglob("*.py")):
        module = module_name(path, root)
        layer = layer_of(module)
        if layer is None:
            continue
        allowed = ALLOWED.get(layer)
        where = path.relative_to(root.parent)
        if allowed is None:
            bad.append(f"{where}: module in no layer ({layer}); add it to ALLOWED")
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for line, name in imported_names(tree, module, path.name == "__init__.py", root):
            top = name.split(".")[0]
            if layer in QT_FREE and top in QT_PACKAGES:
                bad.append(f"{where}:{line}: {layer} is Qt-free but imports {name}")
            if top != "dlplanner":
                continue
            target = layer_of(name)
            if target is not None and target not in allowed:
                bad.append(f"{where}:{line}: {layer} may not import {name} ({target})")
    return bad


def test_layers_import_one_way():
    bad = violations()
    assert not bad, "imports against the layer contract:\n" + "\n".join(bad)


def test_every_subpackage_has_a_layer():
    layers = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    assert layers | modules <= set(ALLOWED)


def test_contract_catches_a_wrong_import(tmp_path: Path):
    """The checker is not blind: wrong imports planted in a copy of the package are found."""
    root = tmp_path / "dlplanner"
    for sub in ("io", "rules", "report", "commands"):
        (root / sub).mkdir(parents=True)
        (root / sub / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / "cli.py").write_text("")
    (root / "io" / "files.py").write_text("from dlplanner.rules.engine import evaluate\n")
    (root / "report" / "words.py").write_text("def f():\n    from PySide6 import QtCore\n")
    (root / "rules" / "text.py").write_text("from ..report import format\n")
    (root / "commands" / "check.py").write_text("from dlplanner import cli\n")
    assert violations(root) == [
        "dlplanner/commands/check.py:1: commands may not import dlplanner.cli (cli)",
        "dlplanner/io/files.py:1: io may not import dlplanner.rules.engine (rules)",
        "dlplanner/report/words.py:2: report is Qt-free but imports PySide6",
        "dlplanner/rules/text.py:1: rules may not import dlplanner.report (report)",
    ]


@pytest.mark.parametrize("package", [f"dlplanner.{layer}" for layer in QT_FREE])
def test_core_imports_no_qt(package: str):
    """Also at run time: importing every module of a Qt-free layer loads no Qt."""
    code = (
        "import importlib, pkgutil, sys\n"
        f"pkg = importlib.import_module({package!r})\n"
        "for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules\n"
        "             if n.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{package} imports {out.stdout.strip()}"
