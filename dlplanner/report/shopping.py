"""The shopping list of a build: rows with prices and totals, shared by every export format."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dlplanner.domain.build import Build, BuildItem
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.parts import KIND_TITLES
from dlplanner.report.format import date_text
from dlplanner.report.prices import price_label as reported_label


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
    """``street`` (a shop's price), ``launch`` (the maker's launch price), ``yours`` (an
    override), or empty when the catalog does not say or there is no price."""
    source_url: str = ""
    """Where to buy, or where the price was read: the price's source, else the part's first."""
    price_label: str = ""
    """How the price is marked when it is not a dated shop price (``launch price, 2023``)."""

    @property
    def kind_title(self) -> str:
        """The part type as a person reads it."""
        return KIND_TITLES.get(self.kind, "Unknown part")

    @property
    def date_text(self) -> str:
        """When the price was seen: its date (marked when a launch price), or ``your price``."""
        if self.price_is_override and self.price_date is None:
            return "your price"
        return self.price_label or date_text(self.price_date)

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


def _row(item: BuildItem, catalog: Catalog, stage: int, month: int) -> ShoppingRow:
    part = catalog.get(item.part)
    if part is None:
        return ShoppingRow(
            stage, month, "unknown", f"Unknown part '{item.part}'", item.part, item.qty,
            item.price_usd, None, item.price_usd is not None, False, item.note,
        )  # fmt: skip
    price = catalog.price(item)
    override = price.origin == "user"
    label = reported_label(price) if price.is_launch else ""
    if override:
        kind = "yours"
    elif price.is_launch:
        kind = "launch"
    else:
        kind = (part.price_kind or "") if price.known else ""
    source = price.source or part.price_source or (part.sources[0] if part.sources else "")
    return ShoppingRow(
        stage, month, part.kind, part.title, part.id, item.qty,  # type: ignore[attr-defined]
        price.usd, price.date, override, True, item.note, kind, source, label,
    )  # fmt: skip


def shopping_list(build: Build, catalog: Catalog) -> ShoppingList:
    """Resolve every item of every stage against the catalog."""
    stages = []
    for stage in build.stages():
        rows = tuple(_row(i, catalog, stage.index, stage.month) for i in stage.added)
        stages.append(StageList(stage.index, stage.month, stage.label, rows))
    return ShoppingList(build.name, tuple(stages))
