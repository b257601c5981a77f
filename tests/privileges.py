"""Run code as another user: CI runs as root, where permissions stop nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

NOBODY = 65534

PRELUDE = textwrap.dedent(
    """
    import os

    def drop_privileges():
        # Python and its packages may live where nobody cannot read (/root/.pyenv):
        # import everything first, then become nobody.
        if os.geteuid() == 0:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
    """
)


def run_dropped(code: str) -> str:
    """Run ``code`` in a new Python (root: it must call ``drop_privileges()`` after importing).

    Returns its stdout; a non-zero exit fails the test with its stderr.
    """
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1")
    result = subprocess.run(
        [sys.executable, "-c", PRELUDE + textwrap.dedent(code)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture
def reachable_dir() -> Iterator[Path]:
    """A folder nobody can reach (pytest's own temporary folders are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="dlplanner-test-"))
    os.chmod(folder, 0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
