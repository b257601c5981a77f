"""The hardened YAML reader refuses every class of hostile input, fast, in one line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from dlplanner.io.yamlsafe import BUILD_MAX_BYTES, LoadError, load_yaml_file, parse_yaml

BILLION_LAUGHS = """
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: [*f,*f,*f,*f,*f,*f,*f,*f,*f]
"""


def refuse(text: str) -> LoadError:
    start = time.perf_counter()
    with pytest.raises(LoadError) as info:
        parse_yaml(text, "x.yaml")
    assert time.perf_counter() - start < 0.5
    message = str(info.value)
    assert "\n" not in message and message.startswith("x.yaml")
    return info.value


def test_plain_mapping_loads():
    assert parse_yaml("a: 1\nb: [x, y]\nc: {d: 2024-01-02}\n")["b"] == ["x", "y"]


def test_aliases_refused_with_line():
    err = refuse(BILLION_LAUGHS)
    assert "anchor" in err.reason or "alias" in err.reason
    assert err.line == 2


def test_bare_alias_refused():
    err = refuse("a: 1\nb: *nothing\n")
    assert err.line == 2


def test_python_tag_refused():
    err = refuse("a: !!python/object/apply:os.system ['echo hi']\n")
    assert "tag" in err.reason and err.line == 1


def test_custom_tag_refused():
    assert "tag" in refuse("a: !custom 3\n").reason


def test_duplicate_keys_refused():
    err = refuse("name: a\nitems: []\nname: b\n")
    assert "duplicate key 'name'" in err.reason and err.line == 3


def test_nested_duplicate_keys_refused():
    err = refuse("items:\n  - part: a\n    qty: 1\n    qty: 2\n")
    assert err.line == 4


def test_same_key_in_sibling_mappings_allowed():
    assert parse_yaml("- a: 1\n- a: 2\n") == [{"a": 1}, {"a": 2}]


def test_deep_nesting_refused():
    assert "nesting" in refuse("a: " + "[" * 40 + "]" * 40 + "\n").reason


def test_complex_keys_refused():
    assert "complex" in refuse("? [a, b]\n: 1\n").reason


def test_multiple_documents_refused():
    assert "more than one" in refuse("a: 1\n---\nb: 2\n").reason


def test_syntax_error_has_line():
    err = refuse("a: 1\nb: [unclosed\nc: 2\n")
    assert err.line is not None and "invalid YAML" in err.reason


def test_impossible_date_refused():
    assert "invalid value" in refuse("d: 2024-02-30\n").reason


def test_huge_file_refused_unread(tmp_path: Path):
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"a: " + b"x" * (BUILD_MAX_BYTES + 10))
    with pytest.raises(LoadError, match="limit"):
        load_yaml_file(path)


def test_binary_refused(tmp_path: Path):
    path = tmp_path / "bin.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(LoadError, match="binary"):
        load_yaml_file(path)


def test_wrong_encoding_refused(tmp_path: Path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: caf\u00e9\n".encode("latin-1"))
    with pytest.raises(LoadError, match="UTF-8"):
        load_yaml_file(path)


def test_bom_accepted(tmp_path: Path):
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffa: 1\n".encode())
    assert load_yaml_file(path) == {"a": 1}


def test_directory_and_missing_refused(tmp_path: Path):
    with pytest.raises(LoadError, match="folder"):
        load_yaml_file(tmp_path)
    with pytest.raises(LoadError, match="no such file"):
        load_yaml_file(tmp_path / "nope.yaml")


# -- the event-based constructor reads exactly what PyYAML's safe loader reads ------------------

import datetime as dt  # noqa: E402
import glob  # noqa: E402

import yaml  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.conftest import ROOT  # noqa: E402

ODD = ["yes", "No", "on", "OFF", "~", "0x1F", "017", "1_000", "1:20", ".5", "-.inf",
       "2024-01-02", "0b101", "+12", "1e3", "=", "null", "True"]  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False),
    st.dates(min_value=dt.date(1900, 1, 1)),
    st.text(max_size=20),
    st.sampled_from(ODD),
)
DOCS = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(DOCS, st.sampled_from(["block", "flow", "plain"]))
def test_construction_matches_pyyaml(data, style):
    flow = {"block": False, "flow": True, "plain": None}[style]
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    expected = yaml.load(text, Loader=yaml.SafeLoader)
    assert parse_yaml(text, max_depth=64) == expected


@pytest.mark.parametrize(
    "path",
    sorted(
        glob.glob(str(ROOT / "catalog" / "*.yaml"))
        + glob.glob(str(ROOT / "resources" / "examples" / "*.yaml"))
    ),
)
def test_shipped_files_read_as_pyyaml_reads_them(path):
    text = Path(path).read_text(encoding="utf-8")
    assert parse_yaml(text, path) == yaml.load(text, Loader=yaml.SafeLoader)


def test_odd_scalars_match_pyyaml():
    text = "a: [yes, No, ~, '', 0o17, .5, -.inf, 2024-01-02, !!str 5, !!int '7', =x, '0x1F']\n"
    assert parse_yaml(text) == yaml.load(text, Loader=yaml.SafeLoader)


def test_words_decimals_and_dates_resolve_as_pyyaml_resolves_them():
    """The short cut past the resolver (words, plain decimals, dates) gives PyYAML's values."""
    values = ["name", "notes", "Noctua", "TR4", "yes", "Yes", "YES", "yES", "no", "NO", "n", "y",
              "on", "Off", "oN", "null", "NULL", "nULL", "None", "True", "tRUE", "false.", "t",
              "2024-01-05", "2024-1-5", "1999-12-31", "12", "-3", "+0", "1.", "-2.50",
              "+.5", "1.5e+3", "1.5e3", "2024-01-05T10:00:00Z", "2024-01-05 10:00"]  # fmt: skip
    text = "".join(f"k{i}: {v}\n" for i, v in enumerate(values)) + "empty:\nlast: x\n"
    assert parse_yaml(text) == yaml.load(text, Loader=yaml.SafeLoader)


@pytest.mark.parametrize(
    "number", ["1:30:00", "1:20", "0x10", "0x1F", "017", "007", "0b101", "1_000", "1:30.5", "+0x1"]
)
def test_only_plain_decimal_numbers_are_read(number: str):
    """YAML 1.1 reads these as base 60, hexadecimal, octal or binary: a person never means it."""
    error = refuse(f"price_usd: {number}\n")
    assert "is not a plain decimal number" in error.reason and number in error.reason
    assert error.line == 1
    assert parse_yaml(f"name: '{number}'\n") == {"name": number}  # quoted: text


def test_negative_zero_is_normalised():
    doc = parse_yaml("a: -0.0\nb: -0\nc: -0.0e+5\n")
    assert doc == {"a": 0.0, "b": 0, "c": 0.0}
    assert all(str(v) in ("0", "0.0") for v in doc.values())  # never "-0.0"


def test_a_very_long_number_gets_a_readable_message():
    error = refuse("price_usd: " + "9" * 5000 + "\n")
    assert "a number of 5,000 characters is too long" in error.reason
    assert "set_int_max_str_digits" not in str(error)


def test_plain_numbers_are_still_numbers():
    doc = parse_yaml("a: [12, +12, -3, 0, 1.5, .5, -2.25, 1.0e+3, 2e3]\n")
    assert doc == {"a": [12, 12, -3, 0, 1.5, 0.5, -2.25, 1000.0, "2e3"]}  # 2e3 is text in YAML


def test_merge_keys_refused():
    assert "merge" in refuse("a: 1\n<<: {b: 2}\n").reason
