"""PyInstaller entry point for both executables: the same as ``python -m dlplanner``."""

import sys

from dlplanner.cli import main

if __name__ == "__main__":
    sys.exit(main())
