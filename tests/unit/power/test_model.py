"""The power model: efficiency curve, balancing, limits, peaks, and its monopoly on watts."""

from __future__ import annotations

import ast

import pytest

from dlplanner.domain.build import Build, BuildItem
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.parts import CpuPart, GpuPart, PsuPart
from dlplanner.domain.power import (
    efficiency_at,
    estimate_power,
    estimate_stage,
    generation,
    power_limit_problems,
    throughput_share,
)
from tests.conftest import ROOT
from tests.unit.rules.samples import CATALOG, variant


def test_efficiency_interpolates_the_80_plus_points():
    assert efficiency_at("platinum", 0.2) == pytest.approx(0.90)
    assert efficiency_at("platinum", 0.5) == pytest.approx(0.92)
    assert efficiency_at("platinum", 1.0) == pytest.approx(0.89)
    assert efficiency_at("platinum", 0.75) == pytest.approx(0.905)
    assert efficiency_at("gold", 0.35) == pytest.approx(0.885)
    assert efficiency_at("titanium", 0.05) == pytest.approx(0.92)  # held below 20 %
    assert efficiency_at("bronze", 1.3) == pytest.approx(0.82)  # held above 100 %
    assert efficiency_at(None, 0.5) is None


def test_throughput_curve():
    assert throughput_share(None, 350) == 1.0
    assert throughput_share(350, 350) == 1.0
    assert throughput_share(280, 350) == pytest.approx(0.97, abs=0.005)  # Puget: over 95 %
    assert throughput_share(230, 480) == pytest.approx(0.80)
    assert throughput_share(100, 480) == pytest.approx(0.80 * (100 / 480) / (230 / 480))


def test_generations():
    for pid, gen in (
        ("rtx-3090-turbo", "ampere"),
        ("rtx-4090-fe", "ada"),
        ("gtx-1080-ti-fe", "pascal"),
    ):
        gpu = CATALOG.get(pid)
        assert isinstance(gpu, GpuPart) and generation(gpu) == gen


def test_balancing_gives_largest_cards_to_the_emptiest_unit():
    card, unit, cpu = (CATALOG.get(p) for p in ("rtx-3090-turbo", "evga-1600-p2", "tr-1920x"))
    assert isinstance(card, GpuPart) and isinstance(unit, PsuPart) and isinstance(cpu, CpuPart)
    est = estimate_power(cpu, [card] * 4, [unit, unit])
    main, second = est.psus
    assert len(main.gpus) == 2 and len(second.gpus) == 2
    assert main.dc_w == 180 + 100 + 700 and second.dc_w == 700
    assert est.system_w == 1680 and est.total_w == 1580
    # a limit lowers the board power, the load and the peaks together
    limited = estimate_power(cpu, [card] * 4, [unit], [230] * 4)
    assert limited.gpu_w == 920 and limited.limited
    assert limited.psus[0].peak_w == pytest.approx(280 + 4 * 230 * 600 / 350)


def test_stage_power_follows_the_plan():
    build = Build(
        items=(
            BuildItem(part="tr-1920x"),
            BuildItem(part="gtx-1080-ti-fe"),
            BuildItem(part="evga-1600-p2"),
        ),
        plan=(),
    )
    est = estimate_stage(build, CATALOG, 0)
    assert est.system_w == 250 + 180 + 100
    # 530 W on 1600 W is 33 % load: 90.9 %, between Platinum's 90 % (20 %) and 92 % (50 %)
    assert est.wall_w == pytest.approx(530 / efficiency_at("platinum", 530 / 1600))
    assert efficiency_at("platinum", 530 / 1600) == pytest.approx(0.9088, abs=1e-4)


def test_limit_problems_against_the_catalog():
    card = variant("rtx-3090-turbo", "capped-3090", power_limit_min_w=100, power_limit_max_w=365)
    catalog = Catalog([*CATALOG, card])
    ok = Build(items=(BuildItem(part="capped-3090", power_limit_w=200),))
    assert power_limit_problems(ok, catalog) == []
    low = Build(items=(BuildItem(part="capped-3090", power_limit_w=90),))
    [line] = power_limit_problems(low, catalog)
    assert "below the 100 W minimum" in line
    high = Build(items=(BuildItem(part="capped-3090", power_limit_w=366),))
    [line] = power_limit_problems(high, catalog)
    assert "above 365 W, its maximum power limit" in line
    unknown = Build(items=(BuildItem(part="not-in-catalog", power_limit_w=5000 // 10),))
    assert power_limit_problems(unknown, catalog) == []


POWER_MODULES = {"dlplanner/domain/power.py", "dlplanner/domain/power_data.py"}


def _tdp_arithmetic(tree: ast.AST) -> list[int]:
    """Lines where a ``tdp_w`` attribute takes part in arithmetic (+ - * / and sums)."""
    lines = []
    for node in ast.walk(tree):
        operands: list[ast.AST] = []
        if isinstance(node, ast.BinOp):
            operands = [node.left, node.right]
        elif isinstance(node, ast.AugAssign):
            operands = [node.value, node.target]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "sum":
            operands = list(node.args)
        for operand in operands:
            if any(isinstance(n, ast.Attribute) and n.attr == "tdp_w" for n in ast.walk(operand)):
                lines.append(node.lineno)
                break
    return lines


def test_only_the_power_model_computes_watts():
    """Nothing outside the power model adds, scales or sums a ``tdp_w``."""
    offenders = []
    for path in sorted((ROOT / "dlplanner").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in POWER_MODULES:
            continue
        for line in _tdp_arithmetic(ast.parse(path.read_text(encoding="utf-8"))):
            offenders.append(f"{rel}:{line}")
    assert offenders == []


def test_the_scan_catches_tdp_arithmetic():
    tree = ast.parse("a = gpu.tdp_w * 2\nb = sum(g.tdp_w for g in gpus)\nc = gpu.tdp_w > 3\n")
    assert _tdp_arithmetic(tree) == [1, 2]


def test_cost_model_uses_limits_for_power_and_speed():
    from dlplanner.domain.machine import machine_from_build

    stock = Build(items=(BuildItem(part="tr-1920x"), BuildItem(part="rtx-3090-turbo", qty=4)))
    capped = stock.model_copy(
        update={"items": (stock.items[0], stock.items[1].model_copy(update={"power_limit_w": 280}))}
    )
    a, b = machine_from_build(stock, CATALOG), machine_from_build(capped, CATALOG)
    assert a.stages[0].tdp_w == 4 * 350 + 180 and b.stages[0].tdp_w == 4 * 280 + 180
    ratio = throughput_share(280, 350)
    if a.stages[0].fp32 is not None:
        assert b.stages[0].fp32 == pytest.approx(a.stages[0].fp32 * ratio)
    assert any("power limits" in n for n in b.notes) and not any(
        "power limits" in n for n in a.notes
    )
