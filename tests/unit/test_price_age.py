"""Price age: every compared cloud price and part price shows its age; old ones are marked."""

from __future__ import annotations

import datetime as dt

from dlplanner.domain.build import Build, BuildItem, CompareEntry
from dlplanner.domain.costs import compare_costs
from dlplanner.domain.price_age import (
    CLOUD_IMPORT_HINT,
    age_text,
    dated_text,
    is_stale,
    stale_note,
)
from dlplanner.io.catalog_files import load_catalog
from dlplanner.report.costs import format_text, to_json
from dlplanner.report.html import report_html

TODAY = dt.date(2026, 12, 7)


def test_age_words_and_the_six_month_line():
    assert age_text(TODAY, TODAY) == "today"
    assert age_text(dt.date(2026, 11, 30), TODAY) == "7 days"
    assert age_text(dt.date(2026, 5, 1), TODAY) == "7 months"
    assert age_text(dt.date(2017, 3, 16), TODAY) == "9.7 years"
    assert not is_stale(dt.date(2026, 6, 7), TODAY)  # 183 days: not yet
    assert is_stale(dt.date(2026, 6, 6), TODAY)
    assert not is_stale(None, TODAY)  # an undated price is unknown, not old
    assert dated_text(dt.date(2025, 5, 1), TODAY) == "2025-05-01 (19 months old) ⚠"
    assert dated_text(dt.date(2026, 11, 30), TODAY) == "2026-11-30 (7 days old)"


def test_cost_comparison_marks_old_cloud_prices():
    catalog = load_catalog(user_dirs=[]).catalog
    build = Build(
        items=(BuildItem(part="nvidia-geforce-rtx-4090-fe"),),
        compare=(CompareEntry(offer="aws-p2-xlarge"), CompareEntry(offer="aws-p3-2xlarge")),
    )
    comparison = compare_costs(build, catalog)
    fresh = {o.choice.offer.id: o.choice.offer for o in comparison.options}
    note = stale_note(fresh.values(), CLOUD_IMPORT_HINT, TODAY)
    assert note is not None and "aws-p2-xlarge (2017-03-16, 9.7 years old)" in note
    assert "aws-p3-2xlarge" not in note and "Import Prices" in note
    assert any("aws-p2-xlarge" in n and "older than six months" in n for n in comparison.notes)
    data = to_json(comparison, TODAY)
    p2 = next(o for o in data["cloud"] if o["offer"] == "aws-p2-xlarge")
    assert (p2["price_date"], p2["price_stale"]) == ("2017-03-16", True)
    assert p2["price_age_days"] == (TODAY - dt.date(2017, 3, 16)).days
    text = format_text(comparison, TODAY)
    assert "2017-03-16 (9.7 years) ⚠" in text and "priced" in text


def test_report_marks_old_part_prices_and_dates_user_prices():
    catalog = load_catalog(user_dirs=[]).catalog
    build = Build(
        items=(
            BuildItem(part="nvidia-geforce-gtx-1080-ti-fe"),  # catalog price dated 2022
            BuildItem(part="amd-ryzen-9-7950x", price_usd=549.0, price_date=dt.date(2024, 1, 15)),
            BuildItem(part="corsair-7000d-airflow", price_usd=150.0),
        )
    )
    html = report_html(build, catalog)
    assert "2022-06-30 (" in html and "⚠" in html
    assert "older than six months" in html and "PCPartPicker" in html
    assert "2024-01-15 (" in html  # the user's price, dated by their list
    assert "your price" in html  # an undated price of the user's own
