"""The shopping list of a build: rows with prices and totals, shared by every export format."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dlplanner.domain.build import Build, BuildItem
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.parts import KIND_TITLES
from dlplanner.domain.prices import PriceOrigin
from dlplanner.report.format import date_text


@dataclass(frozen=True, slots=True)
class ShoppingRow:
    """One line: what to buy, how many, and at what price."""

    stage: int
    month: int
    kind: str
    item: str
    part_id: str
    qty: int
    unit_price_usd: float | None
    price_date: dt.date | None
    price_is_override: bool
    known: bool
    note: str = ""
    price_kind: str = ""
    """``street`` (a shop's price), ``launch`` (the maker's launch price), ``yours`` (the
    user's price) or ``no price``: the resolver's origin, as the exports' Kind column says it."""
    source_url: str = ""
    """Where to buy, or where the price was read: the price's source, else the catalog's
    price source of the part; empty when the catalog has none."""
    price_year: int | None = None
    """The launch year of a launch price that has no exact date."""

    @property
    def kind_title(self) -> str:
        """The part type as a person reads it."""
        return KIND_TITLES.get(self.kind, "Unknown part")

    @property
    def date_text(self) -> str:
        """When the price was true: its date, the launch year, or ``""`` (kind is apart)."""
        if self.price_date is None and self.price_year is not None:
            return str(self.price_year)
        return date_text(self.price_date)

    @property
    def line_total_usd(self) -> float | None:
        """Quantity times unit price, if the price is known."""
        return None if self.unit_price_usd is None else self.unit_price_usd * self.qty


@dataclass(frozen=True, slots=True)
class StageList:
    """The rows bought at one stage of the plan."""

    index: int
    month: int
    label: str
    rows: tuple[ShoppingRow, ...]

    @property
    def total_usd(self) -> float:
        """Sum of the known line totals."""
        return sum(r.line_total_usd or 0.0 for r in self.rows)

    @property
    def unpriced(self) -> int:
        """Rows without a price (not in the total)."""
        return sum(1 for r in self.rows if r.unit_price_usd is None)

    @property
    def unpriced_names(self) -> list[str]:
        """The items without a price, in list order (each once)."""
        return list(dict.fromkeys(r.item for r in self.rows if r.unit_price_usd is None))


@dataclass(frozen=True, slots=True)
class ShoppingList:
    """A build's shopping list: the initial purchase, then each planned stage."""

    name: str
    stages: tuple[StageList, ...]
    created: dt.date = field(default_factory=dt.date.today)

    @property
    def now(self) -> StageList:
        """What to buy today (stage 0)."""
        return self.stages[0]

    @property
    def grand_total_usd(self) -> float:
        """The whole plan, all stages."""
        return sum(s.total_usd for s in self.stages)


PRICES_NOTE = (
    "Price kind: street, a shop's price on the date shown; launch, the maker's launch price "
    "(dated at launch); yours, the price you entered. A part without a price is left out of "
    "the totals, never counted as $0."
)
"""The note under the exported parts lists, saying what the Price kind column means."""

KIND_WORDS: dict[PriceOrigin, str] = {
    "street": "street",
    "launch": "launch",
    "user": "yours",
    "none": "no price",
}
"""The resolver's price origins as the exports' Kind column says them."""


def _row(item: BuildItem, catalog: Catalog, stage: int, month: int) -> ShoppingRow:
    part = catalog.get(item.part)
    price = catalog.price(item)
    if part is None:
        return ShoppingRow(
            stage, month, "unknown", f"Unknown part '{item.part}'", item.part, item.qty,
            price.usd, price.date, price.origin == "user", False, item.note,
            KIND_WORDS[price.origin],
        )  # fmt: skip
    # A price's own source, else where the catalog saw the part's price (for your price or
    # a launch fallback); never a spec source, which is not a place to buy.
    source = price.source or part.price_source or ""
    return ShoppingRow(
        stage, month, part.kind, part.title, part.id, item.qty,  # type: ignore[attr-defined]
        price.usd, price.date, price.origin == "user", True, item.note,
        KIND_WORDS[price.origin], source, price.year,
    )  # fmt: skip


def shopping_list(build: Build, catalog: Catalog) -> ShoppingList:
    """Resolve every item of every stage against the catalog."""
    stages = []
    for stage in build.stages():
        rows = tuple(_row(i, catalog, stage.index, stage.month) for i in stage.added)
        stages.append(StageList(stage.index, stage.month, stage.label, rows))
    return ShoppingList(build.name, tuple(stages))
