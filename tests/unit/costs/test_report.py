"""The JSON shape and the text table."""

from __future__ import annotations

import json

from dlplanner.domain.build import Assumptions
from dlplanner.domain.cloud import CloudChoice
from dlplanner.domain.costs import compare_machine
from dlplanner.domain.machine import quick_build
from dlplanner.domain.presets import ARTICLE_OFFERS, apply_preset
from dlplanner.report.costs import format_text, to_json
from tests.unit.costs.helpers import flat, offer


def article():
    a = apply_preset(Assumptions(), "article-2019")
    p3 = ARTICLE_OFFERS[0]
    choices = [CloudChoice(p3, plan) for plan in ("on-demand", "reserved-1y", "reserved-3y")]
    return compare_machine(quick_build(3000.0, 1), a, choices)


def test_json_shape():
    data = to_json(article())
    assert {"own", "cloud", "series", "assumptions"} <= set(data)
    assert {"value_usd", "cash_usd", "depreciation_usd", "electricity_usd", "purchase_usd"} <= set(
        data["own"]
    )
    required = {
        "offer",
        "plan",
        "total_usd",
        "ratio",
        "break_even_months",
        "break_even_utilization",
        "usd_per_gpu_hour",
    }
    assert len(data["cloud"]) == 3
    for entry in data["cloud"]:
        assert required <= set(entry)
    assert data["series"]["months"] == list(range(13))
    assert len(data["series"]["own_value"]) == len(data["series"]["own_cash"]) == 13
    assert set(data["series"]["cloud"]) == {
        "aws-p3-2xlarge:on-demand",
        "aws-p3-2xlarge:reserved-1y",
        "aws-p3-2xlarge:reserved-3y",
    }
    assert data["assumptions"]["preset"] == "article-2019"
    assert json.loads(json.dumps(data)) == data


def test_json_values_are_rounded_to_the_cent():
    data = to_json(article())
    assert data["own"]["value_usd"] == 2752.0
    first = data["cloud"][0]
    assert (first["offer"], first["plan"], first["total_usd"]) == (
        "aws-p3-2xlarge",
        "on-demand",
        26805.6,
    )
    assert first["ratio"] == 9.7404
    assert first["break_even_months"] == 1.437
    assert first["usd_per_gpu_hour"] == 3.06


def test_text_table_has_one_row_per_option():
    text = format_text(article())
    assert "$2,752.00 = depreciation $1,000.00 + electricity $1,752.00" in text
    rows = [line for line in text.splitlines() if line.startswith("aws-p3-2xlarge")]
    assert len(rows) == 3
    assert rows[0].split()[:9] == [
        "aws-p3-2xlarge",
        "on-demand",
        "$26,805.60",
        "9.74x",
        "month",
        "1.4",
        "<",
        "4.0%",
        "3.060",
    ]
    assert "6.33x" in rows[1] and "3.90x" in rows[2]
    header = next(line for line in text.splitlines() if line.startswith("offer"))
    for column in ("plan", "total", "ratio", "break-even", "b-e util", "$/GPU-h", "priced"):
        assert column in header
    date = article().options[0].choice.offer.price_date
    assert rows[0].split()[9] == date.isoformat()  # every compared price shows its date and age


def test_text_without_options_and_with_notes():
    result = compare_machine(
        quick_build(1000.0, 1), flat(), [CloudChoice(offer(price=1.0), "spot")]
    )
    text = format_text(result)
    assert "No cloud offers to compare" in text
    assert "note: cloud-a has no spot price: left out" in text


def test_never_breaking_even_reads_never():
    result = compare_machine(quick_build(3000.0, 1), flat(), [CloudChoice(offer(price=0.05))])
    row = next(line for line in format_text(result).splitlines() if line.startswith("cloud-a"))
    assert "never" in row
