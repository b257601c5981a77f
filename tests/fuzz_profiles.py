"""Hypothesis budgets for the loader fuzz tests, chosen with ``HYPOTHESIS_PROFILE``.

- ``ci`` (the default): a few hundred examples per test, the whole fuzz file in well under
  a minute on a 2-core machine.
- ``long``: 20,000 examples per test, for a nightly or pre-release run (about 35 minutes
  on 2 cores)::

      HYPOTHESIS_PROFILE=long python -m pytest tests/unit/test_fuzz_loaders.py -q

- ``dev``: 50 examples, for a quick local check.

The profiles are registered here, not loaded globally: the fuzz tests apply
:data:`FUZZ` explicitly, so other property tests keep their own budgets.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,  # a loaded CI machine makes single examples slow; the budget is the total
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    "print_blob": True,  # a failure prints the @reproduce_failure line
}

settings.register_profile("ci", max_examples=300, **_COMMON)
settings.register_profile("long", max_examples=20_000, **_COMMON)
settings.register_profile("dev", max_examples=50, **_COMMON)

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
if PROFILE not in ("ci", "long", "dev"):
    PROFILE = "ci"

FUZZ = settings.get_profile(PROFILE)
"""The settings the fuzz tests run under; use as a decorator (``@FUZZ``)."""


def scaled(share: float) -> settings:
    """The fuzz settings with ``share`` of the profile's examples (for the costlier tests)."""
    return settings(FUZZ, max_examples=max(10, int(FUZZ.max_examples * share)))
