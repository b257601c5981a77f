"""format_text() and to_json()."""

from __future__ import annotations

import json

from dlplanner.report.findings import format_text, to_json
from dlplanner.rules import evaluate
from tests.unit.rules.samples import ACCEPTANCE, ARTICLE, CATALOG, make


def test_to_json_shape():
    data = to_json(evaluate(ACCEPTANCE, CATALOG))
    assert set(data) == {"findings", "not_checked", "summary"}
    for finding in data["findings"]:
        assert set(finding) == {"rule", "severity", "status", "message", "parts", "stage", "hint"}
        assert finding["severity"] in {"error", "warning", "info"}
        assert finding["status"] in {"fail", "unknown"}
        assert all(p in CATALOG for p in finding["parts"])
    assert data["summary"]["error"] >= 5 and data["summary"]["stages"] == 1
    assert json.loads(json.dumps(data)) == data


def test_to_json_keeps_unknown_ids():
    data = to_json(evaluate(make(extra=["no-such-part"]), CATALOG))
    [finding] = [f for f in data["findings"] if f["rule"] == "unknown-parts"]
    assert finding["parts"] == ["no-such-part"]
    assert (finding["status"], finding["severity"]) == ("fail", "error")


def test_format_text():
    text = format_text(evaluate(ACCEPTANCE, CATALOG), CATALOG)
    lines = text.splitlines()
    assert lines[0].startswith("Compatibility: Warning! These parts have potential incompat")
    assert lines[2].startswith("A. Error [")
    assert "   Fix: " in text and "   Parts: NVIDIA GeForce RTX 4090 Founders Edition" in text
    assert "Not checked:" in text and "  - RAM clearance" in text
    assert lines[-1].startswith("7 errors, 7 warnings, 2 notes over 1 stage")


def test_format_text_clean_and_notes():
    assert format_text(evaluate(make(), CATALOG), CATALOG).startswith(
        "Compatibility: No issues or incompatibilities found."
    )
    text = format_text(evaluate(ARTICLE, CATALOG), CATALOG)
    assert text.startswith("Compatibility: No problems, only notes. See details below.")
    assert "A. Note [ram-vs-vram] (from month 6, stage 2: Step 2)" in text


def test_format_text_names_unknown_parts():
    text = format_text(evaluate(make(extra=["no-such-part"]), CATALOG), CATALOG)
    assert "Error [unknown-parts]" in text
    assert "no-such-part (not in the catalog)" in text
    assert text.splitlines()[-1].startswith("1 error,")
