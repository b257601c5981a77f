"""The one money and date formatter, and the names every view shares."""

from __future__ import annotations

import datetime as dt

import pytest

from dlplanner.domain.build import Build, PlanStep
from dlplanner.report.format import date_text, unit_price, usd
from dlplanner.report.names import stage_name, stage_when, when_text


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (1234.5, 2, "$1,234.50"),
        (12000, 0, "$12,000"),
        (0.4567, 3, "$0.457"),
        (-5.5, 2, "-$5.50"),
        (-0.001, 2, "$0.00"),  # a rounding residue is not negative
        (-0.4, 0, "$0"),
        (None, 2, "—"),
        (float("nan"), 0, "—"),
        (float("inf"), 2, "—"),
    ],
)
def test_usd(value, digits, text):
    assert usd(value, digits) == text


def test_unit_price_keeps_significant_digits():
    assert unit_price(0.2) == "$0.20"
    assert unit_price(0.02375) == "$0.02375"


def test_date_text():
    assert date_text(dt.date(2026, 11, 27)) == "2026-11-27"
    assert date_text(None) == ""


def test_stage_names():
    assert stage_name(0, 0) == "Stage 0 (now)"
    assert stage_name(2, 9) == "Stage 2 (month 9)"
    assert when_text(0, 0) == "Now"
    assert when_text(9, 2) == "Month 9"
    b = Build(name="x", plan=(PlanStep(month=9),))
    assert stage_when(b, 0) == "now"
    assert stage_when(b, 1) == "month 9"
    assert stage_when(b, 2) == "stage 2"


def test_money_is_formatted_in_one_place():
    """Dollar amounts are written by report.format.usd(), not by format strings elsewhere."""
    import re
    from pathlib import Path

    import dlplanner

    root = Path(dlplanner.__file__).parent
    allowed = {
        root / "report" / "format.py",
        # the name the domain gives a custom offer ("Custom offer at $2.5/h"), below report
        root / "domain" / "cost_options.py",
    }
    dollar_format = re.compile(r"\$\{[^}]*\}")
    found = [
        f"{path.relative_to(root)}:{n}: {line.strip()}"
        for path in sorted(root.rglob("*.py"))
        if path not in allowed
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if dollar_format.search(line)
    ]
    assert not found, "\n".join(found)
