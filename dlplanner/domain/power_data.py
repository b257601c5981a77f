"""Published figures the power model is built on, each with its source.

Nothing here computes: :mod:`dlplanner.domain.power` reads these tables. Every number is
quoted from the source named next to it; where a generation has no measurement the table
has no entry, and the model reports *unknown* rather than guessing.
"""

from __future__ import annotations

from dataclasses import dataclass

EFFICIENCY_SOURCE = "https://www.tomshardware.com/uk/reviews/80-plus-psu-efficiency,4848-2.html"
EFFICIENCY_POINTS: dict[str, tuple[float, float, float]] = {
    "white": (0.80, 0.80, 0.80),
    "bronze": (0.82, 0.85, 0.82),
    "silver": (0.85, 0.88, 0.85),
    "gold": (0.87, 0.90, 0.87),
    "platinum": (0.90, 0.92, 0.89),
    "titanium": (0.92, 0.94, 0.90),
}
"""80 PLUS minimum efficiency at 20 %, 50 % and 100 % of rated load.

Column "115V Internal Non-Redundant" of the 80 PLUS certification table (program of
Ecos Consulting and EPRI, now run by CLEAResult), as printed by Tom's Hardware in
"80 PLUS PSU efficiency" (:data:`EFFICIENCY_SOURCE`). Titanium also has a 10 % point
(90 %), not used here. A certified unit reaches at least these, so wall draws computed
from them are upper estimates.
"""

LOAD_POINTS: tuple[float, float, float] = (0.2, 0.5, 1.0)
"""The loads (share of the rating) of :data:`EFFICIENCY_POINTS`."""

OTHER_PARTS_W = 100.0
"""Board, memory, drives and fans together (Dettmers' hardware guide uses 100 W)."""

ATX3_EXCURSION = 2.0
"""ATX 3.0/3.1: a supply holds 200 % of its rating for 100 µs (Intel, via TweakTown 85717)."""
ATX3_SOURCE = (
    "https://www.tweaktown.com/news/85717/pcie-5-0-gpus-can-have-power-excursions-use-up-to-1800w-of/"
    "index.html"
)

SINGLE_PSU_MAX_W = 1600
"""The largest workstation PSUs sold for 115 V home and office circuits (Lambda, RTX 30 guide)."""


@dataclass(frozen=True, slots=True)
class Excursion:
    """A published measurement of one card's short power peaks.

    ``ratio`` is the measured peak over the card's rated board power; the model applies
    it to every card of the generation, at its stock power or at its power limit.
    """

    generation: str
    card: str
    rated_w: int
    peak_w: float
    window: str
    source: str
    note: str = ""

    @property
    def ratio(self) -> float:
        """Peak over rated board power."""
        return self.peak_w / self.rated_w


EXCURSIONS: dict[str, Excursion] = {
    "pascal": Excursion(
        "pascal",
        "Zotac GeForce GTX 1080 Ti AMP Extreme",
        300,
        343.0,
        "gaming loop, low-pass filtered",
        "https://www.tomshardware.com/uk/reviews/zotac-geforce-gtx-1080-ti-amp-extreme,5055-4.html",
        "Tom's Hardware (Igor Wallossek): 'occasional spikes … reach up to 343W' at a 300 W target",
    ),
    "ampere": Excursion(
        "ampere",
        "GeForce RTX 3090",
        350,
        600.0,
        "millisecond-resolution oscilloscope, machine-learning load",
        "https://forums.developer.nvidia.com/t/maximum-power-draw-3090/169134",
        "a user's scope reading of 600 W on NVIDIA's developer forum; NVIDIA's moderator explains "
        "such spikes as normal for ML loads",
    ),
    "ada": Excursion(
        "ada",
        "GeForce RTX 4090 Founders Edition",
        450,
        500.0,
        "TechPowerUp instantaneous peak",
        "https://geektopia.es/es/technology/2022/10/11/noticias/amp/"
        "llegan-los-primeros-analisis-de-la-rtx-4090-y-no-es-tan-buena-como-parecia.html",
        "TechPowerUp's review as reported by Geektopia: 468 W under load, 'algún pico instantáneo "
        "de 500 W'",
    ),
    "blackwell": Excursion(
        "blackwell",
        "GeForce RTX 5090 Founders Edition",
        575,
        901.1,
        "peaks under 1 ms (Igor's Lab)",
        "https://www.slashgear.com/1902896/rtx-5090-how-much-power-can-pull-nvidia-geforce-gpu/",
        "Igor's Lab: 627.5 W for 10-20 ms, 738.2 W for 5-10 ms, 823.6 W for 1-5 ms, "
        "901.1 W under 1 ms",
    ),
}
"""Measured excursions by GPU generation. Turing has no stored measurement (searched: Tom's
Hardware Powenetics and PCPer RTX 2080/2080 Ti reviews give averages only), so Turing cards
are *unknown* to the transient rule."""

GENERATION_PATTERNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("blackwell", ("rtx 50", "blackwell", "b200", "b100", "gb200")),
    ("ada", ("rtx 40", " ada", "l40", "l4")),
    ("ampere", ("rtx 30", "rtx a", "a100", "a10", "a30", "a40", "a16", "a2")),
    ("turing", ("rtx 20", "titan rtx", "quadro rtx", "t4", "gtx 16")),
    ("pascal", ("gtx 10", "titan x", "titan xp", "p100", "p40", "quadro p")),
)
"""Chipset name fragments (lower case) of each generation, checked in order."""

THROUGHPUT_SOURCE = "https://blog.qwertyforce.dev/posts/optimal_power_limit"
THROUGHPUT_CURVE: tuple[tuple[float, float], ...] = (
    (230 / 480, 0.80),
    (280 / 480, 0.90),
    (320 / 480, 0.95),
    (1.0, 1.0),
)
"""Training throughput against power limit, both as shares of full power (an estimate).

An RTX 3090 training vit_base_patch16_224 in TF32 (qwertyforce, "Optimal power limit for
deep learning tasks on RTX 3090"): 230 W gives 80 %, 280 W 90 %, 320 W 95 % of the speed
at the card's full 480 W. The model reads the share of the card's stock board power on
the first axis; Puget Systems (4 × RTX 3090, TensorFlow, 350 → 280 W, "over 95 %")
agrees within 2 points (the curve gives 97 % at 80 %). Below 48 % the curve is carried
linearly to zero.
"""
PUGET_LIMIT_SOURCE = (
    "https://www.pugetsystems.com/labs/hpc/quad-rtx3090-gpu-wattage-limited-maxq-tensorflow-"
    "performance-1974/"
)

CONNECTOR_W: dict[str, int] = {
    "pcie_8pin": 150,
    "pcie_6pin": 75,
    "pcie_16pin": 600,
    "eps_8pin": 300,
}
"""Rated power of a card's power sockets (Hugging Face hardware guide: 8-pin 150 W, 6-pin
75 W, 12-pin up to 600 W; the CPU-style 8-pin EPS of pro cards carries the RTX A6000's
300 W alone, shared/reference/gpus.md), added to :data:`SLOT_W` from the slot."""
SLOT_W = 75
"""What a PCIe x16 slot supplies."""

MAX_POWER_LIMIT_W = 1200
"""The highest power limit a build file may name when nothing better is known."""
