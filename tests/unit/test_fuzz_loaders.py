"""Fuzzing the build-file and catalog loaders with hypothesis.

Random and mutated documents either load or raise the one load-error type (``LoadError``),
with a one-line message; nothing else escapes. Whatever loads saves and loads back equal,
and every valid :class:`Build` round-trips exactly through text and through a file.

The budget comes from ``HYPOTHESIS_PROFILE`` (see ``tests/fuzz_profiles.py``): ``ci`` by
default, ``long`` for 20,000 examples per test.
"""

from __future__ import annotations

import copy
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from dlplanner.domain.build import (
    CLOUD_PLANS,
    MAX_COMPARE,
    MAX_ITEMS,
    MAX_PLAN_STEPS,
    MAX_STEP_ITEMS,
    Assumptions,
    Build,
    BuildItem,
    CompareEntry,
    PlanStep,
    Site,
)
from dlplanner.domain.parts import PartBase
from dlplanner.domain.text import needs_escape
from dlplanner.io.atomic import SaveError
from dlplanner.io.buildfile import (
    build_to_document,
    dumps_build,
    load_build,
    loads_build,
    save_build,
)
from dlplanner.io.catalog_files import CatalogProblem, load_catalog, read_catalog_file
from dlplanner.io.yamlsafe import BUILD_MAX_BYTES, BUILD_MAX_NODES, LoadError
from tests.conftest import DATA, ROOT
from tests.fuzz_profiles import FUZZ, scaled

EXAMPLES = sorted((ROOT / "resources" / "examples").glob("*.dlbuild.yaml"))
EXAMPLE_BYTES = [p.read_bytes() for p in EXAMPLES]
EXAMPLE_DOCS = [yaml.safe_load(b) for b in EXAMPLE_BYTES]
HEADER = "format: dlplanner-build\nformat_version: 1\n"


def _catalog_seeds() -> list[bytes]:
    """Small catalog files: the test catalog, and the first entries of every shipped file."""
    seeds = [p.read_bytes() for p in sorted((DATA / "catalog_min").glob("*.yaml"))]
    for path in sorted((ROOT / "catalog").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        doc["parts"] = doc["parts"][:3]
        seeds.append(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True).encode())
    return seeds


CATALOG_SEEDS = _catalog_seeds()
CATALOG_DOCS = [yaml.safe_load(b) for b in CATALOG_SEEDS]

# -- checking one outcome -------------------------------------------------------------------


def check_build_outcome(load: Any, *args: Any) -> Build | None:
    """Run a loader: it returns a Build that round-trips, or raises a one-line LoadError."""
    try:
        build = load(*args)
    except LoadError as exc:
        message = str(exc)
        assert message and "\n" not in message and "\r" not in message, message
        return None
    assert isinstance(build, Build)
    assert loads_build(dumps_build(build)) == build  # whatever loads saves back unchanged
    return build


def check_catalog_outcome(path: Path) -> None:
    """``read_catalog_file`` returns parts and problems, or raises LoadError; nothing else."""
    try:
        parts, problems = read_catalog_file(path)
    except LoadError as exc:
        assert "\n" not in str(exc)
        return
    assert all(isinstance(p, PartBase) for p in parts)
    assert len({p.id for p in parts}) == len(parts)
    assert all(isinstance(p, CatalogProblem) for p in problems)
    for problem in problems:
        assert "\n" not in str(problem), str(problem)


# -- strategies: text and bytes --------------------------------------------------------------

TOKENS = [
    "format", "format_version", "dlplanner-build", "dlplanner-catalog", "items", "part", "qty",
    "price_usd", "note", "plan", "month", "label", "add", "assumptions", "compare", "offer",
    "site", "volts", "months", "utilization", "name", "notes", "kind", "parts", "id",
    ":", ": ", "- ", "-", "[", "]", "{", "}", ",", "&a ", "*a", "<<: ", "? ",
    "!!python/object/apply:os.system ['true'] ", "!!binary ", "!!set ", "!custom ", "!!str ",
    "|", ">-", "'", '"', "#", "---\n", "...\n", "%YAML 1.1\n", "\n", "\n  ", "  ", "\t",
    ".nan", ".inf", "-.inf", "1", "-1", "0", "64", "65", "1e999", "1_000", "0x1F", "0o17",
    "2024-02-30", "2024-01-01", "~", "null", "yes", "no", "true", "\ufeff", "\r\n", "\x85",
    "\u2028", "é", "\\", "%", "@", "`", "\x07", "😀",
]  # fmt: skip

VALUES = [
    ".nan", "-.inf", ".inf", "1e308", "1e999", "-1", "0", "65", "99999999999999999999",
    "1.5", "-0.0", "0x10", "true", "no", "null", "~", "''", "[]", "{}", "[1, 2]", "{a: 1}",
    "2024-02-30", "2024-01-01", "!!python/name:os.system", "*a", "&a 1", "'", '"open',
    "é", "[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]", "{part: x, qty: 1}", "- x", ": :",
]  # fmt: skip

yamlish = st.lists(st.sampled_from(TOKENS) | st.text(max_size=4), max_size=60).map("".join)
random_text = st.one_of(
    st.text(max_size=300),
    yamlish,
    yamlish.map(lambda t: HEADER + t),
)


@st.composite
def mutated_bytes(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    """A seed file with a few byte- and line-level mutations."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(
            st.sampled_from(
                ["flip", "insert", "delete", "truncate", "token", "value", "dup", "swap", "indent"]
            )
        )
        at = draw(st.integers(0, len(data)))
        if op == "flip" and data:
            at = min(at, len(data) - 1)
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif op == "truncate":
            del data[at:]
        elif op == "token":
            data[at:at] = draw(st.sampled_from(TOKENS)).encode()
        else:
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if op == "value" and b": " in lines[i]:
                key = lines[i].split(b": ", 1)[0]
                lines[i] = key + b": " + draw(st.sampled_from(VALUES)).encode()
            elif op == "dup":
                lines.insert(j, lines[i])
            elif op == "swap":
                lines[i], lines[j] = lines[j], lines[i]
            elif op == "indent":
                lines[i] = b" " * draw(st.integers(1, 3)) + lines[i]
            data = bytearray(b"\n".join(lines))
    return bytes(data)


# -- strategies: documents -------------------------------------------------------------------

hostile_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.dates(),
    st.binary(max_size=4),  # written as !!binary, which the reader refuses
    st.lists(st.integers() | st.text(max_size=3), max_size=3),
    st.dictionaries(st.text(max_size=6), st.integers() | st.none(), max_size=2),
    st.sampled_from([-1, 0, 65, 10**30, 1e308, -1e-308, float("nan"), float("inf"), "", " "]),
)
hostile_keys = st.one_of(
    st.text(max_size=12), st.integers(), st.sampled_from(["qty", "part", "Items", "a\nb"])
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out.extend(_paths(value, (*prefix, index)))
    return out


def _at(node: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        node = node[key]
    return node


@st.composite
def mutated_documents(draw: st.DrawFn, seeds: list[Any]) -> Any:
    """A parsed seed with values replaced, keys dropped or added, nodes wrapped in lists."""
    doc = copy.deepcopy(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(_paths(doc)))
        op = draw(st.sampled_from(["replace", "delete", "add", "wrap"]))
        if not path:
            if op == "replace":
                doc = draw(hostile_values)
            continue
        parent = _at(doc, path[:-1])
        key = path[-1]
        if op == "replace":
            parent[key] = draw(hostile_values)
        elif op == "delete":
            del parent[key]
        elif op == "wrap":
            parent[key] = [parent[key]]
        elif isinstance(parent, dict):
            parent[draw(hostile_keys)] = draw(hostile_values)
        else:
            parent.append(draw(hostile_values))
    return doc


def dump(doc: Any) -> str:
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


# -- strategies: valid builds, from the models' field bounds ---------------------------------


def floats(lo: float, hi: float, *, exclude_min: bool = False) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, exclude_min=exclude_min, allow_nan=False, allow_infinity=False)


def text(max_size: int, min_size: int = 0) -> st.SearchStrategy[str]:
    # Mostly short strings of any characters, sometimes one at the maximum length
    # (a short random piece repeated: cheap to generate, still any characters).
    short = st.text(min_size=min_size, max_size=min(max_size, 40))
    longest = st.text(min_size=1, max_size=4).map(lambda piece: (piece * max_size)[:max_size])
    return st.integers(0, 19).flatmap(lambda n: longest if n == 0 else short)


def _printable_id(value: str) -> str:
    return "".join(ch for ch in value if not needs_escape(ch)) or "x"


ids = text(120, min_size=1).map(_printable_id)
"""Ids may hold any Unicode but control characters, line breaks and bidi marks (refused)."""


money = st.none() | floats(0, 1_000_000)
items = st.builds(
    BuildItem,
    part=ids,
    qty=st.integers(1, 64),
    price_usd=money,
    note=text(2000),
)
steps = st.builds(
    PlanStep,
    month=st.integers(0, 240),
    label=text(200),
    add=st.lists(items, max_size=4).map(tuple),
)
ratios = floats(0, 1)
assumptions = st.builds(
    Assumptions,
    preset=st.none() | text(40),
    months=st.integers(1, 240),
    utilization=ratios,
    electricity_usd_per_kwh=floats(0, 10),
    power_kw=st.none() | floats(0, 100, exclude_min=True),
    power_kw_per_extra_gpu=st.none() | floats(0, 10),
    load_factor=ratios,
    base_power_w=floats(0, 5000),
    idle_power_w=floats(0, 5000),
    depreciation_years=floats(0, 20, exclude_min=True),
    residual_fraction=ratios,
    sales_tax=ratios,
    storage_gb=floats(0, 1_000_000),
    storage_usd_per_gb_month=floats(0, 10),
    egress_gb_per_month=floats(0, 10_000_000),
    egress_usd_per_gb=floats(0, 10),
    normalize=st.sampled_from(["none", "fp32", "mixed"]),
    commitment_full_term=st.booleans(),
    cloud_scaling=st.sampled_from(["instance", "single-gpu"]),
)
sites = st.builds(
    Site,
    volts=floats(90, 260),
    breaker_amps=floats(5, 63),
    continuous_factor=floats(0, 1, exclude_min=True),
    psu_headroom=floats(1, 3),
)
compares = st.builds(CompareEntry, offer=ids, plan=st.sampled_from(CLOUD_PLANS))
builds = st.builds(
    Build,
    name=text(200),
    notes=text(20_000),
    # Short lists keep examples fast; the largest valid build has its own test below.
    items=st.lists(items, max_size=12).map(tuple),
    plan=st.lists(steps, max_size=4).map(tuple),
    assumptions=assumptions,
    compare=st.lists(compares, max_size=4).map(tuple),
    site=sites,
)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


# -- the build loader ------------------------------------------------------------------------


@FUZZ
@given(text=random_text)
def test_random_text_loads_or_refuses(text: str):
    check_build_outcome(loads_build, text, "fuzz.dlbuild.yaml")


@FUZZ
@given(data=mutated_bytes(EXAMPLE_BYTES))
def test_mutated_example_files_load_or_refuse(data: bytes, scratch: Path):
    path = scratch / "mutated.dlbuild.yaml"
    path.write_bytes(data)
    check_build_outcome(load_build, path)


@FUZZ
@given(doc=mutated_documents(EXAMPLE_DOCS))
def test_mutated_example_documents_load_or_refuse(doc: Any):
    check_build_outcome(loads_build, dump(doc), "doc.dlbuild.yaml")


@FUZZ
@given(build=builds)
def test_valid_builds_round_trip_through_text(build: Build):
    text = dumps_build(build)
    if len(text.encode()) > BUILD_MAX_BYTES:  # only with long notes of escaped characters
        with pytest.raises(LoadError, match="limit"):
            loads_build(text)
        return
    assert loads_build(text) == build
    assert dumps_build(loads_build(text)) == text  # and the text is stable


@scaled(0.5)
@given(build=builds)
def test_valid_builds_round_trip_through_a_file(build: Build, scratch: Path):
    path = scratch / "round-trip.dlbuild.yaml"
    try:
        save_build(build, path)
    except SaveError as exc:  # too large to read back: refused before writing
        assert "too large" in str(exc)
        return
    assert load_build(path) == build


# -- the catalog loader ----------------------------------------------------------------------


@FUZZ
@given(data=mutated_bytes(CATALOG_SEEDS))
def test_mutated_catalog_files_read_or_report(data: bytes, scratch: Path):
    path = scratch / "mutated-catalog.yaml"
    path.write_bytes(data)
    check_catalog_outcome(path)


@FUZZ
@given(doc=mutated_documents(CATALOG_DOCS))
def test_mutated_catalog_documents_read_or_report(doc: Any, scratch: Path):
    path = scratch / "doc-catalog.yaml"
    path.write_text(dump(doc), encoding="utf-8")
    check_catalog_outcome(path)


@scaled(0.3)
@given(data=mutated_bytes(CATALOG_SEEDS))
def test_a_broken_user_catalog_never_stops_loading(data: bytes, scratch: Path):
    user = scratch / "user-catalog"
    user.mkdir(exist_ok=True)
    (user / "mine.yaml").write_bytes(data)
    loaded = load_catalog(DATA / "catalog_min", user_dirs=[user])  # never raises
    assert {"test-cpu", "test-cpu-unpriced"} <= {p.id for p in loaded.catalog}
    assert all(isinstance(p, CatalogProblem) for p in loaded.problems)


# -- the limits a valid build must fit in ----------------------------------------------------


def largest_build() -> Build:
    """Every list at its maximum length, every optional field set, every string at its longest."""

    def item(n: int) -> BuildItem:
        part = f"p{n}".ljust(120, "x")
        return BuildItem(part=part, qty=64, price_usd=999_999.99, note="n" * 2000)

    steps_items = range(MAX_STEP_ITEMS)
    return Build(
        name="b" * 200,
        notes="n" * 20_000,
        items=tuple(item(i) for i in range(MAX_ITEMS)),
        plan=tuple(
            PlanStep(month=s, label="l" * 200, add=tuple(item(100 * s + i) for i in steps_items))
            for s in range(MAX_PLAN_STEPS)
        ),
        assumptions=Assumptions(preset="p" * 40, power_kw=1.5, power_kw_per_extra_gpu=0.3),
        compare=tuple(CompareEntry(offer=f"o{i}".ljust(120, "x")) for i in range(MAX_COMPARE)),
    )


def test_the_largest_valid_build_fits_the_reader_limits(tmp_path: Path):
    build = largest_build()
    text = dumps_build(build)
    events = yaml.parse(text, Loader=yaml.CSafeLoader)
    nodes = sum(isinstance(e, (yaml.ScalarEvent, yaml.CollectionStartEvent)) for e in events)
    assert nodes <= BUILD_MAX_NODES * 0.9, nodes  # room for a few more fields
    assert len(text.encode()) < BUILD_MAX_BYTES
    path = save_build(build, tmp_path / "largest.dlbuild.yaml")
    start = time.perf_counter()
    assert load_build(path) == build
    assert time.perf_counter() - start < 1.0


def test_a_build_too_large_to_read_back_is_not_saved(tmp_path: Path):
    # Notes of a character YAML escapes as "\U0010FFFF" (10 bytes) pass the limit.
    note = "\U0010ffff" * 2000
    items = tuple(BuildItem(part=f"p{i}", note=note) for i in range(MAX_ITEMS))
    big = Build(notes="\U0010ffff" * 20_000, items=items)
    assert len(dumps_build(big).encode()) > BUILD_MAX_BYTES
    path = save_build(Build(name="previous"), tmp_path / "b.dlbuild.yaml")
    before = path.read_bytes()
    with pytest.raises(SaveError, match="too large") as info:
        save_build(big, path)
    assert "\n" not in str(info.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.dlbuild.yaml"]


def test_document_has_no_anchors_even_for_shared_values():
    item = BuildItem(part="same")
    build = Build(items=(item, item), plan=(PlanStep(month=1, add=(item,)),))
    text = dumps_build(build)
    assert "&" not in text and "*" not in text
    assert build_to_document(loads_build(text)) == build_to_document(build)


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029", "\r", "\ufeff", "\t", "\x00"])
def test_line_break_characters_survive_a_save(char: str):
    # Found by the round-trip fuzz: a trailing NEL was written raw and read back as a space.
    build = Build(name=f"a{char}", notes=char, items=(BuildItem(part="x"),))  # ids refuse them
    assert loads_build(dumps_build(build)) == build
