"""Power cables: PCIe 8-pin and 16-pin for the GPUs, EPS for the CPU, 16-pin safety."""

from __future__ import annotations

from collections.abc import Iterator

from dlplanner.domain.parts import GpuPart, PowerConnectors, PsuPart
from dlplanner.rules.context import StageContext
from dlplanner.rules.finding import Finding, Reporter, Severity
from dlplanner.rules.registry import rule
from dlplanner.rules.text import ids, join, missing, plural, watts

CONNECTOR_16PIN_W = 600
"""Rating of a 12VHPWR / 12V-2x6 connector."""

ADAPTER_8PIN_LIMIT_W = 450
"""A 16-pin socket fed from 8-pin cables: 3 cables up to 450 W, 4 above (150 W each)."""

HIGH_POWER_16PIN_W = 450
"""From this TDP on, a 16-pin card runs close to its connector's rating."""


def adapter_cables(gpu: GpuPart) -> int:
    """PCIe 8-pin cables an adapter needs to feed one 16-pin socket of this card."""
    return 3 if gpu.tdp_w is not None and gpu.tdp_w <= ADAPTER_8PIN_LIMIT_W else 4


@rule(
    "pcie-power-cables",
    "PCIe power cables for the GPUs",
    Severity.ERROR,
    reads=("load", "gpus"),
)
def pcie_power_cables(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Every GPU power socket needs its own cable from the power supply.

    An 8-pin socket carries 150 W, a 6-pin 75 W, and each needs its own PCIe 6+2 cable:
    do not feed two sockets from one daisy-chained (pigtail) cable. A 12VHPWR/12V-2x6
    (16-pin) socket takes a native 16-pin cable, or an adapter from three 8-pin cables
    (up to 450 W) or four (600 W). Dettmers warns that a supply may have the watts but not
    enough connectors. Choose a supply with more PCIe cables or native 16-pin cables.
    """
    if not ctx.psus or not ctx.gpus:
        return
    units = ctx.load.psus
    for unit in units:
        gpus = tuple(ctx.load.gpus[i].part for i in unit.gpus)
        if gpus:
            yield from _unit_cables(out, unit.psu, gpus, unit.unit if len(units) > 1 else None)


def _unit_cables(
    out: Reporter, psu: PsuPart, gpus: tuple[GpuPart, ...], unit: int | None
) -> Iterator[Finding]:
    suffix = "" if unit is None else f":{unit}"
    who = "The GPUs" if unit is None else f"The GPUs on unit {unit + 1}"
    hint = "Choose a power supply with more PCIe cables or native 16-pin cables; no pigtails."
    nameless = [g for g in gpus if g.power_connectors is None]
    if nameless:
        yield out.unknown(
            f"GPU power cables not checked: {missing(nameless[0], 'power_connectors')}.",
            parts=ids((psu, *gpus)),
            hint=hint,
            key="gpu" + suffix,
        )
        return
    pins8 = pins6 = 0
    cards16: list[GpuPart] = []
    for gpu in gpus:
        sockets = gpu.power_connectors or PowerConnectors()
        pins8 += sockets.pcie_8pin
        pins6 += sockets.pcie_6pin
        cards16.extend([gpu] * sockets.pcie_16pin)
    cards16.sort(key=lambda g: -(g.tdp_w or 10_000))
    native = psu.connectors.pcie_16pin
    have = psu.connectors.pcie_6_plus_2
    adapted = cards16[native or 0 :]
    adapter_need = sum(adapter_cables(g) for g in adapted)
    need = pins8 + pins6 + adapter_need
    if need == 0 or (have is not None and need <= have):
        return
    detail = [
        *([f"{pins8} for 8-pin sockets"] if pins8 else []),
        *([f"{pins6} for 6-pin sockets"] if pins6 else []),
        *(
            [f"{adapter_need} to feed {len(adapted)} × 16-pin through 8-pin adapters"]
            if adapted
            else []
        ),
    ]
    if have is None or (native is None and adapted):
        gap = missing(psu, "connectors.pcie_6_plus_2" if have is None else "connectors.pcie_16pin")
        yield out.unknown(
            f"GPU power cables not checked: {gap}; {who.lower()} need "
            f"{plural(need, 'PCIe cable')} ({join(detail)}).",
            parts=ids((psu, *gpus)),
            hint=hint,
            key="psu" + suffix,
        )
        return
    natives = f" and {plural(native, 'native 16-pin cable')}" if native else ""
    yield out.fail(
        f"{who} need {plural(need, 'PCIe 6+2 cable')} ({join(detail)}); the {psu.title} "
        f"has {have}{natives}.",
        parts=ids((psu, *gpus)),
        hint=hint,
        key=suffix,
    )


def _eps_parts(ctx: StageContext) -> tuple[str, ...]:
    return ids(
        (
            ctx.psu,
            ctx.board,
            *(g for g in ctx.gpus if g.power_connectors and g.power_connectors.eps_8pin),
        )
    )


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


@rule("eps-cables", "EPS cables for the CPU", Severity.WARNING, reads=("psu", "board", "gpus"))
def eps_cables(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Check that every CPU power socket (EPS 8-pin, 4-pin) gets its own cable.

    Threadripper and other workstation boards have two CPU power sockets (8+8 or 8+4).
    Some professional GPUs also take an 8-pin EPS cable. With only the main CPU socket
    connected, a heavily loaded CPU may throttle; without it, nothing starts. Choose a
    supply with enough EPS 4+4 cables.
    """
    psu, board = ctx.psu, ctx.board
    if psu is None:
        return
    gpu_eps = sum(g.power_connectors.eps_8pin for g in ctx.gpus if g.power_connectors)
    if board is None and not gpu_eps:
        return
    hint = "Choose a power supply with more EPS 4+4 (CPU) cables."
    if board is not None and board.eps_8pin is None and board.eps_4pin is None:
        yield out.unknown(
            f"CPU power cables not checked: {missing(board, 'eps_8pin')}.",
            parts=_eps_parts(ctx),
            hint=hint,
        )
        return
    have = psu.connectors.eps_4_plus_4
    board_need = (board.eps_8pin or 0) + (board.eps_4pin or 0) if board else 0
    need = board_need + gpu_eps
    if have is None:
        yield out.unknown(
            f"CPU power cables not checked ({need} EPS sockets): "
            f"{missing(psu, 'connectors.eps_4_plus_4')}.",
            parts=_eps_parts(ctx),
            hint=hint,
        )
        return
    if need <= have:
        return
    sockets = []
    if board is not None and board_need:
        sockets.append(
            f"the {board.title} has {board.eps_8pin or 0} EPS 8-pin and {board.eps_4pin or 0} 4-pin"
        )
    if gpu_eps:
        sockets.append(f"the GPUs have {gpu_eps} EPS 8-pin")
    essential = gpu_eps + (1 if board_need else 0)
    yield out.fail(
        f"{_upper_first(join(sockets))} sockets ({need} in all); the {psu.title} has "
        f"{plural(have, 'EPS 4+4 cable')}.",
        parts=_eps_parts(ctx),
        hint=hint,
        severity=Severity.ERROR if essential > have else Severity.WARNING,
    )


@rule(
    "gpu-16pin-connector",
    "16-pin GPU power connector safety",
    Severity.INFO,
    reads=("load", "gpus"),
)
def gpu_16pin_connector(ctx: StageContext, out: Reporter) -> Iterator[Finding]:
    """Flag 450–600 W cards on one 12VHPWR/12V-2x6 connector: close to its 600 W rating.

    Melted RTX 4090 and 5090 connectors were mostly plugs not pushed fully home or bent
    hard near the socket. Push the plug in until it clicks with no gap, keep the cable
    straight for about 35 mm before any bend, and prefer a native 16-pin cable from an
    ATX 3.x supply over an adapter.
    """
    psu = ctx.psu
    cards = {g.id: g for g in ctx.gpus if g.power_connectors and g.power_connectors.pcie_16pin}
    if not cards:
        return
    sockets = sum(g.power_connectors.pcie_16pin for g in ctx.gpus if g.power_connectors)
    native = psu.connectors.pcie_16pin if psu else None
    hint = (
        "Push the plug fully home, keep it straight ~35 mm before bending, and prefer a "
        "native 16-pin cable."
    )
    for gpu in cards.values():
        if gpu.tdp_w is None:
            yield out.unknown(
                f"16-pin load not checked: {missing(gpu, 'tdp_w')}.",
                parts=(gpu.id,),
                hint=hint,
                key=gpu.id,
            )
            continue
        board = max(g.board_w or 0 for g in ctx.load.gpus if g.part.id == gpu.id)
        if board < HIGH_POWER_16PIN_W:
            continue
        share = round(100 * board / CONNECTOR_16PIN_W)
        text = (
            f"The {gpu.title} draws {watts(board)} through a 16-pin connector rated "
            f"{watts(CONNECTOR_16PIN_W)} ({share} % of its rating)"
        )
        if psu is not None and native is not None and native < sockets:
            yield out.fail(
                f"{text}; the {psu.title} has {plural(native, 'native 16-pin cable')} for "
                f"{sockets} × 16-pin, so {sockets - native} "
                f"{'goes' if sockets - native == 1 else 'go'} through adapters.",
                parts=(gpu.id, psu.id),
                hint=hint,
                severity=Severity.WARNING,
                key=gpu.id,
            )
        else:
            yield out.fail(f"{text}.", parts=(gpu.id,), hint=hint, key=gpu.id)
