"""The cost command: flags over assumptions, offer choice, errors as one-line ValueErrors."""

from __future__ import annotations

import argparse
import json

import pytest

from dlplanner.cli import main
from dlplanner.commands import cost as cost_command
from dlplanner.domain.build import Assumptions, BuildItem, CompareEntry
from dlplanner.domain.cost_options import (
    CostOptions,
    apply_options,
    compare_from_options,
    parse_plans,
)
from dlplanner.io.buildfile import save_build
from tests.unit.costs.helpers import build, catalog, cpu, gpu, offer

CLOUDY = offer("cloud-a", price=2.0, reserved_1y_discount=0.4, spot_usd_per_hour=0.5)


def test_flags_override_the_files_assumptions():
    base = Assumptions(months=24, electricity_usd_per_kwh=0.3, utilization=0.5)
    a = apply_options(base, CostOptions(months=12, utilization=0.25))
    assert (a.months, a.utilization, a.electricity_usd_per_kwh) == (12, 0.25, 0.3)


def test_a_preset_comes_first_then_the_flags():
    a = apply_options(
        Assumptions(), CostOptions(preset="article-2019", kwh_price=0.1, residual=0.2)
    )
    assert a.preset == "article-2019"
    assert a.months == 12
    assert a.electricity_usd_per_kwh == 0.1
    assert a.residual_fraction == 0.2
    given = apply_options(Assumptions(), CostOptions(preset="article-2019", power_kw=1.5))
    assert given.power_kw == 1.5 and given.power_kw_per_extra_gpu is None


def test_every_flag_reaches_its_assumption():
    options = CostOptions(
        power_kw=0.8,
        kwh_price=0.12,
        utilization=0.3,
        months=48,
        depreciation_years=4.0,
        residual=0.25,
        storage_gb=1000.0,
        storage_price=0.05,
        normalize="fp32",
    )
    a = apply_options(Assumptions(), options)
    assert (a.power_kw, a.electricity_usd_per_kwh, a.utilization, a.months) == (0.8, 0.12, 0.3, 48)
    assert (a.depreciation_years, a.residual_fraction) == (4.0, 0.25)
    assert (a.storage_gb, a.storage_usd_per_gb_month, a.normalize) == (1000.0, 0.05, "fp32")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (CostOptions(utilization=1.5), "--utilization"),
        (CostOptions(residual=-0.1), "--residual"),
        (CostOptions(months=0), "--months"),
        (CostOptions(kwh_price=-1.0), "--kwh-price"),
        (CostOptions(normalize="fp16"), "--normalize"),
        (CostOptions(preset="nope"), "unknown preset"),
    ],
)
def test_bad_flags_are_one_line_value_errors(options, message):
    with pytest.raises(ValueError, match=message) as info:
        apply_options(Assumptions(), options)
    assert "\n" not in str(info.value)


def test_plans_parse():
    assert parse_plans("on-demand, spot,,spot") == ("on-demand", "spot")
    with pytest.raises(ValueError, match="--plans: unknown plan 'hourly'"):
        parse_plans("on-demand,hourly")


def test_from_mapping_takes_argparse_namespaces():
    args = {
        "command": "cost",
        "file": None,
        "json": True,
        "build_cost": 1000.0,
        "cloud": None,
        "plans": "spot",
        "gpus": None,
    }
    options = CostOptions.from_mapping(args)
    assert options == CostOptions(build_cost=1000.0, plans=("spot",))


def test_without_a_file_the_flags_describe_the_machine():
    cat = catalog(gpu(), cpu(), CLOUDY)
    options = CostOptions(build_cost=2000.0, gpus=2, power_kw=1.0, cloud=("cloud-a",), months=12)
    result = compare_from_options(options, cat)
    assert result.own.purchase_usd == 2000.0
    assert [o.plan for o in result.options] == ["on-demand", "reserved-1y", "spot"]
    assert result.option("cloud-a", "on-demand").total_usd == pytest.approx(2.0 * 2 * 8760)


def test_a_custom_cloud_price_is_for_as_many_gpus_as_the_machine():
    result = compare_from_options(
        CostOptions(
            build_cost=2000.0,
            gpus=4,
            power_kw=1.0,
            cloud_price=8.0,
            months=12,
            plans=("on-demand", "spot"),
        ),
        catalog(),
    )
    assert result.option("custom", "on-demand").total_usd == pytest.approx(8.0 * 8760)
    assert any("custom has no spot price" in note for note in result.notes)


def test_plans_apply_to_the_builds_compare_entries():
    cat = catalog(gpu(), cpu(), CLOUDY)
    b = build([BuildItem(part="gpu-a")], months=12).model_copy(
        update={"compare": (CompareEntry(offer="cloud-a"), CompareEntry(offer="missing"))}
    )
    plain = compare_from_options(CostOptions(), cat, b)
    assert [o.plan for o in plain.options] == ["on-demand"]
    assert any("unknown cloud offer 'missing'" in n for n in plain.notes)
    replanned = compare_from_options(CostOptions(plans=("spot", "reserved-1y")), cat, b)
    assert [o.plan for o in replanned.options] == ["spot", "reserved-1y"]


@pytest.mark.parametrize(
    ("options", "with_build", "message"),
    [
        (CostOptions(), False, "give a build FILE or --build-cost"),
        (CostOptions(build_cost=1.0), True, "--build-cost and --gpus"),
        (CostOptions(gpus=2), True, "--build-cost and --gpus"),
        (CostOptions(build_cost=1.0, cloud=("nope",)), False, "--cloud: no cloud offer 'nope'"),
        (CostOptions(build_cost=1.0, cloud_price=0.0), False, "--cloud-price"),
        (CostOptions(build_cost=-5.0), False, "build cost"),
    ],
)
def test_bad_input_raises_value_error(options, with_build, message):
    b = build([BuildItem(part="gpu-a")]) if with_build else None
    with pytest.raises(ValueError, match=message):
        compare_from_options(options, catalog(), b)


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cost_command.add_arguments(parser)
    return parser.parse_args(argv)


def test_run_prints_json_with_a_given_catalog(capsys):
    args = _parse("--preset", "article-2019", "--build-cost", "4500", "--gpus", "4", "--json")
    assert cost_command.run(args, catalog(), None) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["own"]["value_usd"] == 5004.0
    assert [c["total_usd"] for c in data["cloud"]] == [107222.4, 69694.56, 42888.96]


def test_run_prints_the_table_for_a_build(capsys):
    cat = catalog(gpu(), cpu(), CLOUDY)
    b = build([BuildItem(part="gpu-a"), BuildItem(part="cpu-a")], months=6)
    args = _parse("--cloud", "cloud-a", "--plans", "on-demand", "--utilization", "0.5")
    assert cost_command.run(args, cat, b) == 0
    out = capsys.readouterr().out
    assert "Over 6 months at 50% utilization" in out
    assert "cloud-a" in out and "on-demand" in out


def test_through_the_cli_entry_point(capsys, tmp_path):
    assert main(["cost", "--preset", "article-2019", "--build-cost", "3000", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["cloud"][0]["offer"] == "aws-p3-2xlarge"
    assert data["cloud"][0]["total_usd"] == 26805.6

    assert main(["cost", "--build-cost", "3000", "--utilization", "2"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("dlplanner: error: --utilization") and err.count("\n") == 1

    path = save_build(
        build([BuildItem(part="no-such-part", price_usd=1000.0)]), tmp_path / "b.dlbuild.yaml"
    )
    assert main(["cost", str(path), "--months", "6", "--cloud-price", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["assumptions"]["months"] == 6
    assert main(["cost", str(path), "--build-cost", "10"]) == 2
    assert "--build-cost and --gpus" in capsys.readouterr().err
