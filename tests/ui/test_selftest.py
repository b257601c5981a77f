"""``dlplanner selftest``: the real command in a subprocess, and failures in process."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dlplanner.commands import selftest, selftest_checks, selftest_steps
from tests.conftest import ROOT

STEP_NAMES = [name for name, _function in selftest_steps.STEPS]


def run_cli(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "dlplanner", "selftest", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def step_lines(output: str) -> dict[str, str]:
    """Each step's status word by step name."""
    found: dict[str, str] = {}
    for line in output.splitlines():
        status, _, rest = line.partition("  ")
        for name in STEP_NAMES:
            if rest.strip().startswith(name):
                found[name] = status.strip()
    return found


def namespace(**overrides: object) -> argparse.Namespace:
    return argparse.Namespace(**{"visible": False, "timeout": 0.0, "keep": False, **overrides})


@pytest.mark.slow
def test_selftest_passes_in_a_subprocess():
    result = run_cli()
    assert result.returncode == 0, result.stdout + result.stderr
    assert step_lines(result.stdout) == dict.fromkeys(STEP_NAMES, "ok")
    assert result.stdout.splitlines()[-1].startswith(f"all {len(STEP_NAMES)} steps ok in ")
    assert "QT_QPA_PLATFORM=offscreen" in result.stdout.splitlines()[0]
    # Every line says how long its step took.
    for line in result.stdout.splitlines()[1:-1]:
        assert " ms" in line
    # Qt may note things about the platform on stderr; the selftest itself says nothing there.
    assert "Traceback" not in result.stderr
    assert "dlplanner:" not in result.stderr
    # Settings and autosaves went to a temporary folder, not the user's (isolated) folders.
    for variable in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"):
        assert not (Path(os.environ[variable]) / "dlplanner").exists(), variable


@pytest.mark.slow
def test_a_hang_is_cut_short_by_the_watchdog():
    result = run_cli("--timeout", "0.001")
    assert result.returncode == 1
    assert "FAIL" in result.stdout
    assert "selftest hung in step" in result.stderr


def test_a_failing_step_returns_1_and_names_the_step(monkeypatch, capsys, qapp):
    from dlplanner.ui import chart_png

    def broken_chart(*_args, **_kwargs):
        raise RuntimeError("no pixels today")

    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr(chart_png, "render_chart_png", broken_chart)

    assert selftest.run(namespace()) == 1

    out, err = capsys.readouterr()
    statuses = step_lines(out)
    failed = STEP_NAMES.index("render chart")
    assert statuses == {
        **dict.fromkeys(STEP_NAMES[:failed], "ok"),
        "render chart": "FAIL",
        **dict.fromkeys(STEP_NAMES[failed + 1 :], "skip"),
    }
    assert "RuntimeError: no pixels today" in out
    assert "failed at step 'render chart'" in err


def test_a_dialog_fails_the_step_that_raised_it(monkeypatch, capsys, qapp):
    from PySide6.QtWidgets import QMessageBox

    from dlplanner.ui.main_window import MainWindow

    real_open = MainWindow.open_path

    def open_with_a_complaint(self, *args, **kwargs):
        QMessageBox.warning(self, "Odd", "this build looks odd")
        return real_open(self, *args, **kwargs)

    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr("dlplanner.ui.main_window.MainWindow.open_path", open_with_a_complaint)

    assert selftest.run(namespace()) == 1

    out, _err = capsys.readouterr()
    assert step_lines(out)["load example"] == "FAIL"
    assert "unexpected dialog: warning: Odd — this build looks odd" in out


def test_the_pdf_is_checked_without_pypdf_too(monkeypatch, qapp, catalog, article):
    from dlplanner.ui.printing import Report, pdf_bytes

    data = pdf_bytes(Report(article, catalog, render=None))
    with_pypdf = selftest_checks.check_pdf(data, article.name)
    monkeypatch.setitem(sys.modules, "pypdf", None)  # import pypdf now raises ImportError
    without = selftest_checks.check_pdf(data, article.name)

    assert without[0] == with_pypdf[0] >= 1
    assert "pypdf not installed" in without[1]
    assert selftest_checks.pdf_title(data) == article.name
    with pytest.raises(selftest_checks.SelftestError, match="title"):
        selftest_checks.check_pdf(data, "Another build")
    with pytest.raises(selftest_checks.SelftestError, match="EOF"):
        selftest_checks.check_pdf(data[: len(data) // 2], article.name)


def test_pdf_title_reads_escaped_literal_strings():
    data = b"%PDF-1.4\n1 0 obj\n<< /Title (\xfe\xff\x00a\x00\\(\x00b\x00\\)) >>\nendobj\n"
    assert selftest_checks.pdf_title(data) == "a(b)"
    assert selftest_checks.pdf_title(b"<< /Title (Plain \\(one\\)) >>") == "Plain (one)"
    assert selftest_checks.pdf_title(b"<< /Author (x) >>") is None
