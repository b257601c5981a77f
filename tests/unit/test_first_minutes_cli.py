"""What a newcomer meets first on the command line: mistakes caught, empty builds, no display."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

HEADER = "format: dlplanner-build\nformat_version: 1\nname: t\n"


def dlp(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dlplanner", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
    )


def write(tmp_path: Path, body: str) -> str:
    path = tmp_path / "b.dlbuild.yaml"
    path.write_text(HEADER + body, encoding="utf-8")
    return str(path)


def test_no_display_is_one_line_and_exit_2():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    out = dlp(env=env)
    assert out.returncode == 2, out.stderr
    assert out.stdout == "" and len(out.stderr.strip().splitlines()) == 1
    assert "no display" in out.stderr and "dlplanner selftest" in out.stderr
    assert "QT_QPA_PLATFORM" in out.stderr and "Traceback" not in out.stderr


def test_unknown_command_suggests_the_nearest():
    out = dlp("chek")
    assert out.returncode == 2
    assert out.stderr.strip() == "dlplanner: error: unknown command 'chek'; did you mean check?"
    out = dlp("zzz")
    assert out.returncode == 2 and "the commands are catalog, check" in out.stderr


def test_empty_build_says_add_parts(tmp_path: Path):
    path = write(tmp_path, "items: []\n")
    out = dlp("check", path)
    assert out.returncode == 0
    assert out.stdout.startswith("Compatibility: Add parts to check.")
    out = dlp("cost", path)
    assert out.returncode == 0 and "no GPUs to compare" in out.stdout
    assert "0.00x" not in out.stdout and "month 0.0" not in out.stdout
    data = json.loads(dlp("cost", path, "--json").stdout)
    assert data["gpus"] == 0 and data["cloud"] == []


def test_build_without_gpus_has_nothing_to_compare(tmp_path: Path):
    path = write(tmp_path, "items:\n  - part: amd-ryzen-9-9950x\n")
    out = dlp("cost", path)
    assert out.returncode == 0 and "no GPUs to compare" in out.stdout
    assert "0.00x" not in out.stdout
    md = tmp_path / "out.md"
    assert dlp("export", path, "-o", str(md)).returncode == 0


def test_a_typo_in_a_part_id_is_an_error_with_a_suggestion(tmp_path: Path):
    path = write(tmp_path, "items:\n  - part: nvidia-geforce-rtx-3090-fx\n")
    out = dlp("check", path)
    assert out.returncode == 1, out.stdout
    assert "Error [unknown-parts]" in out.stdout
    assert "did you mean nvidia-geforce-rtx-3090-fe?" in out.stdout
    # kept in the file: nothing rewrote it
    assert "nvidia-geforce-rtx-3090-fx" in Path(path).read_text(encoding="utf-8")


def test_unknown_build_file_keys_suggest_the_nearest(tmp_path: Path):
    import pytest

    from dlplanner.io.buildfile import loads_build
    from dlplanner.io.yamlsafe import LoadError

    cases = {
        "items:\n  - part: x\n    quantity: 2\n": (
            "items[0].quantity: unknown key; did you mean 'qty'?"
        ),
        "item: []\n": "item: unknown key; did you mean 'items'?",
        "site: {volt: 230}\n": "site.volt: unknown key; did you mean 'volts'?",
    }
    for body, said in cases.items():
        with pytest.raises(LoadError, match=said.replace("?", r"\?").replace("[", r"\[")):
            loads_build(HEADER + body)
    out = dlp("check", write(tmp_path, "items:\n  - part: x\n    quantity: 2\n"))
    assert out.returncode == 2 and "did you mean 'qty'?" in out.stderr


def test_export_says_what_it_wrote(tmp_path: Path):
    target = tmp_path / "list.csv"
    example = str(ROOT / "resources" / "examples" / "budget-single-gpu.dlbuild.yaml")
    out = dlp("export", example, "-o", str(target))
    assert out.returncode == 0
    assert out.stdout.startswith("wrote CSV shopping list of ") and str(target) in out.stdout
    assert f"({target.stat().st_size:,} bytes)" in out.stdout
