"""The catalog's "only parts that fit" filter and the rules agree, on every catalog part.

Both ask the compatibility predicates of ``dlplanner.domain.compat``; this property test
keeps it so: for generated builds from the shipped catalog, a candidate part is hidden by
the filter exactly when putting it into the build (in place of the part of its kind) makes
one of the predicate rules report an error that names the candidate.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dlplanner.domain.build import Build, BuildItem
from dlplanner.domain.catalog import Catalog
from dlplanner.io.catalog_files import load_catalog
from dlplanner.rules import Severity, Status, evaluate
from dlplanner.rules.fit import fit_conflict, fit_filter

SHIPPED = load_catalog(user_dirs=[]).catalog
# the shipped lists are partial; marking every list complete exercises the "no" answers too
COMPLETE = Catalog(
    p.model_copy(update={"complete": [f for f in p.MEMBER_LISTS if getattr(p, f)]}) for p in SHIPPED
)
CATALOG = SHIPPED
KINDS = ("cpu", "motherboard", "memory", "gpu", "psu", "case", "cooler")
PREDICATE_RULES = frozenset({
    "cpu-socket", "cooler-socket", "case-motherboard", "memory-type", "memory-slots",
    "psu-fit", "gpu-length", "gpu-thickness", "cooler-height", "aio-radiator",
})  # fmt: skip
POOLS = {kind: [p.id for p in CATALOG.of_kind(kind)] for kind in KINDS}


def _build(parts: dict[str, str]) -> Build:
    return Build(name="generated", items=tuple(BuildItem(part=p) for p in parts.values()))


def _rules_refuse(parts: dict[str, str], candidate: str, catalog: Catalog) -> bool:
    evaluation = evaluate(_build(parts), catalog)
    return any(
        f.rule in PREDICATE_RULES
        and f.status is Status.FAIL
        and f.severity is Severity.ERROR
        and candidate in f.parts
        for f in evaluation.findings
    )


builds = st.fixed_dictionaries({}, optional={kind: st.sampled_from(POOLS[kind]) for kind in KINDS})


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chosen=builds, kind=st.sampled_from(KINDS), complete=st.booleans())
def test_filter_and_rules_agree_on_every_part_of_a_kind(
    chosen: dict[str, str], kind: str, complete: bool
):
    catalog = COMPLETE if complete else SHIPPED
    fits = fit_filter(_build(chosen), catalog)
    why = fit_conflict(_build(chosen), catalog)
    for candidate in POOLS[kind]:
        part = catalog.get(candidate)
        assert part is not None
        with_candidate = {**chosen, kind: candidate}
        refused = _rules_refuse(with_candidate, candidate, catalog)
        assert fits(part) is not refused, (candidate, with_candidate)
        # The reason given for a hidden part is the predicate's *no*, in a short phrase.
        conflict = why(part)
        assert (conflict is None) is fits(part), candidate
        if conflict is not None:
            assert conflict.verdict.no and conflict.verdict.reason
            assert 5 < len(conflict.short) < 60 and "None" not in conflict.short, conflict


def test_filter_compares_sockets_like_the_rules_without_case():
    cpu = CATALOG.get("amd-ryzen-threadripper-1920x")
    assert cpu is not None
    lower = cpu.model_copy(update={"id": "lower-socket-cpu", "socket": cpu.socket.lower()})
    board = next(b for b in CATALOG.of_kind("motherboard") if b.socket == cpu.socket)
    fits = fit_filter(_build({"motherboard": board.id}), CATALOG)
    assert fits(lower)


def test_a_hidden_cpu_says_which_socket_it_is_and_which_the_board_has():
    board = CATALOG.get("asrock-x399-taichi")
    assert board is not None and board.socket == "TR4"
    other = next(c for c in CATALOG.of_kind("cpu") if c.socket == "AM5")
    conflict = fit_conflict(_build({"motherboard": board.id}), CATALOG)(other)
    assert conflict is not None
    assert (conflict.reason, conflict.value) == ("not socket TR4", "AM5")
    assert conflict.short == "not socket TR4 (AM5)"
    assert other.title in conflict.verdict.reason and board.title in conflict.verdict.reason
