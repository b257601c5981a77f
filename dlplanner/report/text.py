"""The report's wording as plain text: the verdict, break-even, the cost headline, assumptions."""

from __future__ import annotations

from dlplanner.domain.build import Assumptions, Site
from dlplanner.domain.costs import CloudOption, CostComparison
from dlplanner.report.findings import PROBLEM_WORDS
from dlplanner.report.findings import verdict as rules_verdict
from dlplanner.report.format import unit_price, usd
from dlplanner.report.names import offer_name, plan_name
from dlplanner.rules.engine import Evaluation

NO_GPUS = "The build has no GPUs: no GPUs to compare with the cloud (add a GPU)."
"""What every view of a comparison says when the machine has no GPU."""

SEVERITY_WORDS = PROBLEM_WORDS
"""What the report calls each severity."""


def verdict(evaluation: Evaluation) -> str:
    """Return the report's one-line verdict for the whole plan (the window's words)."""
    text, _worst = rules_verdict(evaluation)
    return f"{text} See the findings below." if evaluation.findings else text


def break_even_text(option: CloudOption) -> str:
    """Return when owning has paid for itself against this option: ``1.4 months``."""
    months = option.break_even_months
    return "not in the horizon" if months is None else f"{months:.1f} months"


def renting_cheaper_text(option: CloudOption, own_value_usd: float) -> str:
    """Return where renting is cheaper: ``below 2.2 %``, ``never`` or ``always``."""
    u = option.break_even_utilization
    if u is None:
        return "never" if option.total_usd > own_value_usd else "always"
    side = "below" if option.renting_cheaper == "below" else "above"
    return f"{side} {u * 100:.1f} %"


def _times(value: float) -> str:
    return f"{value:.1f}×"


def _equal_work_words(work: CloudOption | None, building_cheaper: bool) -> str:
    """Word the equal-work figure in the equal-hours one's direction when they agree."""
    if work is None or not work.ratio:
        return "equal work unknown: a GPU's throughput is missing"
    build_wins = work.ratio >= 1
    times = _times(work.ratio if build_wins else 1 / work.ratio)
    if build_wins == building_cheaper:
        return f"{times} for equal work"
    return f"but {'building' if build_wins else 'renting'} is {times} cheaper for equal work"


def cost_sentence(comparison: CostComparison, option: CloudOption | None = None) -> str:
    """Return the answer in one sentence, for ``option`` (default: the first compared).

    "Building is 15.6× cheaper than AWS p3.2xlarge on demand over 12 months at 100 % use
    (3.9× for equal work); it pays for itself after 1.9 months." The equal-work figure
    always stands beside the equal-hours one: an hour of an old GPU is not an hour of a
    fast one, so the flattering figure is never told alone.
    """
    a, own = comparison.assumptions, comparison.own
    if comparison.no_gpus:
        return NO_GPUS
    hours = [o for o in comparison.options if o.basis == "equal-hours"]
    if option is None:
        option = hours[0] if hours else None
    if option is None:
        return (
            f"Owning uses up {usd(own.value_usd)} over {a.months} months; "
            "there are no cloud offers to compare with."
        )
    work = option if option.basis == "equal-work" else comparison.equal_work_of(option)
    name = f"{offer_name(option.choice.offer)} {plan_name(option)}"
    when = f"over {a.months} months at {a.utilization * 100:.0f} % use"
    ratio = option.ratio
    if ratio is None:
        main = f"Renting {name} costs {usd(option.total_usd)} {when}"
    elif ratio >= 1:
        main = f"Building is {_times(ratio)} cheaper than {name} {when}"
    else:
        main = f"Renting {name} is {_times(1 / ratio)} cheaper than building {when}"
    months = option.break_even_months
    pays = (
        f"it pays for itself after {months:.1f} months"
        if months is not None
        else f"it does not pay for itself within {a.months} months"
    )
    words = _equal_work_words(work, ratio is None or ratio >= 1)
    return f"{main} ({words}); {pays}."


def headline(comparison: CostComparison) -> str:
    """Return the comparison in one sentence, against the first cloud option."""
    return cost_sentence(comparison)


def _pct(value: float) -> str:
    return f"{value * 100:.4g} %"


def assumption_rows(a: Assumptions, site: Site) -> list[tuple[str, str]]:
    """Return the cost assumptions and the site, as label and value."""
    if a.power_kw is not None:
        power = f"{a.power_kw:g} kW measured"
        if a.power_kw_per_extra_gpu:
            power += f", +{a.power_kw_per_extra_gpu:.3g} kW per extra GPU"
    else:
        power = (
            f"from the parts' power (TDP or power limit) × {a.load_factor:g}, plus "
            f"{a.base_power_w:g} W for the rest"
        )
    storage = f"{a.storage_gb:g} GB at {unit_price(a.storage_usd_per_gb_month)} per GB-month"
    egress = f"{a.egress_gb_per_month:g} GB a month at {unit_price(a.egress_usd_per_gb)} per GB"
    scaling = "instance scaled to n GPUs" if a.cloud_scaling == "instance" else "1-GPU instances"
    circuit = f"{site.volts:g} V, {site.breaker_amps:g} A breaker, "
    circuit += f"{_pct(site.continuous_factor)} continuous"
    if site.circuits > 1:
        circuit += f", {site.circuits} circuits"
    return [
        ("Preset", a.preset or "none"),
        ("Horizon", f"{a.months} months"),
        ("Utilization", _pct(a.utilization)),
        ("Electricity", f"{unit_price(a.electricity_usd_per_kwh)} per kWh"),
        ("Power while training", power),
        ("Power while idle", f"{a.idle_power_w:g} W"),
        ("Depreciation", f"{a.depreciation_years:g} years, {_pct(a.residual_fraction)} residual"),
        ("Sales tax", _pct(a.sales_tax)),
        ("Cloud storage", storage),
        ("Cloud egress", egress),
        ("Compared on", "equal hours" if a.normalize == "none" else f"equal {a.normalize} work"),
        ("Commitments", "whole term charged" if a.commitment_full_term else "charged by month"),
        ("Cloud scaling", scaling),
        ("Wall circuit", circuit),
        ("PSU headroom", f"× {site.psu_headroom:g}"),
    ]
