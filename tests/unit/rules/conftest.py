"""Fixtures for the rule tests: the sample catalog and builds (see ``samples.py``)."""

from __future__ import annotations

import pytest

from dlplanner.domain.build import Build
from dlplanner.domain.catalog import Catalog
from tests.unit.rules import samples


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return samples.CATALOG


@pytest.fixture(scope="session")
def article_build() -> Build:
    return samples.ARTICLE


@pytest.fixture(scope="session")
def acceptance_build() -> Build:
    return samples.ACCEPTANCE
