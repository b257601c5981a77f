"""Findings: what a rule reports about one stage of a build.

A finding is a value. Rules report problems, they never raise and never block: a build
with a 550 W power supply and an RTX 4090 is still a build, it just carries an error.
"""

from __future__ import annotations

import enum
from typing import NamedTuple


class Severity(enum.StrEnum):
    """How bad a finding is; ``ERROR`` is the worst and compares greatest.

    The four comparisons are written out: ``functools.total_ordering`` cannot be used on a
    ``StrEnum``, because ``str`` already defines ``<=``, ``>`` and ``>=`` (alphabetical), so
    the decorator would fill in nothing and ``ERROR > INFO`` would compare the words.
    """

    ERROR = "error"
    """The build cannot work as planned, or is unsafe."""
    WARNING = "warning"
    """It works, with a risk or a large loss of performance."""
    INFO = "info"
    """Worth knowing; nothing is wrong."""

    @property
    def rank(self) -> int:
        """2 for errors, 1 for warnings, 0 for notes."""
        # identity tests: hashing an enum member runs Python code, and this is hot
        return 2 if self is _ERROR else 1 if self is _WARNING else 0

    def __lt__(self, other: object) -> bool:
        """Whether this severity is less severe than ``other``."""
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        """Whether this severity is at most as severe as ``other``."""
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        """Whether this severity is more severe than ``other``."""
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        """Whether this severity is at least as severe as ``other``."""
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank


class Status(enum.StrEnum):
    """Whether a rule saw the problem, or could not tell because a spec is missing."""

    FAIL = "fail"
    UNKNOWN = "unknown"


# Plain names for the members: looking them up on the enum classes is slow on hot paths.
_ERROR, _WARNING = Severity.ERROR, Severity.WARNING
_FAIL = Status.FAIL


class Finding(NamedTuple):
    """One problem a rule found in one stage of a build: an immutable value.

    A named tuple rather than a frozen dataclass because the engine makes thousands of them
    per second and a tuple is several times cheaper to create.

    Parameters
    ----------
    rule
        The rule's stable kebab-case id.
    severity
        How bad it is.
    status
        ``FAIL`` when the rule saw the problem; ``UNKNOWN`` when a spec it needs is missing.
    message
        What is wrong, with the numbers on both sides.
    parts
        Catalog ids of the parts involved, in build order, without repeats.
    stage
        The stage of the upgrade plan (0 = the initial build) where the problem appears.
    hint
        How to fix it.
    key
        Tells apart several problems of one rule (for example, one per GPU slot); it is part
        of the finding's identity across stages and is never shown.
    """

    rule: str
    severity: Severity
    status: Status
    message: str
    parts: tuple[str, ...]
    stage: int
    hint: str
    key: str = ""

    @property
    def identity(self) -> tuple[str, bool, str]:
        """What makes two findings of different stages the same problem: rule, status, key."""
        return (self.rule, self.status is _FAIL, self.key)

    def sort_key(self) -> tuple[bool, int, int]:
        """Worst first: problems seen before checks that could not run, then by severity.

        A real note ("less RAM than twice the VRAM") says more about the build than a
        warning that a spec is missing from the catalog, so every ``FAIL`` comes before
        every ``UNKNOWN``; within each, errors before warnings before notes.
        """
        severity = self.severity
        order = 0 if severity is _ERROR else 1 if severity is _WARNING else 2
        return (self.status is not _FAIL, order, self.stage)


class Reporter:
    """Makes the findings of one rule for one stage, stamped with the rule id and stage."""

    __slots__ = ("rule", "severity", "stage")

    def __init__(self, rule: str, severity: Severity, stage: int) -> None:
        self.rule = rule
        self.severity = severity
        self.stage = stage

    def fail(
        self,
        message: str,
        *,
        parts: tuple[str, ...],
        hint: str,
        severity: Severity | None = None,
        key: str = "",
    ) -> Finding:
        """Make a finding for a problem the rule saw; severity defaults to the rule's."""
        return Finding(
            self.rule,
            severity or self.severity,
            Status.FAIL,
            message,
            _unique(parts),
            self.stage,
            hint,
            key,
        )

    def unknown(
        self,
        message: str,
        *,
        parts: tuple[str, ...],
        hint: str,
        severity: Severity | None = None,
        key: str = "",
    ) -> Finding:
        """Make a finding for a check that could not be made because a spec is missing.

        An unknown is never an error. By default it is a warning for rules whose problems
        are errors (the part may not fit at all) and a note for the others.
        """
        if severity is None:
            severity = _WARNING if self.severity is _ERROR else Severity.INFO
        return Finding(
            self.rule, severity, Status.UNKNOWN, message, _unique(parts), self.stage, hint, key
        )


def _unique(parts: tuple[str, ...]) -> tuple[str, ...]:
    if len(parts) < 2:
        return parts
    return tuple(dict.fromkeys(parts))
