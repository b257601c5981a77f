"""The rule registry: small pure functions, each with a stable id, a title and help text.

A rule is registered with the :func:`rule` decorator::

    @rule("cpu-socket", "CPU socket", Severity.ERROR,
      reads=("cpu", "board"))
    def cpu_socket(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
        '''The CPU must fit the motherboard's socket. ...'''

The function receives one stage of the build, resolved through the catalog, and yields
findings made with ``out.fail(...)`` or ``out.unknown(...)``. Its docstring is the help
text the user reads: why the rule matters and how to fix what it finds. Registering an id
twice raises :class:`DuplicateRuleError` when the module is imported.

``reads`` names the parts of a stage the rule looks at (``cpu``, ``gpus``, ``slots`` …, see
:data:`~dlplanner.rules.context.STAGE_KEYS`). When none of them changed since the previous
stage of the plan, the engine reuses the rule's findings instead of running it again. A
rule without ``reads`` runs on every stage.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from dlplanner.rules.context import expand_reads
from dlplanner.rules.finding import Finding, Reporter, Severity

if TYPE_CHECKING:
    from dlplanner.rules.context import StageContext

RULE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

Check: TypeAlias = "Callable[[StageContext, Reporter], Iterable[Finding]]"


class DuplicateRuleError(ValueError):
    """Raised when two rules claim the same id."""


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered rule: id, title, default severity, help text and the check itself."""

    id: str
    title: str
    severity: Severity
    help: str
    check: Check
    family: str
    """The module the rule lives in, e.g. ``power``."""
    reads: frozenset[str] | None = None
    """The stage keys the rule depends on; None: everything."""

    @property
    def summary(self) -> str:
        """The first line of the help text."""
        return self.help.split("\n", 1)[0]


class Registry:
    """An ordered set of rules keyed by id."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}
        self._order: dict[str, int] | None = None
        self._all: tuple[Rule, ...] | None = None

    def rule(
        self, rule_id: str, title: str, severity: Severity, *, reads: Iterable[str] | None = None
    ) -> Callable[[Check], Check]:
        """Register the decorated function as the rule ``rule_id``."""

        def register(check: Check) -> Check:
            self.add(rule_id, title, severity, check, reads=reads)
            return check

        return register

    def add(
        self,
        rule_id: str,
        title: str,
        severity: Severity,
        check: Check,
        *,
        reads: Iterable[str] | None = None,
    ) -> Rule:
        """Register ``check`` as the rule ``rule_id`` and return the rule."""
        if not RULE_ID.match(rule_id):
            raise ValueError(f"rule id {rule_id!r} is not kebab-case")
        if rule_id in self._rules:
            raise DuplicateRuleError(f"rule id {rule_id!r} is already registered")
        doc = inspect.getdoc(check)
        if not doc or not title:
            raise ValueError(f"rule {rule_id!r} needs a title and a docstring (its help text)")
        module = getattr(check, "__module__", "") or ""
        keys = None if reads is None else expand_reads(reads)
        entry = Rule(rule_id, title, severity, doc, check, module.rsplit(".", 1)[-1], keys)
        self._rules[rule_id] = entry
        self._order = None
        self._all = None
        return entry

    def rules(self) -> tuple[Rule, ...]:
        """Every rule, in registration order."""
        if self._all is None:
            self._all = tuple(self._rules.values())
        return self._all

    def order(self) -> dict[str, int]:
        """Return each rule's position in registration order (for sorting findings)."""
        if self._order is None:
            self._order = {rule_id: i for i, rule_id in enumerate(self._rules)}
        return self._order

    def get(self, rule_id: str) -> Rule:
        """Return the rule with this id; ``KeyError`` if there is none."""
        return self._rules[rule_id]

    def __contains__(self, rule_id: object) -> bool:
        """Whether a rule has this id."""
        return rule_id in self._rules

    def __len__(self) -> int:
        """Return the number of rules."""
        return len(self._rules)


REGISTRY = Registry()
"""The registry every shipped rule is in."""

rule = REGISTRY.rule


def all_rules() -> tuple[Rule, ...]:
    """Every shipped rule, in registration order."""
    return REGISTRY.rules()


def get_rule(rule_id: str) -> Rule:
    """Return the shipped rule with this id; ``KeyError`` if there is none."""
    return REGISTRY.get(rule_id)
