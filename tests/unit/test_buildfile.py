"""Build files: round trip, migrations, refusals, atomic save with a backup."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from dlplanner.domain.build import (
    Assumptions,
    Build,
    BuildItem,
    CompareEntry,
    PlanStep,
    Site,
)
from dlplanner.io import buildfile
from dlplanner.io.atomic import SaveError, backup_path
from dlplanner.io.buildfile import FORMAT_VERSION, load_build, loads_build, save_build
from dlplanner.io.yamlsafe import LoadError

SAMPLE = Build(
    name="Scalable 1-GPU box",
    notes="grows to four GPUs",
    items=(
        BuildItem(part="amd-ryzen-threadripper-1920x", qty=1, price_usd=199.0, note="used"),
        BuildItem(part="some-gpu", qty=1),
    ),
    plan=(
        PlanStep(month=3, label="second GPU", add=(BuildItem(part="some-gpu", price_usd=650.0),)),
        PlanStep(month=9, add=(BuildItem(part="some-gpu", qty=2),)),
    ),
    assumptions=Assumptions(months=12, utilization=0.5, preset="article-2019"),
    compare=(CompareEntry(offer="aws-p3-2xlarge", plan="reserved-1y"),),
    site=Site(volts=230, breaker_amps=16),
)


def test_round_trip(tmp_path: Path):
    path = save_build(SAMPLE, tmp_path / "b.dlbuild.yaml")
    assert load_build(path) == SAMPLE


def test_minimal_file_gets_defaults(tmp_path: Path):
    path = tmp_path / "m.dlbuild.yaml"
    path.write_text("format: dlplanner-build\nformat_version: 1\nname: x\nitems: []\n")
    build = load_build(path)
    assert build.name == "x" and build.assumptions == Assumptions() and build.plan == ()


def test_saved_file_is_plain_and_ordered(tmp_path: Path):
    path = save_build(SAMPLE, tmp_path / "b.dlbuild.yaml")
    text = path.read_text()
    assert "&" not in text and "!!" not in text
    doc = yaml.safe_load(text)
    assert list(doc)[:5] == ["format", "format_version", "name", "notes", "items"]
    assert doc["format_version"] == FORMAT_VERSION


def test_save_keeps_backup(tmp_path: Path):
    path = tmp_path / "b.dlbuild.yaml"
    save_build(SAMPLE, path)
    first = path.read_text()
    save_build(SAMPLE.model_copy(update={"name": "renamed"}), path)
    assert backup_path(path).read_text() == first
    assert load_build(path).name == "renamed"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_save_into_folder_in_the_way(tmp_path: Path):
    (tmp_path / "b.dlbuild.yaml").mkdir()
    with pytest.raises(SaveError, match="folder"):
        save_build(SAMPLE, tmp_path / "b.dlbuild.yaml")


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_save_into_read_only_folder_keeps_old_file(tmp_path: Path):
    path = save_build(SAMPLE, tmp_path / "b.dlbuild.yaml")
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(SaveError):
            save_build(SAMPLE.model_copy(update={"name": "new"}), path)
    finally:
        tmp_path.chmod(0o700)
    assert load_build(path) == SAMPLE


def test_failed_write_leaves_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = save_build(SAMPLE, tmp_path / "b.dlbuild.yaml")
    before = path.read_bytes()

    def no_space(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(SaveError, match="No space left"):
        save_build(SAMPLE.model_copy(update={"name": "new"}), path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.dlbuild.yaml"]


def doc(**over: object) -> str:
    base: dict[str, object] = {"format": "dlplanner-build", "format_version": 1, "name": "x"}
    base.update(over)
    return yaml.safe_dump({k: v for k, v in base.items() if v is not None})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "empty"),
        ("- a\n- b\n", "expected a mapping"),
        ("just text\n", "expected a mapping"),
        (doc(format="something-else"), "not a dlplanner build file"),
        ("name: x\n", "not a dlplanner build file"),
        (doc(format_version=None), "format_version is missing"),
        (doc(format_version="one"), "whole number"),
        (doc(format_version=7), "newer dlplanner"),
        (doc(format_version=0), "not a dlplanner build version"),
        (doc(items=[{"part": "a", "qty": -1}]), "items[0].qty"),
        (doc(items=[{"part": "a", "qty": 10_000}]), "items[0].qty"),
        (doc(items=[{"part": "a", "price_usd": -5}]), "items[0].price_usd"),
        (doc(items=[{"part": "a", "price_usd": 1e12}]), "items[0].price_usd"),
        (doc(items=[{"part": "a", "qty": "two"}]), "items[0].qty"),
        (doc(items="a list"), "items"),
        (doc(colour="red"), "colour: unknown key"),
        (doc(items=[{"part": "a", "wat": 1}]), "items[0].wat: unknown key"),
        (doc(assumptions={"utilization": 3}), "assumptions.utilization"),
        (doc(compare=[{"offer": "x", "plan": "forever"}]), "compare[0].plan"),
        (doc(plan=[{"month": -2, "add": []}]), "plan[0].month"),
    ],
)
def test_bad_documents_refused(text: str, expected: str):
    with pytest.raises(LoadError) as info:
        loads_build(text, "f.dlbuild.yaml")
    assert expected in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_nan_and_infinity_refused(value: str):
    text = (
        f"format: dlplanner-build\nformat_version: 1\nitems:\n  - part: a\n    price_usd: {value}\n"
    )
    with pytest.raises(LoadError, match="NaN") as info:
        loads_build(text, "f")
    assert info.value.line == 5


def test_validation_error_names_line():
    text = "format: dlplanner-build\nformat_version: 1\nitems:\n  - part: a\n    qty: 0\n"
    with pytest.raises(LoadError) as info:
        loads_build(text, "f")
    assert info.value.line == 5 and str(info.value).startswith("f:5:")


def test_unknown_part_ids_are_kept(tmp_path: Path):
    build = Build(items=(BuildItem(part="no-such-part-anywhere"),))
    path = save_build(build, tmp_path / "u.dlbuild.yaml")
    assert load_build(path).items[0].part == "no-such-part-anywhere"


def test_migration_registry_upgrades_step_by_step(monkeypatch: pytest.MonkeyPatch):
    # Pretend the format is at version 3 with two registered steps.
    monkeypatch.setattr(buildfile, "FORMAT_VERSION", 3)
    monkeypatch.setattr(buildfile, "MIGRATIONS", {})

    @buildfile.migration(1)
    def rename_title(doc: dict) -> dict:
        doc["name"] = doc.pop("title")
        return doc

    @buildfile.migration(2)
    def add_notes(doc: dict) -> dict:
        doc.setdefault("notes", "migrated")
        return doc

    with pytest.raises(ValueError, match="already registered"):
        buildfile.migration(1)(rename_title)
    build = loads_build("format: dlplanner-build\nformat_version: 1\ntitle: old\n")
    assert build.name == "old" and build.notes == "migrated"
    with pytest.raises(LoadError, match="newer"):
        loads_build("format: dlplanner-build\nformat_version: 4\n")


def test_missing_migration_step_is_reported(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(buildfile, "FORMAT_VERSION", 2)
    monkeypatch.setattr(buildfile, "MIGRATIONS", {})
    with pytest.raises(LoadError, match="no migration from format_version 1"):
        loads_build("format: dlplanner-build\nformat_version: 1\n")
