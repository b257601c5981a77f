"""The compatibility rules: a registry of small pure functions over a resolved build.

Importing the package registers every shipped rule. Use :func:`evaluate` to check a build::

    evaluation = evaluate(build, catalog)
    for mark, finding in evaluation.lettered():
        print(mark, finding.severity, finding.message)
"""

from __future__ import annotations

# Importing the rule families registers their rules (in this order: it breaks ties when sorting).
from dlplanner.rules import (  # noqa: F401
    circuit,
    connectors,
    cooling,
    cpu,
    deeplearning,
    geometry,
    makers,
    memory,
    missing,
    power,
    sockets,
    storage,
    supplies,
)
from dlplanner.rules.engine import NOT_CHECKED, Evaluation, evaluate
from dlplanner.rules.finding import Finding, Severity, Status
from dlplanner.rules.registry import Rule, all_rules, get_rule

__all__ = [
    "NOT_CHECKED",
    "Evaluation",
    "Finding",
    "Rule",
    "Severity",
    "Status",
    "all_rules",
    "evaluate",
    "get_rule",
]
