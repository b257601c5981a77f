"""Offline by design: a whole session opens no network socket, runs no program, executes no file.

The session (start, load, edit, check, cost, export, save, quit) runs in a subprocess with
Qt offscreen, so this unit-test process never loads Qt. Inside it, before anything of
dlplanner is imported:

- ``socket.socket.connect``/``connect_ex``/``sendto``, ``socket.create_connection``,
  ``socket.getaddrinfo``/``gethostbyname``, ``subprocess.Popen``, ``os.system``,
  ``os.popen``, every ``os.exec*``, ``os.spawn*`` and ``os.posix_spawn*`` record the call
  and raise;
- ``eval``/``exec`` refuse source or code that holds the marker written into the build file;
- an audit hook records ``socket.connect``, ``socket.getaddrinfo``, ``subprocess.Popen``,
  ``os.system``, ``os.exec``, ``os.posix_spawn``, ``os.spawn``, the creation of any
  internet socket, and every ``compile``/``exec`` whose source or constants hold the marker;
- at each step, the process's open file descriptors are matched against
  ``/proc/net/{tcp,udp,raw}{,6}``, which also sees sockets opened by Qt's C++ code.

The build file carries the marker in its name, notes and part ids, next to a Python
payload that would create a canary file if it were ever evaluated.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="the session script uses POSIX process guards"
)

GUARDS = r'''
import builtins, json, os, socket, subprocess, sys, types
from pathlib import Path

MARKER = os.environ["DLP_MARKER"]
EVENTS = []      # what must never happen
SEEN_EXEC = []   # dynamic code that did run (dataclasses, namedtuple): for the report only


class Refused(RuntimeError):
    pass


def record(kind, detail):
    EVENTS.append([kind, repr(detail)[:300]])


def refusing(name):
    def refuse(*args, **kwargs):
        record(name, args[:3])
        raise Refused(f"{name} is not allowed in dlplanner")
    return refuse


for name in ("connect", "connect_ex", "sendto", "sendmsg"):
    setattr(socket.socket, name, refusing(f"socket.socket.{name}"))
for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
    setattr(socket, name, refusing(f"socket.{name}"))


def refusing_method(name):
    def refuse(self, *args, **kwargs):
        record(name, args[:1])
        raise Refused(f"{name} is not allowed in dlplanner")
    return refuse


# Where Popen starts the program: refusing here leaves a well-formed Popen object behind.
subprocess.Popen._execute_child = refusing_method("subprocess.Popen")
for name in dir(os):
    if name in ("system", "popen", "fork", "forkpty") or name.startswith(
        ("exec", "spawn", "posix_spawn")
    ):
        setattr(os, name, refusing(f"os.{name}"))


def holds_marker(value, depth=0):
    if isinstance(value, (bytes, bytearray)):
        return MARKER.encode() in value
    if isinstance(value, str):
        return MARKER in value
    if isinstance(value, types.CodeType) and depth < 20:
        return any(holds_marker(c, depth + 1) for c in (*value.co_consts, *value.co_names))
    if isinstance(value, (tuple, frozenset)) and depth < 20:
        return any(holds_marker(c, depth + 1) for c in value)
    return False


real_eval, real_exec = builtins.eval, builtins.exec


def guarded(real, name):
    def run(source, *args, **kwargs):
        if holds_marker(source):
            record(name, source)
            raise Refused(f"{name} of file contents")
        return real(source, *args, **kwargs)
    return run


builtins.eval = guarded(real_eval, "eval")
builtins.exec = guarded(real_exec, "exec")

WATCHED = {
    "socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
    "socket.sendto", "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
    "os.fork", "os.forkpty", "webbrowser.open", "urllib.Request", "http.client.connect",
    "ftplib.connect", "smtplib.connect",
}


def audit(event, args):
    if event in WATCHED:
        record(f"audit:{event}", args)
    elif event == "socket.__new__" and len(args) > 1 and args[1] in (
        socket.AF_INET, socket.AF_INET6
    ):
        record("audit:socket.__new__ (internet)", args[1:])
    elif event == "compile":
        if holds_marker(args[0]):
            record("audit:compile of file contents", args[1])
    elif event == "exec":
        # Module code comes from real files; anything else was made at run time.
        code = args[0]
        filename = getattr(code, "co_filename", "")
        if filename.startswith("<frozen") or os.path.isfile(filename):
            return
        SEEN_EXEC.append(filename)
        if holds_marker(code):
            record("audit:exec of file contents", filename)


sys.addaudithook(audit)


def inet_sockets():
    """This process's open internet sockets, as the kernel sees them (C++ included)."""
    if not Path("/proc/self/fd").is_dir():
        return []
    mine = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            link = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if link.startswith("socket:["):
            mine.add(link[8:-1])
    found = []
    for table in ("tcp", "tcp6", "udp", "udp6", "raw", "raw6"):
        try:
            lines = Path(f"/proc/net/{table}").read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 9 and fields[9] in mine:
                found.append([table, fields[1], fields[2]])
    return found


SOCKETS = []


def step(name):
    for sock in inet_sockets():
        SOCKETS.append([name, *sock])


def report(**extra):
    print("RESULT " + json.dumps({
        "events": EVENTS,
        "sockets": SOCKETS,
        "dynamic_exec": sorted(set(SEEN_EXEC)),
        "modules": sorted(m for m in sys.modules if m.split(".")[0] in (
            "ssl", "http", "urllib", "requests", "PySide6", "ftplib", "smtplib", "webbrowser"
        )),
        **extra,
    }))
'''

SESSION = r"""
import sys
from pathlib import Path

work = Path(sys.argv[1])
build_file = Path(sys.argv[2])
hostile_file = Path(sys.argv[3])
step("start")

from PySide6.QtWidgets import QFileDialog, QMessageBox

DIALOGS = []


def dialog(kind, answer):
    def show(parent, title, text, *args, **kwargs):
        DIALOGS.append([kind, title, text])
        return answer
    return show


QMessageBox.critical = dialog("critical", QMessageBox.StandardButton.Ok)
QMessageBox.warning = dialog("warning", QMessageBox.StandardButton.Ok)
QMessageBox.information = dialog("information", QMessageBox.StandardButton.Ok)
QMessageBox.question = dialog("question", QMessageBox.StandardButton.Discard)
SAVE_NAMES = []
QFileDialog.getSaveFileName = lambda *a, **k: (str(SAVE_NAMES.pop(0)), "")

from dlplanner.app import create_window, make_app
from dlplanner.domain.build import Assumptions
from dlplanner.domain.costs import compare_costs
from dlplanner.report.export import export_text
from dlplanner.rules.engine import evaluate

app = make_app(["dlplanner"])
window, loaded, error = create_window(str(build_file))  # start with the marked build
window.show()
app.processEvents()
step("started")
doc = window.doc
assert error is None, error
assert MARKER in doc.build.notes

# load: the example through the window, then the marked build again, then a hostile file
examples = sorted((Path.cwd() / "resources" / "examples").glob("*.dlbuild.yaml"))
assert window.open_path(examples[0], as_example=True)
assert window.open_path(build_file)
assert not window.open_path(hostile_file)  # refused with a dialog, the build stays
assert MARKER in doc.build.name
step("loaded")

# edit through the document, with undo and redo
gpu = next(p.id for p in doc.catalog if p.kind == "gpu")
doc.add_parts([gpu])
doc.update_item(0, "Change quantity", qty=2)
doc.set_name(doc.build.name + " (edited)")
doc.set_assumptions(Assumptions(months=24, utilization=0.5))
doc.undo_stack.undo()
doc.undo_stack.redo()
app.processEvents()
step("edited")

# check and cost, in the document, the panels and directly
evaluation = evaluate(doc.build, doc.catalog)
assert doc.evaluation.findings == evaluation.findings
comparison = compare_costs(doc.build, doc.catalog)
assert len(comparison.series.months) == 25
for tab in range(window.tabs.count()):  # the cost and timeline tabs draw their charts
    window.tabs.setCurrentIndex(tab)
    app.processEvents()
step("checked")

# export every format through the window's own actions, and the text ones directly
outputs = {}
for fmt in ("md", "csv", "html", "pdf"):
    out = work / f"export.{fmt}"
    SAVE_NAMES.append(out)
    window.export_dialog(fmt)
    outputs[fmt] = out.read_bytes()[:8].decode("latin-1") if out.exists() else None
export_text(doc.build, doc.catalog, "md", work / "direct.md")
step("exported")

# save, autosave, quit
SAVE_NAMES.append(work / "saved.dlbuild.yaml")
assert window.save_as()
if getattr(window, "autosaver", None) is not None:
    doc.set_notes(doc.build.notes + " more")
    window.autosaver.save_now()
    window.autosaver.stop()
assert window.save()
window.close()
app.processEvents()
step("closed")
app.quit()
report(
    dialogs=DIALOGS,
    outputs=outputs,
    findings=len(evaluation.findings),
    saved=(work / "saved.dlbuild.yaml").read_text(encoding="utf-8"),
)
"""

BROKEN_CATALOG = r"""
import sys
from dlplanner.app import create_window, make_app

app = make_app(["dlplanner"])
window, loaded, error = create_window()
window.show()
app.processEvents()
report(
    error=error,
    problems=[str(p) for p in loaded.problems],
    ids=sorted(p.id for p in loaded.catalog),
    build=window.doc.build.name,
)
window.close()
app.quit()
"""

MARKER = "MARKER-9f1c2d"


def session_env(home: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DLPLANNER_CATALOG_DIRS", None)
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_RUNTIME_DIR=str(home / "runtime"),
        QT_QPA_PLATFORM="offscreen",
        DLP_MARKER=MARKER,
    )
    env.update(extra)
    (home / "runtime").mkdir(parents=True, exist_ok=True, mode=0o700)
    return env


def run_script(script: str, env: dict[str, str], *args: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-c", GUARDS + script, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=180,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    results = [line for line in out.stdout.splitlines() if line.startswith("RESULT ")]
    assert results, out.stdout[-2000:] + out.stderr[-2000:]
    return json.loads(results[-1][len("RESULT ") :])


def marked_build(folder: Path, canary: Path) -> Path:
    payload = f"__import__('os').system('touch {canary}')"
    example = ROOT / "resources" / "examples" / "budget-single-gpu.dlbuild.yaml"
    text = example.read_text(encoding="utf-8")
    text = text.replace("name: ", f"name: {MARKER} ", 1)
    quoted = payload.replace("'", "''")  # inside a single-quoted YAML string
    text = text.replace("notes: '", f"notes: '{MARKER} {quoted} ", 1)
    text = text.replace("- part: wd-black-sn850x-2tb", f"- part: {MARKER.lower()}-part", 1)
    path = folder / "marked.dlbuild.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_whole_session_stays_offline(tmp_path: Path):
    canary = tmp_path / "CANARY-executed"
    build = marked_build(tmp_path, canary)
    hostile = tmp_path / "hostile.dlbuild.yaml"
    hostile.write_text(
        "format: dlplanner-build\nformat_version: 1\n"
        f"name: !!python/object/apply:os.system ['touch {canary}']\n"
        f"notes: !!python/name:builtins.eval\n# {MARKER}\n",
        encoding="utf-8",
    )
    work = tmp_path / "work"
    work.mkdir()
    result = run_script(
        SESSION, session_env(tmp_path / "home"), str(work), str(build), str(hostile)
    )

    assert result["events"] == []  # no network, no program started, no file contents run
    assert result["sockets"] == []  # not even from Qt's C++ side
    assert "PySide6.QtNetwork" not in result["modules"]
    assert not canary.exists()

    # The session did what it says.
    assert result["findings"] > 0
    assert result["outputs"]["pdf"].startswith("%PDF")
    assert result["outputs"]["html"].lower().startswith("<!doctyp")
    assert result["outputs"]["md"].startswith("# ")
    assert result["outputs"]["csv"]  # a BOM and the header
    assert MARKER in result["saved"] and f"{MARKER.lower()}-part" in result["saved"]
    assert "(edited)" in result["saved"]
    refused = [d for d in result["dialogs"] if d[0] == "critical"]
    assert len(refused) == 1 and "hostile.dlbuild.yaml" in refused[0][2]
    assert "tag" in refused[0][2] and "\n" not in refused[0][2]


def write_broken_catalogs(tmp_path: Path) -> str:
    first, second = tmp_path / "cat1", tmp_path / "cat2"
    first.mkdir()
    second.mkdir()
    (first / "malformed.yaml").write_text("format: dlplanner-catalog\nkind: gpu\nparts: [\n")
    (first / "hostile.yaml").write_text(
        "format: dlplanner-catalog\nformat_version: 1\nkind: gpu\n"
        "parts:\n  - &p {id: alias-gpu, brand: X, name: Y, chipset: Z}\n  - *p\n"
    )
    (first / "python.yaml").write_text(
        "format: dlplanner-catalog\nformat_version: 1\nkind: gpu\n"
        "parts: !!python/object/apply:os.system ['true']\n"
    )
    (first / "binary.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (first / "list.yaml").write_text("- just\n- a list\n")
    (second / "one-bad-entry.yaml").write_text(
        "format: dlplanner-catalog\nformat_version: 1\nkind: gpu\nparts:\n"
        "  - id: user-good-gpu\n    brand: Me\n    name: Good GPU\n    chipset: Mine\n"
        "    tdp_w: 300\n    sources: [https://example.com/good]\n"
        "  - id: user-bad-gpu\n    brand: Me\n    name: Bad GPU\n    chipset: Mine\n"
        "    tdp_w: -5\n    sources: [https://example.com/bad]\n"
    )
    (second / "newer.yaml").write_text(
        "format: dlplanner-catalog\nformat_version: 99\nkind: gpu\nparts: []\n"
    )
    not_a_folder = tmp_path / "not-a-folder"
    not_a_folder.write_text("x")
    dirs = [first, second, not_a_folder, tmp_path / "missing-folder"]
    return os.pathsep.join(str(d) for d in dirs)


EXPECTED_PROBLEMS = {
    "malformed.yaml": "invalid YAML",
    "hostile.yaml": "anchors",
    "python.yaml": "tag",
    "binary.yaml": "binary",
    "list.yaml": "expected a mapping",
    "one-bad-entry.yaml: user-bad-gpu: tdp_w": "greater than 0",
    "newer.yaml": "newer than this dlplanner reads",
    "not-a-folder": "not a folder; skipped",
}


def test_a_broken_user_catalog_never_stops_the_app(tmp_path: Path):
    dirs = write_broken_catalogs(tmp_path)
    env = session_env(tmp_path / "home", DLPLANNER_CATALOG_DIRS=dirs)
    result = run_script(BROKEN_CATALOG, env)
    assert result["error"] is None
    assert result["build"]  # the example build opened
    assert result["events"] == [] and result["sockets"] == []
    ids = set(result["ids"])
    assert "user-good-gpu" in ids  # the good entry next to a bad one is kept
    assert not {"user-bad-gpu", "alias-gpu"} & ids
    assert len(ids) > 100  # the shipped catalog
    problems = result["problems"]
    for where, what in EXPECTED_PROBLEMS.items():
        assert any(where in p and what in p for p in problems), (where, problems)
    assert len(problems) == len(EXPECTED_PROBLEMS)
    assert all("\n" not in p for p in problems)


def test_catalog_list_warns_about_a_broken_user_catalog_but_succeeds(tmp_path: Path):
    dirs = write_broken_catalogs(tmp_path)
    env = session_env(tmp_path / "home", DLPLANNER_CATALOG_DIRS=dirs)
    out = subprocess.run(
        [sys.executable, "-m", "dlplanner", "catalog", "list", "--kind", "gpu"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    warnings = out.stderr.splitlines()
    assert len(warnings) == len(EXPECTED_PROBLEMS)
    assert all(line.startswith("dlplanner: warning: skipped ") for line in warnings)
    for where, what in EXPECTED_PROBLEMS.items():
        assert any(where in w and what in w for w in warnings), (where, warnings)
    assert "user-good-gpu" in out.stdout
