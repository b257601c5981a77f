"""BuildDocument is the one editor: plan, assumption and preset edits, costs published once."""

from __future__ import annotations

import dlplanner.ui.document as document_module
from dlplanner.domain.costs import CostComparison
from dlplanner.domain.presets import PRESETS
from dlplanner.ui.document import BuildDocument
from dlplanner.ui.printing import Report

GPU = "nvidia-geforce-rtx-4090-fe"


def test_costs_are_computed_once_per_change_and_published(document: BuildDocument, monkeypatch):
    calls = []
    real = document_module.compare_costs

    def counting(build, catalog):
        calls.append(build)
        return real(build, catalog)

    monkeypatch.setattr(document_module, "compare_costs", counting)
    published: list[CostComparison] = []
    document.costs_changed.connect(published.append)
    document.update_assumptions("Change utilization", utilization=0.5)
    assert len(calls) == 1 and len(published) == 1
    # the cost panel, printing and the report all read the one published comparison
    assert document.comparison is published[0]
    assert Report.of(document).comparison is published[0]
    assert published[0].assumptions.utilization == 0.5
    assert len(calls) == 1
    document.undo_stack.undo()
    assert len(calls) == 2 and published[-1].assumptions.utilization != 0.5


def test_costs_wait_until_someone_asks(document: BuildDocument, monkeypatch):
    calls = []
    monkeypatch.setattr(document_module, "compare_costs", lambda b, c: calls.append(b))
    document.add_parts([GPU])
    assert calls == []  # no listener, nobody read it: the Cost tab was never shown


def test_bad_assumptions_are_refused_not_raised(document: BuildDocument, qtbot):
    before = document.build
    with qtbot.waitSignal(document.edit_refused) as refused:
        assert not document.update_assumptions("Change utilization", utilization=7.0)
    assert "utilization" in refused.args[0]
    assert document.build is before


def test_apply_preset_is_one_undo_step(document: BuildDocument):
    name = next(n for n, p in PRESETS.items() if p.offers)
    assert document.apply_preset(name)
    assert document.build.assumptions.preset == name
    assert document.build.compare
    assert document.undo_stack.count() == 1


def test_plan_edits_select_their_stage(document: BuildDocument, qtbot):
    stages = len(document.build.plan)
    with qtbot.waitSignal(document.stage_edited) as edited:
        new = document.add_stage()
    assert edited.args == [new] and len(document.build.plan) == stages + 1
    moved = document.shift_stage(new, -1)
    document.shift_stage(moved, -1)
    assert document.undo_stack.count() == 2  # two moves of one stage merge
    assert document.add_parts_to_stage(new, [GPU, GPU]) == new
    assert document.remove_stage(new) == min(new, stages)
    assert len(document.build.plan) == stages
