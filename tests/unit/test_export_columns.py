"""Every export line carries its price's date and kind in columns of their own, and a link.

Markdown, CSV and the HTML report are written to real files for every example and for a
build with unpriced parts, then read back: the date column holds only a date (or a launch
year), the kind column only street / launch / yours / no price, the link is the price's
source, and the parts without a price are named.
"""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dlplanner.domain.build import Build, BuildItem
from dlplanner.domain.prices import catalog_price
from dlplanner.io.buildfile import load_build
from dlplanner.io.catalog_files import load_catalog
from dlplanner.io.resources import example_builds
from dlplanner.report.export import export_text, source_host
from dlplanner.report.html import write_report_html
from dlplanner.report.prices import unpriced_headline
from dlplanner.report.shopping import shopping_list

CATALOG = load_catalog(user_dirs=[]).catalog
KINDS = {"street", "launch", "yours", "no price"}
DATE = re.compile(r"\d{4}(-\d\d-\d\d)?")
UNPRICED = [p for p in CATALOG if p.kind != "cloud" and not catalog_price(p).known][:2]
LAUNCH_YEAR = next(
    p
    for p in CATALOG
    if p.kind != "cloud" and catalog_price(p).is_launch and catalog_price(p).date is None
)
MIXED = Build(
    name="mixed prices",
    items=(
        *(BuildItem(part=p.id) for p in UNPRICED),
        BuildItem(part=LAUNCH_YEAR.id),
        BuildItem(part="amd-ryzen-9-9950x", price_usd=500.0),
    ),
)
BUILDS = {p.name: load_build(p) for p in example_builds()} | {"mixed": MIXED}


def _csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


@pytest.mark.parametrize("name", sorted(BUILDS))
def test_csv_has_date_kind_and_source_columns(name: str, tmp_path: Path):
    build = BUILDS[name]
    export_text(build, CATALOG, "csv", tmp_path / "list.csv")
    rows = [r for r in _csv_rows(tmp_path / "list.csv") if r["Part id"]]
    expected = [row for stage in shopping_list(build, CATALOG).stages for row in stage.rows]
    assert len(rows) == len(expected) > 0
    for row, want in zip(rows, expected, strict=True):
        assert row["Price kind"] in KINDS, row
        assert row["Price date"] == "" or DATE.fullmatch(row["Price date"]), row
        assert row["Where to buy / price source"] == want.source_url
        if row["Price kind"] == "no price":
            assert row["Unit price (USD)"] == "" and row["Line total (USD)"] == ""
        else:
            assert float(row["Unit price (USD)"]) > 0
        if row["Price kind"] in ("street", "launch"):
            assert row["Where to buy / price source"].startswith("https://"), row


def test_csv_kinds_follow_the_resolver(tmp_path: Path):
    export_text(MIXED, CATALOG, "csv", tmp_path / "list.csv")
    by_id = {r["Part id"]: r for r in _csv_rows(tmp_path / "list.csv") if r["Part id"]}
    for part in UNPRICED:
        assert by_id[part.id]["Price kind"] == "no price"
    launch = by_id[LAUNCH_YEAR.id]
    assert launch["Price kind"] == "launch"
    assert launch["Price date"] == str(catalog_price(LAUNCH_YEAR).year)
    mine = by_id["amd-ryzen-9-9950x"]
    assert (mine["Price kind"], mine["Unit price (USD)"], mine["Price date"]) == (
        "yours",
        "500.00",
        "",
    )


def _md_table_rows(text: str) -> list[list[str]]:
    rows = []
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith(("| Type", "| |")):
            rows.append([c.strip() for c in line.strip("|").split(" | ")])
    return rows


@pytest.mark.parametrize("name", sorted(BUILDS))
def test_markdown_has_date_kind_and_a_named_link(name: str, tmp_path: Path):
    build = BUILDS[name]
    export_text(build, CATALOG, "md", tmp_path / "list.md")
    text = (tmp_path / "list.md").read_text(encoding="utf-8")
    assert "| Price date | Price kind | Line total | Where to buy / price source |" in text
    expected = [row for stage in shopping_list(build, CATALOG).stages for row in stage.rows]
    rows = _md_table_rows(text)
    assert len(rows) == len(expected)
    for cells, want in zip(rows, expected, strict=True):
        date, kind, link = cells[4], cells[5], cells[7]
        assert kind in KINDS and (date == "—" or DATE.fullmatch(date)), cells
        if want.source_url:
            assert link == f"[{source_host(want.source_url)}]({want.source_url})"
        else:
            assert link == ""
    assert "Price kind: street, a shop's price on the date shown" in text


def test_unpriced_parts_are_named_in_markdown_and_html(tmp_path: Path):
    export_text(MIXED, CATALOG, "md", tmp_path / "list.md")
    write_report_html(MIXED, CATALOG, tmp_path / "report.html")
    md = (tmp_path / "list.md").read_text(encoding="utf-8")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    said = unpriced_headline(p.title for p in UNPRICED)
    assert said.startswith("2 parts have no price: the totals are low")
    assert all(p.title in said for p in UNPRICED)
    assert said in md and said in _text(html)
    assert "(2 parts without a price, not in the sum)" in _text(html)  # beside the totals


class _Cells(HTMLParser):
    """The text of each table cell and the links of the report."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self.links: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("td", "th"):
            self._cell = []
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.parametrize("name", sorted(BUILDS))
def test_html_report_has_date_and_kind_columns_and_a_link_per_priced_line(
    name: str, tmp_path: Path
):
    build = BUILDS[name]
    write_report_html(build, CATALOG, tmp_path / "report.html")
    parser = _Cells()
    parser.feed((tmp_path / "report.html").read_text(encoding="utf-8"))
    head = parser.cells.index("Price date")
    assert parser.cells[head + 1] == "Kind"
    rows = [row for stage in shopping_list(build, CATALOG).stages for row in stage.rows]
    # every Kind cell says a kind; no date cell carries one
    kinds = [c for c in parser.cells if c in KINDS]
    assert len(kinds) == len(rows)
    assert not any(c.startswith(("launch price", "your price")) for c in parser.cells)
    sources = [r.source_url for r in rows if r.source_url]
    assert [link for link in parser.links if link in sources] == sources
