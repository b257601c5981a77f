"""Small wording helpers, so every rule writes its numbers and parts the same way."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import TypeVar

from dlplanner.domain.parts import PartBase

_T = TypeVar("_T", bound=Hashable)


def num(value: float) -> str:
    """Format a number without a trailing ``.0``: 304, 2.5."""
    return f"{value:.10g}"


def mm(value: float) -> str:
    """Format millimetres: ``304 mm``."""
    return f"{num(value)} mm"


def watts(value: float) -> str:
    """Format watts, rounded: ``1980 W``."""
    return f"{round(value)} W"


_VOWEL_LETTERS = frozenset("AEFHILMNORSX")
"""Letters whose spoken name starts with a vowel sound ("an LGA1700", "an SFX")."""


def article(word: str) -> str:
    """Put ``a`` or ``an`` before a word as it is spoken: an AM5, a TR4, an sTR5, an 800 W.

    Abbreviations (a capital followed by a capital or digit, or ``sTR5``-style socket names)
    are read letter by letter; numbers by their spoken start (8, 11, 18 and 80 … take
    ``an``, as in eighteen hundred); other words by their first letter.
    """
    if not word:
        return word
    first = word[0]
    if first.isdigit():
        digits = word[: len(word) - len(word.lstrip("0123456789"))]
        spoken_an = first == "8" or (len(digits) in (2, 4, 5) and digits[:2] in ("11", "18"))
        return f"{'an' if spoken_an else 'a'} {word}"
    letters = len(word) > 1 and (word[1].isupper() or word[1].isdigit())
    if first == "s" and letters:
        return f"an {word}"
    if first.isupper() and letters:
        return f"{'an' if first in _VOWEL_LETTERS else 'a'} {word}"
    return f"{'an' if first.lower() in 'aeiou' else 'a'} {word}"


def plural(count: int, word: str, many: str | None = None) -> str:
    """Count a noun: ``1 GPU``, ``4 GPUs``."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def missing(part: PartBase, field: str) -> str:
    """Name a missing spec: ``the Corsair 4000D has no max_gpu_length_mm in the catalog``."""
    return f"the {part.title} has no {field} in the catalog"


def counted(parts: Iterable[PartBase]) -> str:
    """Parts grouped by id: ``4 × NVIDIA RTX 4090 FE, 1 × …``; a single part by its title."""
    seq = list(parts)
    counts = tally(p.id for p in seq)
    titles = {p.id: p.title for p in seq}
    if len(counts) == 1 and next(iter(counts.values())) == 1:
        return next(iter(titles.values()))
    return ", ".join(f"{n} × {titles[pid]}" for pid, n in counts.items())


def ids(parts: Iterable[PartBase | None]) -> tuple[str, ...]:
    """Catalog ids of the parts that are there, without repeats, in order."""
    return tuple(dict.fromkeys(p.id for p in parts if p is not None))


def join(words: Iterable[str]) -> str:
    """Join words as ``a, b and c``."""
    items = list(words)
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def tally(values: Iterable[_T]) -> dict[_T, int]:
    """Count equal values, in first-seen order (a light ``collections.Counter``)."""
    counts: dict[_T, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts
