"""The catalog: every known part and cloud offer, looked up by id, kind or text."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Iterator, Mapping

from dlplanner.domain.build import BuildItem
from dlplanner.domain.parts import PART_KINDS, GpuPart, MemoryPart, PartBase
from dlplanner.domain.prices import Price, resolve_price

_SEARCH_FIELDS = (
    "chipset",
    "socket",
    "family",
    "form_factor",
    "memory_type",
    "provider",
    "instance",
    "gpu_model",
    "cooler",
    "cooler_type",
    "interface",
    "efficiency",
    "case_type",
    "sockets",
)


def search_text(part: PartBase) -> str:
    """Return the lower-case text a search matches against: id, brand, name and key specs."""
    words = [part.id, part.brand, part.name]
    values = part.__dict__  # plain field values; getattr on a missing field is slow in pydantic
    for field in _SEARCH_FIELDS:
        value = values.get(field)
        if isinstance(value, str):
            words.append(value)
        elif isinstance(value, list):  # a cooler's sockets: "TR4 cooler" finds it
            words.extend(v for v in value if isinstance(v, str))
    capacity = part.capacity_gb if isinstance(part, MemoryPart) else values.get("capacity_gb")
    for field in ("vram_gb", "wattage_w", "capacity_gb", "cores"):
        value = capacity if field == "capacity_gb" else values.get(field)
        if value is not None:
            units = {"vram_gb": "gb", "wattage_w": "w", "capacity_gb": "gb", "cores": " cores"}
            words.append(f"{value:g}{units[field]}")
    return " ".join(words).lower()


PLACEMENTS_KEPT = 4096
"""Most entries :attr:`Catalog.placements` keeps (a completion over the 10,000-part catalog
would otherwise keep one per board and drive it tried)."""


class Memo(dict[tuple[object, ...], object]):
    """A dict that empties itself when it would grow past ``size`` entries."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def __setitem__(self, key: tuple[object, ...], value: object) -> None:
        """Store ``value``, first dropping every entry when full."""
        if len(self) >= self.size:
            self.clear()
        super().__setitem__(key, value)


class Catalog:
    """An immutable set of parts, indexed for lookup and search."""

    def __init__(self, parts: Iterable[PartBase] = ()):
        self._by_id: dict[str, PartBase] = {}
        for part in parts:
            self._by_id[part.id] = part  # later parts override earlier ones
        self._by_kind: dict[str, list[PartBase]] = {kind: [] for kind in PART_KINDS}
        for part in self._by_id.values():
            self._by_kind[part.kind].append(part)  # type: ignore[attr-defined]
        self._haystack = {pid: search_text(p) for pid, p in self._by_id.items()}
        self._suggested: dict[str, tuple[str, ...]] = {}
        self.placements = Memo(PLACEMENTS_KEPT)
        """Derived facts about parts, keyed by their ids (where the GPUs and M.2 drives of a
        board go): they hold as long as this catalog, which never changes."""

    def __len__(self) -> int:
        """Return the number of parts."""
        return len(self._by_id)

    def __iter__(self) -> Iterator[PartBase]:
        """Iterate over every part, in catalog order."""
        return iter(self._by_id.values())

    def __contains__(self, part_id: object) -> bool:
        """Return whether a part with this id is in the catalog."""
        return part_id in self._by_id

    def get(self, part_id: str) -> PartBase | None:
        """Return the part with this id, or None."""
        return self._by_id.get(part_id)

    def of_kind(self, kind: str) -> list[PartBase]:
        """Every part of one kind, in catalog order."""
        return list(self._by_kind.get(kind, ()))

    @property
    def kinds(self) -> Mapping[str, list[PartBase]]:
        """Parts grouped by kind (read-only view)."""
        return self._by_kind

    def search(self, text: str, kind: str | None = None) -> list[PartBase]:
        """Parts whose id, brand, name or key specs contain every word of ``text``."""
        words = text.lower().split()
        pool = self._by_kind.get(kind, []) if kind else self._by_id.values()
        return [p for p in pool if all(w in self._haystack[p.id] for w in words)]

    def suggest(self, part_id: str, count: int = 3) -> tuple[str, ...]:
        """Return the ids nearest to one the catalog lacks, best first ("did you mean …?").

        The parts whose search text has every word of the id, closest spelling first;
        when none has, the closest spellings of the whole id (a typo). Empty when
        nothing is near.
        """
        cached = self._suggested.get(part_id)
        if cached is None:
            wanted = part_id.lower()
            found = [p.id for p in self.search(wanted.replace("-", " "))]
            if found:  # every word of the id matches: rank those by spelling
                ratio = difflib.SequenceMatcher(b=wanted)
                scores = {}
                for pid in found:
                    ratio.set_seq1(pid)
                    scores[pid] = ratio.ratio()
                near = sorted(found, key=lambda pid: -scores[pid])[:count]
            else:  # a typo: the closest spellings of the whole id
                near = difflib.get_close_matches(wanted, self._by_id, n=count, cutoff=0.75)
            if len(self._suggested) > 1000:
                self._suggested.clear()
            cached = self._suggested[part_id] = tuple(near)
        return cached[:count]

    def haystack(self, part_id: str) -> str:
        """Return the lower-case search text of one part ("" if unknown)."""
        return self._haystack.get(part_id, "")

    def matches(self, part_id: str, text: str) -> bool:
        """Whether one part matches a search text (see :meth:`search`)."""
        hay = self._haystack.get(part_id, "")
        return all(w in hay for w in text.lower().split())

    def latest_price_date(self) -> dt.date | None:
        """Return the newest price date in the catalog: how fresh its data is."""
        dates = [p.price_date for p in self._by_id.values() if p.price_date]
        return max(dates) if dates else None

    def price(self, item: BuildItem) -> Price:
        """Return what one unit of an item costs and where the figure comes from.

        The user's price, else the catalog's dated price, else its launch MSRP (see
        :mod:`dlplanner.domain.prices`); unknown, never $0, when there is none.
        """
        return resolve_price(item.price_usd, self._by_id.get(item.part), item.price_date)

    def unit_price(self, item: BuildItem) -> float | None:
        """Return what one unit of an item costs (:meth:`price`), None when unknown."""
        return self.price(item).usd

    def title(self, part_id: str) -> str:
        """Return a part's title, or its id in quotes when the catalog does not have it."""
        part = self._by_id.get(part_id)
        return part.title if part else f"'{part_id}'"

    def gpu(self, part_id: str) -> GpuPart | None:
        """Return the GPU with this id, or None if it is unknown or not a GPU."""
        part = self._by_id.get(part_id)
        return part if isinstance(part, GpuPart) else None
