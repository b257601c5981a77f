"""The one relative-throughput table: regenerated from Lambda's benchmark extract, used by both
gpu.yaml and cloud.yaml, pinned so a drifting value fails (no network: the extract is in
tests/data/throughput with its sources at commits)."""

from __future__ import annotations

import importlib.util
import sys

import pytest
import yaml

from tests.conftest import ROOT

_spec = importlib.util.spec_from_file_location("throughput", ROOT / "catalog/tools/throughput.py")
assert _spec and _spec.loader
tp = importlib.util.module_from_spec(_spec)
sys.modules["throughput"] = tp
_spec.loader.exec_module(tp)


@pytest.fixture(scope="module")
def rows():
    return tp.table(tp.load_extract())


def test_table_file_is_what_the_script_computes(rows):
    assert tp.read_table() == rows


def test_every_catalog_entry_uses_the_table(rows):
    names = tp.by_catalog_name(rows)
    used = set()
    for file, key in (("gpu.yaml", "chipset"), ("cloud.yaml", "gpu_model")):
        doc = yaml.safe_load((ROOT / "catalog" / file).read_text(encoding="utf-8"))
        for part in doc["parts"]:
            row = names.get(part[key])
            block = part.get("throughput")
            if row is None or block is None:
                continue
            used.add(row.gpu)
            got = (block["fp32"], block["mixed"], block["basis"], block["source"])
            assert got == (row.fp32, row.mixed, row.basis, row.source), part["id"]
    assert {"RTX 4090", "A100 40GB SXM4", "H100 NVL", "V100 PCIe", "A10G", "V100 SXM2"} <= used


def test_pinned_values(rows):
    by = {r.gpu: r for r in rows}
    # mixed over the five models where AMP ran (was 1.98 and 2.92 on seven models)
    assert (by["RTX 4090"].fp32, by["RTX 4090"].mixed) == (2.87, 1.68)
    assert (by["A100 80GB SXM4"].fp32, by["A100 80GB SXM4"].mixed) == (4.46, 2.36)
    assert by["H100 SXM5"].mixed == 4.51 and by["B200"].mixed == 6.56
    # the A4000's crashed waveglow run is out; v0 cards are on the v1 scale
    assert 0.55 <= by["RTX A4000"].mixed <= 0.65
    assert by["Quadro RTX 6000"].fp32 == 0.89
    # A100 40GB SXM4 from its raw v1 results, not the PCIe proxy
    assert by["A100 40GB SXM4"].fp32 == 3.69 and by["A100 40GB SXM4"].basis == "measured"
    assert by["V100 PCIe"].basis == "estimated" and by["H100 NVL"].basis == "estimated"
    assert by["V100 SXM2"].fp32 == by["V100 SXM2"].mixed == 1.0


def test_method_pieces():
    data = tp.load_extract()
    # one baseline: every v1 ratio is over the v1 V100 row
    assert tp.ratio(data, "v1", "fp32", tp.BASE["v1"], tp.MODELS) == pytest.approx(1.0)
    # the Turing bridge comes from the Quadro RTX 8000 alone; Pascal has none
    assert tp.bridge(data, "pascal", "fp32", tp.MODELS) == 1.0
    assert tp.bridge(data, "turing", "fp32", tp.MODELS) == pytest.approx(1.122, abs=0.001)
    assert set(tp.AMP_MODELS) < set(tp.MODELS) and "waveglow" not in tp.AMP_MODELS
    for (run, precision), (commit, _path) in tp.FILES.items():
        assert commit in tp.source_url(run, precision)


def test_extract_rows_name_their_source():
    text = (ROOT / "tests/data/throughput/lambda-pytorch-1gpu.csv").read_text(encoding="utf-8")
    body = [line for line in text.splitlines() if line and not line.startswith("#")][1:]
    assert body and all("github.com/lambdal/deeplearning-benchmark/" in line for line in body)
