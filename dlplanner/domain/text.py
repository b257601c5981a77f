r"""Text that is safe to print on one line: control and bidi characters made visible.

A part id or a file name can carry an ANSI escape (``\x1b[31m`` recolours a terminal, or
clears it), a line break (a one-line message becomes two, and the second can pose as
another message) or a bidirectional override (``\u202e`` shows ``exe.txt`` as
``txt.exe``). Everything printed to a terminal or shown as a one-line message goes
through :func:`escape_line`, which writes such characters as visible escapes.
"""

from __future__ import annotations

import unicodedata

_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Bidirectional marks, embeddings, overrides and isolates."""
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x00": "\\0"}


def _escape(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    # \uXXXX beyond ASCII, so escaped JSON output stays valid JSON with the same value.
    return f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}"


def needs_escape(ch: str) -> bool:
    """Whether ``ch`` is a control, format-breaking or bidi character."""
    if ch in _BIDI:
        return True
    category = unicodedata.category(ch)
    # Cc: C0 and C1 controls, DEL; Zl/Zp: line and paragraph separators.
    return category in ("Cc", "Zl", "Zp")


def escape_line(text: str) -> str:
    """Return ``text`` with control, line-break and bidi characters as visible escapes."""
    if text.isprintable() and not any(ch in _BIDI for ch in text):
        return text
    return "".join(_escape(ch) if needs_escape(ch) else ch for ch in text)


def escape_terminal(text: str) -> str:
    """Like :func:`escape_line`, but keep line feeds and tabs (text of several lines)."""
    if text.isprintable() and not any(ch in _BIDI for ch in text):
        return text
    return "".join(_escape(ch) if ch not in "\n\t" and needs_escape(ch) else ch for ch in text)


def has_unsafe_characters(text: str) -> bool:
    """Whether ``text`` holds a control, line-break or bidi character (refused in ids)."""
    return (not text.isprintable() and any(needs_escape(ch) for ch in text)) or any(
        ch in _BIDI for ch in text
    )
