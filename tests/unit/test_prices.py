"""The one price resolver: user price, dated price, launch MSRP; never $0 — and the headlines."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dlplanner.domain.build import Build, BuildItem
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.costs import compare_costs
from dlplanner.domain.parts import CpuPart
from dlplanner.domain.prices import catalog_price, resolve_price, typed_price
from dlplanner.io.buildfile import save_build
from dlplanner.io.catalog_files import load_catalog
from dlplanner.report.costs import format_text
from dlplanner.report.plan import totals_html
from dlplanner.report.prices import (
    price_date_text,
    price_label,
    unpriced_headline,
    unpriced_sentence,
)
from dlplanner.report.shopping import shopping_list

SRC = ["https://example.com/spec"]
SHIPPED = load_catalog(user_dirs=[]).catalog


def cpu(pid: str, **spec: object) -> CpuPart:
    return CpuPart.model_validate(
        {"id": pid, "brand": "AMD", "name": pid, "sources": SRC, "socket": "sTR5", **spec}
    )


STREET = cpu(
    "street", price_usd=1200, price_date="2025-07-23", price_source="https://example.com/p",
    launch_price_usd=1499, release_year=2023,
)  # fmt: skip
LAUNCH_ONLY = cpu("launch-only", launch_price_usd=1499, launch_date="2023-11-21")
YEAR_ONLY = cpu("year-only", launch_price_usd=999, release_year=2019)
MARKED = cpu("marked", price_usd=799, price_date="2017-08-10",
             price_source="https://example.com/p", price_kind="launch")  # fmt: skip
NONE = cpu("no-price")


def test_order_user_street_launch_none():
    assert resolve_price(1000.0, STREET).origin == "user"
    street = catalog_price(STREET)
    assert (street.usd, street.origin, street.date) == (1200, "street", dt.date(2025, 7, 23))
    launch = catalog_price(LAUNCH_ONLY)
    assert (launch.usd, launch.is_launch, launch.when) == (1499, True, "2023-11-21")
    assert price_label(launch) == "launch price, 2023-11-21"
    assert price_label(catalog_price(YEAR_ONLY)) == "launch price, 2019"
    assert catalog_price(MARKED).is_launch and price_label(catalog_price(MARKED)).endswith("10")
    missing = catalog_price(NONE)
    assert missing.usd is None and not missing.known and price_label(missing) == "no price"


def test_a_part_without_price_is_never_zero_and_totals_say_so():
    catalog = Catalog([STREET, LAUNCH_ONLY, NONE, *SHIPPED])
    build = Build(name="t", items=(BuildItem(part="launch-only"), BuildItem(part="no-price")))
    assert catalog.unit_price(BuildItem(part="no-price")) is None
    assert catalog.unit_price(BuildItem(part="launch-only")) == 1499
    rows = shopping_list(build, catalog).now.rows
    # date and kind in separate columns: the launch mark is the kind, not part of the date
    assert [r.date_text for r in rows] == ["2023-11-21", ""]
    assert [r.price_kind for r in rows] == ["launch", "no price"]
    assert shopping_list(build, catalog).now.total_usd == 1499
    comparison = compare_costs(build, catalog)
    assert comparison.unpriced == ("AMD no-price",)
    # the answer sentence first, then the caveat that qualifies it
    first = format_text(comparison).splitlines()[1]
    assert first == (
        "1 part has no price: the totals are low and building looks cheaper than it is "
        "(AMD no-price)."
    )


def test_sentences():
    assert unpriced_sentence(0) == "" and unpriced_headline([]) == ""
    assert unpriced_sentence(2).startswith("2 parts have no price: the totals are low")


def test_the_parts_list_dates_a_price_by_its_kind():
    launch = catalog_price(LAUNCH_ONLY)
    assert price_date_text(launch, short=True).startswith("launch 2023-11-21 (")
    assert price_date_text(launch).startswith("launch price, 2023-11-21 (")
    assert price_date_text(catalog_price(YEAR_ONLY)) == "launch price, 2019"
    assert price_date_text(catalog_price(NONE)) == "no price"
    assert price_date_text(resolve_price(1000.0, STREET)) == "your price"
    street = price_date_text(catalog_price(STREET), short=True)
    assert street.startswith("2025-07-23 (") and "old" not in street
    assert "old)" in price_date_text(catalog_price(STREET))


def test_a_typed_price_reads_dollars_and_clears_an_override():
    assert typed_price(" $1,234.50 ", None, 999.0) == 1234.5
    assert typed_price("", 800.0, 999.0) is None and typed_price("0", 800.0, None) is None
    assert typed_price("0", None, 999.0) == 0.0  # no override to clear: a free part
    assert typed_price("999.004", 800.0, 999.0) is None  # the catalog's price typed back
    for bad in ("", "abc", "-1", "1000001", "nan"):
        with pytest.raises(ValueError):
            typed_price(bad, None, 999.0)


def test_the_parts_tab_totals_say_what_has_no_price():
    catalog = Catalog([STREET, LAUNCH_ONLY, NONE, *SHIPPED])
    build = Build(items=(BuildItem(part="street", qty=2), BuildItem(part="no-price")))
    text = totals_html(build, catalog)
    assert text.startswith("<b>1 part has no price: the totals are low")
    assert "Total <b>$2,400.00</b> · 0 GPUs · est. " in text
    assert totals_html(Build(), catalog).startswith("Total <b>$0.00</b> · 0 GPUs")


def _unpriced_shipped_ids(n: int) -> list[str]:
    found = [p.id for p in SHIPPED if p.kind != "cloud" and not catalog_price(p).known]
    assert len(found) >= n
    return found[:n]


def test_dlplanner_cost_names_unpriced_parts_in_its_first_lines(tmp_path: Path):
    ids = _unpriced_shipped_ids(2)
    build = Build(name="unpriced", items=tuple(BuildItem(part=i) for i in ids))
    path = tmp_path / "b.dlbuild.yaml"
    save_build(build, path)
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    run = [sys.executable, "-m", "dlplanner", "cost", str(path)]
    out = subprocess.run(run, capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    first = out.stdout.splitlines()[1]
    assert first.startswith("2 parts have no price: the totals are low")
    for pid in ids:
        assert SHIPPED.get(pid).title in first  # type: ignore[union-attr]
    out = subprocess.run([*run, "--json"], capture_output=True, text=True, timeout=120, env=env)
    data = json.loads(out.stdout)
    assert len(data["unpriced"]) == 2
    assert data["unpriced_headline"].startswith("2 parts have no price")


def test_catalog_show_marks_a_launch_price():
    marked = next(p for p in SHIPPED if p.price_kind == "launch")
    out = subprocess.run(
        [sys.executable, "-m", "dlplanner", "catalog", "show", marked.id],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    price_line = next(line for line in out.stdout.splitlines() if line.startswith("Price "))
    assert "(launch price, " in price_line
