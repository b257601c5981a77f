"""The parts list's cells and tips, built without Qt (report.plan)."""

from __future__ import annotations

import datetime as dt

import pytest

from dlplanner.domain.build import BuildItem
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.price_age import PART_IMPORT_HINT
from dlplanner.io.catalog_files import load_catalog
from dlplanner.report.plan import (
    COL_DATE,
    COL_LIMIT,
    COL_PART,
    COL_POWER,
    COL_PRICE,
    COL_QTY,
    COL_TOTAL,
    COL_TYPE,
    HEADERS,
    line_cell,
    stale_price_tip,
    unknown_part_tip,
)

GPU = "nvidia-geforce-rtx-3090-fe"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(user_dirs=[]).catalog


def test_a_gpu_line_in_every_column(catalog):
    line = BuildItem(part=GPU, qty=2, price_usd=700.0, price_date=dt.date(2025, 1, 2))
    cells = [line_cell(line, col, catalog) for col in range(len(HEADERS))]
    assert cells[COL_TYPE] == "GPU" and cells[COL_PART] == catalog.get(GPU).title
    assert cells[COL_QTY] == 2 and cells[COL_PRICE] == "$700.00" and cells[COL_TOTAL] == "$1,400.00"
    assert str(cells[COL_DATE]).startswith("2025-01-02 (")
    assert cells[COL_POWER] == "700 W" and cells[COL_LIMIT] == "stock"
    limited = line.model_copy(update={"power_limit_w": 280})
    assert line_cell(limited, COL_LIMIT, catalog) == "280 W"


def test_an_unknown_part_is_kept_and_said_so(catalog):
    line = BuildItem(part="no-such-part")
    assert line_cell(line, COL_TYPE, catalog) == "Unknown"
    assert line_cell(line, COL_PART, catalog) == "no-such-part (not in the catalog)"
    assert line_cell(line, COL_PRICE, catalog) == "no price (F2)"
    assert line_cell(line, COL_TOTAL, catalog) == "—" and line_cell(line, COL_LIMIT, catalog) == ""
    assert unknown_part_tip("no-such-part").startswith("'no-such-part' is not in the catalog.")


def test_an_old_price_says_how_to_renew_it(catalog):
    price = catalog.price(BuildItem(part=GPU))
    tip = stale_price_tip(price)
    assert tip.startswith("launch price, 2020-09-24 (") and tip.endswith(PART_IMPORT_HINT)
