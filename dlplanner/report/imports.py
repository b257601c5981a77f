"""Imports in words: what a price import would change, and what each list line became."""

from __future__ import annotations

from dlplanner.domain.list_match import ListImport
from dlplanner.domain.price_import import ImportPlan, PriceChange
from dlplanner.io.price_overrides import PriceImport
from dlplanner.report.format import usd


def rate(value: float | None) -> str:
    """Format a price per hour or per part: cents and a tenth below $10, cents above."""
    if value is None:
        return "none"
    return usd(value, 3 if value < 10 else 2)


def change_text(change: PriceChange) -> str:
    """One line: ``id: $3.060 -> $3.100, spot … (was dated …); detail``."""
    text = f"{change.id}: {rate(change.old_price)} -> {rate(change.new_price)}"
    if change.old_spot != change.new_spot:
        text += f", spot {rate(change.old_spot)} -> {rate(change.new_spot)}"
    same = change.old_price == change.new_price and change.old_spot == change.new_spot
    if same:
        was = change.old_date or "undated"
        text += f" (same price, dated {change.new_date} instead of {was})"
    elif change.old_date != change.new_date:
        text += f" (was dated {change.old_date or 'undated'})"
    return text + (f"; {change.detail}" if change.detail else "")


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def plan_lines(plan: ImportPlan) -> list[str]:
    """Say a plan: changes, new offers, unchanged entries, skipped rows and why."""
    out = [f"Prices dated {plan.date}, source {plan.source}"]
    out.append(f"{_count(len(plan.changes), 'price')} changed:")
    out.extend(f"  {change_text(c)}" for c in plan.changes)
    out.append(f"{_count(len(plan.new_offers), 'new offer')}:")
    for offer in plan.new_offers:
        spot = f", spot {rate(offer.spot_usd_per_hour)}" if offer.spot_usd_per_hour else ""
        out.append(f"  {offer.id}: {offer.title}, {rate(offer.price_usd)}/h{spot}")
    if plan.unchanged:
        out.append(f"{len(plan.unchanged)} unchanged: {', '.join(plan.unchanged)}")
    rows = [s for s in plan.skipped if s.line > 0]
    kept = [s for s in plan.skipped if s.line <= 0]
    out.append(f"{_count(len(rows), 'row')} skipped:")
    out.extend(f"  {s}" for s in rows)
    if kept:
        out.append(f"{_count(len(kept), 'catalog offer')} left as they are:")
        out.extend(f"  {s.label}: {s.reason}" for s in kept)
    if plan.ignored:
        which = "1 row is" if plan.ignored == 1 else f"{plan.ignored} rows are"
        out.append(f"{which} not GPU offers (CPU-only or other accelerators)")
    return out


def import_lines(result: PriceImport) -> list[str]:
    """Say every file's plan, file by file."""
    out: list[str] = []
    for item in result.files:
        which = f" ({item.provider})" if item.provider else ""
        out.append(f"{item.path}{which}:")
        out.extend(f"  {line}" for line in plan_lines(item.plan))
    return out


def import_preview(result: PriceImport) -> str:
    """Return what importing would change, as the Import Prices dialog shows it first."""
    count = len(result.overrides)
    head = (
        f"{count} entr{'ies' if count != 1 else 'y'} will be written to {result.directory}"
        if count
        else "Nothing to change: the catalog already has these prices."
    )
    return "\n".join([head, "", *import_lines(result)])


def list_lines(result: ListImport) -> list[str]:
    """Say what each list line became: its part and score, or why it is a note."""
    out = []
    for m in result.matches:
        if m.part_id:
            price = f", {usd(m.line.price)}" if m.line.price is not None else ""
            out.append(f"line {m.line.number}: {m.part_id} (score {m.score:.2f}{price})")
        else:
            out.append(m.note())
    return out


def list_preview(result: ListImport) -> str:
    """Return how many list lines matched and what each became, as the dialog shows it."""
    matched = len(result.matches) - len(result.notes)
    head = f"{matched} of {len(result.matches)} lines matched catalog parts."
    return "\n".join([head, "", *list_lines(result)])
