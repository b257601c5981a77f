"""A CPU that draws more never makes a power supply pass that failed (the search relies on it).

The completion search carries a supply's verdict at the supply level from one CPU to every
CPU that draws at least as much (``CPU_POWER_NEVER_UNBLOCKS``, ``CPU_POWER_NEVER_UNWARNS``
in :mod:`dlplanner.completion.levels`). Here the real rule functions judge real parts of
the shipped catalog: every CPU with a known power (one per power figure), every supply of
850 W or more, several GPU sets (stock, power-limited, a planned stage), on a US and a
230 V circuit. Along the CPUs in power order, a rule's error never goes away, and (for
the rules that promise it) neither does its warning.
"""

from __future__ import annotations

import pytest

from dlplanner.completion.levels import (
    CPU_POWER_NEVER_UNBLOCKS,
    CPU_POWER_NEVER_UNWARNS,
    rule_findings,
)
from dlplanner.completion.runs import hard_blocking
from dlplanner.domain.build import Build, BuildItem, PlanStep, Site
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.parts import CpuPart, PsuPart
from dlplanner.domain.power import cpu_power_w
from dlplanner.rules.context import build_contexts
from dlplanner.rules.finding import Severity, Status
from dlplanner.rules.registry import REGISTRY

GPU_SETS = {
    "4 × RTX 3090 Turbo": ((BuildItem(part="asus-turbo-geforce-rtx-3090", qty=4),), ()),
    "4 × RTX 3090 Turbo at 280 W": (
        (BuildItem(part="asus-turbo-geforce-rtx-3090", qty=4, power_limit_w=280),),
        (),
    ),
    "2 × RTX 4090, a third planned": (
        (BuildItem(part="nvidia-geforce-rtx-4090-fe", qty=2),),
        (PlanStep(month=6, add=(BuildItem(part="nvidia-geforce-rtx-4090-fe"),)),),
    ),
    "1 × GTX 1080 Ti, three planned": (
        (BuildItem(part="nvidia-geforce-gtx-1080-ti-fe"),),
        (PlanStep(month=12, add=(BuildItem(part="nvidia-geforce-gtx-1080-ti-fe", qty=3),)),),
    ),
}
SITES = {"US 15 A": Site(), "230 V 10 A": Site(volts=230, breaker_amps=10)}


def _verdicts(build: Build, catalog: Catalog) -> dict[str, tuple[bool, bool]]:
    """Per rule of the supply level: (rules the build out, warns about it)."""
    contexts = build_contexts(build, catalog)
    out = {}
    for entry in REGISTRY.rules():
        if entry.id not in CPU_POWER_NEVER_UNBLOCKS:
            continue
        found = rule_findings(contexts, entry)  # as the search runs it
        blocked = any(hard_blocking(f) for f in found)
        warned = any(f.status is Status.FAIL and f.severity is Severity.WARNING for f in found)
        out[entry.id] = (blocked, warned)
    return out


def _cpus_by_power(catalog: Catalog) -> list[CpuPart]:
    by_power: dict[int, CpuPart] = {}
    for part in catalog.of_kind("cpu"):
        assert isinstance(part, CpuPart)
        if part.tdp_w:
            by_power.setdefault(cpu_power_w(part) or 0, part)
    return [by_power[w] for w in sorted(by_power)]


def test_the_rules_are_the_supply_level_rules_that_read_the_cpu():
    """Every rule named reads the CPU and the supply and no other chosen part."""
    for entry in REGISTRY.rules():
        if entry.id in CPU_POWER_NEVER_UNBLOCKS:
            assert entry.reads is not None
            assert {"cpu", "psu"} <= entry.reads
            assert not entry.reads & {"board", "case", "storage", "memory", "cooler"}


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("gpus", GPU_SETS)
def test_more_cpu_power_never_takes_a_finding_away(shipped, gpus, site):
    items, plan = GPU_SETS[gpus]
    cpus = _cpus_by_power(shipped)
    psus = [p for p in shipped.of_kind("psu") if isinstance(p, PsuPart) and p.wattage_w >= 850]
    assert len(cpus) >= 10 and len(psus) >= 10
    changes = 0
    for psu in psus:
        before: dict[str, tuple[bool, bool]] | None = None
        for cpu in cpus:
            build = Build(
                items=(*items, BuildItem(part=cpu.id), BuildItem(part=psu.id)),
                plan=plan,
                site=SITES[site],
            )
            now = _verdicts(build, shipped)
            if before is not None:
                for rule_id, (blocked, warned) in before.items():
                    more_blocked, more_warned = now[rule_id]
                    where = f"{rule_id}: {psu.id}, {cpu.id} ({cpu_power_w(cpu)} W)"
                    assert more_blocked or not blocked, where
                    if rule_id in CPU_POWER_NEVER_UNWARNS:
                        assert more_blocked or more_warned or not warned, where
            changes += now != before
            before = now
    assert changes > len(psus)  # the CPUs do move some verdicts: the test compares something


def test_psu_future_is_rightly_left_out_of_the_warnings(shipped):
    """With more CPU power, "fits now, not at the last stage" can turn into a wattage problem."""
    items, plan = GPU_SETS["2 × RTX 4090, a third planned"]
    cpus = _cpus_by_power(shipped)
    lost = False
    for psu in shipped.of_kind("psu"):
        warned_before = False
        for cpu in cpus:
            build = Build(items=(*items, BuildItem(part=cpu.id), BuildItem(part=psu.id)), plan=plan)
            _, warned = _verdicts(build, shipped)["psu-future"]
            lost = lost or (warned_before and not warned)
            warned_before = warned
    assert lost
