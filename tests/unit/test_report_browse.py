"""The catalog browser's words: counts, the no-match headline, hidden parts and why."""

from __future__ import annotations

from dlplanner.domain.compat import Fit, Verdict
from dlplanner.report.browse import (
    SHOW_ALL_HINT,
    TOOLTIP_REASONS,
    count_text,
    empty_text,
    hidden_matches_text,
    hidden_text,
    kind_plural,
    no_match_text,
    reasons,
    shown_text,
)
from dlplanner.rules.fit import Conflict

NO = Verdict(Fit.NO, "the full sentence")


def hidden(reason: str, value: str = "", n: int = 1) -> list[Conflict]:
    return [Conflict(reason, value, NO)] * n


def test_counts_and_the_no_match_headline_name_the_kind_in_the_plural():
    assert kind_plural("gpu") == "GPUs" and kind_plural("psu") == "power supplies"
    assert shown_text("gpu", 12, 40) == "12 of 40 GPUs"
    assert shown_text("case", 9, 9) == "9 cases"
    assert no_match_text("gpu", " xyz ") == "No GPUs match “xyz”"


def test_one_reason_names_the_hidden_parts_values():
    line, tip = hidden_text(hidden("not socket sTR5", "TR4", 35))
    assert line == "35 hidden: not socket sTR5 (TR4)"
    assert tip.startswith(
        "Hidden because they do not fit this build:\n35 × not socket sTR5: TR4 (35)"
    )
    assert tip.endswith(SHOW_ALL_HINT)


def test_many_values_are_cut_short_in_the_line_and_counted_in_the_tooltip():
    conflicts = (
        hidden("not socket TR4", "AM5", 8)
        + hidden("not socket TR4", "AM4", 7)
        + hidden("not socket TR4", "LGA1700", 6)
        + hidden("not socket TR4", "sTR5", 2)
    )
    line, tip = hidden_text(conflicts)
    assert line == "23 hidden: not socket TR4 (AM5, AM4, …)"
    assert "23 × not socket TR4: AM5 (8), AM4 (7), LGA1700 (6), sTR5 (2)" in tip


def test_the_most_common_reason_leads_and_the_others_are_counted():
    conflicts = hidden("not DDR5", "DDR4", 11) + hidden("not UDIMM", "RDIMM", 2)
    line, tip = hidden_text(conflicts)
    assert line == "13 hidden: not DDR5 (11) and 1 other reason"
    assert tip.index("11 × not DDR5") < tip.index("2 × not UDIMM: RDIMM (2)")
    assert [r for r, _n, _v in reasons(conflicts)] == ["not DDR5", "not UDIMM"]


def test_the_tooltip_lists_a_dozen_reasons_and_counts_the_rest():
    conflicts = [c for i in range(TOOLTIP_REASONS + 3) for c in hidden(f"reason {i:02}")]
    _line, tip = hidden_text(conflicts)
    assert "reason 11" in tip and "reason 12" not in tip
    assert "… 3 more reasons (3 parts)" in tip


def test_nothing_hidden_says_nothing():
    assert hidden_text([]) == ("", "")
    assert hidden_matches_text([]) == ""


def test_matches_the_filter_hides_say_why():
    assert hidden_matches_text(hidden("not socket TR4", "AM5")) == (
        "1 that matches is hidden: not socket TR4 (AM5)"
    )
    assert hidden_matches_text(hidden("longer than the case's 322 mm", n=3)) == (
        "3 that match are hidden: longer than the case's 322 mm"
    )


def test_the_count_line_and_the_empty_state():
    socket = hidden("not socket sTR5", "TR4", 3)
    assert count_text("gpu", 12, 40, "", []) == ("12 of 40 GPUs", "")
    text, tip = count_text("cpu", 2, 5, "amd", socket)
    assert text == "2 of 5 CPUs · 3 hidden: not socket sTR5 (TR4)" and tip.endswith(SHOW_ALL_HINT)
    # the empty state names the search; the line under it only counts (said once, not twice)
    assert count_text("cpu", 0, 5, "xyz", [])[0] == "0 of 5 CPUs"
    assert empty_text("cpu", "xyz", socket, []) == (
        "No CPUs match “xyz”",
        "Check the spelling, or try fewer words.",
    )
    assert empty_text("cpu", "tr4", socket, socket[:1])[1] == (
        "1 that matches is hidden: not socket sTR5 (TR4)"
    )
    assert empty_text("cpu", "", socket, []) == (
        "No CPUs fit this build",
        "3 hidden: not socket sTR5 (TR4)",
    )
    assert empty_text("case", "", [], []) == ("The catalog has no cases", "")
