"""The main window: catalog, parts list and findings; menus, files, recent files, settings."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QByteArray, QRect, QSettings, QSize, Qt, QUrl
from PySide6.QtGui import QActionGroup, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from dlplanner import __version__
from dlplanner.domain.build import Build
from dlplanner.domain.text import escape_line
from dlplanner.io import resources
from dlplanner.io.atomic import ConflictError
from dlplanner.io.buildfile import SUFFIX
from dlplanner.io.yamlsafe import LoadError
from dlplanner.report.export import export_text
from dlplanner.report.findings import status_text
from dlplanner.report.format import date_text
from dlplanner.rules.engine import Evaluation
from dlplanner.ui import imports
from dlplanner.ui.actions import make_actions
from dlplanner.ui.autosave import Autosaver
from dlplanner.ui.document import BuildDocument
from dlplanner.ui.file_guard import FileGuard
from dlplanner.ui.help import RulesHelpDialog
from dlplanner.ui.lazy_tab import LazyTab
from dlplanner.ui.panels.catalog_panel import CatalogPanel
from dlplanner.ui.panels.findings_panel import FindingsPanel
from dlplanner.ui.panels.parts_panel import PartsPanel

if TYPE_CHECKING:
    from dlplanner.ui.panels.cost_panel import CostPanel
    from dlplanner.ui.panels.timeline_panel import TimelinePanel
from dlplanner.ui.theme import apply_theme
from dlplanner.ui.widgets.live_label import LiveLabel
from dlplanner.ui.window_size import CATALOG_SHARE, findings_height, first_size, fit_within

MAX_RECENT = 10
FILE_FILTER = f"dlplanner builds (*{SUFFIX});;YAML files (*.yaml *.yml);;All files (*)"


class MainWindow(QMainWindow):
    """The application window around one :class:`BuildDocument`."""

    def __init__(self, document: BuildDocument, settings: QSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = document
        self.settings = settings
        self.autosaver: Autosaver | None = None
        """Set by the app; tests build windows without one."""
        self._autosave_label: QLabel | None = None
        self.file_guard = FileGuard(self, document)
        self.setObjectName("MainWindow")
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)

        self.parts_panel = PartsPanel(document, self)
        self.catalog_panel = CatalogPanel(document, self)
        self.findings_panel = FindingsPanel(document, self)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.parts_panel, "&Parts")
        # The charts (pyqtgraph, numpy) load when their tab is first shown.
        self.cost_tab = LazyTab(self._make_cost_panel, self)
        self.tabs.addTab(self.cost_tab, "&Cost")
        self.timeline_tab = LazyTab(self._make_timeline_panel, self)
        self.tabs.addTab(self.timeline_tab, "&Timeline")
        self.setCentralWidget(self.tabs)
        self._findings_away = False
        """Whether the findings dock is hidden only while the Cost tab is shown."""
        self.tabs.currentChanged.connect(self._on_tab_changed)

        self.catalog_dock = self._dock("Catalog", "CatalogDock", self.catalog_panel)
        self.findings_dock = self._dock("Findings", "FindingsDock", self.findings_panel)
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.catalog_dock)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.findings_dock)

        self.actions_by_id = make_actions(
            self,
            {
                "build.new": self.new_build,
                "build.open": self.open_dialog,
                "build.save": self.save,
                "build.save_as": self.save_as,
                "build.revert": self.revert,
                "build.export_md": lambda: self.export_dialog("md"),
                "build.export_csv": lambda: self.export_dialog("csv"),
                "build.export_pdf": lambda: self.export_dialog("pdf"),
                "build.export_html": lambda: self.export_dialog("html"),
                "prices.import": lambda: imports.import_prices(self),
                "list.import": lambda: imports.import_part_list(self),
                "build.print_preview": self.print_preview,
                "build.print": self.print,
                "build.complete": self.complete_build,
                "app.quit": self.close,
                "parts.remove": self.parts_panel.view.remove_selected,
                "parts.find": self._find,
                "findings.next": self.findings_panel.select_first,
                "view.theme_system": lambda: self.set_theme("system"),
                "view.theme_light": lambda: self.set_theme("light"),
                "view.theme_dark": lambda: self.set_theme("dark"),
                "help.rules": lambda: self.show_rule_help(None),
                "help.about": self.about,
            },
        )
        self.undo_action = document.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)
        self.redo_action = document.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts(QKeySequence.StandardKey.Redo)
        self._build_menus()

        self.status_totals = LiveLabel(self)
        self.status_totals.setTextFormat(Qt.TextFormat.PlainText)
        self.status_findings = LiveLabel(self)
        self.statusBar().addWidget(self.status_totals, 1)
        self.statusBar().addPermanentWidget(self.status_findings)

        document.build_changed.connect(self._on_build_changed)
        document.findings_changed.connect(self._on_findings_changed)
        document.dirty_changed.connect(self._update_title)
        document.edit_refused.connect(lambda reason: self.statusBar().showMessage(reason, 8000))
        document.path_changed.connect(lambda _p: self._update_title())
        self.findings_panel.rule_help_requested.connect(self.show_rule_help)
        self._on_build_changed(document.build)
        self._on_findings_changed(document.evaluation)
        self._restore_layout()

    # -- construction ----------------------------------------------------------------------

    def _make_cost_panel(self, parent: QWidget) -> QWidget:
        from dlplanner.ui.panels.cost_panel import CostPanel

        return CostPanel(self.doc, parent)

    def _make_timeline_panel(self, parent: QWidget) -> QWidget:
        from dlplanner.ui.panels.timeline_panel import TimelinePanel

        panel = TimelinePanel(self.doc, parent)
        panel.findings_requested.connect(self._on_findings_requested)
        return panel

    @property
    def cost_panel(self) -> CostPanel:
        """The cost panel (made on first use)."""
        return self.cost_tab.panel  # type: ignore[return-value]

    @property
    def timeline_panel(self) -> TimelinePanel:
        """The timeline panel (made on first use)."""
        return self.timeline_tab.panel  # type: ignore[return-value]

    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        return dock

    def _build_menus(self) -> None:
        a = self.actions_by_id
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(a["build.new"])
        file_menu.addAction(a["build.open"])
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        examples = file_menu.addMenu("Open E&xample")
        for path in resources.example_builds():
            act = examples.addAction(path.name.removesuffix(SUFFIX).replace("-", " ").capitalize())
            act.triggered.connect(lambda _c=False, p=path: self.open_path(p, as_example=True))
        file_menu.addSeparator()
        file_menu.addAction(a["build.save"])
        file_menu.addAction(a["build.save_as"])
        file_menu.addAction(a["build.revert"])
        file_menu.addSeparator()
        self.export_menu = file_menu.addMenu("&Export")
        for key in ("pdf", "html", "md", "csv"):
            self.export_menu.addAction(a[f"build.export_{key}"])
        file_menu.addAction(a["list.import"])
        file_menu.addAction(a["prices.import"])
        file_menu.addSeparator()
        file_menu.addAction(a["build.print_preview"])
        file_menu.addAction(a["build.print"])
        self.file_menu = file_menu
        file_menu.addSeparator()
        file_menu.addAction(a["app.quit"])

        edit = bar.addMenu("&Edit")
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)
        edit.addSeparator()
        edit.addAction(a["parts.remove"])
        edit.addAction(a["parts.find"])
        edit.addAction(a["findings.next"])

        bar.addMenu("&Build").addAction(a["build.complete"])
        view = bar.addMenu("&View")
        view.addAction(self.catalog_dock.toggleViewAction())
        view.addAction(self.findings_dock.toggleViewAction())
        theme = view.addMenu("&Theme")
        group = QActionGroup(self)
        current = str(self.settings.value("theme", "system"))
        for key in ("system", "light", "dark"):
            act = a[f"view.theme_{key}"]
            act.setCheckable(True)
            act.setChecked(key == current)
            group.addAction(act)
            theme.addAction(act)

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(a["help.rules"])
        help_menu.addAction(a["help.about"])

    # -- state → widgets -------------------------------------------------------------------

    def _on_build_changed(self, build: Build) -> None:
        self.status_totals.setText(self.parts_panel.totals_text(build, rich=False))
        self._update_title()

    def _on_findings_changed(self, evaluation: Evaluation) -> None:
        self.status_findings.setText(status_text(evaluation))
        problems = evaluation.summary["error"] + evaluation.summary["warning"]
        title = f"Findings ({problems})" if problems else "Findings"
        if title != self.findings_dock.windowTitle():
            self.findings_dock.setWindowTitle(title)

    def _update_title(self, *_args: object) -> None:
        title = f"{self.doc.build.name}[*] — dlplanner"
        if title != self.windowTitle():
            self.setWindowTitle(title)
        self.setWindowModified(self.doc.dirty)
        self.setWindowFilePath(str(self.doc.path) if self.doc.path else "")
        self.actions_by_id["build.revert"].setEnabled(self.doc.path is not None and self.doc.dirty)

    # -- files -----------------------------------------------------------------------------

    def confirm_discard(self) -> bool:
        """Ask to save unsaved changes; False if the user cancels."""
        if not self.doc.dirty:
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            f"Save the changes to “{self.doc.build.name}” before closing it?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new_build(self) -> None:
        """Start an empty build (after asking about unsaved changes)."""
        if self.confirm_discard():
            self.doc.replace(Build(), None)

    def open_dialog(self) -> None:
        """Choose a build file and open it."""
        if not self.confirm_discard():
            return
        start = str(self.doc.path.parent) if self.doc.path else str(Path.home())
        name, _ = QFileDialog.getOpenFileName(self, "Open build", start, FILE_FILTER)
        if name:
            self.open_path(Path(name), confirmed=True)

    def open_path(self, path: Path, *, confirmed: bool = False, as_example: bool = False) -> bool:
        """Open a build file; a bad file shows why and keeps the current build."""
        if not confirmed and not self.confirm_discard():
            return False
        try:
            self.doc.open(path)
        except LoadError as exc:
            self.show_error("Could not open the build", str(exc))
            return False
        if as_example:
            # An example is a template: saving must ask for a new name.
            self.doc.replace(self.doc.build, None)
        else:
            self.add_recent(path)
        missing = self.doc.missing_parts()
        if missing:
            QMessageBox.information(
                self,
                "Parts not in the catalog",
                "This build names parts the catalog does not have. They stay in the list, "
                "marked, and are saved back unchanged:\n\n" + "\n".join(missing),
            )
        return True

    def save(self) -> bool:
        """Save to the current file, or ask for one."""
        if self.doc.path is None:
            return self.save_as()
        return self._save_to(self.doc.path)

    def save_as(self) -> bool:
        """Ask for a file name and save there."""
        suggested = self.doc.path or Path.home() / (_slug(self.doc.build.name) + SUFFIX)
        # The dialog's own overwrite check would look at the name before the suffix is
        # added, so "box" would overwrite an existing box.dlbuild.yaml unasked: check here.
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Save build as",
            str(suggested),
            FILE_FILTER,
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if not name:
            return False
        path = Path(name)
        if not path.name.endswith((SUFFIX, ".yaml", ".yml")):
            path = path.with_name(path.name + SUFFIX)
        if (path.exists() or path.is_symlink()) and not self.confirm_overwrite(path):
            return False
        return self._save_to(path)

    def confirm_overwrite(self, path: Path) -> bool:
        """Ask before Save As replaces an existing file."""
        answer = QMessageBox.question(
            self,
            "Replace file?",
            f"{escape_line(path.name)} already exists. Replace it?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _save_to(self, path: Path, *, overwrite: bool = False) -> bool:
        try:
            saved = self.doc.save(path, overwrite=overwrite)
        except ConflictError:
            choice = self.file_guard.ask_conflict(self.doc.target or path)
            if choice == "overwrite":
                return self._save_to(path, overwrite=True)
            if choice == "save_as":
                return self.save_as()
            if choice == "reload":
                self.file_guard.reload()
            return False
        except OSError as exc:
            self.show_error("Could not save the build", escape_line(str(exc)))
            return False
        self.add_recent(saved)
        self.statusBar().showMessage(f"Saved {escape_line(str(saved))}", 4000)
        return True

    def revert(self) -> None:
        """Reload the saved file, dropping changes (after confirming)."""
        if self.doc.path is None:
            return
        answer = QMessageBox.question(
            self, "Revert", f"Discard all changes and reload {self.doc.path.name}?"
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.open_path(self.doc.path, confirmed=True)

    def export_dialog(self, fmt: str) -> None:
        """Export the report (PDF, HTML) or the shopping list (Markdown, CSV)."""
        labels = {
            "md": "Markdown (*.md)",
            "csv": "CSV (*.csv)",
            "pdf": "PDF (*.pdf)",
            "html": "Web page (*.html)",
        }
        base = (
            self.doc.path.name.removesuffix(SUFFIX) if self.doc.path else _slug(self.doc.build.name)
        )
        start = (self.doc.path.parent if self.doc.path else Path.home()) / f"{base}.{fmt}"
        name, _ = QFileDialog.getSaveFileName(self, "Export shopping list", str(start), labels[fmt])
        if not name:
            return
        try:
            with busy():
                if fmt == "pdf":
                    from dlplanner.ui import printing

                    printing.export_pdf(self.doc, None, name)
                elif fmt == "html":
                    from dlplanner.ui import printing

                    printing.export_html(self.doc, None, name)
                else:
                    export_text(self.doc.build, self.doc.catalog, fmt, name)
        except OSError as exc:
            self.show_error("Could not export", str(exc))
            return
        self.statusBar().showMessage(f"Exported {name}", 4000)

    def complete_build(self) -> None:
        """Open Build > Complete Build… (the proposal applies as one undoable edit)."""
        from dlplanner.ui.dialogs.complete_dialog import CompleteDialog

        CompleteDialog(self.doc, self).exec()

    def print_preview(self) -> None:
        """Show the printed report in a preview window."""
        from dlplanner.ui import printing

        with busy():
            printing.print_preview(self, self.doc)

    def print(self) -> None:
        """Print the report."""
        from dlplanner.ui import printing

        printing.print_dialog(self, self.doc)

    def show_error(self, title: str, message: str) -> None:
        """Show a readable error dialog."""
        QMessageBox.critical(self, title, message)

    def show_autosave_problem(self, message: str) -> None:
        """Keep a failing autosave in sight (status bar, and once on stderr); "" clears it."""
        if self._autosave_label is None:
            self._autosave_label = QLabel(self)
            self._autosave_label.setObjectName("autosaveProblem")
            self._autosave_label.setStyleSheet("color: #b00020;")
            self.statusBar().addPermanentWidget(self._autosave_label)
        self._autosave_label.setText(escape_line(message))
        self._autosave_label.setToolTip(message)
        self._autosave_label.setVisible(bool(message))
        if message:
            print(f"dlplanner: warning: {escape_line(message)}", file=sys.stderr)

    # -- recent files ----------------------------------------------------------------------

    def recent_files(self) -> list[str]:
        """Recently opened or saved builds, newest first."""
        value = self.settings.value("recent_files", [])
        if isinstance(value, str):
            value = [value]
        # QSettings.value() is untyped: a list here, a str for a one-item list, or None.
        return [str(v) for v in cast("Iterable[object]", value or [])]

    def add_recent(self, path: Path) -> None:
        """Put a file at the top of the recent list."""
        text = str(Path(path).resolve())
        files = [text] + [f for f in self.recent_files() if f != text]
        self.settings.setValue("recent_files", files[:MAX_RECENT])

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        for i, name in enumerate(files, start=1):
            act = self.recent_menu.addAction(f"&{i % 10} {Path(name).name}")
            act.setToolTip(name)
            act.setEnabled(Path(name).is_file())
            act.triggered.connect(lambda _c=False, n=name: self.open_path(Path(n)))
        if not files:
            self.recent_menu.addAction("No recent files").setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            clear = self.recent_menu.addAction("&Clear Menu")
            clear.triggered.connect(lambda: self.settings.setValue("recent_files", []))

    # -- misc ------------------------------------------------------------------------------

    def _on_tab_changed(self, index: int) -> None:
        # The cost chart needs the height; the findings come back with the other tabs.
        on_cost = self.tabs.widget(index) is self.cost_tab
        if on_cost and self.findings_dock.isVisible() and not self.findings_dock.isFloating():
            self._findings_away = True
            self.findings_dock.hide()
        elif not on_cost and self._findings_away:
            self._findings_away = False
            self.findings_dock.show()

    def _on_findings_requested(self, stage: int) -> None:
        self.findings_dock.show()
        self.findings_dock.raise_()
        worst = self.timeline_panel.model.worst(stage)
        if worst is None or not self.findings_panel.select_identity(worst.identity):
            self.findings_panel.tree.setFocus()

    def _find(self) -> None:
        self.catalog_dock.show()
        self.catalog_panel.focus_search()

    def set_theme(self, theme: str) -> None:
        """Switch theme and remember it."""
        self.settings.setValue("theme", theme)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)

    def show_rule_help(self, rule_id: str | None) -> None:
        """Show the list of compatibility rules with their help text."""
        RulesHelpDialog(rule_id, self).exec()

    def about(self) -> None:
        """Version, catalog date and data sources."""
        cat = self.doc.catalog
        latest = cat.latest_price_date()
        counts = ", ".join(f"{len(v)} {k}" for k, v in cat.kinds.items() if v)
        QMessageBox.about(
            self,
            "About dlplanner",
            f"<h3>dlplanner {__version__}</h3>"
            "<p>Plan a deep-learning workstation, check that it fits together, and compare "
            "its cost with renting cloud GPUs. Works offline.</p>"
            f"<p><b>Catalog:</b> {len(cat)} entries ({counts}); newest price "
            f"{date_text(latest) or 'unknown'}.</p>"
            "<p><b>Data sources:</b> vendor spec pages and manuals, Lambda's deep-learning "
            "benchmark data (relative throughput), and cloud providers' price lists — every "
            "entry names its sources and dates (see each part's details).</p>"
            "<p>Rules draw on Tim Dettmers' hardware guides, Lambda, Puget Systems and the "
            "80 PLUS program; the idea comes from Jeff Chen's 2019 article “Why building your "
            "own deep learning computer is 10x cheaper than AWS”.</p>"
            "<p>MIT License.</p>",
        )

    # -- layout persistence, window events --------------------------------------------------

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        screen = self.screen() or QApplication.primaryScreen()
        available = screen.availableGeometry()
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
            self.setGeometry(fit_within(self.geometry(), available))  # a smaller screen now
        else:  # the first start: size from the screen, and one line of guidance
            self.size_to(first_size(available), available)
            self.parts_panel.show_guidance()
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)

    def size_to(self, size: QSize, available: QRect | None = None) -> None:
        """Resize the window (centred in ``available``) and give the docks their shares."""
        self.resize(size)
        if available is not None:
            left = available.x() + (available.width() - size.width()) // 2
            top = available.y() + (available.height() - size.height()) // 2
            self.move(max(left, available.x()), max(top, available.y()))
        catalog = round(size.width() * CATALOG_SHARE)
        findings = findings_height(size.height())
        self.resizeDocks([self.catalog_dock], [catalog], Qt.Orientation.Horizontal)
        self.resizeDocks([self.findings_dock], [findings], Qt.Orientation.Vertical)

    def save_layout(self) -> None:
        """Remember window geometry and dock layout."""
        if self._findings_away:  # hidden for the Cost tab only: remember it shown
            self._findings_away = False
            self.findings_dock.show()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())

    def closeEvent(self, event: QCloseEvent) -> None:
        """Ask about unsaved changes, then remember the layout."""
        if not self.confirm_discard():
            event.ignore()
            return
        self.save_layout()
        self.file_guard.release()
        event.accept()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept build files dragged from a file manager."""
        if _build_urls(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        """Open a dropped build file."""
        paths = _build_urls(event.mimeData().urls())
        if paths:
            event.acceptProposedAction()
            self.open_path(paths[0])
        else:
            super().dropEvent(event)


@contextmanager
def busy() -> Iterator[None]:
    """Show a wait cursor for anything that takes a noticeable moment."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def _build_urls(urls: list[QUrl]) -> list[Path]:
    return [
        Path(u.toLocalFile())
        for u in urls
        if u.isLocalFile() and u.toLocalFile().endswith((SUFFIX, ".yaml", ".yml"))
    ]


def _slug(name: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split()) or "build"
