"""Actions are data: dotted ids, menu text with mnemonics, standard shortcuts, tooltips."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

Shortcut = QKeySequence.StandardKey | str | None


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One command: id, text (with & mnemonic), shortcut, tooltip."""

    id: str
    text: str
    shortcut: Shortcut = None
    tip: str = ""


SPECS: tuple[ActionSpec, ...] = (
    ActionSpec("build.new", "&New", QKeySequence.StandardKey.New, "Start an empty build"),
    ActionSpec("build.open", "&Open…", QKeySequence.StandardKey.Open, "Open a build file"),
    ActionSpec("build.save", "&Save", QKeySequence.StandardKey.Save, "Save the build"),
    ActionSpec("build.save_as", "Save &As…", QKeySequence.StandardKey.SaveAs,
               "Save under a new name"),
    ActionSpec("build.revert", "Re&vert", None, "Discard changes and reload the saved file"),
    ActionSpec("build.export_md", "&Markdown…", None, "Export the shopping list as Markdown"),
    ActionSpec("build.export_csv", "&CSV…", None, "Export the shopping list for a spreadsheet"),
    ActionSpec("build.export_pdf", "&PDF…", None, "Export the printable report as PDF"),
    ActionSpec("build.export_html", "&HTML…", None, "Export the report as a standalone web page"),
    ActionSpec("list.import", "Import PCPartPicker &List…", None,
               "Open a PCPartPicker part list (pasted or from a file) as a new build"),
    ActionSpec("prices.import", "Import &Prices…", None,
               "Bring in fresh cloud or part prices from SkyPilot vms.csv or price CSV files"),
    ActionSpec("build.print_preview", "Print Pre&view…", None, "See the printed report"),
    ActionSpec("build.print", "&Print…", QKeySequence.StandardKey.Print, "Print the report"),
    ActionSpec("app.quit", "&Quit", QKeySequence.StandardKey.Quit, "Quit dlplanner"),
    ActionSpec("parts.remove", "&Remove Part", None, "Remove the selected lines (Delete)"),
    ActionSpec("parts.find", "&Find Part…", QKeySequence.StandardKey.Find, "Search the catalog"),
    ActionSpec("build.complete", "&Complete Build…", "Ctrl+Shift+B",
               "Find the cheapest parts that complete the build and pass every check"),
    ActionSpec("findings.next", "Go to &Findings", "F8", "Select the worst finding"),
    ActionSpec("view.theme_system", "&System", None, "Follow the desktop's light or dark scheme"),
    ActionSpec("view.theme_light", "&Light", None, "Always light"),
    ActionSpec("view.theme_dark", "&Dark", None, "Always dark"),
    ActionSpec("help.rules", "&Compatibility Rules…", QKeySequence.StandardKey.HelpContents,
               "What each check does and why"),
    ActionSpec("help.about", "&About dlplanner", None, "Version, catalog date and data sources"),
)  # fmt: skip


def make_actions(parent: QWidget, handlers: dict[str, Callable[[], object]]) -> dict[str, QAction]:
    """Create a QAction per spec, connected to its handler when one is given.

    A handler id that no spec has is a typo that would leave a menu item dead: refused.
    """
    unknown = sorted(set(handlers) - {spec.id for spec in SPECS})
    if unknown:
        raise KeyError(f"no action with id {', '.join(unknown)}")
    actions: dict[str, QAction] = {}
    for spec in SPECS:
        action = QAction(spec.text, parent)
        action.setObjectName(spec.id)
        if isinstance(spec.shortcut, QKeySequence.StandardKey):
            action.setShortcuts(spec.shortcut)
        elif isinstance(spec.shortcut, str):
            action.setShortcut(QKeySequence(spec.shortcut))
        if spec.tip:
            action.setStatusTip(spec.tip)
            action.setToolTip(spec.tip)
        handler = handlers.get(spec.id)
        if handler is not None:
            action.triggered.connect(lambda _checked=False, h=handler: h())
        actions[spec.id] = action
    return actions
