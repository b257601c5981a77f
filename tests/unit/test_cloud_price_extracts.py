"""The shipped cloud prices are what their source files say: re-importing changes nothing.

``catalog/tools/price_extracts/`` keeps the rows of SkyPilot's vms.csv files that the
shipped offers were refreshed from (``catalog/tools/apply_prices.py``). Planning each extract
again against the shipped catalog, with the same date and source, must leave every offer that
cites it unchanged: a hand edit of a price, a spot price or a date fails here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dlplanner.domain.parts import CloudOffer
from dlplanner.domain.price_import import closest_sibling, plan_skypilot
from dlplanner.io.catalog_files import load_catalog
from dlplanner.io.price_files import read_price_file

EXTRACTS = Path(__file__).resolve().parents[2] / "catalog" / "tools" / "price_extracts"
SKY = "https://github.com/skypilot-org/skypilot-catalog/blob/{}/catalogs/{}/vms.csv"
V9_REFRESH = "2c3d7ea7d76bf84cf80d382e946c1609571485fd"
V9_OPENED = "a5be53865774cac59df537ba1842e45ffc8be722"
RUNPOD_V8 = "01acdfd419ce5afae1289ff14825b893ced0c196"

CASES = {
    "lambda-v9-2c3d7ea7.csv": ("lambda", dt.date(2026, 7, 9), SKY.format(V9_REFRESH, "v9/lambda")),
    "aws-v9-2c3d7ea7.csv": ("aws", dt.date(2026, 7, 9), SKY.format(V9_REFRESH, "v9/aws")),
    "vast-v9-a5be5386.csv": ("vast", dt.date(2026, 7, 9), SKY.format(V9_OPENED, "v9/vast")),
    "gcp-v9-2c3d7ea7.csv": ("gcp", dt.date(2026, 7, 9), SKY.format(V9_REFRESH, "v9/gcp")),
    "runpod-v8-01acdfd4.csv": ("runpod", dt.date(2026, 7, 9), SKY.format(RUNPOD_V8, "v8/runpod")),
}

SHIPPED = load_catalog(user_dirs=[], cache=False).catalog
OFFERS = [p for p in SHIPPED.of_kind("cloud") if isinstance(p, CloudOffer)]


@pytest.mark.parametrize("name", sorted(CASES))
def test_reimporting_an_extract_changes_nothing(name):
    provider, date, source = CASES[name]
    rows = read_price_file(EXTRACTS / name, provider).vm_rows
    plan = plan_skypilot(SHIPPED, rows, provider, date, source, add_new=False)
    citing = [o.id for o in OFFERS if o.price_source == source]
    assert citing, f"no shipped offer cites {source}"
    changed = {c.id: c for c in plan.changes}
    for offer_id in citing:
        assert offer_id not in changed, (
            f"{offer_id}: shipped {changed[offer_id].old_price}/{changed[offer_id].old_spot} "
            f"but {name} says {changed[offer_id].new_price}/{changed[offer_id].new_spot}"
        )
        assert offer_id in plan.unchanged


def test_every_extract_is_cited():
    assert {p.name for p in EXTRACTS.glob("*.csv")} <= set(CASES)


def test_a_new_offer_takes_the_gpu_of_the_closest_instance_name():
    pcie = next(o for o in OFFERS if o.id == "lambda-gpu-1x-h100-pcie")
    sxm = next(o for o in OFFERS if o.id == "lambda-gpu-1x-h100-sxm5")
    assert closest_sibling("gpu_2x_h100_sxm5", [pcie, sxm]) is sxm
    assert closest_sibling("gpu_2x_h100_pcie", [sxm, pcie]) is pcie
    assert closest_sibling("gpu_2x_h100_sxm5", []) is None
