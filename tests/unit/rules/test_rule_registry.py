"""The registry, severities and findings."""

from __future__ import annotations

import re

import pytest

from dlplanner.rules import Finding, Severity, Status, all_rules, get_rule
from dlplanner.rules.finding import Reporter
from dlplanner.rules.registry import REGISTRY, DuplicateRuleError, Registry, rule


def _check(ctx, out):
    """Help text."""
    return ()


def test_registry_refuses_duplicate_ids():
    registry = Registry()
    registry.add("some-rule", "Some rule", Severity.INFO, _check)
    with pytest.raises(DuplicateRuleError, match="some-rule"):
        registry.add("some-rule", "Again", Severity.INFO, _check)


def test_shipped_registry_refuses_an_existing_id():
    count = len(REGISTRY)
    with pytest.raises(DuplicateRuleError):
        rule("psu-wattage", "Another PSU rule", Severity.ERROR)(_check)
    assert len(REGISTRY) == count


def test_registry_refuses_bad_ids_and_missing_help():
    registry = Registry()
    with pytest.raises(ValueError, match="kebab-case"):
        registry.add("PSU_WATTS", "x", Severity.INFO, _check)
    with pytest.raises(ValueError, match="docstring"):
        registry.add("no-doc", "x", Severity.INFO, lambda ctx, out: ())


EXPECTED = {
    "cpu-socket",
    "bios-minimum",
    "cooler-socket",
    "cooler-height",
    "cooler-capacity",
    "gpu-thickness",
    "gpu-maker-psu",
    "aio-radiator",
    "memory-type",
    "memory-slots",
    "memory-capacity",
    "memory-speed",
    "memory-ecc",
    "case-motherboard",
    "gpu-length",
    "psu-fit",
    "m2-slots",
    "lane-sharing",
    "sata-ports",
    "drive-bays",
    "eps-cables",
    "missing-parts",
    "no-graphics",
    "unknown-parts",
    "duplicate-parts",
    "cpu-pcie-lanes",
    "gpu-x16-slots",
    "gpu-slot-geometry",
    "case-expansion-slots",
    "three-slot-gpus",
    "gpu-cooling-stack",
    "open-air-position",
    "psu-wattage",
    "psu-future",
    "pcie-power-cables",
    "gpu-16pin-connector",
    "transient-spikes",
    "wall-circuit",
    "single-psu-limit",
    "power-limit-hint",
    "psu-balance",
    "ram-vs-vram",
    "cpu-cores",
    "nvme-storage",
    "mixed-gpus",
}


def test_every_rule_is_registered_with_help():
    rules = all_rules()
    assert {r.id for r in rules} == EXPECTED
    for entry in rules:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry.id)
        assert entry.title and entry.summary.endswith(".")
        assert len(entry.help.splitlines()) >= 3, entry.id  # why it matters, how to fix
        assert get_rule(entry.id) is entry
    with pytest.raises(KeyError):
        get_rule("no-such-rule")


def test_severity_order():
    assert Severity.ERROR > Severity.WARNING > Severity.INFO
    assert max([Severity.INFO, Severity.ERROR, Severity.WARNING]) is Severity.ERROR
    assert sorted(Severity, reverse=True) == [Severity.ERROR, Severity.WARNING, Severity.INFO]
    assert Severity.ERROR.value == "error" and Status.UNKNOWN.value == "unknown"


def test_severity_compares_by_rank_with_every_operator():
    """Guards against total_ordering, which on a StrEnum leaves str's alphabetical order."""
    import operator

    ops = (operator.lt, operator.le, operator.gt, operator.ge)
    for a in Severity:
        for b in Severity:
            assert [op(a, b) for op in ops] == [op(a.rank, b.rank) for op in ops], (a, b)


def test_findings_are_frozen_values():
    out = Reporter("psu-wattage", Severity.ERROR, 2)
    f = out.fail("m", parts=("a", "b", "a"), hint="h")
    assert f == Finding("psu-wattage", Severity.ERROR, Status.FAIL, "m", ("a", "b"), 2, "h")
    with pytest.raises(AttributeError):
        f.message = "x"  # type: ignore[misc]
    assert out.unknown("m", parts=(), hint="h").severity is Severity.WARNING
    for severity in (Severity.WARNING, Severity.INFO):
        unknown = Reporter("x", severity, 0).unknown("m", parts=(), hint="h")
        assert unknown.severity is Severity.INFO
