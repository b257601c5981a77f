"""A completion in words: why each part is there, what it ruled out, what changed."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape

from dlplanner.completion.levels import NO_COMPLETION
from dlplanner.completion.propose import ALL_WARNINGS, Completion, Pick, Proposal
from dlplanner.domain.build import Build, BuildItem
from dlplanner.domain.catalog import Catalog
from dlplanner.domain.parts import (
    KIND_TITLES,
    CasePart,
    CoolerPart,
    CpuPart,
    MemoryPart,
    MotherboardPart,
    PsuPart,
    StoragePart,
)
from dlplanner.domain.power import throughput_share
from dlplanner.report.findings import counts_text, verdict
from dlplanner.report.format import usd
from dlplanner.report.names import part_name
from dlplanner.rules.context import StageContext, build_contexts
from dlplanner.rules.registry import REGISTRY
from dlplanner.rules.text import plural

KIND_WORDS: dict[str, tuple[str, str]] = {
    "cpu": ("CPU", "CPUs"),
    "motherboard": ("board", "boards"),
    "memory": ("memory option", "memory options"),
    "storage": ("drive", "drives"),
    "psu": ("power supply", "power supplies"),
    "case": ("case", "cases"),
    "cooler": ("cooler", "coolers"),
}


def reason_title(reason: str) -> str:
    """Return the words for a reason a candidate was turned down (a rule's title, quoted)."""
    if reason == "fit":
        return "do not fit the parts chosen before"
    if reason == NO_COMPLETION:
        return "no passing build with them"
    if reason in REGISTRY:
        return f"“{REGISTRY.get(reason).title}”"
    return reason


def _final(build: Build, catalog: Catalog) -> StageContext:
    return build_contexts(build, catalog)[-1]


def _lanes(ctx: StageContext) -> str:
    placed = ctx.slots.placed
    if not placed:
        return ""
    lanes = sorted({p.link_lanes for p in placed})
    return " or ".join(f"x{n}" for n in lanes)


def why(pick: Pick, build: Build, catalog: Catalog) -> str:
    """Return what makes the picked part right for this build, with its numbers."""
    part = catalog.get(pick.items[0].part)
    ctx = _final(build, catalog)
    n = len(ctx.gpus)
    if isinstance(part, CpuPart):
        lanes = part.pcie_lanes_usable
        text = f"{part.cores} cores" if part.cores else part.socket
        if lanes is not None:
            text += f", {lanes} usable PCIe lanes: {plural(n, 'GPU')} link at {_lanes(ctx)}"
        return text
    if isinstance(part, MotherboardPart):
        slots = ", ".join(p.slot.name for p in ctx.slots.placed if p.slot is not None)
        return f"{part.socket}, {part.form_factor}; the GPUs go in {slots}"
    if isinstance(part, PsuPart):
        need = ctx.load.required_psu_w(ctx.site.psu_headroom)
        return (
            f"{part.wattage_w:,} W: the GPUs and CPU draw {ctx.load.total_w:,} W "
            f"(× {ctx.site.psu_headroom:g} headroom: {need:,} W)"
        )
    if isinstance(part, CasePart):
        slots = f"{part.expansion_slots} expansion slots" if part.expansion_slots else ""
        length = f", GPUs up to {part.max_gpu_length_mm:g} mm" if part.max_gpu_length_mm else ""
        board = ctx.board.form_factor if ctx.board else "the"
        return f"takes the {board} board; {slots}{length}".replace("; ,", ";")
    if isinstance(part, MemoryPart):
        vram = sum(g.vram_gb or 0 for g in ctx.gpus)
        gb = part.capacity_gb * pick.items[0].qty
        return f"{gb} GB {part.memory_type} for {vram:g} GB of GPU memory"
    if isinstance(part, StoragePart):
        interface = "NVMe" if part.interface == "nvme" else part.interface.upper()
        return f"{part.capacity_gb / 1000:g} TB {interface} {part.media.upper()}"
    if isinstance(part, CoolerPart):
        socket = ctx.cpu.socket if ctx.cpu else "the CPU's socket"
        height = f", {part.height_mm:g} mm tall" if part.height_mm else ""
        return f"lists {socket}{height}"
    return ""


def _reason_count(reason: str, count: int) -> str:
    if reason in ("fit", NO_COMPLETION):
        return f"{count} {reason_title(reason)}"
    return f"{count} failed {reason_title(reason)}"


def ruled_out(pick: Pick) -> str:
    """Return what the pick ruled out: the cheaper candidates turned down and why."""
    if not pick.cheaper_turned_down:
        return f"the cheapest {KIND_WORDS[pick.kind][0]} that passes"
    one, many = KIND_WORDS[pick.kind]
    shown = [_reason_count(reason, count) for reason, count, _ in pick.reasons[:3]]
    text = f"{plural(pick.cheaper_turned_down, 'cheaper ' + one, 'cheaper ' + many)} ruled out: "
    text += "; ".join(shown)
    first, _, example = pick.reasons[0] if pick.reasons else ("", 0, "")
    if example and first != NO_COMPLETION:
        text += f" (e.g. {example})"
    return text


def line_text(item: BuildItem, catalog: Catalog) -> str:
    """Return ``4 × ASUS Turbo GeForce RTX 3090 at 280 W`` for a build line."""
    part = catalog.get(item.part)
    title = part.title if part else item.part
    if item.power_limit_w:
        title += f" at {item.power_limit_w} W"
    return f"{item.qty} × {title}" if item.qty > 1 else title


def power_note(proposal: Proposal, catalog: Catalog) -> str:
    """Say what a proposal's GPU power limits do ("" when it runs them at stock power)."""
    limited = [
        (gpu, item.power_limit_w)
        for item in proposal.build.items
        if item.power_limit_w and (gpu := catalog.gpu(item.part)) is not None
    ]
    if not limited:
        return ""
    gpu, limit = limited[0]
    share = throughput_share(limit, gpu.tdp_w)
    return (
        f"Power-limit the GPUs to {limit} W each (sudo nvidia-smi -pl {limit}, after every "
        f"boot; stock {gpu.tdp_w} W): about {share:.0%} of stock training speed (estimate); "
        "at stock power the circuit or the power supply would need more warnings accepted."
    )


def differences(proposal: Proposal, original: Build, catalog: Catalog) -> list[str]:
    """Return what the proposal adds and replaces, line by line."""
    old = set(original.items)
    added = [item for item in proposal.build.items if item not in old]
    lines = [f"+ {line_text(item, catalog)}" for item in added]
    lines += [f"− {line_text(item, catalog)} (replaced)" for item in proposal.removed]
    return lines


def headline(proposal: Proposal, catalog: Catalog) -> str:
    """Return the proposal's first line: label, total and verdict."""
    text, _ = verdict(proposal.evaluation)
    counts = counts_text(proposal.evaluation)
    total = usd(proposal.total_usd, 0)
    if proposal.unpriced:
        names = ", ".join(line_text(BuildItem(part=p), catalog) for p in proposal.unpriced)
        total += f" + {plural(len(proposal.unpriced), 'part')} without a price ({names})"
    return f"{proposal.label}: {total}. {text}" + (f" ({counts})" if counts else "")


def proposal_row(proposal: Proposal, original: Build, catalog: Catalog) -> tuple[str, ...]:
    """Return the proposal's row in the window's list, and what it changes as one text.

    The cells are label, total, verdict with counts and the number of changes; the last
    string lists the changes line by line (the changes cell's tooltip).
    """
    text, _ = verdict(proposal.evaluation)
    counts = counts_text(proposal.evaluation)
    total = usd(proposal.total_usd, 0) + (" + unpriced" if proposal.unpriced else "")
    changes = differences(proposal, original, catalog)
    verdict_cell = f"{text} ({counts})" if counts else text
    return (proposal.label, total, verdict_cell, f"{len(changes)} changes", "\n".join(changes))


def found_text(completion: Completion, seconds: float) -> str:
    """Return how many proposals a search found and in how long, with its notes."""
    count = len(completion.proposals)
    notes = " ".join(completion.notes)
    return f"{plural(count, 'proposal')} in {seconds:.1f} s. {notes}".strip()


def proposal_html(proposal: Proposal, original: Build, catalog: Catalog) -> str:
    """Return the proposal's explanation as HTML: each pick, why, what it ruled out, findings."""
    out = [f"<h3>{escape(proposal.label)}: {escape(usd(proposal.total_usd, 0))}</h3>"]
    if proposal.unpriced:
        names = ", ".join(escape(part_name(catalog, p)) for p in proposal.unpriced)
        out.append(f"<p><b>Without a price (not in the total):</b> {names}</p>")
    power = power_note(proposal, catalog)
    if power:
        out.append(f"<p><b>{escape(power)}</b></p>")
    accepted = accepted_text(proposal)
    if accepted:
        out.append(f"<p>{escape(accepted)}</p>")
    out.append("<table cellspacing=4>")
    for pick in proposal.picks:
        title = escape(part_name(catalog, pick.items[0].part))
        qty = pick.items[0].qty
        title = f"{qty} × {title}" if qty > 1 else title
        out.append(
            f"<tr><td valign=top><b>{escape(KIND_TITLES[pick.kind])}</b></td>"
            f"<td>{title} — {escape(usd(pick.price_usd, 0))}<br>"
            f"<i>{escape(why(pick, proposal.build, catalog))}</i><br>"
            f"{escape(ruled_out(pick))}</td></tr>"
        )
    out.append("</table>")
    removed = [d for d in differences(proposal, original, catalog) if d[0] == "−"]
    if removed:
        out.append("<p><b>Replaced:</b> " + escape("; ".join(d[2:] for d in removed)) + "</p>")
    if proposal.evaluation.findings:
        out.append("<p><b>Findings of this build</b></p><ul>")
        for finding in proposal.evaluation.findings:
            out.append(f"<li>{escape(reason_title(finding.rule))}: {escape(finding.message)}</li>")
        out.append("</ul>")
    return "".join(out)


def accepted_text(proposal: Proposal) -> str:
    """Return which warnings the proposal could not avoid ("" when none)."""
    accepted = proposal.accepted_warnings
    if not accepted:
        return ""
    if accepted == ALL_WARNINGS:
        return "No build within the goals avoids every warning; warnings are accepted."
    titles = ", ".join(sorted(reason_title(r) for r in accepted))
    return f"No build within the goals avoids these warnings: {titles}."


def proposal_lines(proposal: Proposal, original: Build, catalog: Catalog) -> Iterator[str]:
    """Return the proposal as lines of text: headline, changes, and each pick's reasons."""
    yield headline(proposal, catalog)
    power = power_note(proposal, catalog)
    if power:
        yield f"  {power}"
    accepted = accepted_text(proposal)
    if accepted:
        yield f"  {accepted}"
    for pick in proposal.picks:
        title = line_text(pick.items[0], catalog)
        yield f"  {KIND_TITLES[pick.kind]}: {title} ({usd(pick.price_usd, 0)})"
        reason = why(pick, proposal.build, catalog)
        if reason:
            yield f"    why: {reason}"
        yield f"    {ruled_out(pick)}"
    for line in differences(proposal, original, catalog):
        if line.startswith("−"):
            yield f"  {line}"


GOAL_WORDS = {
    "budget": "the budget",
    "brands": "the brands asked for",
    "sockets": "the sockets asked for",
    "kept": "keeping every part of the build",
}


def failure_text(completion: Completion, budget_usd: float | None) -> str:
    """Return the one-paragraph answer when nothing satisfies the goals."""
    binding = completion.binding
    if binding == "gpus":
        return (
            "The build has no GPU: add the GPUs you want to train on (and plan later ones), "
            "then complete it."
        )
    if binding == "gpu-cooler":
        return (
            "The catalog has no priced card of the same chip with the GPU cooler asked for "
            "(blower or open-air): allow the other cooler type, or choose other GPUs."
        )
    if binding == "budget" and budget_usd is not None:
        cheapest = completion.cheapest_without_goal_usd or 0.0
        return (
            f"Nothing under {usd(budget_usd, 0)}: the cheapest build that passes every check "
            f"costs {usd(cheapest, 0)}."
        )
    if binding in GOAL_WORDS:
        cheapest = completion.cheapest_without_goal_usd or 0.0
        return (
            f"Nothing satisfies {GOAL_WORDS[binding]}: without that goal, the cheapest "
            f"passing build costs {usd(cheapest, 0)}."
        )
    if completion.blocked_by:
        rule_id, count, example = completion.blocked_by[0]
        return (
            f"No build from the catalog passes every check. The check that ruled out most "
            f"candidates is {reason_title(rule_id)} ({count}×), e.g.: {example}"
        )
    return "No build from the catalog passes every check: some kinds have no priced candidate."


def completion_lines(
    completion: Completion, original: Build, catalog: Catalog, budget_usd: float | None = None
) -> list[str]:
    """Return the whole completion as text lines, as ``dlplanner complete`` prints it."""
    if not completion.found:
        return [failure_text(completion, budget_usd)]
    lines: list[str] = []
    for index, proposal in enumerate(completion.proposals):
        if index:
            lines.append("")
        lines.extend(proposal_lines(proposal, original, catalog))
    for note in completion.notes:
        lines.append(f"Note: {note}")
    if completion.unpriced:
        lines.append(
            f"Note: {plural(completion.unpriced, 'catalog part')} without a price "
            "were not considered (a part without a price is never taken as $0)."
        )
    return lines
