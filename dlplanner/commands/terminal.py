r"""What the command line prints goes through here: control and bidi characters made visible.

A part id, a note or a file name in a build someone sent can hold an ANSI escape or a
bidirectional override; printed raw, it recolours or clears the terminal, or makes the
text read differently from what it is. The sub-commands' stdout and stderr are wrapped so
such characters come out as visible escapes (``\x1b``, ``\u202e``); line feeds and tabs
pass. JSON output stays valid and means the same (JSON escapes the C0 controls itself).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from dlplanner.domain.text import escape_terminal


class EscapingStream:
    """A text stream that writes control and bidi characters as visible escapes."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        """Write ``text`` with unsafe characters escaped; return the length of ``text``."""
        self._stream.write(escape_terminal(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        """Write each line (escaped)."""
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        """Everything else (flush, encoding, isatty…) is the wrapped stream's."""
        return getattr(self._stream, name)


@contextlib.contextmanager
def escaped() -> Iterator[None]:
    """Wrap ``sys.stdout`` and ``sys.stderr`` for a sub-command's run, then restore them."""
    saved = sys.stdout, sys.stderr
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, EscapingStream):
            setattr(sys, name, EscapingStream(stream))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
