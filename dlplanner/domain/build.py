"""A build: the parts bought now, an upgrade plan, cost assumptions and the site's power.

Everything here is a frozen value. Edits make new builds (``model_copy(update=...)``),
which is what lets the UI's undo stack hold plain snapshots. Part ids are plain strings:
a build may name parts the catalog does not have; they are kept and reported, never dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field

from dlplanner.domain.parts import Model
from dlplanner.domain.power_data import MAX_POWER_LIMIT_W
from dlplanner.domain.text import has_unsafe_characters


def _printable_id(value: str) -> str:
    if has_unsafe_characters(value):
        # An id is printed in terminals, reports and one-line messages: an escape
        # sequence or a bidi override in it would recolour or disguise what is shown.
        raise ValueError("control characters, line breaks and bidi marks are not allowed in ids")
    return value


Identifier = Annotated[str, Field(min_length=1, max_length=120), AfterValidator(_printable_id)]
"""A part or offer id as a build file names it (unknown ids are kept, but must print safely)."""


def _not_bool(value: object) -> object:
    # YAML reads yes/no/on/off/true/false as booleans, which pydantic would take as 1 and 0.
    if isinstance(value, bool):
        raise ValueError("expected a number, not true or false")
    return value


Int = Annotated[int, BeforeValidator(_not_bool)]
"""A whole number; a boolean is refused (``qty: yes`` must not mean 1)."""
Float = Annotated[float, BeforeValidator(_not_bool)]
"""A number; a boolean is refused (``utilization: no`` must not mean 0)."""

MAX_QTY = 64
"""Most units one line of a parts list or plan step may have."""
Quantity = Annotated[Int, Field(ge=1, le=MAX_QTY)]
Money = Annotated[Float, Field(ge=0, le=1_000_000, allow_inf_nan=False)]
Ratio = Annotated[Float, Field(ge=0, le=1, allow_inf_nan=False)]

MAX_ITEMS = 100
"""Most lines a parts list may have."""
MAX_PLAN_STEPS = 20
"""Most later purchases an upgrade plan may have."""
MAX_STEP_ITEMS = 16
"""Most lines one plan step may add."""
MAX_COMPARE = 16
"""Most cloud offers a build may compare with.

These bounds keep the largest valid build file (about 4,100 YAML nodes) inside the
reader's limit (``yamlsafe.BUILD_MAX_NODES``), so every valid build saves and loads back.
"""

CloudPlan = Literal["on-demand", "reserved-1y", "reserved-3y", "spot"]
CLOUD_PLANS: tuple[CloudPlan, ...] = ("on-demand", "reserved-1y", "reserved-3y", "spot")


class BuildItem(Model):
    """One line of the parts list."""

    part: Identifier
    qty: Quantity = 1
    price_usd: Money | None = None
    """What the user pays per unit; overrides the catalog price."""
    price_date: dt.date | None = None
    """The day ``price_usd`` was true (a PCPartPicker list's date); None if not known."""
    note: Annotated[str, Field(max_length=2000)] = ""
    power_limit_w: Annotated[Int, Field(gt=0, le=MAX_POWER_LIMIT_W)] | None = None
    """GPU lines: the power limit each card runs at (``nvidia-smi -pl``); empty is stock."""


class PlanStep(Model):
    """A later purchase in the upgrade timeline."""

    month: Annotated[Int, Field(ge=0, le=240)]
    label: Annotated[str, Field(max_length=200)] = ""
    add: Annotated[tuple[BuildItem, ...], Field(max_length=MAX_STEP_ITEMS)] = ()


class Assumptions(Model):
    """Cost assumptions. Every field has a default, so ``{}`` is a valid set."""

    preset: Annotated[str, Field(max_length=40)] | None = None
    """The preset these assumptions started from, if any (for display)."""
    months: Annotated[Int, Field(ge=1, le=240)] = 36
    """The comparison horizon."""
    utilization: Ratio = 1.0
    """Share of all hours the GPUs train."""
    electricity_usd_per_kwh: Annotated[Float, Field(ge=0, le=10, allow_inf_nan=False)] = 0.20
    power_kw: Annotated[Float, Field(gt=0, le=100, allow_inf_nan=False)] | None = None
    """A measured draw under load; when empty the parts' TDPs give an estimate."""
    power_kw_per_extra_gpu: Annotated[Float, Field(ge=0, le=10, allow_inf_nan=False)] | None = None
    """With ``power_kw`` (the draw with one GPU): the draw each further GPU adds."""
    load_factor: Ratio = 1.0
    """Share of their TDP that GPUs and CPU draw while training."""
    base_power_w: Annotated[Float, Field(ge=0, le=5000, allow_inf_nan=False)] = 100.0
    """Draw of everything but GPUs and CPU (board, memory, drives, fans)."""
    idle_power_w: Annotated[Float, Field(ge=0, le=5000, allow_inf_nan=False)] = 0.0
    """Draw while powered but not training (0: switched off when idle)."""
    depreciation_years: Annotated[Float, Field(gt=0, le=20, allow_inf_nan=False)] = 3.0
    residual_fraction: Ratio = 0.0
    sales_tax: Ratio = 0.0
    storage_gb: Annotated[Float, Field(ge=0, le=1_000_000, allow_inf_nan=False)] = 0.0
    storage_usd_per_gb_month: Annotated[Float, Field(ge=0, le=10, allow_inf_nan=False)] = 0.10
    egress_gb_per_month: Annotated[Float, Field(ge=0, le=10_000_000, allow_inf_nan=False)] = 0.0
    egress_usd_per_gb: Annotated[Float, Field(ge=0, le=10, allow_inf_nan=False)] = 0.09
    normalize: Literal["none", "fp32", "mixed"] = "none"
    """Compare equal hours (none) or equal work using FP32 or mixed-precision throughput."""
    commitment_full_term: bool = False
    """Charge a commitment's whole term even when the horizon is shorter."""
    cloud_scaling: Literal["instance", "single-gpu"] = "instance"
    """How the cloud side grows with the plan: the offer scaled to n GPUs, or n 1-GPU offers."""


class Site(Model):
    """Where the machine plugs in: the wall circuit and how much headroom to keep."""

    volts: Annotated[Float, Field(ge=90, le=260, allow_inf_nan=False)] = 120.0
    breaker_amps: Annotated[Float, Field(ge=5, le=63, allow_inf_nan=False)] = 15.0
    continuous_factor: Annotated[Float, Field(gt=0, le=1, allow_inf_nan=False)] = 0.8
    """Share of the breaker rating a continuous load may use (NEC: 80 %)."""
    psu_headroom: Annotated[Float, Field(ge=1, le=3, allow_inf_nan=False)] = 1.21
    """PSU size over the DC load: Dettmers' 1.1 (other parts, spikes) x 1.1 (margin)."""
    circuits: Literal[1, 2] = 1
    """Wall circuits the power supplies plug into (two supplies may use one each)."""

    @property
    def breaker_w(self) -> float:
        """Return the breaker rating in watts: volts × amps."""
        return self.volts * self.breaker_amps

    @property
    def continuous_limit_w(self) -> float:
        """Return what a continuous load may draw: volts × amps × continuous factor."""
        return self.breaker_w * self.continuous_factor


class CompareEntry(Model):
    """A cloud offer and plan to compare the build with."""

    offer: Identifier
    plan: CloudPlan = "on-demand"


class Build(Model):
    """A workstation build with its upgrade plan."""

    name: Annotated[str, Field(max_length=200)] = "Untitled build"
    notes: Annotated[str, Field(max_length=20_000)] = ""
    items: Annotated[tuple[BuildItem, ...], Field(max_length=MAX_ITEMS)] = ()
    plan: Annotated[tuple[PlanStep, ...], Field(max_length=MAX_PLAN_STEPS)] = ()
    assumptions: Assumptions = Field(default_factory=Assumptions)
    compare: Annotated[tuple[CompareEntry, ...], Field(max_length=MAX_COMPARE)] = ()
    site: Site = Field(default_factory=Site)

    def stages(self) -> list[Stage]:
        """Stage 0 is the build as bought now; stage k adds plan steps 1..k."""
        result = [Stage(0, 0, "Initial build", self.items, self.items)]
        cumulative = list(self.items)
        for k, step in enumerate(self.plan, start=1):
            cumulative.extend(step.add)
            label = step.label or f"Stage {k}"
            result.append(Stage(k, step.month, label, step.add, tuple(cumulative)))
        return result

    def part_ids(self) -> Iterator[str]:
        """Every part id the build names, plan included, in order, with repeats."""
        for item in self.items:
            yield item.part
        for step in self.plan:
            for item in step.add:
                yield item.part


@dataclass(frozen=True, slots=True)
class Stage:
    """One point of the upgrade timeline: what was added and what the machine has then."""

    index: int
    month: int
    label: str
    added: tuple[BuildItem, ...]
    items: tuple[BuildItem, ...]
