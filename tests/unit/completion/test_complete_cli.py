"""``dlplanner complete`` through the real entry point: files, exit codes, JSON."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from dlplanner.io.buildfile import load_build
from dlplanner.rules.engine import evaluate
from tests.conftest import run_cli

QUAD = """format: dlplanner-build
format_version: 1
name: Four RTX 3090 Turbo
items:
- part: asus-turbo-geforce-rtx-3090
  qty: 4
"""


def dlp(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=cwd, timeout=300)


@pytest.fixture
def quad(tmp_path: Path) -> Path:
    path = tmp_path / "quad.dlbuild.yaml"
    path.write_text(QUAD, encoding="utf-8")
    return path


def test_writes_beside_the_file_and_never_over_it(quad: Path, shipped):
    first = dlp("complete", quad.name, "--alternatives", "1", cwd=quad.parent)
    assert first.returncode == 0, first.stderr
    assert quad.read_text(encoding="utf-8") == QUAD
    out = quad.with_name("quad-completed.dlbuild.yaml")
    assert f"Wrote {out.name}" in first.stdout
    built = load_build(out)
    assert built.name == "Four RTX 3090 Turbo (completed)"
    assert not evaluate(built, shipped).has_errors
    written = out.read_bytes()
    again = dlp("complete", quad.name, "--alternatives", "1", cwd=quad.parent)
    assert again.returncode == 0
    assert (quad.parent / "quad-completed-2.dlbuild.yaml").exists()
    assert out.read_bytes() == written  # the second run wrote a new file instead


def test_output_path_and_json(quad: Path):
    target = quad.parent / "mine.dlbuild.yaml"
    run = dlp("complete", str(quad), "-o", str(target), "--json", "--alternatives", "2",
              cwd=quad.parent)  # fmt: skip
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["found"] is True and data["written"] == str(target)
    assert 1 <= len(data["proposals"]) <= 2
    best = data["proposals"][0]
    assert best["label"].startswith("Cheapest")
    assert {p["kind"] for p in best["picks"]} >= {"cpu", "motherboard", "psu", "case"}
    assert all(p["why"] or p["kind"] == "storage" for p in best["picks"])
    assert target.exists()


def test_budget_too_small_exits_1_naming_the_budget(quad: Path):
    run = dlp("complete", str(quad), "--budget", "500", cwd=quad.parent)
    assert run.returncode == 1
    assert run.stdout.startswith("Nothing under $500: the cheapest build that passes")
    assert not list(quad.parent.glob("*-completed*"))


@pytest.mark.parametrize(
    "args",
    [
        ["--alternatives", "5"],
        ["--budget", "-3"],
        ["--psu-headroom", "9"],
        ["--choose", "3", "--alternatives", "2"],
    ],
)
def test_bad_arguments_exit_2_with_one_line(quad: Path, args: list[str]):
    run = dlp("complete", str(quad), *args, cwd=quad.parent)
    assert run.returncode == 2
    assert len(run.stderr.strip().splitlines()) == 1
    assert run.stderr.startswith("dlplanner: error: ")


def test_bad_file_exits_2(tmp_path: Path):
    bad = tmp_path / "bad.dlbuild.yaml"
    bad.write_text("format: nope\n", encoding="utf-8")
    run = dlp("complete", str(bad), cwd=tmp_path)
    assert run.returncode == 2
    assert len(run.stderr.strip().splitlines()) == 1
