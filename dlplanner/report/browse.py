"""The catalog browser's words: how many parts show, what a search missed, why parts hide.

The browser hides parts that do not fit the build (:mod:`dlplanner.rules.fit`); these
functions say how many, and why, from the conflicts the filter found, so the count, the
reason and the empty state never disagree with the filter.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from dlplanner.rules.fit import Conflict

KIND_PLURALS: dict[str, str] = {
    "cpu": "CPUs",
    "motherboard": "motherboards",
    "memory": "memory kits",
    "gpu": "GPUs",
    "storage": "drives",
    "psu": "power supplies",
    "case": "cases",
    "cooler": "CPU coolers",
    "cloud": "cloud offers",
}
"""The kinds in the plural, as the browser counts them."""

TOOLTIP_REASONS = 12
"""At most this many reasons are listed in the tooltip; the rest are counted."""

SHOW_ALL_HINT = "Untick “Only parts that fit this build” to see every part."


def kind_plural(kind: str) -> str:
    """Return the kind in the plural ("GPUs", "power supplies")."""
    return KIND_PLURALS.get(kind, f"{kind} parts")


def shown_text(kind: str, shown: int, total: int) -> str:
    """Return how many parts of a kind are shown: "12 of 40 GPUs", or "40 GPUs"."""
    plural = kind_plural(kind)
    return f"{total} {plural}" if shown == total else f"{shown} of {total} {plural}"


def no_match_text(kind: str, search: str) -> str:
    """Return the empty state's headline for a search that matched nothing shown."""
    return f"No {kind_plural(kind)} match “{search.strip()}”"


def reasons(conflicts: Sequence[Conflict]) -> list[tuple[str, int, list[tuple[str, int]]]]:
    """Return each reason, how many parts it hides and their values, the most common first.

    The values (the hidden parts' sockets, say) come with their counts, most common first.
    """
    by_reason: dict[str, Counter[str]] = {}
    for c in conflicts:
        by_reason.setdefault(c.reason, Counter())[c.value] += 1
    ranked = [
        (
            reason,
            sum(values.values()),
            sorted(((v, n) for v, n in values.items() if v), key=lambda vn: (-vn[1], vn[0])),
        )
        for reason, values in by_reason.items()
    ]
    return sorted(ranked, key=lambda r: (-r[1], r[0]))


def _values(values: list[tuple[str, int]], most: int, counts: bool) -> str:
    shown = [f"{v} ({n})" if counts else v for v, n in values[:most]]
    return ", ".join(shown) + (", …" if len(values) > most else "")


def _why(ranked: list[tuple[str, int, list[tuple[str, int]]]]) -> str:
    (top, count, values), others = ranked[0], len(ranked) - 1
    if others:
        return f"{top} ({count}) and {others} other reason{'s' * (others != 1)}"
    return f"{top} ({_values(values, 2, counts=False)})" if values else top


def hidden_text(conflicts: Sequence[Conflict]) -> tuple[str, str]:
    """Return one short line saying how many parts hide and why, and a tooltip with more.

    The line names the most common reason, with the hidden parts' own values when they
    have them ("35 hidden: not socket sTR5 (TR4)"); when there are other reasons it gives
    that reason's count and how many others there are. The tooltip lists every reason
    with its count and values, and how to show every part. Nothing hidden gives two
    empty strings.
    """
    if not conflicts:
        return "", ""
    ranked = reasons(conflicts)
    line = f"{len(conflicts)} hidden: {_why(ranked)}"
    listed = [
        f"{n} × {reason}" + (f": {_values(vals, 6, counts=True)}" if vals else "")
        for reason, n, vals in ranked[:TOOLTIP_REASONS]
    ]
    rest = ranked[TOOLTIP_REASONS:]
    if rest:
        listed.append(f"… {len(rest)} more reasons ({sum(r[1] for r in rest)} parts)")
    tip = "Hidden because they do not fit this build:\n" + "\n".join(listed)
    return line, f"{tip}\n\n{SHOW_ALL_HINT}"


def hidden_matches_text(conflicts: Sequence[Conflict]) -> str:
    """Return the empty state's line for search matches the fit filter hides ("" for none).

    "2 that match are hidden: not socket TR4 (AM5)".
    """
    if not conflicts:
        return ""
    n = len(conflicts)
    verb = "matches is" if n == 1 else "match are"
    return f"{n} that {verb} hidden: {_why(reasons(conflicts))}"


def count_text(
    kind: str, shown: int, total: int, searched: str, hidden: Sequence[Conflict]
) -> tuple[str, str]:
    """Return the line under the browser's table and its tooltip.

    How many parts show ("12 of 40 GPUs"; "0 of 40 GPUs" when a search matched nothing:
    the empty state above says so in words), then how many the fit filter hides and why
    (:func:`hidden_text`).
    """
    line, tip = hidden_text(hidden)
    text = shown_text(kind, shown, total)
    return (f"{text} · {line}" if line else text), tip


def empty_text(
    kind: str, searched: str, hidden: Sequence[Conflict], matching: Sequence[Conflict]
) -> tuple[str, str]:
    """Return the empty state's headline and detail when the browser shows no part.

    ``hidden`` are the conflicts of the parts the fit filter hides; ``matching`` those of
    them that match the search.
    """
    if searched:
        detail = hidden_matches_text(matching) or "Check the spelling, or try fewer words."
        return no_match_text(kind, searched), detail
    if hidden:
        return f"No {kind_plural(kind)} fit this build", hidden_text(hidden)[0]
    return f"The catalog has no {kind_plural(kind)}", ""
