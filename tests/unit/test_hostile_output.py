"""Exports and terminal output: spreadsheet formulas neutralised, escapes made visible."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from dlplanner import cli
from dlplanner.domain.build import Build, BuildItem
from dlplanner.domain.text import escape_line
from dlplanner.io.buildfile import load_build, save_build
from dlplanner.io.yamlsafe import LoadError
from dlplanner.report.export import neutralise_cell
from tests.conftest import ROOT

GPU = "nvidia-geforce-rtx-4090-fe"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "dlplanner", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-5.00", "-5.00"),
        ("+12", "+12"),
        ("plain text", "plain text"),
        ("a=b", "a=b"),
        (3, 3),
    ],
)
def test_owasp_formula_cells_are_neutralised(cell, expected):
    assert neutralise_cell(cell) == expected


def test_csv_export_neutralises_ids_names_and_notes(tmp_path: Path):
    build = Build(
        name="=evil()",
        items=(
            BuildItem(part='=HYPERLINK("http://attacker","click")', note="@SUM(1)"),
            BuildItem(part=GPU, note="-1+1"),
        ),
    )
    path = save_build(build, tmp_path / "b.dlbuild.yaml")
    out = tmp_path / "list.csv"
    result = run("export", str(path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells), cells
    assert not any(
        cell.startswith("-") and not cell[1:].replace(".", "").isdigit() for cell in cells
    )
    assert '\'=HYPERLINK("http://attacker","click")' in cells


def test_export_to_a_device_never_replaces_it(tmp_path: Path):
    """The issue's `export -o /dev/null` as root, on a device node of the test's own."""
    path = save_build(Build(name="x", items=(BuildItem(part=GPU),)), tmp_path / "b.dlbuild.yaml")
    if os.geteuid() == 0:
        device = tmp_path / "null"
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    else:
        device = tmp_path / "null"
        device.symlink_to("/dev/null")
    result = run("export", str(path), "-o", str(device), "--format", "csv")
    assert result.returncode == 2
    assert "not a regular file" in result.stderr and len(result.stderr.splitlines()) == 1
    assert stat.S_ISCHR(os.stat(device).st_mode)


def test_control_characters_in_ids_are_refused_at_load(tmp_path: Path):
    path = tmp_path / "b.dlbuild.yaml"
    path.write_text(
        "format: dlplanner-build\nformat_version: 1\nname: x\n"
        'items:\n- part: "\\x1b[31mred\\u202e"\n'
    )
    with pytest.raises(LoadError) as info:
        load_build(path)
    message = str(info.value)
    assert "not allowed in ids" in message and "\x1b" not in message


def test_terminal_output_shows_escapes_not_raw_controls(tmp_path: Path):
    """A name and a note with an ANSI escape, a bidi override and a line break."""
    build = Build(
        name="box\x1b[2J\u202eevil",
        notes="line\x1b]0;title\x07",
        items=(BuildItem(part=GPU, note="n\u202eote\x9b"),),
    )
    path = save_build(build, tmp_path / "b.dlbuild.yaml")
    for args in (("check", str(path)), ("cost", str(path)), ("check", str(path), "--json")):
        result = run(*args)
        for stream in (result.stdout, result.stderr):
            assert "\x1b" not in stream and "\u202e" not in stream and "\x9b" not in stream
        if "--json" in args:
            json.loads(result.stdout)  # escaped output is still valid JSON


def test_a_file_name_with_a_line_break_is_one_line(tmp_path: Path, capsys):
    path = tmp_path / "two\nlines\x1b[31m.dlbuild.yaml"
    path.write_text("not: [a build")
    assert cli.main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "\x1b" not in err
    assert "two\\nlines\\x1b[31m" in err


def test_escape_line_is_visible_and_reversible_enough():
    assert escape_line("a\x1b[31m\u202eb\n\u2028\x85") == "a\\x1b[31m\\u202eb\\n\\u2028\\u0085"
    assert escape_line("Grüße, 中文, emoji 🙂") == "Grüße, 中文, emoji 🙂"


def test_export_to_standard_output_when_asked_by_name(tmp_path: Path):
    """'-o -' is the stdout-like target a user asks for; CSV there is neutralised too."""
    build = Build(name="x", items=(BuildItem(part="=1+1", note="@x"), BuildItem(part=GPU)))
    path = save_build(build, tmp_path / "b.dlbuild.yaml")
    result = run("export", str(path), "-o", "-", "--format", "csv")
    assert result.returncode == 0, result.stderr
    cells = [cell for row in csv.reader(io.StringIO(result.stdout)) for cell in row]
    assert "'=1+1" in cells and not any(c.startswith(("=", "@")) for c in cells)
    # Only the list goes to standard output; what was written is said on stderr.
    assert "wrote" not in result.stdout
    assert "wrote CSV shopping list of 'x' to standard output (" in result.stderr
    refused = run("export", str(path), "-o", "-", "--format", "pdf")
    assert refused.returncode == 2 and "cannot go to standard output" in refused.stderr
