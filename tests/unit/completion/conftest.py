from __future__ import annotations

import pytest

from dlplanner.domain.catalog import Catalog
from dlplanner.io.catalog_files import load_catalog


@pytest.fixture(scope="session")
def shipped() -> Catalog:
    return load_catalog(user_dirs=[]).catalog
