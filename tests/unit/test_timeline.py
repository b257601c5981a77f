"""The upgrade timeline's per-stage numbers and plan edits, checked by hand arithmetic."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlplanner.domain.build import Build, BuildItem, PlanStep, Site
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.parts import (
    CasePart,
    CpuPart,
    GpuPart,
    MemoryPart,
    MotherboardPart,
    PartBase,
    PcieSlot,
    PsuPart,
)
from dlplanner.domain.timeline import (
    MAX_MONTH,
    add_parts_to_step,
    insert_step,
    last_gpu_item,
    last_psu,
    move_lines,
    next_step,
    ordinal_label,
    remove_lines,
    remove_step,
    replace_step,
    shift_step,
    stage_summaries,
    swap_part,
)

SRC = ["https://example.com/spec"]


def _part(model: type[PartBase], pid: str, name: str, **spec: Any) -> PartBase:
    return model(id=pid, brand="Test", name=name, sources=SRC, **spec)


def small_catalog() -> Catalog:
    """A 65 W CPU, a four-slot board, a 1000 W gold PSU and a 250 W GPU, with round prices."""
    slots = [
        PcieSlot(name=f"PCIE{i}", position=2 * i - 1, physical_lanes=16, electrical_lanes=16,
                 source="cpu", pcie_gen=3)
        for i in range(1, 5)
    ]  # fmt: skip
    return Catalog([
        _part(CpuPart, "cpu-65", "CPU 65 W", socket="S1", tdp_w=65, price_usd=300,
              pcie_lanes_total=64, pcie_lanes_usable=64, memory_types=["DDR4"]),
        _part(MotherboardPart, "board-4x16", "Board", socket="S1", form_factor="E-ATX",
              memory_type="DDR4", memory_slots=8, pcie_slots=slots, price_usd=200),
        _part(MemoryPart, "ram-64", "RAM 64 GB", memory_type="DDR4", modules=4,
              module_size_gb=16),
        _part(PsuPart, "psu-1000", "PSU 1000 W", wattage_w=1000, efficiency="gold",
              price_usd=150),
        _part(PsuPart, "psu-1600", "PSU 1600 W", wattage_w=1600, efficiency="platinum",
              price_usd=400),
        _part(GpuPart, "gpu-250", "GPU 250 W", chipset="Test GPU", tdp_w=250, price_usd=700,
              slot_width=2, cooler="blower"),
        _part(GpuPart, "gpu-notdp", "GPU of unknown TDP", chipset="Test GPU 2"),
        _part(CasePart, "case-8", "Case", motherboard_form_factors=["E-ATX", "ATX"],
              expansion_slots=8, price_usd=100),
    ])  # fmt: skip


def small_build(plan_gpus: int = 3, psu: str = "psu-1000") -> Build:
    """One GPU now, then one more each at months 3, 6 and 12 (the last at $600)."""
    months = (3, 6, 12)[:plan_gpus]
    plan = tuple(
        PlanStep(month=m, label=ordinal_label(k + 2),
                 add=(BuildItem(part="gpu-250", price_usd=600 if m == 12 else None),))
        for k, m in enumerate(months)
    )  # fmt: skip
    items = tuple(
        BuildItem(part=p) for p in ("cpu-65", "board-4x16", "ram-64", psu, "gpu-250", "case-8")
    )
    return Build(items=items, plan=plan)


CATALOG = small_catalog()


# -- summaries -----------------------------------------------------------------------------


def test_stage_summaries_by_hand():
    rows = stage_summaries(small_build(), CATALOG)
    assert [r.index for r in rows] == [0, 1, 2, 3]
    assert [r.month for r in rows] == [0, 3, 6, 12]
    assert [r.label for r in rows] == ["Initial build", "Second GPU", "Third GPU", "Fourth GPU"]
    # 300 CPU + 200 board + 150 PSU + 700 GPU + 100 case; the memory has no price.
    assert rows[0].spend_usd == pytest.approx(1450)
    assert rows[0].unpriced == ("ram-64",)
    assert [r.spend_usd for r in rows[1:]] == pytest.approx([700, 700, 600])
    assert [r.cumulative_usd for r in rows] == pytest.approx([1450, 2150, 2850, 3450])
    assert [r.gpus for r in rows] == [1, 2, 3, 4]
    # 65 W CPU + n × 250 W + 100 W for the rest of the machine.
    assert [r.power_w for r in rows] == pytest.approx([415, 665, 915, 1165])
    assert all(r.psu_id == "psu-1000" and r.psu_w == 1000 for r in rows)
    assert rows[0].psu_efficiency == "gold"
    assert rows[0].parts_added == 6 and rows[3].parts_added == 1


def test_quantities_count_in_spend_power_and_gpus():
    build = small_build(0).model_copy(
        update={"plan": (PlanStep(month=6, add=(BuildItem(part="gpu-250", qty=3),)),)}
    )
    last = stage_summaries(build, CATALOG)[-1]
    assert last.spend_usd == pytest.approx(2100)
    assert last.gpus == 4
    assert last.power_w == pytest.approx(65 + 4 * 250 + 100)
    assert last.label == "Stage 1"


def test_unknown_parts_and_tdps_are_reported_not_counted():
    build = Build(
        items=(BuildItem(part="cpu-65"), BuildItem(part="no-such-part", qty=2)),
        plan=(PlanStep(month=3, add=(BuildItem(part="gpu-notdp"),)),),
    )
    rows = stage_summaries(build, CATALOG)
    assert rows[0].spend_usd == pytest.approx(300)
    assert rows[0].unpriced == ("no-such-part",)
    assert rows[1].unknown_tdp == ("gpu-notdp",)
    assert rows[1].gpus == 1
    assert rows[1].power_w == pytest.approx(165)
    assert rows[1].psu_id is None and rows[1].psu_w is None


def test_a_later_psu_replaces_the_first():
    build = small_build(1).model_copy(
        update={"plan": (PlanStep(month=3, add=(BuildItem(part="psu-1600"),)),)}
    )
    rows = stage_summaries(build, CATALOG)
    assert [r.psu_w for r in rows] == [1000, 1600]
    assert last_psu(build.stages()[1].items, CATALOG).id == "psu-1600"  # type: ignore[union-attr]


def test_an_empty_build_has_one_empty_stage():
    (row,) = stage_summaries(Build(), CATALOG)
    assert (row.spend_usd, row.gpus, row.power_w, row.psu_w) == (0, 0, 100, None)


def test_circuit_limit():
    assert Site().continuous_limit_w == pytest.approx(1440)
    assert Site(volts=230, breaker_amps=16, continuous_factor=1).continuous_limit_w == 3680


# -- a new stage ---------------------------------------------------------------------------


def test_next_step_adds_one_more_of_the_latest_gpu_three_months_on():
    step = next_step(small_build(), CATALOG)
    assert step.month == 15
    assert step.label == "Fifth GPU"
    assert step.add == (BuildItem(part="gpu-250", qty=1, price_usd=600),)


def test_next_step_without_a_plan_or_gpu():
    assert next_step(small_build(0), CATALOG) == PlanStep(
        month=3, label="Second GPU", add=(BuildItem(part="gpu-250"),)
    )
    assert next_step(Build(), CATALOG) == PlanStep(month=3, label="Stage 1")
    assert last_gpu_item(Build(), CATALOG) is None


def test_next_step_stays_within_the_last_month():
    build = Build(plan=(PlanStep(month=MAX_MONTH - 1),))
    assert next_step(build, CATALOG).month == MAX_MONTH


def test_ordinal_labels():
    assert ordinal_label(2) == "Second GPU"
    assert ordinal_label(10) == "Tenth GPU"
    assert ordinal_label(11) == "GPU 11"


# -- plan edits ----------------------------------------------------------------------------


def _months(plan: tuple[PlanStep, ...]) -> list[int]:
    return [s.month for s in plan]


def test_insert_keeps_month_order_and_returns_the_new_stage():
    plan = small_build().plan
    new, stage = insert_step(plan, PlanStep(month=4, label="x"))
    assert _months(new) == [3, 4, 6, 12] and stage == 2 and new[1].label == "x"
    new, stage = insert_step(plan, PlanStep(month=6, label="same month"))
    assert _months(new) == [3, 6, 6, 12] and stage == 3 and new[2].label == "same month"
    assert plan == small_build().plan  # never mutated


def test_replace_resorts_and_follows_the_step():
    plan = small_build().plan
    new, stage = replace_step(plan, 1, plan[0].model_copy(update={"month": 9}))
    assert _months(new) == [6, 9, 12] and stage == 2 and new[1].label == "Second GPU"


def test_remove():
    plan = small_build().plan
    assert [s.label for s in remove_step(plan, 2)] == ["Second GPU", "Fourth GPU"]
    with pytest.raises(IndexError):
        remove_step(plan, 0)
    with pytest.raises(IndexError):
        remove_step(plan, 4)


def test_shift_moves_past_neighbours_and_clamps():
    plan = small_build().plan
    new, stage = shift_step(plan, 1, 1)
    assert _months(new) == [4, 6, 12] and stage == 1
    new, stage = shift_step(plan, 1, 4)
    assert _months(new) == [6, 7, 12] and stage == 2 and new[1].label == "Second GPU"
    new, stage = shift_step(plan, 2, -3)  # meets stage 1's month: keeps its place
    assert _months(new) == [3, 3, 12] and stage == 2 and new[1].label == "Third GPU"
    new, _ = shift_step(plan, 1, -10)
    assert new[0].month == 0
    new, _ = shift_step(plan, 3, 1000)
    assert new[2].month == MAX_MONTH


def test_add_parts_stacks_gpus_and_adds_other_lines():
    step = PlanStep(month=3, add=(BuildItem(part="gpu-250", price_usd=650),))
    new = add_parts_to_step(step, ["gpu-250", "psu-1600", "psu-1600", "mystery"], CATALOG)
    assert new.add == (
        BuildItem(part="gpu-250", qty=2, price_usd=650),
        BuildItem(part="psu-1600"),
        BuildItem(part="psu-1600"),
        BuildItem(part="mystery"),
    )
    assert step.add == (BuildItem(part="gpu-250", price_usd=650),)


def test_line_edits_remove_move_and_swap():
    lines = tuple(BuildItem(part=p) for p in "abcde")

    def parts(items):
        return "".join(i.part for i in items)

    assert parts(remove_lines(lines, [3, 1, 1])) == "ace"
    assert remove_lines(lines, []) == lines
    assert parts(move_lines(lines, [0, 1], 4)) == "cdabe"  # dropped before "e"
    assert parts(move_lines(lines, [3], 0)) == "dabce"
    assert parts(move_lines(lines, [4, 2], 99)) == "abdce"  # past the end: appended
    plan = (PlanStep(month=3, add=(BuildItem(part="a", qty=2),)),)
    swapped = swap_part(Build(items=lines, plan=plan), "a", "z")
    assert parts(swapped.items) == "zbcde" and swapped.plan[0].add[0] == BuildItem(part="z", qty=2)


# -- properties ----------------------------------------------------------------------------

_step = st.builds(PlanStep, month=st.integers(0, MAX_MONTH), label=st.text(max_size=5))


@given(st.lists(_step, max_size=6), st.data())
def test_plan_edits_keep_months_in_order_and_find_their_step(steps, data):
    plan = tuple(sorted(steps, key=lambda s: s.month))
    new = data.draw(_step)
    inserted, at = insert_step(plan, new)
    assert _months(inserted) == sorted(_months(inserted))
    assert inserted[at - 1] is new and len(inserted) == len(plan) + 1
    if plan:
        stage = data.draw(st.integers(1, len(plan)))
        months = data.draw(st.integers(-300, 300))
        shifted, at = shift_step(plan, stage, months)
        assert _months(shifted) == sorted(_months(shifted))
        assert shifted[at - 1].month == max(0, min(MAX_MONTH, plan[stage - 1].month + months))
        assert shifted[at - 1].label == plan[stage - 1].label
        assert len(remove_step(plan, stage)) == len(plan) - 1
