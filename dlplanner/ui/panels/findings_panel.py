"""The findings panel: live compatibility notes, lettered worst first, with hints and rule help."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dlplanner.report.findings import PROBLEM_WORDS, finding_word
from dlplanner.report.findings_html import (
    NOT_CHECKED_TIP,
    banner_html,
    banner_text,
    finding_html,
    not_checked_html,
    not_checked_line,
)
from dlplanner.report.names import stage_when
from dlplanner.rules.engine import Evaluation, letter
from dlplanner.rules.finding import Finding, Status
from dlplanner.ui.dialogs.fill_value import fill_in
from dlplanner.ui.document import BuildDocument
from dlplanner.ui.theme import OK_COLOUR, SEVERITY_COLOURS, finding_colour, severity_icon
from dlplanner.ui.widgets.live_label import LiveLabel, fit_columns

FindingRole = Qt.ItemDataRole.UserRole + 3


class _WrapDelegate(QStyledItemDelegate):
    """Sizes rows so a long message wraps within its column instead of being cut off."""

    def __init__(self, tree: QTreeWidget):
        super().__init__(tree)
        self._tree = tree
        self._sizes: dict[tuple[str, int, int], QSize] = {}
        """Measured sizes by text, column width and font: a relayout asks for each row again."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        """Height of the wrapped text at the column's current width."""
        width = self._tree.header().sectionSize(index.column()) - 10
        text = str(index.data() or "")
        key = (text, width, option.fontMetrics.height())
        size = self._sizes.get(key)
        if size is None:
            if len(self._sizes) > 500:
                self._sizes.clear()
            size = base = super().sizeHint(option, index)
            if width > 20 and text:
                rect = option.fontMetrics.boundingRect(
                    QRect(0, 0, width, 100_000), int(Qt.TextFlag.TextWordWrap), text
                )
                size = QSize(base.width(), max(base.height(), rect.height() + 6))
            self._sizes[key] = size
        return size


class FindingsPanel(QWidget):
    """Findings for every stage of the plan; selecting one highlights its parts."""

    rule_help_requested = Signal(str)
    fill_requested = Signal(str, str)
    """A part id and the field the user wants to fill in (from a *not checked* finding)."""

    def __init__(self, document: BuildDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self._doc = document
        self._not_checked: list[str] = []
        self._shown: object = None
        self.banner = LiveLabel(self, word_wrap=True)
        self.banner.setAccessibleName("Compatibility verdict")
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("Findings")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["", "Severity", "Finding", "Stage"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        # Letter, severity and stage fit their texts (fit_columns, once per new list of
        # findings); the message takes the rest and wraps.
        for column in (0, 1, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.tree.setItemDelegateForColumn(2, _WrapDelegate(self.tree))
        # Re-wrap rows when the message column changes width, once per event-loop pass
        # (several sections resize together when the findings change).
        self._relayout = QTimer(self)
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(0)
        self._relayout.timeout.connect(self.tree.doItemsLayout)
        header.sectionResized.connect(
            lambda index, _old, _new: index == 2 and self._relayout.start()
        )
        self.detail = QTextBrowser(self)
        self.detail.setAccessibleName("Finding details")
        self.detail.setOpenLinks(False)
        self.detail.anchorClicked.connect(self._on_link)
        self.detail.setPlaceholderText("Select a finding to see how to fix it and why it matters.")
        self.not_checked = LiveLabel(self)
        self.not_checked.setAccessibleName("Not checked")
        self.not_checked.setTextFormat(Qt.TextFormat.RichText)
        self.not_checked.label.linkActivated.connect(lambda _link: self.show_not_checked())

        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.tree)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 2)
        split.setSizes([320, 110])
        self.detail.setMinimumHeight(self.fontMetrics().height() * 3)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.banner)
        layout.addWidget(split, 1)
        layout.addWidget(self.not_checked)

        self.tree.currentItemChanged.connect(self._on_current_changed)
        document.findings_changed.connect(self.show_evaluation)
        self.fill_requested.connect(lambda pid, field: fill_in(self._doc, pid, field, self))
        self.show_evaluation(document.evaluation)

    # -- display ---------------------------------------------------------------------------

    def show_evaluation(self, evaluation: Evaluation) -> None:
        """Redraw the list from an evaluation (keeps the selected finding if it still exists)."""
        shown = (evaluation.findings, tuple(s.month for s in self._doc.build.plan))
        if shown == self._shown:
            return  # an edit that changed no finding (a price, a note): nothing to redraw
        self._shown = shown
        current = self.current_finding()
        keep = current.identity if current else None
        self.tree.blockSignals(True)
        self.tree.clear()
        chosen: QTreeWidgetItem | None = None
        stage_names = {s.index: s.label for s in self._doc.build.stages()}
        items: list[QTreeWidgetItem] = []
        texts: list[tuple[str, ...]] = []
        for i, finding in enumerate(evaluation.findings):
            word = finding_word(finding, PROBLEM_WORDS)
            row = (letter(i), word, "", stage_when(self._doc.build, finding.stage))
            texts.append(row)
            item = QTreeWidgetItem([row[0], row[1], finding.message, row[3]])
            item.setIcon(1, severity_icon(finding))
            item.setForeground(1, QBrush(finding_colour(finding)))
            if finding.status == Status.UNKNOWN:
                item.setToolTip(1, NOT_CHECKED_TIP)
            item.setToolTip(2, f"{finding.message}\n\nHow to fix: {finding.hint}")
            item.setToolTip(3, stage_names.get(finding.stage, ""))
            item.setData(0, FindingRole, finding)
            items.append(item)
            if keep is not None and finding.identity == keep:
                chosen = item
        self.tree.addTopLevelItems(items)  # one insertion for the view, not one per row
        self.tree.blockSignals(False)
        icon = self.tree.iconSize().width() if self.tree.iconSize().isValid() else 16
        fit_columns(self.tree.header(), (0, 1, 3), texts, extra={1: max(icon, 16) + 6})
        _, worst = banner_text(evaluation)
        colour = SEVERITY_COLOURS[worst] if worst else OK_COLOUR
        self.banner.setText(banner_html(evaluation, colour.name()))
        self._not_checked = list(evaluation.not_checked)
        self.not_checked.setText(not_checked_line(self._not_checked))
        self.not_checked.setToolTip("\n".join(f"• {t}" for t in self._not_checked))
        if chosen is not None:
            self.tree.setCurrentItem(chosen)
        else:
            if not self.detail.document().isEmpty():
                self.detail.clear()
            self._doc.highlight(())

    # -- interaction -----------------------------------------------------------------------

    def current_finding(self) -> Finding | None:
        """Return the selected finding."""
        item = self.tree.currentItem()
        value = item.data(0, FindingRole) if item else None
        return value if isinstance(value, Finding) else None

    def _on_current_changed(self, current: QTreeWidgetItem | None, previous: object) -> None:
        finding = self.current_finding()
        if finding is None:
            self.detail.clear()
            self._doc.highlight(())
            return
        self._doc.highlight(finding.parts)
        colour = finding_colour(finding).name()
        self.detail.setHtml(finding_html(finding, self._doc.build, self._doc.catalog, colour))

    def _on_link(self, url: object) -> None:
        text = url.toString() if hasattr(url, "toString") else str(url)
        if text.startswith("rule:"):
            self.rule_help_requested.emit(text[5:])
        elif text.startswith("apply-limit:"):
            self._doc.set_power_limit(int(text.split(":", 1)[1]))
        elif text.startswith("fill:"):
            part_id, _, field = text[5:].partition(":")
            self.fill_requested.emit(part_id, field)
        elif text.startswith("replace:"):
            old, _, new = text[8:].rpartition(":")
            self.replace_unknown(old, new)

    def replace_unknown(self, old: str, new: str) -> None:
        """Replace an id the catalog lacks with the catalog id suggested for it (one click)."""
        if new in self._doc.catalog:
            self._doc.replace_part_id(old, new)

    def show_not_checked(self) -> None:
        """Show what the rules do not check in the detail pane."""
        self.tree.clearSelection()
        self.detail.setHtml(not_checked_html(self._not_checked))

    def select_identity(self, identity: object) -> bool:
        """Select the finding with this identity (from another panel); False if absent."""
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item is None:
                continue
            finding = item.data(0, FindingRole)
            if isinstance(finding, Finding) and finding.identity == identity:
                self.tree.setCurrentItem(item)
                self.tree.setFocus()
                return True
        return False

    def select_first(self) -> None:
        """Select the worst finding (keyboard users: F8)."""
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)
            self.tree.setFocus()
