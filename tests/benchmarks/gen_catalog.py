"""Generate a realistic 10,000-part catalog by varying the shipped one.

Every shipped entry is kept (so the article build's parts exist and the "fits this build" filter
has something to compare with), and variants of them fill each kind up to its share: 6,000 GPUs
(the catalog browser's default tab, where the search benchmark types) and 500 of every other kind.
A variant keeps its original's layout, sources and notes and gets a new id, a partner-card style
suffix on its name, a price moved by -30 %…+40 % with a new price date, and kind-specific specs
moved within plausible ranges (GPU power and length, PSU wattage, SSD capacity, memory speed,
cloud prices …). The files have the shipped layout, one per kind, and are written with the
same PyYAML the app reads them with. A fixed seed makes every run generate the same catalog.

Run ``python tests/benchmarks/gen_catalog.py FOLDER`` to write one to look at.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path
from typing import Any

import yaml
from harness import ROOT

try:
    from yaml import CSafeDumper as _Dumper
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]
    from yaml import SafeLoader as Loader  # type: ignore[assignment]


class Dumper(_Dumper):  # type: ignore[misc,valid-type]
    """Never writes anchors for values variants share with their original (the app refuses them)."""

    def ignore_aliases(self, data: Any) -> bool:
        """Write every value out in full."""
        return True


TOTAL = 10_000
GPU_SHARE = 6_000
SEED = 20_190_9

SUFFIXES = {
    "gpu": [
        "OC",
        "Gaming OC",
        "Turbo",
        "Blower",
        "Ventus 2X",
        "Ventus 3X",
        "TUF",
        "Eagle",
        "AERO",
        "Trinity",
        "XLR8",
        "SUPRIM X",
        "Dual",
        "Mini",
        "Strix",
        "Windforce",
        "Phantom",
        "Pro",
    ],
    "cpu": ["(tray)", "(boxed)", "OEM", "WOF", "BX"],
    "motherboard": ["Rev 1.1", "Rev 2.0", "WiFi", "Pro", "Plus", "II", "D4", "Creator"],
    "memory": ["Black", "White", "RGB", "LP", "Pro", "Elite"],
    "storage": ["Pro", "Plus", "Heatsink", "OEM", "Gen 2", "EVO"],
    "psu": ["V2", "Gold", "Platinum", "White", "Black", "ATX 3.1"],
    "case": ["TG", "Mesh", "White", "Black", "RGB", "Silent"],
    "cooler": ["Black", "chromax", "RGB", "SE", "Pro"],
    "cloud": ["(us-west)", "(eu-central)", "(asia)", "(spot pool)", "(3-year)"],
}

PSU_WATTS = [550, 650, 750, 850, 1000, 1200, 1300, 1500, 1600]
SSD_GB = [250, 500, 1000, 2000, 4000, 8000]
HDD_GB = [2000, 4000, 8000, 12000, 16000, 20000]
DDR4_MTS = [2400, 2666, 3000, 3200, 3600]
DDR5_MTS = [4800, 5200, 5600, 6000, 6400]


def shipped_entries() -> dict[str, list[dict[str, Any]]]:
    """The shipped catalog's raw entries, by kind."""
    out: dict[str, list[dict[str, Any]]] = {}
    for path in sorted((ROOT / "catalog").glob("*.yaml")):
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)
        out[doc["kind"]] = doc["parts"]
    return out


def _scale(rng: random.Random, value: Any, low: float, high: float, lo: float, hi: float) -> Any:
    """``value`` times a factor in [low, high], kept within [lo, hi] and of its own type."""
    new = min(max(value * rng.uniform(low, high), lo), hi)
    return round(new) if isinstance(value, int) else round(new, 2)


def _vary(rng: random.Random, kind: str, entry: dict[str, Any], n: int) -> dict[str, Any]:
    e = dict(entry)
    base = entry["id"][:60].rstrip("-")
    e["id"] = f"{base}-v{n:05d}"
    e["name"] = f"{entry['name']} {rng.choice(SUFFIXES[kind])}"[:200]
    for key in ("price_usd", "launch_price_usd"):
        if isinstance(e.get(key), (int, float)):
            e[key] = round(e[key] * rng.uniform(0.7, 1.4), 2 if kind == "cloud" else 0) or e[key]
    if "price_date" in e:
        e["price_date"] = dt.date(2017, 1, 1) + dt.timedelta(days=rng.randrange(0, 8 * 365))
    if kind == "gpu":
        if isinstance(e.get("tdp_w"), int):
            e["tdp_w"] = _scale(rng, e["tdp_w"], 0.85, 1.2, 30, 1500)
            if isinstance(e.get("power_limit_min_w"), int):
                e["power_limit_min_w"] = min(e["power_limit_min_w"], e["tdp_w"])
        if isinstance(e.get("length_mm"), (int, float)):
            e["length_mm"] = _scale(rng, e["length_mm"], 0.9, 1.15, 100, 400)
        elif rng.random() < 0.5:
            e["length_mm"] = rng.randrange(170, 360)
        if rng.random() < 0.3:
            e["cooler"] = rng.choice(["blower", "open-air", "open-air", "hybrid"])
        if isinstance(e.get("throughput"), dict):
            t = dict(e["throughput"])
            for key in ("fp32", "mixed"):
                if isinstance(t.get(key), (int, float)):
                    t[key] = _scale(rng, float(t[key]), 0.95, 1.08, 0.01, 99)
            e["throughput"] = t
    elif kind == "psu":
        e["wattage_w"] = rng.choice(PSU_WATTS)
        if isinstance(e.get("length_mm"), (int, float)):
            e["length_mm"] = _scale(rng, e["length_mm"], 0.9, 1.15, 100, 250)
    elif kind == "storage":
        e["capacity_gb"] = rng.choice(HDD_GB if e.get("media") == "hdd" else SSD_GB)
    elif kind == "memory":
        e["speed_mts"] = rng.choice(DDR5_MTS if e.get("memory_type") == "DDR5" else DDR4_MTS)
        e["modules"] = rng.choice([1, 2, 4, 8]) if not e.get("registered") else e["modules"]
    elif kind == "case":
        if isinstance(e.get("max_gpu_length_mm"), (int, float)):
            e["max_gpu_length_mm"] = _scale(rng, e["max_gpu_length_mm"], 0.9, 1.1, 150, 600)
    elif kind == "cooler":
        if isinstance(e.get("height_mm"), (int, float)):
            e["height_mm"] = _scale(rng, e["height_mm"], 0.95, 1.05, 20, 200)
    elif kind == "cpu":
        if isinstance(e.get("tdp_w"), int):
            e["tdp_w"] = _scale(rng, e["tdp_w"], 0.9, 1.1, 10, 1000)
    elif kind == "cloud":
        for key in ("spot_usd_per_hour", "reserved_1y_usd_per_hour", "reserved_3y_usd_per_hour"):
            if isinstance(e.get(key), (int, float)):
                e[key] = round(e[key] * rng.uniform(0.8, 1.25), 4) or e[key]
        e["region"] = rng.choice(
            ["us-east-1", "us-west-2", "eu-west-1", "europe-west4", "asia-east1"]
        )
    return e


def plan_counts(shipped: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """How many parts of each kind: 6,000 GPUs, the rest shared evenly, 10,000 in all."""
    others = [k for k in shipped if k != "gpu"]
    share, rest = divmod(TOTAL - GPU_SHARE, len(others))
    counts = {k: share + (1 if i < rest else 0) for i, k in enumerate(others)}
    counts["gpu"] = GPU_SHARE
    return counts


def generate(folder: Path, seed: int = SEED) -> dict[str, Any]:
    """Write the catalog files into ``folder``; return counts and sizes."""
    rng = random.Random(seed)
    shipped = shipped_entries()
    counts = plan_counts(shipped)
    folder.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for kind, originals in shipped.items():
        parts = list(originals)
        n = 0
        while len(parts) < counts[kind]:
            parts.append(_vary(rng, kind, originals[n % len(originals)], n))
            n += 1
        doc = {"format": "dlplanner-catalog", "format_version": 1, "kind": kind, "parts": parts}
        path = folder / f"{kind}.yaml"
        path.write_text(
            yaml.dump(doc, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=120),
            encoding="utf-8",
        )
        sizes[kind] = path.stat().st_size
    return {"counts": counts, "bytes": sizes, "total_bytes": sum(sizes.values())}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(f"usage: {sys.argv[0]} FOLDER", file=sys.stderr)
        sys.exit(2)
    info = generate(Path(sys.argv[1]))
    print(
        f"{sum(info['counts'].values())} parts, "
        f"{info['total_bytes'] / 1e6:.1f} MB: {info['counts']}"
    )
