"""Command line: the GUI when no sub-command is given; catalog, check, cost, export, selftest.

Exit status: 0 success, 1 findings of error severity (``check``), 2 bad input or usage,
always with one line on stderr and never a traceback.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

from dlplanner import __version__
from dlplanner.commands import terminal
from dlplanner.commands.common import EXIT_BAD_INPUT, EXIT_OK, UsageError
from dlplanner.domain.text import escape_line

COMMANDS = {
    "catalog": "dlplanner.commands.catalog",
    "check": "dlplanner.commands.check",
    "complete": "dlplanner.commands.complete",
    "cost": "dlplanner.commands.cost",
    "export": "dlplanner.commands.export",
    "prices": "dlplanner.commands.prices",
    "import": "dlplanner.commands.import_list",
    "selftest": "dlplanner.commands.selftest",
    "desktop-integration": "dlplanner.commands.desktop",
}
"""Sub-command name → module with ``add_arguments(parser)`` and ``run(args) -> int``."""

COMMAND_HELP = {
    "catalog": "list, search and show catalog parts and cloud offers",
    "check": "check a build file's compatibility (exit 1 if any error)",
    "complete": "complete a build from a few chosen parts (exit 1 if none passes)",
    "cost": "compare a build's cost with cloud leases",
    "export": "write a build's shopping list (md, csv, html, pdf)",
    "prices": "import fresh cloud or part prices from price files",
    "import": "turn a PCPartPicker part list (Markdown or text) into a build file",
    "selftest": "start the app offscreen, exercise it end to end, and report",
    "desktop-integration": "install or uninstall the menu entry, icon and build-file type",
}


class ArgumentParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, not usage plus message."""

    def error(self, message: str) -> NoReturn:
        """Report a usage error in one line and exit with status 2."""
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see --help)\n")


def _gui_parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog="dlplanner",
        description="Plan a deep-learning workstation and compare it with renting cloud GPUs. "
        "With no FILE the app opens the article's example build.",
        epilog="sub-commands: "
        + "; ".join(f"{name}: {text}" for name, text in COMMAND_HELP.items())
        + ". Run 'dlplanner COMMAND --help' for each.",
    )
    parser.add_argument("file", nargs="?", metavar="FILE", help="a .dlbuild.yaml build to open")
    parser.add_argument("--version", action="version", version=f"dlplanner {__version__}")
    parser.add_argument(
        "--exit-on-ready",
        action="store_true",
        help="exit with status 0 once the main window has been shown and painted",
    )
    parser.add_argument("--new", action="store_true", help="start with an empty build")
    parser.add_argument(
        "--new-instance",
        action="store_true",
        help="open FILE in a window of its own, even when dlplanner is already running "
        "(by default FILE goes to the running dlplanner)",
    )
    return parser


def _command_parser(name: str) -> tuple[ArgumentParser, ModuleType]:
    module = importlib.import_module(COMMANDS[name])
    parser = ArgumentParser(prog=f"dlplanner {name}", description=COMMAND_HELP[name])
    module.add_arguments(parser)
    return parser, module


NO_DISPLAY = (
    "no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset): run a command "
    "such as 'dlplanner check FILE' or 'dlplanner selftest', or set QT_QPA_PLATFORM"
)
"""The one line ``dlplanner`` prints, with exit status 2, when a window cannot be shown."""


def _no_display() -> bool:
    """Whether a Linux/BSD session has no display and Qt was told of none (Qt would abort)."""
    if sys.platform in ("win32", "darwin") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _unknown_command(word: str) -> UsageError | None:
    """Return a usage error when the first word looks like a mistyped command, not a FILE."""
    if word.startswith("-") or os.path.exists(word) or os.sep in word or "." in word:
        return None
    near = difflib.get_close_matches(word, COMMANDS, n=1, cutoff=0.5)
    if near:
        return UsageError(f"unknown command {word!r}; did you mean {near[0]}?")
    return UsageError(
        f"unknown command {word!r}; the commands are {', '.join(COMMANDS)} "
        "(or give a build FILE to open)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        if args_list and args_list[0] in COMMANDS:
            with terminal.escaped():
                parser, module = _command_parser(args_list[0])
                args = parser.parse_args(args_list[1:])
                return int(module.run(args))
        mistyped = _unknown_command(args_list[0]) if args_list else None
        if mistyped is not None:
            raise mistyped
        args = _gui_parser().parse_args(args_list)
        if _no_display():
            raise UsageError(NO_DISPLAY)
        from dlplanner.app import run_gui

        return run_gui(
            args.file,
            exit_on_ready=args.exit_on_ready,
            new=args.new,
            new_instance=args.new_instance,
        )
    except KeyboardInterrupt:
        print("dlplanner: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except (UsageError, ValueError, OSError) as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"dlplanner: error: {escape_line(message)}", file=sys.stderr)
        return EXIT_BAD_INPUT


def entry_point() -> None:
    """Console-script entry point."""
    sys.exit(main())
