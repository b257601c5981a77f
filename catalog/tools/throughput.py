"""Regenerate dlplanner's relative-throughput table (V100 = 1.0) from Lambda's benchmark data.

Source: Lambda's deeplearning-benchmark repository (github.com/lambdal/deeplearning-benchmark),
PyTorch training throughput, one GPU, at the commits named below. The method:

* **fp32**: geometric mean over the seven models (ssd, bert_base_squad, bert_large_squad,
  gnmt, resnet50, tacotron2, waveglow) of the GPU's throughput over the V100's, from the
  fp32 CSV (TF32 on Ampere and newer, PyTorch's default).
* **mixed**: the same over the five models whose "FP16" runs really used automatic mixed
  precision (ssd, bert_base_squad, bert_large_squad, gnmt, resnet50). In the v1/v2 runs
  tacotron2 and waveglow logged ``amp : False`` (the old ``--amp-run`` flag was ignored), so
  they compared TF32 with the V100's FP32 and inflated Ampere-and-newer cards by 15-31 %.
* **One baseline per column**: the v1 V100 16GB (SXM2) row. Cards measured only in the
  older v0 runs (against a V100 32GB SXM2, other software) are brought onto the v1 scale by
  a bridge factor per architecture: the geometric mean, over cards of that architecture
  measured in both, of v1 ratio / v0 ratio. Pascal has no such card; the V100 (the baseline
  of both runs) is its bridge (factor 1).
* Runs that crashed are left out (``CRASHED``); the A100 40GB SXM4 comes from its complete
  raw v1 results, which Lambda's CSV leaves out.

``python catalog/tools/throughput.py --extract CLONE`` reads a local clone of the benchmark
repository (git) and rewrites the small input extract in ``tests/data/throughput/``;
``python catalog/tools/throughput.py`` recomputes the table from that extract and writes
``catalog/throughput.csv``; ``--apply`` also writes the values into the throughput blocks
of ``catalog/gpu.yaml`` and ``catalog/cloud.yaml`` (one table for both files). The data
test recomputes the table and fails when a value drifts.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import math
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXTRACT = ROOT / "tests" / "data" / "throughput" / "lambda-pytorch-1gpu.csv"
TABLE = ROOT / "catalog" / "throughput.csv"
REPO = "https://github.com/lambdal/deeplearning-benchmark"

V0 = "fe450482b982f1790e05e0bd57724a3f692b2d0f"  # 2022-06-30
V1 = "705355b8376c965282b2453ea72cf17b6a0aca65"  # 2025-12-10
RAW = "b8915b8318a1a511b99a6cb3f1de937e761aac6f"  # 2022-11-19

FILES = {
    ("v0", "fp32"): (V0, "pytorch/pytorch-train-throughput-fp32.csv"),
    ("v0", "fp16"): (V0, "pytorch/pytorch-train-throughput-fp16.csv"),
    ("v1", "fp32"): (V1, "pytorch/csv_v1_v2/pytorch-train-throughput-fp32.csv"),
    ("v1", "fp16"): (V1, "pytorch/csv_v1_v2/pytorch-train-throughput-fp16.csv"),
    ("v2", "fp32"): (V1, "pytorch/pytorch-train-throughput-v2-fp32.csv"),
    ("v2", "fp16"): (V1, "pytorch/pytorch-train-throughput-v2-fp16.csv"),
}
"""(run, precision) → (commit, file) of Lambda's CSVs."""

RAW_DIR = "pytorch/results/A100_40GB_SXM4_v1"
RAW_RUNS = {
    "fp32": {
        "ssd": "PyTorch_SSD_FP32",
        "bert_base_squad": "PyTorch_bert_base_squad_FP32",
        "bert_large_squad": "PyTorch_bert_large_squad_FP32",
        "gnmt": "PyTorch_gnmt_FP32",
        "resnet50": "PyTorch_resnet50_FP32",
        "tacotron2": "PyTorch_tacotron2_FP32",
        "waveglow": "PyTorch_waveglow_FP32",
    },
    "fp16": {
        "ssd": "PyTorch_SSD_AMP",
        "bert_base_squad": "PyTorch_bert_base_squad_FP16",
        "bert_large_squad": "PyTorch_bert_large_squad_FP16",
        "gnmt": "PyTorch_gnmt_FP16",
        "resnet50": "PyTorch_resnet50_AMP",
        "tacotron2": "PyTorch_tacotron2_FP16",
        "waveglow": "PyTorch_waveglow_FP16",
    },
}
"""Result folders of the raw A100 40GB SXM4 v1 run, by precision and model."""

RAW_METRIC = {
    "ssd": r"Average images/sec:\s*([\d.]+)",
    "bert_base_squad": r"training_sequences_per_second\s*:\s*([\d.]+)",
    "bert_large_squad": r"training_sequences_per_second\s*:\s*([\d.]+)",
    "gnmt": r"Training:\s*([\d.]+)\s*Tok/s",
    "resnet50": r"train\.compute_ips\s*:\s*([\d.]+)",
    "tacotron2": r"train_items_per_sec\s*:\s*([\d.]+)",
    "waveglow": r"train_items_per_sec\s*:\s*([\d.]+)",
}
"""The throughput each log reports last (the run's summary), by model."""

MODELS = ("ssd", "bert_base_squad", "bert_large_squad", "gnmt", "resnet50", "tacotron2", "waveglow")
AMP_MODELS = ("ssd", "bert_base_squad", "bert_large_squad", "gnmt", "resnet50")
"""Models whose FP16 runs used AMP in every run (the mixed column)."""

BASE = {"v0": "V100 32GB", "v1": "LambdaCloud 1x V100 16GB", "v2": "LambdaCloud 1x V100 16GB"}
"""The V100 row each run is divided by (v2's file has none: its runs use the v1 row)."""

CRASHED = {
    ("v0", "fp16", "RTX A4000", "waveglow"): (
        "CUDA out of memory after the warm-up iteration "
        "(pytorch/results/A4000/PyTorch_waveglow_FP16/26-06-2021_15-54-57.txt)"
    ),
}
"""Runs left out: (run, precision, row, model) → why."""


@dataclass(frozen=True)
class Gpu:
    """One row of the table: where its numbers come from and the catalog names it covers."""

    name: str
    run: str
    row: str
    arch: str
    names: tuple[str, ...]
    """``chipset`` values in gpu.yaml and ``gpu_model`` values in cloud.yaml."""
    proxy_note: str = ""
    """Set for an estimated row: which measured row it copies, and why."""


GPUS = (
    Gpu("V100 SXM2", "v1", "LambdaCloud 1x V100 16GB", "volta", ("V100 16GB", "V100 32GB")),
    Gpu("Quadro RTX 8000", "v1", "Quadro RTX 8000", "turing", ("Quadro RTX 8000",)),
    Gpu("RTX 3090", "v1", "RTX 3090", "ampere", ("GeForce RTX 3090", "RTX 3090")),
    Gpu("A10", "v1", "LambdaCloud 1x A10", "ampere", ("A10",)),
    Gpu("A100 40GB PCIe", "v1", "LambdaCloud 1x A100 40GB PCIe", "ampere", ("A100 PCIe 40GB",)),
    Gpu("A100 80GB PCIe", "v1", "A100 80GB PCIe", "ampere", ("A100 PCIe 80GB", "A100 80GB PCIe")),
    Gpu("A100 80GB SXM4", "v1", "A100 80GB SXM4", "ampere", ("A100 80GB SXM4",)),
    Gpu("A100 40GB SXM4", "raw", "A100_40GB_SXM4_v1", "ampere", ("A100 40GB SXM4",)),
    Gpu("RTX A6000", "v1", "RTX A6000", "ampere", ("RTX A6000",)),
    Gpu("RTX 6000 Ada", "v1", "RTX 6000 Ada", "ada", ("RTX 6000 Ada Generation", "RTX 6000 Ada")),
    Gpu("RTX 4090", "v1", "RTX 4090", "ada", ("GeForce RTX 4090", "RTX 4090")),
    Gpu("H100 PCIe", "v1", "LambdaCloud 1x H100 80GB PCIe", "hopper", ("H100 PCIe",)),
    Gpu("H100 SXM5", "v1", "LambdaCloud 1x H100 80GB SXM5", "hopper", ("H100 SXM5",)),
    Gpu("GH200", "v1", "LambdaCloud 1x GH200 96GB", "hopper", ("GH200 96GB",)),
    Gpu("H200", "v2", "LambdaBM_ENG04_1xH200_140GB_SXM_h200_v2", "hopper", ("H200 SXM",)),
    Gpu("B200", "v1", "LambdaCloud 1x B200 192GB SXM5", "blackwell", ("B200",)),
    Gpu("GTX 1080 Ti", "v0", "GTX 1080Ti", "pascal", ("GeForce GTX 1080 Ti",)),
    Gpu("RTX 2080 Ti", "v0", "RTX 2080Ti", "turing", ("GeForce RTX 2080 Ti",)),
    Gpu("TITAN RTX", "v0", "Titan RTX", "turing", ("TITAN RTX",)),
    Gpu("Quadro RTX 6000", "v0", "RTX 6000", "turing", ("Quadro RTX 6000",)),
    Gpu("RTX A4000", "v0", "RTX A4000", "ampere", ("RTX A4000",)),
    Gpu("RTX A5000", "v0", "RTX A5000", "ampere", ("RTX A5000",)),
    Gpu(
        "V100 PCIe",
        "v1",
        "LambdaCloud 1x V100 16GB",
        "volta",
        ("Tesla V100 PCIe 16GB", "Tesla V100 PCIe 32GB"),
        "estimated: the V100 SXM2 measurement; Lambda never ran a PCIe V100 (about 0.9x "
        "its clocks and power)",
    ),
    Gpu(
        "H100 NVL",
        "v1",
        "LambdaCloud 1x H100 80GB PCIe",
        "hopper",
        ("H100 NVL",),
        "estimated: the H100 PCIe measurement; Lambda never ran an H100 NVL",
    ),
    Gpu(
        "H100 (form factor not given)",
        "v1",
        "LambdaCloud 1x H100 80GB SXM5",
        "hopper",
        ("H100 80GB",),
        "estimated: the H100 SXM5 measurement; the offer does not say SXM5 or PCIe",
    ),
    Gpu(
        "H200 (form factor not given)",
        "v2",
        "LambdaBM_ENG04_1xH200_140GB_SXM_h200_v2",
        "hopper",
        ("H200",),
        "estimated: the H200 SXM measurement; the offer does not say SXM or NVL",
    ),
    Gpu(
        "L40S",
        "v1",
        "RTX 6000 Ada",
        "ada",
        ("L40S",),
        "estimated: the RTX 6000 Ada measurement (the same AD102 chip, passively cooled); "
        "Lambda never ran an L40S",
    ),
    Gpu(
        "A10G",
        "v1",
        "LambdaCloud 1x A10",
        "ampere",
        ("A10G",),
        "estimated: the A10 measurement; Lambda never ran AWS's A10G",
    ),
)
"""Every row of the table, measured first."""

BRIDGES = {
    "turing": (("RTX 8000", "Quadro RTX 8000"),),
    "ampere": (
        ("RTX 3090", "RTX 3090"),
        ("RTX A6000", "RTX A6000"),
        ("A100 40GB PCIe", "LambdaCloud 1x A100 40GB PCIe"),
        ("A100 80GB PCIe", "A100 80GB PCIe"),
        ("A100 80GB SXM4", "A100 80GB SXM4"),
    ),
    "pascal": (),
}
"""Cards measured in both v0 and v1, by architecture: (v0 row, v1 row)."""


def source_url(run: str, precision: str) -> str:
    """Return the URL of the file (at its commit) a run's numbers come from."""
    if run == "raw":
        return f"{REPO}/tree/{RAW}/{RAW_DIR}"
    commit, path = FILES[(run, precision)]
    return f"{REPO}/blob/{commit}/{path}"


# --- the extract -------------------------------------------------------------------------


def _git(clone: Path, commit: str, path: str) -> str:
    out = subprocess.run(
        ["git", "-C", str(clone), "show", f"{commit}:{path}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def _raw_value(clone: Path, folder: str, model: str) -> float:
    listing = subprocess.run(
        ["git", "-C", str(clone), "ls-tree", "--name-only", RAW, f"{RAW_DIR}/{folder}/"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    values = []
    for name in (n for n in listing if n.endswith(".txt")):
        found = re.findall(RAW_METRIC[model], _git(clone, RAW, name))
        if found:
            values.append(float(found[-1]))
    if not values:
        raise SystemExit(f"{folder}: no {model} throughput in the raw logs")
    return round(sum(values) / len(values))


def extract(clone: Path, out: Path = EXTRACT) -> None:
    """Write the rows the table needs from a local clone of Lambda's repository."""
    wanted: dict[str, set[str]] = {"v0": set(), "v1": set(), "v2": set()}
    for gpu in GPUS:
        if gpu.run != "raw":
            wanted[gpu.run].add(gpu.row)
    for run in ("v0", "v1", "v2"):
        wanted[run].add(BASE[run])
    for pairs in BRIDGES.values():
        for v0_row, v1_row in pairs:
            wanted["v0"].add(v0_row)
            wanted["v1"].add(v1_row)
    rows: list[list[str]] = []
    for (run, precision), (commit, path) in FILES.items():
        reader = csv.DictReader(_git(clone, commit, path).splitlines())
        for record in reader:
            name = record.get("name_gpu") or record.get("") or ""
            if name in wanted[run]:
                values = [str(round(float(record[m]))) for m in MODELS]
                rows.append([run, precision, name, *values, source_url(run, precision)])
    for precision, folders in RAW_RUNS.items():
        values = [str(_raw_value(clone, folders[m], m)) for m in MODELS]
        rows.append(["raw", precision, "A100_40GB_SXM4_v1", *values, source_url("raw", precision)])
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as fh:
        fh.write(
            f"# Extract of {REPO}: single-GPU PyTorch training throughput (items/s) of the rows\n"
            "# dlplanner's throughput table uses. Written by catalog/tools/throughput.py "
            "--extract; each row names its file at its commit.\n"
        )
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["run", "precision", "row", *MODELS, "source"])
        writer.writerows(sorted(rows))


# --- the table ---------------------------------------------------------------------------

Extract = dict[tuple[str, str, str], dict[str, float]]


def load_extract(path: Path = EXTRACT) -> Extract:
    """Read the extract: (run, precision, row) → throughput by model."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    data: Extract = {}
    for record in csv.DictReader(lines):
        key = (record["run"], record["precision"], record["row"])
        data[key] = {m: float(record[m]) for m in MODELS}
    return data


def ratio(data: Extract, run: str, precision: str, row: str, models: tuple[str, ...]) -> float:
    """Geometric mean over ``models`` of ``row`` over its run's V100 (crashed runs left out)."""
    base_run = "v1" if run in ("v2", "raw") else run
    base = data[(base_run, precision, BASE[base_run])]
    values = data[(run, precision, row)]
    logs = [
        math.log(values[m] / base[m])
        for m in models
        if (run, precision, row, m) not in CRASHED and values[m] > 0
    ]
    if len(logs) < len(models) - 1:
        raise ValueError(f"{row}: too few models measured for {precision}")
    return math.exp(sum(logs) / len(logs))


def bridge(data: Extract, arch: str, precision: str, models: tuple[str, ...]) -> float:
    """Return the v0 → v1 factor of an architecture (1 when no card was run in both)."""
    pairs = BRIDGES.get(arch, ())
    if not pairs:
        return 1.0
    logs = [
        math.log(ratio(data, "v1", precision, new, models))
        - math.log(ratio(data, "v0", precision, old, models))
        for old, new in pairs
    ]
    return math.exp(sum(logs) / len(logs))


@dataclass(frozen=True)
class Row:
    """One GPU's relative throughput, V100 = 1.0."""

    gpu: str
    fp32: float
    mixed: float
    basis: str
    source: str
    note: str


def table(data: Extract) -> list[Row]:
    """Compute every row of the table from the extract."""
    rows = []
    for gpu in GPUS:
        values = []
        for precision, models in (("fp32", MODELS), ("fp16", AMP_MODELS)):
            value = ratio(data, gpu.run, precision, gpu.row, models)
            if gpu.run == "v0":
                value *= bridge(data, gpu.arch, precision, models)
            values.append(round(value, 2))
        if gpu.proxy_note:
            note = gpu.proxy_note
        elif gpu.run == "v0":
            factors = [
                bridge(data, gpu.arch, p, m) for p, m in (("fp32", MODELS), ("fp16", AMP_MODELS))
            ]
            note = (
                f"v0 run ({gpu.row}) on the v1 scale: {gpu.arch} bridge x{factors[0]:.3f} fp32, "
                f"x{factors[1]:.3f} mixed"
            )
        elif gpu.run == "raw":
            note = "raw v1 results (all runs successful), not in Lambda's CSV"
        else:
            note = f"{gpu.run} row {gpu.row}"
        crashed = [
            why for (run, _p, row, _m), why in CRASHED.items() if (run, row) == (gpu.run, gpu.row)
        ]
        if crashed:
            note += "; left out: " + "; ".join(crashed)
        basis = "estimated" if gpu.proxy_note else "measured"
        rows.append(Row(gpu.name, values[0], values[1], basis, source_url(gpu.run, "fp32"), note))
    return rows


def write_table(rows: list[Row], path: Path = TABLE) -> None:
    """Write the table as CSV (the catalog's one throughput table)."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        fh.write(
            "# Relative PyTorch training throughput per GPU, V100 SXM2 = 1.0 (fp32: 7 models; "
            "mixed: 5 models with AMP). Generated by catalog/tools/throughput.py; do not edit.\n"
        )
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["gpu", "fp32", "mixed", "basis", "source", "note"])
        for r in rows:
            writer.writerow([r.gpu, f"{r.fp32:.2f}", f"{r.mixed:.2f}", r.basis, r.source, r.note])


def read_table(path: Path = TABLE) -> list[Row]:
    """Read the written table back."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    return [
        Row(r["gpu"], float(r["fp32"]), float(r["mixed"]), r["basis"], r["source"], r["note"])
        for r in csv.DictReader(lines)
    ]


def by_catalog_name(rows: list[Row]) -> dict[str, Row]:
    """Map every chipset / gpu_model name the catalog uses to its row."""
    found = {r.gpu: r for r in rows}
    return {name: found[gpu.name] for gpu in GPUS for name in gpu.names}


# --- writing the values into the catalog ---------------------------------------------------

_ENTRY = re.compile(r"^- id: ", re.M)
_BLOCK = re.compile(r"(  throughput:\n)((?:    (?:fp32|mixed|basis|source): .*\n)+)")


_NOTES = re.compile(r"^  notes: .*\n(?:    .*\n)*", re.M)
_SENTENCE = re.compile(r"Throughput: .*?(?:\.(?=\s)|\.?$)", re.S)


def _rewrite_note(entry: str, row: Row) -> str:
    """Replace an entry's "Throughput: …" sentence by one that names the table's method."""
    match = _NOTES.search(entry)
    if not match:
        return entry
    import yaml  # PyYAML: a dependency of dlplanner

    old = yaml.safe_load(match.group(0).strip())["notes"] or ""
    said = (
        f"Throughput: the {row.gpu} row of catalog/throughput.csv ({row.note}); fp32 over 7 "
        "PyTorch models, mixed over the 5 with AMP, V100 SXM2 = 1.0."
    )
    new = _SENTENCE.sub(lambda _m: said, old, count=1) if "Throughput:" in old else old
    if new == old:
        return entry
    dumped = yaml.safe_dump({"notes": new}, width=120, allow_unicode=True, sort_keys=False)
    block = "".join(f"  {line}\n" for line in dumped.splitlines())
    return entry[: match.start()] + block + entry[match.end() :]


def apply(rows: list[Row], catalog: Path = ROOT / "catalog") -> int:
    """Write the table's values into gpu.yaml and cloud.yaml; return how many blocks changed."""
    names = by_catalog_name(rows)
    changed = 0
    for file, key in (("gpu.yaml", "chipset"), ("cloud.yaml", "gpu_model")):
        path = catalog / file
        text = path.read_text(encoding="utf-8")
        starts = [m.start() for m in _ENTRY.finditer(text)] + [len(text)]
        head, pieces = text[: starts[0]], []
        for a, b in itertools.pairwise(starts):
            entry = text[a:b]
            name = re.search(rf"^  {key}: (.*)$", entry, re.M)
            row = names.get(name.group(1).strip().strip("'\"")) if name else None
            if row is not None:
                block = (
                    f"    fp32: {row.fp32}\n    mixed: {row.mixed}\n"
                    f"    basis: {row.basis}\n    source: {row.source}\n"
                )
                new = _BLOCK.sub(lambda m, blk=block: m.group(1) + blk, entry, count=1)
                new = _rewrite_note(new, row)
                changed += new != entry
                entry = new
            pieces.append(entry)
        path.write_text(head + "".join(pieces), encoding="utf-8")
    return changed


def main(argv: list[str] | None = None) -> int:
    """Command line: extract, write the table, optionally write it into the catalog."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extract", type=Path, metavar="CLONE", help=f"a git clone of {REPO}")
    parser.add_argument("--apply", action="store_true", help="write into gpu.yaml and cloud.yaml")
    args = parser.parse_args(argv)
    if args.extract:
        extract(args.extract)
    rows = table(load_extract())
    write_table(rows)
    for r in rows:
        print(f"{r.gpu:16} fp32 {r.fp32:5.2f}  mixed {r.mixed:5.2f}  {r.basis:9}  {r.note}")
    if args.apply:
        print(f"{apply(rows)} throughput blocks changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
