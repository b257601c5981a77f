"""BuildDocument: owns the build being edited, its undo stack, file path and live findings."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from dlplanner.domain.build import Assumptions, Build, BuildItem, CompareEntry, PlanStep, Site
from dlplanner.domain.catalog import Catalog
from dlplanner.io.buildfile import load_build_identified, write_build
from dlplanner.io.identity import FileIdentity, current_identity, resolved
from dlplanner.io.yamlsafe import BUILD_MAX_BYTES
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
    """The one owner of the current build. Every edit is an undoable command; every change emits."""

    build_changed = Signal(object)
    """The new :class:`Build`."""
    findings_changed = Signal(object)
    """The new :class:`Evaluation`."""
    dirty_changed = Signal(bool)
    path_changed = Signal(object)
    """The new file path, or None."""
    highlight_changed = Signal(object)
    """A tuple of part ids to highlight in the parts list (from a selected finding)."""
    saved = Signal()
    """The build was written to its file (the file watcher ignores the change)."""
    edit_refused = Signal(str)
    """An edit would make a build that cannot be saved and opened again; the reason."""

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
        self.build_changed.emit(build)
        self.findings_changed.emit(self._evaluation)

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

    def part_title(self, part_id: str) -> str:
        """Return a readable name for a part id, even an unknown one."""
        part = self.catalog.get(part_id)
        return part.title if part else part_id

    def add_parts(self, part_ids: Sequence[str], row: int | None = None) -> None:
        """Add parts to the build now (a repeated GPU raises the quantity of its line)."""
        items = list(self._build.items)
        for part_id in part_ids:
            existing = next((i for i, it in enumerate(items) if it.part == part_id), None)
            part = self.catalog.get(part_id)
            stackable = part is not None and part.kind in ("gpu", "memory", "storage")  # type: ignore[attr-defined]
            if existing is not None and stackable and items[existing].qty < 64:
                items[existing] = items[existing].model_copy(
                    update={"qty": items[existing].qty + 1}
                )
                continue
            new = BuildItem(part=part_id)
            if row is None or row >= len(items):
                items.append(new)
            else:
                items.insert(max(row, 0), new)
                row = max(row, 0) + 1
        names = ", ".join(self.part_title(p) for p in part_ids)
        self.edit(f"Add {names}", items=tuple(items))

    def remove_items(self, rows: Sequence[int]) -> None:
        """Remove lines of the parts list."""
        doomed = set(rows)
        if not doomed:
            return
        names = ", ".join(self.part_title(self._build.items[r].part) for r in sorted(doomed))
        items = tuple(it for i, it in enumerate(self._build.items) if i not in doomed)
        self.edit(f"Remove {names}", items=items)

    def update_item(self, row: int, text: str, **changes: Any) -> None:
        """Change one line (``qty=``, ``price_usd=``, ``note=``)."""
        items = list(self._build.items)
        items[row] = BuildItem.model_validate({**items[row].model_dump(), **changes})
        self.edit(text, f"item-{row}-{','.join(sorted(changes))}", items=tuple(items))

    def move_items(self, rows: Sequence[int], target: int) -> None:
        """Move lines so the first lands at ``target`` (drag reordering)."""
        items = list(self._build.items)
        moving = [items[r] for r in sorted(set(rows))]
        before = sum(1 for r in set(rows) if r < target)
        rest = [it for i, it in enumerate(items) if i not in set(rows)]
        at = max(0, min(target - before, len(rest)))
        self.edit("Reorder parts", items=tuple(rest[:at] + moving + rest[at:]))

    def set_name(self, name: str) -> None:
        """Rename the build."""
        self.edit("Rename build", "name", name=name)

    def set_notes(self, notes: str) -> None:
        """Change the build's notes."""
        self.edit("Edit notes", "notes", notes=notes)

    def set_assumptions(self, assumptions: Assumptions, text: str = "Change assumptions") -> None:
        """Replace the cost assumptions (consecutive changes merge into one undo step)."""
        self.edit(text, "assumptions", assumptions=assumptions)

    def set_site(self, site: Site) -> None:
        """Replace the wall-circuit settings."""
        self.edit("Change circuit settings", "site", site=site)

    def set_compare(self, compare: Sequence[CompareEntry]) -> None:
        """Replace the cloud offers compared with."""
        self.edit("Change cloud comparison", compare=tuple(compare))

    def set_plan(self, plan: Sequence[PlanStep], text: str) -> None:
        """Replace the upgrade plan (stages sorted by month)."""
        ordered = tuple(sorted(plan, key=lambda s: s.month))
        self.edit(text, plan=ordered)

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
            self._target is not None and resolved(path) in (self._target, self._path)
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
