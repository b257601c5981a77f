"""The command line through the real entry point: exit codes, one-line errors, JSON."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

EXAMPLES = sorted((ROOT / "resources" / "examples").glob("*.dlbuild.yaml"))


def dlp(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=cwd)


def test_version():
    out = dlp("--version")
    assert out.returncode == 0 and out.stdout.startswith("dlplanner ")


def test_catalog_list_json_has_every_kind():
    out = dlp("catalog", "list", "--json")
    assert out.returncode == 0, out.stderr
    parts = json.loads(out.stdout)
    kinds = {p["kind"] for p in parts}
    assert kinds == {
        "cpu",
        "motherboard",
        "memory",
        "gpu",
        "storage",
        "psu",
        "case",
        "cooler",
        "cloud",
    }
    for p in parts:
        for key in ("id", "kind", "name", "brand", "price_usd", "price_date", "sources"):
            assert key in p


def test_catalog_list_kind_and_table():
    out = dlp("catalog", "list", "--kind", "PSU")  # --kind ignores case
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("Power supply (") and lines[1].split() == [
        "ID",
        "NAME",
        "PRICE",
        "DATE",
    ]
    assert lines[-1].endswith(" parts")


def test_catalog_list_fits_100_columns():
    out = dlp("catalog", "list")
    assert out.returncode == 0
    assert max(len(line) for line in out.stdout.splitlines()) <= 100
    ids = {p["id"] for p in json.loads(dlp("catalog", "list", "--json").stdout)}
    shown = {line.split()[0] for line in out.stdout.splitlines() if line.split()}
    assert ids <= shown  # ids are never shortened


def test_catalog_search_and_show():
    out = dlp("catalog", "search", "1080 ti", "--json")
    found = json.loads(out.stdout)
    assert found and all("1080 ti" in (p["name"] + p.get("chipset", "")).lower() for p in found)
    one = dlp("catalog", "show", found[0]["id"], "--json")
    assert json.loads(one.stdout)["id"] == found[0]["id"]
    human = dlp("catalog", "show", found[0]["id"])
    assert human.returncode == 0 and "Sources:" in human.stdout
    # readable text: labels with units, no Python reprs or raw field names
    gpu = dlp("catalog", "show", "nvidia-geforce-rtx-3090-fe").stdout
    assert "VRAM              24 GB" in gpu and "TDP               350 W" in gpu
    assert "2 × PCIe 8-pin" in gpu and "{" not in gpu and "['" not in gpu and "vram_gb" not in gpu


def test_catalog_show_keeps_the_sourcing_record_for_who_asks():
    plain = dlp("catalog", "show", "evga-supernova-1300-g2")
    assert plain.returncode == 0
    assert "BuildCores OpenDB record" not in plain.stdout
    hint = "Sourcing notes: add --sourcing to read where each value came from."
    assert plain.stdout.rstrip().endswith(hint)
    full = dlp("catalog", "show", "evga-supernova-1300-g2", "--sourcing")
    head, _, record = full.stdout.partition("\nSourcing notes:\n")
    assert "Sources:" in head and "BuildCores OpenDB record" in " ".join(record.split())
    assert all(len(line) <= 100 for line in record.splitlines())
    data = json.loads(dlp("catalog", "show", "evga-supernova-1300-g2", "--json").stdout)
    assert "BuildCores OpenDB record" in data["sourcing_notes"]


def test_catalog_show_unknown_id():
    out = dlp("catalog", "show", "no-such-part")
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "no part with id" in out.stderr


def test_usage_error_is_one_line():
    out = dlp("catalog", "list", "--kind", "spaceship")
    assert out.returncode == 2 and out.stderr.count("\n") == 1


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("fmt", ["md", "csv"])
def test_export_every_example(example: Path, fmt: str, tmp_path: Path):
    target = tmp_path / f"list.{fmt}"
    out = dlp("export", str(example), "-o", str(target), "--format", fmt)
    assert out.returncode == 0, out.stderr
    text = target.read_text(encoding="utf-8-sig")
    if fmt == "md":
        assert text.startswith("# ") and "Grand total" in text and "| Type | Item |" in text
    else:
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0][:6] == ["Stage", "Month", "Type", "Item", "Part id", "Quantity"]
        assert any(r[3] in ("Total", "Grand total") for r in rows)


HOSTILE = {
    "malformed.dlbuild.yaml": "format: dlplanner-build\nitems: [\n",
    "aliases.dlbuild.yaml": "format: dlplanner-build\nformat_version: 1\na: &a [1,1]\nb: [*a,*a]\n",
    "python-tag.dlbuild.yaml": (
        "format: dlplanner-build\nformat_version: 1\n"
        "name: !!python/object/apply:os.system ['true']\n"
    ),
    "duplicate.dlbuild.yaml": "format: dlplanner-build\nformat_version: 1\nname: a\nname: b\n",
    "deep.dlbuild.yaml": (
        "format: dlplanner-build\nformat_version: 1\nnotes: " + "[" * 500 + "]" * 500 + "\n"
    ),
    "newer.dlbuild.yaml": "format: dlplanner-build\nformat_version: 99\nname: from the future\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_build_files_exit_2_with_one_line(name: str, tmp_path: Path):
    path = tmp_path / name
    path.write_text(HOSTILE[name])
    start = time.perf_counter()
    out = dlp("export", str(path), "-o", str(tmp_path / "x.md"))
    elapsed = time.perf_counter() - start
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert name in out.stderr
    assert not (tmp_path / "x.md").exists()
    assert elapsed < 5  # includes interpreter start-up; the refusal itself is milliseconds


def test_huge_build_file_exit_2(tmp_path: Path):
    path = tmp_path / "huge.dlbuild.yaml"
    path.write_text(
        "format: dlplanner-build\nformat_version: 1\nnotes: '" + "x" * (3 << 20) + "'\n"
    )
    out = dlp("export", str(path), "-o", str(tmp_path / "x.md"))
    assert out.returncode == 2 and "limit" in out.stderr and out.stderr.count("\n") == 1
