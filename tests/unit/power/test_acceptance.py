"""Issue 14's "done when": four RTX 3090 Turbos, a 165 W Xeon, 1600 W Platinum, 120 V / 15 A.

Real shipped catalog, real build files on disk, the real command line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dlplanner.domain.build import Build, BuildItem, PlanStep, Site
from dlplanner.domain.catalog import Catalog
from dlplanner.io.buildfile import load_build, save_build
from dlplanner.io.catalog_files import load_catalog
from dlplanner.rules import Severity, Status, evaluate

GPU = "gigabyte-geforce-rtx-3090-turbo-24g"
CPU = "intel-xeon-w-2275"
PSU = "evga-supernova-1600-p2"  # 80 PLUS Platinum, 1600 W
POWER_RULES = {"psu-wattage", "single-psu-limit", "wall-circuit", "transient-spikes"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog().catalog


def quad(limit: int | None = None, psus: int = 1, circuits: int = 1) -> Build:
    return Build(
        name="Quad RTX 3090 Turbo",
        items=(
            BuildItem(part=CPU),
            BuildItem(part=GPU, qty=4, power_limit_w=limit),
            BuildItem(part=PSU, qty=psus),
        ),
        site=Site(volts=120, breaker_amps=15, circuits=circuits),
    )


def power_findings(build: Build, catalog: Catalog) -> dict[str, list]:
    found: dict[str, list] = {}
    for f in evaluate(build, catalog).findings:
        if f.rule in POWER_RULES | {"power-limit-hint", "psu-balance"}:
            found.setdefault(f.rule, []).append(f)
    return found


def test_stock_power_is_an_error(catalog: Catalog):
    found = power_findings(quad(), catalog)
    errors = [
        f for rule in POWER_RULES for f in found.get(rule, []) if f.severity is Severity.ERROR
    ]
    assert errors, found
    [wall] = found["wall-circuit"]
    # 1665 W DC on one 1600 W unit (104 % load, 89 % Platinum) = 1871 W > 1800 W breaker
    assert wall.severity is Severity.ERROR and "1871 W" in wall.message
    [hint] = found["power-limit-hint"]
    assert "to 255 W" in hint.message and "nvidia-smi -pl 255" in hint.hint


def test_power_limit_230_clears_every_power_error(catalog: Catalog):
    found = power_findings(quad(limit=230), catalog)
    errors = [
        f
        for rule in POWER_RULES
        for f in found.get(rule, [])
        if f.severity is Severity.ERROR and f.status is Status.FAIL
    ]
    assert errors == []
    assert "wall-circuit" not in found and "psu-wattage" not in found
    assert "power-limit-hint" not in found


def test_two_units_at_stock_have_no_capacity_finding(catalog: Catalog):
    found = power_findings(quad(psus=2), catalog)
    assert "psu-wattage" not in found and "single-psu-limit" not in found
    assert "transient-spikes" not in found
    [balance] = found["psu-balance"]
    assert "unit 1 of 2" in balance.message.lower() and "unit 2 of 2" in balance.message
    assert "sync adapter" in balance.hint
    # both units on one circuit: 1056 W + 764 W at the wall is over the 1800 W breaker
    [wall] = found["wall-circuit"]
    assert wall.severity is Severity.ERROR
    # ... and on two circuits each unit is under the 1440 W continuous limit
    assert "wall-circuit" not in power_findings(quad(psus=2, circuits=2), catalog)


def test_two_psu_lines_are_two_units(catalog: Catalog):
    build = quad().model_copy(
        update={"items": (*quad().items, BuildItem(part="seasonic-prime-px-1600"))}
    )
    found = power_findings(build, catalog)
    assert "psu-wattage" not in found and "psu-balance" in found


def test_round_trip_keeps_limits_and_circuits(tmp_path: Path):
    build = quad(limit=230, psus=2, circuits=2)
    path = save_build(build, tmp_path / "quad.dlbuild.yaml")
    text = path.read_text()
    assert "power_limit_w: 230" in text and "circuits: 2" in text and "format_version: 2" in text
    assert load_build(path) == build


def test_version_1_file_migrates(tmp_path: Path):
    path = tmp_path / "old.dlbuild.yaml"
    path.write_text(
        "format: dlplanner-build\nformat_version: 1\nname: old\n"
        f"items:\n  - part: {GPU}\n    qty: 4\nsite:\n  volts: 120\n"
    )
    build = load_build(path)
    assert build.items[0].power_limit_w is None and build.site.circuits == 1
    saved = save_build(build, tmp_path / "new.dlbuild.yaml").read_text()
    assert "format_version: 2" in saved


def dlp(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dlplanner", *args], capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        ("0", "greater than 0"),
        ("-50", "greater than 0"),
        ("2000", "less than or equal to 1200"),
        ("yes", "not true or false"),
        ("two hundred", "valid integer"),
        ("400", "above 375 W, what its power sockets and slot deliver"),
    ],
)
def test_bad_limits_exit_2_with_one_line(tmp_path: Path, limit: str, expected: str):
    path = tmp_path / "bad.dlbuild.yaml"
    path.write_text(
        "format: dlplanner-build\nformat_version: 2\nname: bad\n"
        f"items:\n  - part: {GPU}\n    qty: 4\n    power_limit_w: {limit}\n"
    )
    out = dlp("check", str(path), "--json")
    assert out.returncode == 2, out.stdout
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], lines


def test_limit_on_a_cpu_line_is_refused(tmp_path: Path):
    path = tmp_path / "cpu.dlbuild.yaml"
    path.write_text(
        "format: dlplanner-build\nformat_version: 2\n"
        f"items:\n  - part: {CPU}\n    power_limit_w: 100\n"
    )
    out = dlp("check", str(path))
    assert out.returncode == 2 and "only GPU lines" in out.stderr


def test_cli_check_at_230_w(tmp_path: Path):
    path = save_build(quad(limit=230), tmp_path / "ok.dlbuild.yaml")
    out = dlp("check", str(path), "--json")
    rules = {f["rule"]: f for f in json.loads(out.stdout)["findings"]}
    assert "wall-circuit" not in rules and "psu-wattage" not in rules


def test_every_view_shows_the_same_numbers(catalog: Catalog):
    """Timeline, findings and the power model agree for each stage (one model, one number)."""
    from dlplanner.domain.power import estimate_stage
    from dlplanner.domain.timeline import stage_summaries

    build = quad().model_copy(
        update={
            "items": (*quad().items[:1], BuildItem(part=GPU, qty=2), quad().items[2]),
            "plan": (PlanStep(month=3, add=(BuildItem(part=GPU, qty=2),)),),
        }
    )
    summaries = stage_summaries(build, catalog)
    evaluation = evaluate(build, catalog)
    for stage in (0, 1):
        est = estimate_stage(build, catalog, stage)
        assert summaries[stage].power_w == est.system_w
        assert summaries[stage].wall_w == pytest.approx(est.wall_w)
    [wall] = [f for f in evaluation.findings if f.rule == "wall-circuit"]
    assert wall.stage == 1 and f"{round(summaries[1].wall_w)} W" in wall.message
    assert f"{round(summaries[1].power_w)} W DC" in wall.message


def test_published_turbo_power_counts(catalog: Catalog):
    from dlplanner.domain.parts import CpuPart
    from dlplanner.domain.power import cpu_power_w

    cpu = catalog.get("intel-xeon-w9-3495x")
    assert isinstance(cpu, CpuPart) and cpu.tdp_w == 350 and cpu_power_w(cpu) == 420
    assert cpu_power_w(catalog.get(CPU)) == 165  # type: ignore[arg-type]


def test_a_power_finding_of_stage_n_says_what_stage_n_says(catalog: Catalog):
    """Growing from two cards to four (one at a limit), then two supplies: stage-honest."""
    build = Build(
        items=(
            BuildItem(part=CPU),
            BuildItem(part=GPU, qty=2),
            BuildItem(part=PSU),
        ),
        plan=(
            PlanStep(month=3, add=(BuildItem(part=GPU, power_limit_w=230),)),
            PlanStep(month=6, add=(BuildItem(part=GPU),)),
            PlanStep(month=9, add=(BuildItem(part=PSU, qty=2),)),
        ),
    )
    rules = POWER_RULES | {"power-limit-hint", "psu-balance", "pcie-power-cables"}
    whole = [f for f in evaluate(build, catalog).findings if f.rule in rules]
    assert {f.rule for f in whole} >= {"wall-circuit", "transient-spikes", "psu-balance"}
    for finding in whole:
        alone = evaluate(build, catalog, stage=finding.stage).findings
        assert any(
            (g.rule, g.severity, g.message) == (finding.rule, finding.severity, finding.message)
            for g in alone
        ), finding
