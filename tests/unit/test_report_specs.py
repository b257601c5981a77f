"""A part's words for tooltips and the details pane, from the shipped catalog, without Qt."""

from __future__ import annotations

import pytest

from dlplanner.domain.catalog import Catalog
from dlplanner.io.catalog_files import load_catalog
from dlplanner.report.specs import (
    HIDE_SOURCING,
    SHOW_SOURCING,
    offer_details,
    offer_tooltip,
    part_details_html,
    part_tooltip,
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(user_dirs=[]).catalog


def test_part_details_are_labelled_with_units(catalog):
    html = part_tooltip(catalog.get("nvidia-geforce-rtx-3090-fe"))
    for label, value in (
        ("VRAM", "24 GB"),
        ("TDP", "350 W"),
        ("Slots", "3"),
        ("Cooler", "open-air"),
    ):
        assert f"<td>{label}</td><td>&nbsp;<b>{value}</b>" in html
    assert "launch price, 2020-09-24" in html and "Sources:" in html
    assert "vram_gb" not in html and "tdp_w" not in html and "{" not in html


def test_hover_tooltips_never_carry_the_sourcing_record(catalog):
    for part in catalog:
        if part.sourcing_notes:
            assert part.sourcing_notes not in part_tooltip(part)


def test_details_unfold_the_sourcing_notes_on_request(catalog):
    part = next(p for p in catalog if p.sourcing_notes)
    folded = part_details_html(part, show_sourcing=False)
    assert SHOW_SOURCING in folded and part.sourcing_notes not in folded
    unfolded = part_details_html(part, show_sourcing=True)
    assert HIDE_SOURCING in unfolded
    bare = next(p for p in catalog if not p.sourcing_notes)
    assert part_details_html(bare, show_sourcing=True) == part_tooltip(bare)


def test_offer_words_name_gpus_price_date_and_every_plan(catalog):
    offer = catalog.get("aws-p3-2xlarge")
    details = offer_details(offer)
    assert details.startswith("1× ") and "/h" in details
    tip = offer_tooltip(offer)
    assert tip.startswith(part_tooltip(offer))
    for plan in ("on-demand", "1-year", "3-year", "spot"):
        assert f"<td>{plan}</td>" in tip
