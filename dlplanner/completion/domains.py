"""Which candidates of a level can still fit, given the parts chosen at earlier levels.

The catalog browser's fit filter (:func:`dlplanner.rules.fit.fit_filter`) asks the one set
of compatibility predicates whether a part fits a build; a part it hides is one the rules
would give an error (a property test holds the two to each other). The search asks it
once per (level, earlier choice) pair and keeps the answer as a bit mask over the level's
candidates, so a board is tested against a CPU's socket once, not once per case and drive
tried between them. A level's candidates at a node are its unary mask and'ed with the
masks of the earlier choices its kind's filter reads.

This is what the "Complete four GPUs" benchmark rows need: without it the search tried
every board of every socket for every case (thousands of nodes per search on the shipped
catalog, millions on the generated one).
"""

from __future__ import annotations

from collections.abc import Sequence

from dlplanner.completion.levels import Choice, Level
from dlplanner.domain import compat
from dlplanner.domain.build import Build
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.parts import MotherboardPart, PsuPart
from dlplanner.rules.fit import fit_conflict, fit_filter

FIT_READS: dict[str, frozenset[str]] = {
    "cpu": frozenset({"motherboard", "cooler", "memory"}),
    "motherboard": frozenset({"cpu", "case", "cooler", "memory"}),
    "memory": frozenset({"cpu", "motherboard"}),
    "case": frozenset({"motherboard", "psu", "cooler"}),
    "cooler": frozenset({"cpu", "motherboard", "case"}),
    "psu": frozenset({"case"}),
    "storage": frozenset(),
}
"""The kinds whose chosen part the fit filter compares a candidate of each kind with (as
``rules/fit.py``'s per-kind checks read them). Only these earlier levels narrow a level."""


def bits(indices: Sequence[int]) -> int:
    """Return the bit mask with the given bits set."""
    mask = 0
    for i in indices:
        mask |= 1 << i
    return mask


def _fitting(level: Level, fits_part: dict[str, bool]) -> int:
    return bits([i for i, c in enumerate(level.choices) if fits_part[c.part.id]])


class Domains:
    """The candidates each level may still take, as bit masks over its choices."""

    def __init__(
        self,
        base: Build,
        levels: Sequence[Level],
        catalog: Catalog,
        fits: dict[tuple[object, ...], dict[str, bool]] | None = None,
    ) -> None:
        self.base = base
        self._fits = {} if fits is None else fits
        self._fixed = tuple(item.part for item in base.items)
        self.levels = list(levels)
        self.catalog = catalog
        kinds = [level.kind for level in self.levels]
        self.readers: list[tuple[int, ...]] = [
            tuple(i for i in range(depth) if kinds[i] in FIT_READS.get(kind, frozenset()))
            for depth, kind in enumerate(kinds)
        ]
        """Per level: the earlier levels whose choice narrows it."""
        self.reader_masks = [bits(r) for r in self.readers]
        self.unary = [(1 << len(level.choices)) - 1 for level in self.levels]
        self._pairs: dict[tuple[int, int, int], int] = {}
        self._nodes: dict[tuple[int, ...], int] = {}

    def narrow(self, depth: int, mask: int) -> None:
        """Keep only the candidates of level ``depth`` in ``mask`` (a filter on the fixed parts)."""
        self.unary[depth] &= mask
        self._nodes.clear()

    def domain(self, depth: int, chosen: Sequence[Choice]) -> int:
        """Return the mask of level ``depth``'s candidates that fit the ``chosen`` ones."""
        readers = self.readers[depth]
        if not readers:
            return self.unary[depth]
        key = (depth, *[chosen[i].key for i in readers])
        mask = self._nodes.get(key)
        if mask is None:
            mask = self.unary[depth]
            for i in readers:
                mask &= self._pair(depth, i, chosen[i])
            self._nodes[key] = mask
        return mask

    def _pair(self, depth: int, earlier: int, choice: Choice) -> int:
        key = (depth, earlier, choice.key)
        mask = self._pairs.get(key)
        if mask is None:
            level = self.levels[depth]
            known = (self._fixed, choice.part.id, level.kind)
            verdicts = self._fits.get(known)
            if verdicts is None:  # the fit filter reads part ids and specs, not quantities
                trial = self.base.model_copy(update={"items": self.base.items + choice.items})
                fits = fit_filter(trial, self.catalog)
                verdicts = {c.part.id: fits(c.part) for c in level.choices}
                self._fits[known] = verdicts
            elif any(c.part.id not in verdicts for c in level.choices):
                fits = fit_filter(
                    self.base.model_copy(update={"items": self.base.items + choice.items}),
                    self.catalog,
                )
                verdicts.update(
                    {c.part.id: fits(c.part) for c in level.choices if c.part.id not in verdicts}
                )
            mask = self._pairs[key] = _fitting(level, verdicts)
        return mask


def drop_unfit(level: Level, base: Build, catalog: Catalog, gpus: int, gpu_w: int) -> None:
    """Drop the candidates that cannot work whatever the other levels hold.

    Those that do not fit the build's own parts (the fit filter), boards without a
    known x16 slot for each GPU, and supplies rated below the GPUs' own draw. Each
    dropped candidate is kept in ``level.dropped`` with its reason, so a proposal can
    still say which cheaper parts it ruled out and why.
    """
    conflict_of = fit_conflict(base, catalog)
    kept = []
    for choice in level.choices:
        conflict = conflict_of(choice.part)
        if conflict is not None:
            reason: tuple[str, str] | None = ("fit", f"the {choice.part.title}: {conflict.short}")
        else:
            reason = _unary(choice, gpus, gpu_w)
        if reason is None:
            kept.append(choice)
        else:
            level.dropped.append((choice.price_usd, *reason))
    level.choices = kept


def _unary(choice: Choice, gpus: int, gpu_w: int) -> tuple[str, str] | None:
    """Return why a candidate fails alone (a rule id and its words), or None."""
    part = choice.part
    if isinstance(part, MotherboardPart) and gpus > 0:
        # Fewer x16 slots than GPUs leaves a card unplaced: gpu-x16-slots errs. Without
        # a slot map the rule says "not checked", which rules a completion out as well
        # (it is one of the key checks).
        verdict = compat.gpu_slots_fit(gpus, part)
        if verdict.fit is not compat.Fit.YES:
            return "gpu-x16-slots", _sentence(verdict.reason)
    if isinstance(part, PsuPart) and part.wattage_w < gpu_w:
        # ``gpu_w``: the most the GPUs draw at any stage (the power model's board power,
        # at their limits). psu-wattage compares the rating with the GPUs plus the CPU,
        # and a CPU only adds watts (with its power unknown, the known parts alone
        # already exceed it), so it errs whatever CPU joins this supply.
        return (
            "psu-wattage",
            f"The GPUs alone draw {gpu_w:,} W; the {part.title} gives {part.wattage_w:,} W.",
        )
    return None


def _sentence(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}." if text else ""
