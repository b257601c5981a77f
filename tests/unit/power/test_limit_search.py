"""The power-limit search: its load ceiling never rules out a limit that fits.

``load_ceiling_w`` lets ``uniform_limit`` skip limits without a trial estimate; these
tests keep it a necessary condition of ``fits_supplies`` and ``fits_circuits`` (any load
that fits is under it) and the pruned search's answer the plain search's.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dlplanner.domain.parts import CpuPart, GpuPart, PsuPart
from dlplanner.domain.power import (
    PowerEstimate,
    estimate_power,
    fits_circuits,
    fits_supplies,
    load_ceiling_w,
    uniform_limit,
)
from tests.unit.rules.samples import CPUS, GPUS, PSUS

RATINGS = (None, "white", "bronze", "gold", "platinum", "titanium")
cpus = st.one_of(st.none(), st.sampled_from([p for p in CPUS if isinstance(p, CpuPart)]))
gpus = st.lists(st.sampled_from([p for p in GPUS if isinstance(p, GpuPart)]), max_size=6)
psus = st.lists(
    st.builds(
        lambda psu, watts, rating: psu.model_copy(
            update={"wattage_w": watts, "efficiency": rating}
        ),
        st.sampled_from([p for p in PSUS if isinstance(p, PsuPart)]),
        st.integers(200, 2400),
        st.sampled_from(RATINGS),
    ),
    max_size=3,
)
sites = st.tuples(
    st.floats(1.0, 3.0), st.sampled_from([1, 2]), st.floats(400.0, 4000.0), st.floats(0.0, 300.0)
)


def _fits(headroom: float, circuits: int, limit_w: float):
    def fits(trial: PowerEstimate) -> bool:
        return fits_supplies(trial, headroom) and fits_circuits(trial, circuits, limit_w)

    return fits


@settings(max_examples=300, deadline=None)
@given(cpu=cpus, cards=gpus, units=psus, site=sites, data=st.data())
def test_a_load_that_fits_is_under_the_ceiling(cpu, cards, units, site, data):
    headroom, circuits, limit_w, other_w = site
    limits = data.draw(
        st.lists(
            st.one_of(st.none(), st.integers(50, 600)), min_size=len(cards), max_size=len(cards)
        )
    )
    estimate = estimate_power(cpu, cards, units, limits, other_w=other_w)
    if _fits(headroom, circuits, limit_w)(estimate):
        assert estimate.total_w <= load_ceiling_w(units, headroom, circuits, limit_w, other_w)


@settings(max_examples=300, deadline=None)
@given(cpu=cpus, cards=gpus, units=psus, site=sites)
def test_the_pruned_search_finds_the_plain_searchs_limit(cpu, cards, units, site):
    headroom, circuits, limit_w, other_w = site
    estimate = estimate_power(cpu, cards, units, other_w=other_w)
    fits = _fits(headroom, circuits, limit_w)
    ceiling = load_ceiling_w(units, headroom, circuits, limit_w, other_w)
    assert uniform_limit(estimate, fits, most_w=ceiling) == uniform_limit(estimate, fits)
