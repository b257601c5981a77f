"""Matching a PCPartPicker list's items to catalog parts, and the build that results.

Each item is scored against every catalog part of its kind. The score (0 to 1) is
0.6 × how much of the part's name the item has (model numbers count three times) plus
0.4 × how many of the item's model numbers the part has (name and key specs). An item
matches when the best score is at least :data:`MATCH_SCORE` and clearly ahead of the next;
otherwise the line is kept as a note with "did you mean …" candidates, never dropped.
A partner card that the catalog does not have thus stays a note rather than silently
becoming the Founders Edition, whose cooler and length the checks would then use.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from dlplanner.domain.build import MAX_ITEMS, Build, BuildItem
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.part_list import ListLine, PartList

MATCH_SCORE = 0.85
"""The lowest score that counts as a match."""
AMBIGUOUS_SCORE = 0.6
"""Two parts this close to an item and to each other make the line ambiguous."""
MARGIN = 0.05
"""How far the best part must be ahead of the next for a match."""
HINT_SCORE = 0.3
"""Parts scoring at least this are offered as "did you mean" candidates."""

_UNIT = re.compile(r"(\d+(?:\.\d+)?)\s*(gb|tb|ghz|mhz|w|mm|cfm|rpm)\b")
_SUFFIXES = frozenset({"ti", "super", "xt", "xtx"})
_UNIT_TOKEN = re.compile(r"^\d+(?:\.\d+)?(?:ghz|mhz|mm|cfm|rpm|core)$")
"""Measures that vary by listing; capacities (GB, TB) and watts do tell parts apart."""


def tokens(text: str) -> list[str]:
    """Lower-case words and model numbers of a product name (``24 GB`` → ``24gb``)."""
    text = _UNIT.sub(r"\1\2", text.lower())
    text = re.sub(r"\bcl(\d+)\b", r"c\1", text)  # CAS latency: CL16 and C16 are the same
    return [t for t in re.split(r"[^a-z0-9.]+", text) if t and t != "."]


def _is_model(token: str) -> bool:
    if token in _SUFFIXES:
        return True
    if not any(ch.isdigit() for ch in token) or _UNIT_TOKEN.match(token):
        return False
    return not (token.replace(".", "").isdigit() and float(token) < 100)


def _weight(token: str) -> float:
    return 3.0 if _is_model(token) else 1.0


def score(item: str, part_title: str, part_haystack: str) -> float:
    """Return how well an item's name fits a catalog part (0 to 1)."""
    item_tokens = set(tokens(item))
    # Part numbers in brackets ("(CP-9020201)") are not in a shop's item name: they count
    # for the item's model numbers below, not against the part.
    part_tokens = tokens(re.sub(r"\([^)]*\)", " ", part_title))
    if not part_tokens:
        return 0.0
    have = sum(_weight(t) for t in part_tokens if t in item_tokens)
    recall = have / sum(_weight(t) for t in part_tokens)
    models = [t for t in item_tokens if _is_model(t)]
    hay = set(tokens(part_haystack)) | set(part_tokens)
    precision = sum(1 for t in models if t in hay) / len(models) if models else recall
    return round(0.6 * recall + 0.4 * precision, 3)


@dataclass(frozen=True, slots=True)
class LineMatch:
    """What became of one list line."""

    line: ListLine
    part_id: str | None
    score: float
    candidates: tuple[tuple[str, float], ...] = ()
    reason: str = ""

    def note(self) -> str:
        """Return the line as a note: what it said and why it is not a part of the build."""
        price = f" ({self.line.price_text})" if self.line.price_text else ""
        where = f"Line {self.line.number} ({self.line.type})"
        text = f"{where} {self.line.item!r}{price}: {self.reason}"
        if self.candidates:
            shown = ", ".join(f"{pid} ({s:.2f})" for pid, s in self.candidates)
            text += f"; did you mean {shown}?"
        return text


@dataclass
class ListImport:
    """A matched list: the build to write and every line's outcome."""

    build: Build
    matches: list[LineMatch] = field(default_factory=list)

    @property
    def notes(self) -> list[LineMatch]:
        """Lines that did not become parts (ambiguous, unmatched, not a part)."""
        return [m for m in self.matches if m.part_id is None]


def match_line(line: ListLine, catalog: Catalog) -> LineMatch:
    """Find the catalog part a list line names, or say why there is none."""
    kind = line.kind
    if kind is None:
        return LineMatch(line, None, 0.0, reason=f"a {line.type}, not a part dlplanner checks")
    if not line.item.strip():
        return LineMatch(line, None, 0.0, reason="no item name")
    scored = sorted(
        ((score(line.item, p.title, catalog.haystack(p.id)), p.id) for p in catalog.of_kind(kind)),
        key=lambda pair: (-pair[0], pair[1]),
    )
    hints = tuple((pid, s) for s, pid in scored[:3] if s >= HINT_SCORE)
    best, best_id = scored[0] if scored else (0.0, "")
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    if best >= AMBIGUOUS_SCORE and best - runner_up < MARGIN:
        return LineMatch(line, None, best, hints, "ambiguous: several catalog parts fit")
    if best < MATCH_SCORE:
        return LineMatch(line, None, best, hints, "not in the catalog")
    return LineMatch(line, best_id, best, hints)


def import_part_list(part_list: PartList, catalog: Catalog, name: str = "") -> ListImport:
    """Match every line and make the build: matched parts with the list's prices and date."""
    matches = [match_line(line, catalog) for line in part_list.lines]
    items: list[BuildItem] = []
    for m in matches:
        if m.part_id is None:
            continue
        price = m.line.price
        date: dt.date | None = part_list.date if price is not None else None
        note = "" if price is not None or not m.line.price_text else f"listed: {m.line.price_text}"
        last = items[-1] if items else None
        if last and last.part == m.part_id and last.price_usd == price and last.qty < 64:
            items[-1] = last.model_copy(update={"qty": last.qty + 1})
            continue
        items.append(BuildItem(part=m.part_id, qty=1, price_usd=price, price_date=date, note=note))
    if len(items) > MAX_ITEMS:
        raise ValueError(f"{len(items)} parts: more than a build holds ({MAX_ITEMS})")
    head = [f"Imported from a PCPartPicker list{f' ({part_list.url})' if part_list.url else ''}"]
    if part_list.date:
        head[0] += f" generated {part_list.date}; listed prices are dated that day."
    if part_list.currency_note:
        head.append(part_list.currency_note[0].upper() + part_list.currency_note[1:] + ".")
    notes = [m.note() for m in matches if m.part_id is None]
    if notes:
        head.append("Lines that are not parts of this build:")
    text = "\n".join(head + [f"- {n}" for n in notes])[:20_000]
    title = name or "PCPartPicker list" + (f" {part_list.date}" if part_list.date else "")
    return ListImport(Build(name=title[:200], notes=text, items=tuple(items)), matches)
