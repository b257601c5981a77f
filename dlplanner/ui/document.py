"""BuildDocument: the one editor of the build; owns its undo stack, path, findings and costs."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QMetaMethod, QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from dlplanner.domain.build import Assumptions, Build, CompareEntry, PlanStep, Site
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.costs import CostComparison, compare_costs
from dlplanner.domain.parts import PartBase
from dlplanner.domain.power import limit_build
from dlplanner.domain.presets import with_preset
from dlplanner.domain.timeline import (
    add_parts_to_step,
    add_stacked,
    insert_step,
    move_lines,
    next_step,
    remove_lines,
    remove_step,
    replace_step,
    shift_step,
    sort_plan,
    swap_part,
)
from dlplanner.io.buildfile import load_build_identified, write_build
from dlplanner.io.identity import FileIdentity, current_identity, resolved
from dlplanner.io.yamlsafe import BUILD_MAX_BYTES
from dlplanner.report.names import part_name
from dlplanner.rules.engine import Evaluation, evaluate


class _SnapshotCommand(QUndoCommand):
    """An edit as a pair of frozen builds: undo restores ``before``, redo sets ``after``."""

    def __init__(self, doc: BuildDocument, before: Build, after: Build, text: str, merge_key: str):
        super().__init__(text)
        self._doc = doc
        self.before = before
        self.after = after
        self.merge_key = merge_key

    def redo(self) -> None:
        self._doc._set_build(self.after)

    def undo(self) -> None:
        self._doc._set_build(self.before)

    def id(self) -> int:
        # Qt merges consecutive commands with the same non-negative id.
        return 1 if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, _SnapshotCommand) or other.merge_key != self.merge_key:
            return False
        self.after = other.after
        return True


class BuildDocument(QObject):
    """The one owner and the one editor of the current build.

    Every edit is an undoable command validated as a whole build (:meth:`apply`); every
    change emits. Panels and item models call the edit methods and redraw from the signals.
    """

    build_changed = Signal(object)
    """The new :class:`Build`."""
    findings_changed = Signal(object)
    """The new :class:`Evaluation`."""
    costs_changed = Signal(object)
    """The new :class:`CostComparison` (computed only when something listens or reads it)."""
    stage_edited = Signal(int)
    """A plan edit touched this stage (0 is the build today): views select it."""
    dirty_changed = Signal(bool)
    path_changed = Signal(object)
    """The new file path, or None."""
    highlight_changed = Signal(object)
    """A tuple of part ids to highlight in the parts list (from a selected finding)."""
    saved = Signal()
    """The build was written to its file (the file watcher ignores the change)."""
    edit_refused = Signal(str)
    """An edit would make a build that cannot be saved and opened again; the reason."""
    catalog_changed = Signal(object)
    """The catalog was replaced (prices imported, a value filled in); the new catalog."""

    def __init__(
        self,
        catalog: Catalog,
        build: Build | None = None,
        path: Path | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.catalog = catalog
        self._build = build or Build()
        self._path: Path | None = None
        self._target: Path | None = None
        self._identity: FileIdentity | None = None
        self._set_file(path, None)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        self._evaluation = evaluate(self._build, catalog)
        self._comparison: CostComparison | None = None

    def _on_clean_changed(self, clean: bool) -> None:
        self.dirty_changed.emit(not clean)

    # -- state -----------------------------------------------------------------------------

    @property
    def build(self) -> Build:
        """The current build (a frozen value)."""
        return self._build

    @property
    def evaluation(self) -> Evaluation:
        """The findings for the current build, every stage of its plan."""
        return self._evaluation

    @property
    def comparison(self) -> CostComparison:
        """The cost comparison of the current build, computed at most once per build change.

        It is made on first use, not on every edit: the Cost tab is built when first shown,
        and until then start-up and edits do not pay for costs (benchmark rows "Startup to
        first paint" and "Edit → findings redrawn").
        """
        if self._comparison is None:
            self._comparison = compare_costs(self._build, self.catalog)
        return self._comparison

    @property
    def path(self) -> Path | None:
        """Where the build was last opened from or saved to."""
        return self._path

    @property
    def dirty(self) -> bool:
        """Whether there are unsaved changes."""
        return not self.undo_stack.isClean()

    def _set_build(self, build: Build) -> None:
        self._build = build
        self._evaluation = evaluate(build, self.catalog)
        self._comparison = None
        self.build_changed.emit(build)
        self.findings_changed.emit(self._evaluation)
        if self.isSignalConnected(QMetaMethod.fromSignal(self.costs_changed)):
            self.costs_changed.emit(self.comparison)

    def set_catalog(self, catalog: Catalog) -> None:
        """Use a new catalog (after a price import): findings and costs are worked out again.

        Not an undoable edit: the build is unchanged, only what its part ids resolve to.
        """
        self.catalog = catalog
        self.catalog_changed.emit(catalog)
        self._set_build(self._build)

    # -- editing ---------------------------------------------------------------------------

    def apply(self, after: Build, text: str, merge_key: str = "") -> bool:
        """Make ``after`` the current build as one undoable step named ``text``.

        ``model_copy`` skips validation, so the new build is validated here: an edit that
        breaks a bound (a 101st line, a quantity over 64) is refused with ``edit_refused``
        and False, and the build stays as it was.
        """
        if after == self._build:
            return False
        try:
            after = Build.model_validate(after.model_dump())
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(x) for x in err["loc"])
            self.edit_refused.emit(f"{text}: not possible ({where}: {err['msg']})")
            return False
        self.undo_stack.push(_SnapshotCommand(self, self._build, after, text, merge_key))
        return True

    def edit(self, text: str, merge_key: str = "", **changes: Any) -> bool:
        """Apply field changes to the build (``items=...``, ``name=...``) as one step."""
        return self.apply(self._build.model_copy(update=changes), text, merge_key)

    def replace_part(self, part: PartBase) -> None:
        """Use ``part`` in place of the catalog entry with its id, and check the build again.

        For values the user filled in (saved to the user's catalog folder by the caller).
        The build itself does not change, so this is not an undoable edit.
        """
        self.set_catalog(Catalog([*self.catalog, part]))

    def part_title(self, part_id: str) -> str:
        """Return a readable name for a part id, even an unknown one."""
        return part_name(self.catalog, part_id)

    def _titles(self, part_ids: Iterable[str]) -> str:
        return ", ".join(self.part_title(p) for p in part_ids)

    def add_parts(self, part_ids: Sequence[str], row: int | None = None) -> None:
        """Add parts to the build now (a repeated GPU raises the quantity of its line)."""
        names = self._titles(part_ids)
        items = add_stacked(self._build.items, part_ids, self.catalog, row)
        self.edit(f"Add {names}", items=items)

    def replace_part_id(self, old: str, new: str) -> None:
        """Put catalog id ``new`` wherever the build names ``old`` (now and in the plan)."""
        self.apply(swap_part(self._build, old, new), f"Replace {old} with {self.part_title(new)}")

    def remove_items(self, rows: Sequence[int]) -> None:
        """Remove lines of the parts list."""
        if rows:
            names = self._titles(self._build.items[r].part for r in sorted(set(rows)))
            self.edit(f"Remove {names}", items=remove_lines(self._build.items, rows))

    def update_item(self, row: int, text: str, **changes: Any) -> bool:
        """Change one line (``qty=``, ``price_usd=``, ``note=``); False if refused."""
        items = list(self._build.items)
        items[row] = items[row].model_copy(update=changes)
        return self.edit(text, f"item-{row}-{','.join(sorted(changes))}", items=tuple(items))

    def set_power_limit(self, limit: int) -> bool:
        """Cap every GPU line (plan included) above ``limit`` watts to it, as one step."""
        after = limit_build(self._build, self.catalog, limit)
        return self.apply(after, f"Power-limit the GPUs to {limit} W")

    def move_items(self, rows: Sequence[int], target: int) -> None:
        """Move lines so the first lands at ``target`` (drag reordering)."""
        self.edit("Reorder parts", items=move_lines(self._build.items, rows, target))

    def set_name(self, name: str) -> None:
        """Rename the build."""
        self.edit("Rename build", "name", name=name)

    def set_notes(self, notes: str) -> None:
        """Change the build's notes."""
        self.edit("Edit notes", "notes", notes=notes)

    def set_assumptions(self, assumptions: Assumptions, text: str = "Change assumptions") -> bool:
        """Replace the cost assumptions (consecutive changes merge into one undo step)."""
        return self.edit(text, "assumptions", assumptions=assumptions)

    def update_assumptions(self, text: str, **changes: Any) -> bool:
        """Change some cost assumptions (``utilization=0.5``), merging like ``set_assumptions``."""
        return self.set_assumptions(self._build.assumptions.model_copy(update=changes), text)

    def apply_preset(self, name: str) -> bool:
        """Apply a cost preset's assumptions, and its own offers if it has any, as one step."""
        return self.apply(
            with_preset(self._build, self.catalog, name), f"Apply the {name} cost preset"
        )

    def set_site(self, site: Site) -> None:
        """Replace the wall-circuit settings."""
        self.edit("Change circuit settings", "site", site=site)

    def set_compare(self, compare: Sequence[CompareEntry]) -> None:
        """Replace the cloud offers compared with."""
        self.edit("Change cloud comparison", compare=tuple(compare))

    # -- the upgrade plan: each edit returns the stage to select, and emits stage_edited -----

    def _edit_plan(self, plan: Sequence[PlanStep], text: str, select: int, merge: str = "") -> int:
        self.edit(text, merge, plan=sort_plan(plan))
        self.stage_edited.emit(select)
        return select

    def _stage_text(self, stage: int) -> str:
        return self._build.plan[stage - 1].label or f"stage {stage}"

    def add_stage(self, step: PlanStep | None = None) -> int:
        """Add a stage (by default three months after the last, with one more of the GPU)."""
        step = step or next_step(self._build, self.catalog)
        plan, stage = insert_step(self._build.plan, step)
        return self._edit_plan(plan, f"Add {step.label or f'stage {stage}'}", stage)

    def replace_stage(self, stage: int, step: PlanStep) -> int:
        """Replace a planned stage with an edited one."""
        plan, new = replace_step(self._build.plan, stage, step)
        return self._edit_plan(plan, f"Edit {step.label or f'stage {stage}'}", new)

    def shift_stage(self, stage: int, months: int) -> int:
        """Move a stage earlier or later; repeated moves of one stage merge into one undo step."""
        plan, new = shift_step(self._build.plan, stage, months)
        if plan == self._build.plan:
            return stage
        text = f"Move {self._stage_text(stage)}"
        return self._edit_plan(plan, text, new, merge=f"plan-shift-{stage}")

    def remove_stage(self, stage: int) -> int:
        """Remove a planned stage; return the stage to select next."""
        text = f"Remove {self._stage_text(stage)}"
        plan = remove_step(self._build.plan, stage)
        return self._edit_plan(plan, text, min(stage, len(plan)))

    def add_parts_to_stage(self, stage: int | None, part_ids: Sequence[str]) -> int:
        """Add catalog parts to a stage: 0 is the build today, None a new stage after the last."""
        if not part_ids:
            return stage or 0
        if stage == 0:
            self.add_parts(part_ids)
            self.stage_edited.emit(0)
            return 0
        names = self._titles(part_ids)
        if stage is None:
            month = next_step(self._build, self.catalog).month
            base = PlanStep(month=month, label=f"Stage {len(self._build.plan) + 1}")
            step = add_parts_to_step(base, part_ids, self.catalog)
            plan, new = insert_step(self._build.plan, step)
            return self._edit_plan(plan, f"Plan {names} for month {month}", new)
        step = add_parts_to_step(self._build.plan[stage - 1], part_ids, self.catalog)
        plan, new = replace_step(self._build.plan, stage, step)
        return self._edit_plan(plan, f"Add {names} to {self._stage_text(stage)}", new)

    def highlight(self, part_ids: Sequence[str]) -> None:
        """Ask views to highlight these parts (e.g. the parts a finding involves)."""
        self.highlight_changed.emit(tuple(part_ids))

    # -- files -----------------------------------------------------------------------------

    def replace(
        self, build: Build, path: Path | None, identity: FileIdentity | None = None
    ) -> None:
        """Start over with another build (open, new, revert): a fresh undo history.

        ``identity`` is the version of ``path`` that ``build`` was read from; without it
        the file's identity now is taken.
        """
        self.undo_stack.clear()
        self._set_file(path, identity)
        self._set_build(build)
        self.undo_stack.setClean()
        self.path_changed.emit(self._path)
        self.dirty_changed.emit(False)

    def _set_file(self, path: Path | None, identity: FileIdentity | None) -> None:
        if path is None:
            self._path = self._target = self._identity = None
            return
        self._path = Path(os.path.abspath(path))
        # Resolved once: a save goes to the file the link pointed to when it was opened.
        self._target = resolved(path)
        self._identity = identity or current_identity(self._target, BUILD_MAX_BYTES)

    @property
    def target(self) -> Path | None:
        """The real file saves go to: the path with its links resolved when it was opened."""
        return self._target

    @property
    def identity(self) -> FileIdentity | None:
        """The version of the file that was opened or last saved (to notice other writers)."""
        return self._identity

    def open(self, path: Path) -> None:
        """Load a build file; on error the current build stays and LoadError is raised."""
        build, identity = load_build_identified(path)
        self.replace(build, Path(path), identity)

    def save(self, path: Path | None = None, *, overwrite: bool = False) -> Path:
        """Save atomically (keeping a .bak).

        Saving to the open file first checks that no other program changed it since it
        was opened or last saved (:class:`ConflictError` if one did), unless
        ``overwrite``. Saving to another ``path`` (Save As) writes there, whatever is
        there (the caller has asked). On error the build stays dirty and SaveError is
        raised.
        """
        same = path is None or (
            self._target is not None
            and (Path(os.path.abspath(path)) == self._path or resolved(path) == self._target)
        )
        if same:
            if self._target is None:
                raise ValueError("no file name to save to")
            self._identity = write_build(
                self._build,
                self._target,
                expected=self._identity,
                check_expected=not overwrite,
            )
        else:
            assert path is not None
            identity = write_build(self._build, path)
            self._set_file(Path(path), identity)
            self.path_changed.emit(self._path)
        self.undo_stack.setClean()
        self.saved.emit()
        assert self._path is not None
        return self._path

    def missing_parts(self) -> list[str]:
        """Part ids the build names that the catalog does not have (kept, reported)."""
        return sorted({pid for pid in self._build.part_ids() if pid not in self.catalog})
