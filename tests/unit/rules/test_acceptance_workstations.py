"""Issue 13's acceptance builds, on the shipped catalog and through the real command line.

- A Threadripper PRO WRX80 workstation as vendors ship it (two 260 W blower cards, a
  1000 W supply, a full tower): no error, and the CPU-lane check runs.
- Four RTX 3090s on one 1600 W supply and a 15 A, 120 V circuit: still an error.
- A Threadripper 7960X on a TRX50 board with four blower GPUs: the lane check runs (the
  board's slot map is partial: widths without positions); ``dlplanner cost`` names any
  unpriced part in its first lines.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from dlplanner.domain.build import Build, BuildItem, Site
from dlplanner.domain.prices import catalog_price
from dlplanner.io.buildfile import save_build
from dlplanner.io.catalog_files import load_catalog
from dlplanner.rules import Severity, Status, evaluate
from dlplanner.rules.context import build_contexts

CATALOG = load_catalog(user_dirs=[]).catalog


def build(*items: tuple[str, int], site: Site | None = None) -> Build:
    for pid, _ in items:
        assert pid in CATALOG, pid
    return Build(
        name="acceptance",
        items=tuple(BuildItem(part=p, qty=n) for p, n in items),
        site=site or Site(),
    )


TR_PRO_WRX80 = build(
    ("amd-ryzen-threadripper-pro-5975wx", 1),
    ("asus-pro-ws-wrx80e-sage-se-wifi", 1),
    ("crucial-256gb-8x32-ddr4-3200-rdimm", 1),
    ("nvidia-quadro-rtx-8000", 2),
    ("samsung-970-evo-1tb", 1),
    ("corsair-hx1000i-2022", 1),
    ("fractal-design-define-7-xl", 1),
    ("noctua-nh-u14s-tr4-sp3", 1),
)
QUAD_3090 = build(
    ("amd-ryzen-threadripper-pro-5975wx", 1),
    ("asus-pro-ws-wrx80e-sage-se-wifi", 1),
    ("crucial-256gb-8x32-ddr4-3200-rdimm", 1),
    ("gigabyte-geforce-rtx-3090-turbo-24g", 4),
    ("samsung-970-evo-1tb", 1),
    ("evga-supernova-1600-p2", 1),
    ("fractal-design-define-7-xl", 1),
    ("noctua-nh-u14s-tr4-sp3", 1),
    site=Site(volts=120, breaker_amps=15),
)
TR_7960X_TRX50 = build(
    ("amd-ryzen-threadripper-7960x", 1),
    ("asus-pro-ws-trx50-sage-wifi", 1),
    ("kingston-fury-renegade-pro-128gb-4x32-ddr5-6000-rdimm", 1),
    ("nvidia-rtx-a6000", 4),
    ("samsung-970-evo-1tb", 1),
    ("evga-supernova-1600-t2", 1),
    ("fractal-design-define-7-xl", 1),
    ("noctua-nh-u14s-tr5-sp6", 1),
)


def errors(b: Build) -> list[str]:
    return [
        f"{f.rule}: {f.message}"
        for f in evaluate(b, CATALOG).findings
        if f.status is Status.FAIL and f.severity is Severity.ERROR
    ]


def lane_check_ran(b: Build) -> bool:
    [ctx] = build_contexts(b, CATALOG, [0])
    found = [f for f in evaluate(b, CATALOG).findings if f.rule == "cpu-pcie-lanes"]
    return (
        ctx.cpu is not None
        and ctx.cpu.pcie_lanes_usable is not None
        and ctx.slots.known
        and all(f.status is Status.FAIL for f in found)
    )


def test_tr_pro_wrx80_workstation_has_no_error_and_its_lane_check_runs():
    assert errors(TR_PRO_WRX80) == []
    assert lane_check_ran(TR_PRO_WRX80)
    # the full tower's board list is partial: not knowing EEB is "not checked", not an error
    board_in_case = [
        f for f in evaluate(TR_PRO_WRX80, CATALOG).findings if f.rule == "case-motherboard"
    ]
    assert all(f.status is Status.UNKNOWN for f in board_in_case)


def test_quad_3090_on_one_1600w_supply_and_a_15a_circuit_still_errors():
    found = errors(QUAD_3090)
    assert any(line.startswith(("wall-circuit", "psu-wattage")) for line in found), found


def test_tr_7960x_trx50_four_blowers_runs_the_lane_check():
    assert lane_check_ran(TR_7960X_TRX50)
    [ctx] = build_contexts(TR_7960X_TRX50, CATALOG, [0])
    assert not ctx.slots.geometry_known  # a partial map: geometry stays unknown
    geometry = [
        f for f in evaluate(TR_7960X_TRX50, CATALOG).findings if f.rule == "gpu-slot-geometry"
    ]
    assert [f.status for f in geometry] == [Status.UNKNOWN]


def _dlp(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_DATA_HOME": str(home / "data")}
    return subprocess.run(
        [sys.executable, "-m", "dlplanner", *args],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip


def test_the_command_line_on_the_7960x_build(tmp_path: Path):
    path = tmp_path / "tr7960x.dlbuild.yaml"
    save_build(TR_7960X_TRX50, path)
    out = _dlp("check", str(path), "--json", home=tmp_path)
    assert out.returncode in (0, 1), out.stderr
    findings = json.loads(out.stdout)["findings"]
    assert not [f for f in findings if f["rule"] == "cpu-pcie-lanes" and f["status"] == "unknown"]
    unpriced = [
        CATALOG.get(i.part).title  # type: ignore[union-attr]
        for i in TR_7960X_TRX50.items
        if not catalog_price(CATALOG.get(i.part)).known
    ]
    out = _dlp("cost", str(path), home=tmp_path)
    assert out.returncode == 0, out.stderr
    head = "\n".join(out.stdout.splitlines()[:2])
    if unpriced:
        assert "no price" in head
        for title in unpriced:
            assert title in head
    else:
        assert "no price" not in out.stdout
