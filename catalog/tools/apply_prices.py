"""Apply a price import to the shipped ``catalog/cloud.yaml`` (a maintainer's tool).

``dlplanner prices import`` writes a user's override file and never edits the shipped
catalog. This script runs the same import (the same reader, the same matching, the same
planning as the command) against the shipped catalog alone and writes the result into
``catalog/cloud.yaml`` itself, so a refresh of the shipped prices goes through the code users
run and every refreshed price carries the file's source URL and date.

    python catalog/tools/apply_prices.py catalog/tools/price_extracts/lambda-v9-2c3d7ea7.csv
        --provider lambda --date 2026-07-09 --source URL-OF-THE-FILE-AT-ITS-COMMIT
        --note "Why this date ..." --add lambda-gpu-2x-h100-sxm5 --dry-run

(one command line; the URL is ``https://github.com/skypilot-org/skypilot-catalog/blob/<commit>/
catalogs/v9/lambda/vms.csv``).

* Offers the file prices get its on-demand price (and spot price where the file has one),
  the date and the source; ``--skip ID`` leaves an offer as it is. The offer's earlier notes
  are kept after the new sentence ("Earlier notes: ...").
* New offers the import proposes are added only when named with ``--add ID`` (an import
  proposes every GPU shape in the file); they go after the provider's last offer. A new
  offer without a throughput takes the one of a shipped offer with the same ``gpu_model``
  (the one table, ``catalog/throughput.csv``), or none when no offer has that GPU.
* Entries the script does not change are copied byte for byte; changed and new entries are
  written in the file's key order.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
CLOUD = ROOT / "catalog" / "cloud.yaml"
sys.path.insert(0, str(ROOT))

from dlplanner.domain.parts import CloudOffer  # noqa: E402
from dlplanner.io.catalog_files import load_catalog  # noqa: E402
from dlplanner.io.price_overrides import plan_files  # noqa: E402

KEY_ORDER = (
    *("id", "brand", "name", "provider", "instance", "gpu_model", "gpu_count", "vram_gb"),
    *("vcpus", "ram_gb", "region", "price_usd", "price_date", "price_source"),
    *("reserved_1y_usd_per_hour", "reserved_3y_usd_per_hour", "reserved_1y_discount"),
    *("reserved_3y_discount", "commitment_source", "spot_usd_per_hour", "throughput"),
    *("sources", "estimated", "complete", "notes"),
)
"""The key order of cloud.yaml's entries."""

NOTES_MAX = 1990
"""Notes are cut to this length (the models refuse longer text)."""

LABEL = {"Google Cloud": "GCP", "Microsoft Azure": "Azure"}


def split_blocks(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Split cloud.yaml into its head and one ``(id, text)`` block per entry."""
    starts = [m.start() for m in re.finditer(r"^- id: ", text, flags=re.M)]
    head = text[: starts[0]]
    blocks = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        block = text[start:end]
        blocks.append((block.split("\n", 1)[0][len("- id: ") :].strip(), block))
    return head, blocks


def dump_entry(entry: dict[str, Any]) -> str:
    """Write one entry as a list item in cloud.yaml's style (whole sizes as 80, not 80.0)."""
    entry = {
        k: int(v) if isinstance(v, float) and v.is_integer() and k.endswith(("_gb", "vcpus")) else v
        for k, v in entry.items()
        if not (k == "complete" and not v)
    }
    ordered = {k: entry[k] for k in KEY_ORDER if k in entry}
    ordered.update({k: v for k, v in entry.items() if k not in ordered})
    return yaml.safe_dump(
        [ordered], sort_keys=False, width=120, allow_unicode=True, default_flow_style=False
    )


def _notes(text: str, old: str | None) -> str:
    note = text if not old else f"{text} Earlier notes: {old}"
    return note if len(note) <= NOTES_MAX else note[: NOTES_MAX - 1] + "…"


def _money(value: float | None) -> str:
    return "none" if value is None else f"${value:g}/h"


def update_entry(
    entry: dict[str, Any], offer: CloudOffer, date: dt.date, source: str, note: str
) -> dict[str, Any]:
    """Return ``entry`` with the imported price, date, source and spot price of ``offer``."""
    new = dict(entry)
    old_spot = entry.get("spot_usd_per_hour")
    new["price_usd"] = offer.price_usd
    new["price_date"] = date
    new["price_source"] = source
    if offer.spot_usd_per_hour is None:
        new.pop("spot_usd_per_hour", None)
    else:
        new["spot_usd_per_hour"] = offer.spot_usd_per_hour
    if offer.region and offer.region != entry.get("region"):
        new["region"] = offer.region
    sources = list(entry.get("sources") or [])
    if source not in sources:
        sources.insert(0, source)
    new["sources"] = sources
    dropped = {"price_usd", "price_date", "spot_usd_per_hour"}
    new["estimated"] = [f for f in entry.get("estimated") or [] if f not in dropped]
    spot = (
        f", spot {_money(offer.spot_usd_per_hour)} (median of the region's zones)"
        if offer.spot_usd_per_hour is not None
        else ", no spot price in the file"
    )
    was = (
        f"Was {_money(entry.get('price_usd'))}, spot {_money(old_spot)}, "
        f"dated {entry.get('price_date')}."
    )
    where = f" in {offer.region}" if offer.region else ""
    text = f"On-demand {_money(offer.price_usd)}{where}{spot}, from {source}. {note} {was}"
    new["notes"] = _notes(" ".join(text.split()), entry.get("notes"))
    return new


def new_entry(
    offer: CloudOffer, shipped: list[CloudOffer], source: str, note: str
) -> dict[str, Any]:
    """Return a cloud.yaml entry for a new offer the import proposes."""
    data: dict[str, Any] = offer.model_dump(mode="json", exclude_none=True)
    data.pop("kind", None)
    data["price_date"] = offer.price_date
    size = f" {offer.vram_gb:g} GB" if offer.vram_gb else ""
    label = LABEL.get(offer.provider, offer.provider)
    data["name"] = f"{label} {offer.instance} ({offer.gpu_count}x {offer.gpu_model}{size})"
    same_gpu = [o for o in shipped if o.gpu_model == offer.gpu_model and o.throughput]
    thr = ""
    if offer.throughput is None and same_gpu:
        data["throughput"] = same_gpu[0].throughput.model_dump(mode="json", exclude_none=True)
        thr = f" Throughput as the catalog's {same_gpu[0].id} (same GPU model)."
    elif offer.throughput is None:
        thr = f" No catalog GPU is a {offer.gpu_model}: throughput unknown."
    data["sources"] = [source]
    data["estimated"] = []
    spot = (
        f", spot {_money(offer.spot_usd_per_hour)} (median of the region's zones)"
        if offer.spot_usd_per_hour is not None
        else ""
    )
    specs = "vCPUs and RAM from the same row. " if offer.vcpus and offer.ram_gb else ""
    vram = (
        f"VRAM per GPU {offer.vram_gb:g} GB."
        if offer.vram_gb
        else "VRAM unknown: no catalog offer has this GPU, and the file's memory "
        "figure is not a MiB size."
    )
    text = (
        f"On-demand {_money(offer.price_usd)} in {offer.region}{spot}, from {source}. {note} "
        f"{specs}{vram}{thr}"
    )
    data["notes"] = " ".join(text.split())
    return data


def main(argv: list[str] | None = None) -> int:
    """Plan the import against the shipped catalog and write it into cloud.yaml."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("file", help="a SkyPilot vms.csv (or an extract of one)")
    parser.add_argument("--provider", required=True)
    parser.add_argument("--date", required=True, type=dt.date.fromisoformat)
    parser.add_argument("--source", required=True, help="the file's URL at its commit")
    parser.add_argument("--note", default="", help="a sentence on the source and its date")
    parser.add_argument("--add", action="append", default=[], metavar="ID")
    parser.add_argument("--skip", action="append", default=[], metavar="ID")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)

    catalog = load_catalog(user_dirs=[], cache=False).catalog
    shipped = [p for p in catalog.of_kind("cloud") if isinstance(p, CloudOffer)]
    plan = (
        plan_files([args.file], catalog, provider=args.provider, date=args.date, source=args.source)
        .files[0]
        .plan
    )
    text = CLOUD.read_text(encoding="utf-8")
    head, blocks = split_blocks(text)
    known = {bid for bid, _ in blocks}
    changed = {
        o.id: o
        for o in plan.overrides
        if isinstance(o, CloudOffer) and o.id in known and o.id not in args.skip
    }
    proposed = {o.id: o for o in plan.new_offers}
    missing = [i for i in args.add if i not in proposed]
    if missing:
        print(f"not proposed by this import: {', '.join(missing)}", file=sys.stderr)
        return 2
    out: list[str] = []
    brand = next((o.provider for o in proposed.values()), None)
    last_of_brand = max(
        (i for i, (bid, _) in enumerate(blocks) if catalog.get(bid).provider == brand),
        default=len(blocks) - 1,
    )
    for i, (bid, block) in enumerate(blocks):
        if bid in changed:
            entry = yaml.safe_load(block)[0]
            block = dump_entry(update_entry(entry, changed[bid], args.date, args.source, args.note))
            print(f"changed {bid}: {entry.get('price_usd')} -> {changed[bid].price_usd}")
        out.append(block)
        if i == last_of_brand:
            for new_id in args.add:
                out.append(dump_entry(new_entry(proposed[new_id], shipped, args.source, args.note)))
                print(f"added {new_id}: {proposed[new_id].price_usd}")
    for skipped in plan.skipped:
        print(f"skipped {skipped.label}: {skipped.reason}")
    not_added = sorted(set(proposed) - set(args.add))
    if not_added:
        print(f"proposed, not added: {', '.join(not_added)}")
    if not args.dry_run:
        CLOUD.write_text(head + "".join(out), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
