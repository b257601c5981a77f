"""The CPU in a multi-GPU build: PCIe lanes for GPUs and NVMe drives, cores and threads."""

from __future__ import annotations

from collections.abc import Iterator

from dlplanner.rules.context import StageContext
from dlplanner.rules.finding import Finding, Reporter, Severity
from dlplanner.rules.registry import rule
from dlplanner.rules.text import ids, missing, plural

MIN_GPU_LANES = 8
"""Lanes per GPU the article's build counts (4 × x8 + x4 NVMe = 36 lanes)."""

MIN_USABLE_LANES = 4
"""Below x4 a training GPU is starved (Dettmers: x4 is only ~5–10 % slower than x16)."""

NVME_LANES = 4

THREADS_PER_GPU = 4
MULTI_GPU_CORES = 8


@rule(
    "cpu-pcie-lanes",
    "CPU PCIe lanes for the GPUs and NVMe",
    Severity.WARNING,
    reads=("cpu", "slots", "m2", "board", "gpus"),
)
def cpu_pcie_lanes(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Check the CPU's PCIe lanes for the GPUs and the CPU-attached NVMe drives.

    Lanes matter less than many think: Dettmers finds x4 fine for two GPUs and x8
    preferable for four, and advises against paying extra for lanes. Jeff Chen's
    four-GPU build counts 4 × x8 + x4 for the NVMe drive = 36 lanes, which rules out
    28-lane CPUs. A GPU linked at fewer than four lanes is an error. Choose a CPU with
    more lanes (Threadripper, Xeon W), fewer GPUs, or put NVMe drives on chipset sockets.
    """
    cpu, plan = ctx.cpu, ctx.slots
    n = len(ctx.gpus)
    if n == 0:
        return
    for place in plan.placed:
        if place.slot is not None and 0 < place.link_lanes < MIN_USABLE_LANES:
            yield out.fail(
                f"The {place.gpu.title} in {place.slot.name} links at x{place.link_lanes}; a "
                f"training GPU needs at least x{MIN_USABLE_LANES}.",
                parts=ids((place.gpu, ctx.board)),
                severity=Severity.ERROR,
                hint="Put the GPU in a slot wired x8 or x16.",
                key=f"slow:{place.slot.name}",
            )
    if cpu is None:
        return
    hint = "Choose a CPU with more PCIe lanes, fewer GPUs, or NVMe drives on chipset sockets."
    usable = cpu.pcie_lanes_usable
    if usable is None:
        yield out.unknown(
            f"Lanes for {plural(n, 'GPU')} not checked: {missing(cpu, 'pcie_lanes_usable')}.",
            parts=ids((cpu, *ctx.gpus, ctx.board)),
            hint=hint,
        )
        return
    cpu_nvme = [(d, s) for d, s in ctx.m2.placed if d.interface == "nvme" and s.source == "cpu"]
    minimum = MIN_GPU_LANES * n + NVME_LANES * len(cpu_nvme)
    drives = (
        f" and {plural(len(cpu_nvme), 'CPU-attached NVMe drive')} at x{NVME_LANES}"
        if cpu_nvme
        else ""
    )
    if minimum > usable:
        yield out.fail(
            f"{plural(n, 'GPU')} at x{MIN_GPU_LANES}{drives} need {minimum} PCIe lanes; the "
            f"{cpu.title} has {usable} usable.",
            parts=ids((cpu, *ctx.gpus, ctx.board)),
            hint=hint,
        )
        return
    if not plan.known:
        return
    gpu_lanes = [p.link_lanes for p in plan.placed if p.slot and p.slot.source != "chipset"]
    wired = sum(gpu_lanes) + sum(s.lanes or NVME_LANES for _, s in cpu_nvme)
    if wired > usable:
        layout = "/".join(f"x{n}" for n in gpu_lanes)
        yield out.fail(
            f"The GPU slots as wired ({layout}){drives} take {wired} CPU lanes; the "
            f"{cpu.title} has {usable} usable, so some slots run with fewer lanes than the "
            "board's table.",
            parts=ids((cpu, *ctx.gpus, ctx.board)),
            hint="Check the board manual's slot table for this CPU.",
        )


@rule("cpu-cores", "CPU cores and threads per GPU", Severity.WARNING, reads=("cpu", "gpus"))
def cpu_cores(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Check for about 4 CPU threads per GPU, and 8 cores in a multi-GPU build.

    Data loading and augmentation run on the CPU; with too few threads the GPUs wait.
    Dettmers counts 1–2 cores per GPU when data is preprocessed on the fly, Puget at least
    4 cores per GPU, and Jeff Chen's four-GPU build uses a 12-core CPU. Choose a CPU with
    more cores, or preprocess the data ahead of training.
    """
    cpu = ctx.cpu
    n = len(ctx.gpus)
    if cpu is None or n == 0:
        return
    hint = "Choose a CPU with more cores and threads, or preprocess the data before training."
    if cpu.threads is None or (n >= 2 and cpu.cores is None):
        field = "threads" if cpu.threads is None else "cores"
        yield out.unknown(
            f"CPU threads per GPU not checked: {missing(cpu, field)}.",
            parts=ids((cpu, *ctx.gpus)),
            hint=hint,
        )
        return
    wants = []
    if cpu.threads < THREADS_PER_GPU * n:
        wants.append(f"{THREADS_PER_GPU * n} threads ({THREADS_PER_GPU} per GPU)")
    if n >= 2 and cpu.cores is not None and cpu.cores < MULTI_GPU_CORES:
        wants.append(f"{MULTI_GPU_CORES} cores")
    if wants:
        cores = f"{cpu.cores} cores / " if cpu.cores is not None else ""
        yield out.fail(
            f"The {cpu.title} has {cores}{cpu.threads} threads; {plural(n, 'GPU')} want at "
            f"least {' and '.join(wants)}.",
            parts=ids((cpu, *ctx.gpus)),
            hint=hint,
        )
