"""``python -m dlplanner``."""

from dlplanner.cli import entry_point

entry_point()
