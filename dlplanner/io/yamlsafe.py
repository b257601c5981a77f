"""The one hardened YAML reader: every file dlplanner reads goes through here.

PyYAML's safe loader still accepts things a data file never needs and that
hurt: aliases (a few hundred bytes of nested aliases expand into millions of
nodes), tags such as ``!!python/object``, duplicate keys (silently keeping the
last one), and arbitrarily deep nesting. This module refuses each of them with
one line naming the file and the line, before anything is constructed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import time
from pathlib import Path
from typing import Any

import yaml

from dlplanner.domain.text import escape_line
from dlplanner.io.identity import FileIdentity

try:  # libyaml when present: an order of magnitude faster
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

BUILD_MAX_BYTES = 2 * 1024 * 1024
"""A real build file is a few KB; anything over this is refused unread."""

DATA_MAX_BYTES = 32 * 1024 * 1024
"""Limit for catalog files (a generated 10,000-part catalog is about 5 MB)."""

MAX_DEPTH = 16
"""Deepest nesting of mappings and sequences a file may have."""

BUILD_MAX_NODES = 5_000
"""Most scalars and collections a build file may have (the largest valid build has about 4,100).

PyYAML builds Python objects at roughly 100,000 nodes a second, so without this limit a
2 MiB file of tiny entries takes tens of seconds to refuse; with it, well under a second.
"""

_ALLOWED_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
)


class LoadError(ValueError):
    """A file could not be read; ``str()`` is one line naming the file and, if known, the line."""

    def __init__(self, path: str | os.PathLike[str] | None, message: str, line: int | None = None):
        self.path = None if path is None else str(path)
        self.line = line
        # One line, whatever the message quotes (a key with a line break, a parser's context).
        self.reason = " ".join(message.splitlines())
        super().__init__(self._format())

    def _format(self) -> str:
        where = escape_line(self.path or "<input>")
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {escape_line(self.reason)}"


def read_text(path: str | os.PathLike[str], *, max_bytes: int = BUILD_MAX_BYTES) -> str:
    """Read a UTF-8 text file, refusing directories, huge files and binary content."""
    return decode_text(read_bytes(path, max_bytes=max_bytes), path)


def read_bytes(path: str | os.PathLike[str], *, max_bytes: int = BUILD_MAX_BYTES) -> bytes:
    """Read a regular file of at most ``max_bytes``, refusing folders, FIFOs and devices."""
    return read_identified(path, max_bytes=max_bytes)[0]


_SYSTEM_TREES = ("/proc", "/sys", "/dev")
"""Kernel file systems: their "regular" files can block a read forever (``/proc/kmsg``)."""

READ_SECONDS = 2.0
"""A read that takes longer than this (a hung network mount) is given up."""


def read_identified(
    path: str | os.PathLike[str], *, max_bytes: int = BUILD_MAX_BYTES, real: bool = False
) -> tuple[bytes, FileIdentity]:
    """Read a regular file of at most ``max_bytes`` and return its bytes and identity.

    Links are resolved first and anything that is not a regular file afterwards (a folder,
    FIFO, socket, device, or a file of ``/proc``, ``/sys`` or ``/dev``) is refused before it
    is read. The file is opened non-blocking and read in bounded chunks within
    :data:`READ_SECONDS`, so no path can make a reader hang. ``real``: the caller
    knows ``path`` is already absolute with no link in it (a listed folder's entries).
    """
    p = Path(path)
    try:
        resolved = os.fspath(p) if real else os.path.realpath(p)
        st = os.stat(resolved)
    except FileNotFoundError:
        raise LoadError(p, "no such file") from None
    except OSError as exc:
        raise LoadError(p, f"cannot read: {exc.strerror or exc}") from None
    except ValueError:  # a NUL character, which no file system accepts in a name
        raise LoadError(_printable(p), "the file name contains a NUL character") from None
    if stat.S_ISDIR(st.st_mode):
        raise LoadError(p, "is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        # A FIFO or a device would block the read or never end.
        raise LoadError(p, "not a regular file")
    if os.name == "posix" and any(
        resolved == tree or resolved.startswith(tree + "/") for tree in _SYSTEM_TREES
    ):
        raise LoadError(p, f"not a regular file (a system file: {resolved})")
    if st.st_size > max_bytes:
        raise LoadError(
            p, f"file is {st.st_size / 1048576:.1f} MiB; the limit is {max_bytes // 1048576} MiB"
        )
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(resolved, flags | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise LoadError(p, f"cannot read: {exc.strerror or exc}") from None
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):  # swapped for something else since the check
            raise LoadError(p, "not a regular file")
        chunks: list[bytes] = []
        size = 0
        deadline = time.monotonic() + READ_SECONDS
        while size <= max_bytes:
            try:
                chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            except BlockingIOError:
                raise LoadError(p, "not a regular file (reading it would block)") from None
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if time.monotonic() > deadline:
                raise LoadError(p, f"reading took longer than {READ_SECONDS:g} s; gave up")
    except OSError as exc:
        raise LoadError(p, f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > max_bytes:
        raise LoadError(p, f"file is larger than the {max_bytes // 1048576} MiB limit")
    return raw, FileIdentity.of(opened, raw)


def _printable(path: Path) -> str:
    return str(path).replace("\x00", "\\0")


def decode_text(raw: bytes, path: str | os.PathLike[str] | None = None) -> str:
    """Decode bytes as UTF-8 (a BOM is allowed), refusing binary data."""
    if b"\x00" in raw:
        raise LoadError(path, "binary data, not a YAML text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LoadError(path, "not valid UTF-8 text", line) from None
    return text


_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_TAG = "tag:yaml.org,2002:"
_STR, _NULL, _MAP, _SEQ = _TAG + "str", _TAG + "null", _TAG + "map", _TAG + "seq"
_CONVERTERS = {
    _TAG + name: _CONSTRUCTOR.yaml_constructors[_TAG + name]
    for name in ("int", "float", "bool", "timestamp")
}


_WORDS = frozenset(
    w
    for word in ("yes", "no", "true", "false", "on", "off", "null")
    for w in (word, word.title(), word.upper())
)
"""The words YAML 1.1 reads as a bool or null; any other word is a string."""
_IMPLICIT_FIRST = frozenset(k for k in yaml.resolver.Resolver.yaml_implicit_resolvers if k)
"""First characters that can start a non-string plain scalar (digits, signs, y/n/t/f/o, ~ …)."""


def _scalar(event: yaml.ScalarEvent) -> Any:
    """Resolve and construct one scalar exactly as PyYAML's safe loader would."""
    tag = event.tag
    value = event.value
    if tag is None:
        if not event.implicit[0]:
            return value  # quoted: always a string
        if value and value[0] not in _IMPLICIT_FIRST:
            return value  # no implicit type starts with this character
        # Benchmark row "Load the shipped catalog, first read": keys and words (name, notes,
        # true), plain decimals and dates are nearly every value the resolver would see.
        # A word is a bool or null only when it is one of _WORDS; the patterns below are
        # ones it resolves to int, float and timestamp: these skip its regular expressions.
        if value and value[0].isalpha() and value not in _WORDS:
            return value
        if len(value) <= MAX_NUMBER_CHARS:
            if _PLAIN_INT.fullmatch(value):
                return int(value)
            if _DECIMAL.fullmatch(value):
                return _number(_FLOAT, value)
            if (date := _DATE.fullmatch(value)) is not None:
                return dt.date(int(date[1]), int(date[2]), int(date[3]))
        tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    elif tag == "!":
        return value
    if tag == _STR:
        return value
    if tag == _NULL:
        return None
    if tag in _NUMBER_TAGS:
        return _number(tag, value)
    convert = _CONVERTERS.get(tag)
    if convert is None:
        if tag == _TAG + "merge":
            raise ValueError("YAML merge keys (<<) are not allowed")
        raise ValueError(f"cannot read the value {value!r}")
    return convert(_CONSTRUCTOR, yaml.ScalarNode(tag, value))


_INT, _FLOAT = _TAG + "int", _TAG + "float"
_NUMBER_TAGS = frozenset((_INT, _FLOAT))
_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_PLAIN_FLOAT = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_DECIMAL = re.compile(r"[-+]?[0-9]+\.[0-9]*")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_SPECIAL_FLOAT = re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
MAX_NUMBER_CHARS = 100
"""The longest number a file may write (any real value has a handful of digits)."""


def _number(tag: str, value: str) -> int | float:
    """Convert a plain decimal number; refuse YAML 1.1's other spellings.

    PyYAML reads ``1:30:00`` as 5400 (base 60), ``0x10`` as 16, ``010`` as 8 (octal) and
    ``1_000`` as 1000; a person writing a price or a length means none of these.
    """
    if len(value) > MAX_NUMBER_CHARS:
        raise ValueError(
            f"a number of {len(value):,} characters is too long "
            f"(at most {MAX_NUMBER_CHARS}); check the value"
        )
    if tag == _INT and _PLAIN_INT.fullmatch(value):
        return int(value)
    if tag == _FLOAT and _SPECIAL_FLOAT.fullmatch(value):
        return float(value.lower().replace(".", "", 1))  # ".inf" -> "inf"; refused later
    if _PLAIN_FLOAT.fullmatch(value) and ("." in value or "e" in value.lower()):
        number = float(value)
        return 0.0 if number == 0 else number  # -0.0 would print as "-0.00"
    shown = value if len(value) <= 20 else value[:20] + "…"
    raise ValueError(
        f"{shown!r} is not a plain decimal number (YAML would read it as base 60, "
        "hexadecimal, octal or binary); write the number in decimal, or quote it to keep it as text"
    )


class _Mapping:
    """A mapping being built: the dict, the key waiting for its value, the keys seen."""

    __slots__ = ("data", "has_key", "key")

    def __init__(self) -> None:
        self.data: dict[Any, Any] = {}
        self.key: Any = None
        self.has_key = False


def _construct(
    text: str,
    path: str | os.PathLike[str] | None,
    max_depth: int,
    max_nodes: int | None,
) -> Any:
    """Parse events and build plain data in one pass, refusing what a data file must not hold.

    Why a hand-written loop and not a ``CSafeLoader`` subclass with constructor hooks:
    two rows need it.

    * Benchmark row "Load the shipped catalog, first read" (target 100 ms, parse plus
      validation). Measured back to back, five times, on the shipped catalog (482 KB, CPU
      time, loaded 2-core machine): this loop 53–68 ms; a ``CSafeLoader`` subclass that only
      adds a duplicate-key check 96–156 ms, before the alias, tag, depth and size checks.
      The plain subclass alone misses the row.
    * The worst-case refusal of ``tests/unit/test_bad_inputs.py`` (under 0.5 s): the
      subclass composes the whole node tree before any check can count values, so a 2 MiB
      file of tiny entries is built in full; this loop stops at the first value past the
      limit.

    The loop is written for speed (it runs once per value of every file read): the line of
    an event is looked up only to report a problem, and common plain strings skip the
    resolver.
    """
    stack: list[_Mapping | list[Any]] = []
    parent: Any = None  # the collection being filled: a _Mapping or a list
    root: Any = None
    documents = 0
    nodes = 0
    limit = max_nodes if max_nodes is not None else -1
    event: Any = None
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    map_start, seq_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    map_end, seq_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    doc_start, stream_end = yaml.DocumentStartEvent, yaml.StreamEndEvent
    implicit_first = _IMPLICIT_FIRST
    mapping, sequence = _Mapping, list

    def line() -> int | None:
        mark = event.start_mark if event is not None else None
        return mark.line + 1 if mark else None

    loader = _Loader(text)
    try:
        get_event = loader.get_event
        while True:
            event = get_event()
            kind = type(event)
            if kind is scalar_event:
                if event.anchor is not None:
                    raise LoadError(path, f"YAML anchors (&{event.anchor}) are not allowed", line())
                nodes += 1
                if nodes == limit + 1 and limit >= 0:
                    raise LoadError(path, f"more than {limit:,} entries and values", line())
                value = event.value
                if event.tag is not None or (
                    event.implicit[0] and (not value or value[0] in implicit_first)
                ):
                    tag = event.tag
                    if tag is not None and tag != "!" and tag not in _ALLOWED_TAGS:
                        raise LoadError(path, f"YAML tag {tag!r} is not allowed", line())
                    try:
                        value = _scalar(event)
                    except (ValueError, OverflowError, yaml.YAMLError) as exc:
                        # e.g. a timestamp like 2024-02-30 that is no real date
                        raise LoadError(path, f"invalid value: {exc}", line()) from None
                # else: quoted, or plain text no implicit type can start with: a string
                if parent is None:
                    root = value
                elif parent.__class__ is sequence:
                    parent.append(value)
                elif parent.has_key:
                    parent.data[parent.key] = value
                    parent.has_key = False
                else:
                    if value in parent.data:
                        raise LoadError(path, f"duplicate key {value!r}", line())
                    parent.key = value
                    parent.has_key = True
            elif kind is map_start or kind is seq_start:
                if event.anchor is not None:
                    raise LoadError(path, f"YAML anchors (&{event.anchor}) are not allowed", line())
                tag = event.tag
                if tag is not None and tag != "!" and tag not in _ALLOWED_TAGS:
                    raise LoadError(path, f"YAML tag {tag!r} is not allowed", line())
                nodes += 1
                if nodes == limit + 1 and limit >= 0:
                    raise LoadError(path, f"more than {limit:,} entries and values", line())
                if parent is not None and parent.__class__ is mapping and not parent.has_key:
                    raise LoadError(path, "complex mapping keys are not allowed", line())
                if len(stack) >= max_depth:
                    raise LoadError(path, f"nesting deeper than {max_depth} levels", line())
                if kind is map_start and tag in (None, "!", _MAP):
                    parent = mapping()
                elif kind is seq_start and tag in (None, "!", _SEQ):
                    parent = sequence()
                else:
                    raise LoadError(path, f"YAML tag {tag!r} does not fit this value", line())
                stack.append(parent)
            elif kind is map_end or kind is seq_end:
                done = stack.pop()
                value = done.data if done.__class__ is mapping else done
                parent = stack[-1] if stack else None
                if parent is None:
                    root = value
                elif parent.__class__ is sequence:
                    parent.append(value)
                else:  # a collection is never a key: refused at its start
                    parent.data[parent.key] = value
                    parent.has_key = False
            elif kind is alias_event:
                raise LoadError(path, "YAML aliases (*name) are not allowed", line())
            elif kind is doc_start:
                documents += 1
                if documents > 1:
                    raise LoadError(path, "more than one YAML document", line())
            elif kind is stream_end:
                break
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = mark.line + 1 if mark else None
        reason = exc.problem or exc.context or "invalid YAML"
        if "nesting depth" in reason:
            # libyaml 0.2.5 (PyYAML 6.0.4) stops deep documents itself, before our check.
            raise LoadError(path, f"nesting deeper than {max_depth} levels", at) from None
        raise LoadError(path, f"invalid YAML: {reason}", at) from None
    except yaml.reader.ReaderError as exc:
        # A control character; str(exc) would be two lines about "<unicode string>".
        char = exc.character
        code = char if isinstance(char, int) else ord(char)
        at = text.count("\n", 0, exc.position) + 1
        reason = f"invalid YAML: character U+{code:04X} is not allowed"
        raise LoadError(path, reason, at) from None
    except yaml.YAMLError as exc:
        raise LoadError(path, f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    return root


def parse_yaml(
    text: str,
    path: str | os.PathLike[str] | None = None,
    *,
    max_depth: int = MAX_DEPTH,
    max_nodes: int | None = None,
) -> Any:
    """Parse YAML text into plain data, refusing aliases, tags, duplicate keys and deep nesting.

    With ``max_nodes``, a document with more scalars and collections than that is refused
    as soon as the count is passed.
    """
    return _construct(text, path, max_depth, max_nodes)


def load_yaml_file(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = BUILD_MAX_BYTES,
    max_depth: int = MAX_DEPTH,
    max_nodes: int | None = None,
) -> Any:
    """Read and parse one YAML file through all the checks above."""
    text = read_text(path, max_bytes=max_bytes)
    return parse_yaml(text, path, max_depth=max_depth, max_nodes=max_nodes)


def load_mapping(
    path: str | os.PathLike[str], *, max_bytes: int = BUILD_MAX_BYTES
) -> dict[str, Any]:
    """Like :func:`load_yaml_file`, but the document must be a mapping."""
    data = load_yaml_file(path, max_bytes=max_bytes)
    if data is None:
        raise LoadError(path, "the file is empty")
    if not isinstance(data, dict):
        raise LoadError(path, f"expected a mapping at the top, found {type(data).__name__}")
    return data


def line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """Return the 1-based line of the value at ``loc`` (keys and indices) in ``text``."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None
    line = None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            for knode, vnode in node.value:
                if knode.value == key:
                    line = knode.start_mark.line + 1
                    node = vnode
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            if not 0 <= key < len(node.value):
                return line
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def dump_yaml(data: Any) -> str:
    """Write plain, human-editable YAML (block style, keys in the given order)."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )


class _Dumper(yaml.SafeDumper):
    """A safe dumper that never writes anchors, so what we write we can read."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


_LINE_BREAKS = ("\x85", "\u2028", "\u2029")
"""Characters YAML reads as line breaks, which PyYAML may write raw in a plain or quoted scalar."""


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    # PyYAML writes a trailing NEL (U+0085) raw in single quotes, where it reads back as a
    # folded line break: the string would not survive a save. Double quotes escape it.
    if any(ch in data for ch in _LINE_BREAKS):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"')
    return dumper.represent_str(data)


_Dumper.add_representer(str, _represent_str)
