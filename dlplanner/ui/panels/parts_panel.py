"""The parts list: the build's lines, a drop target, with totals for price, power and GPUs."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dlplanner.domain.build import Build
from dlplanner.report.plan import (
    COL_PART,
    COL_PRICE,
    COL_QTY,
    HEADERS,
    plan_strip,
    totals_html,
)
from dlplanner.ui.document import BuildDocument
from dlplanner.ui.models.parts_model import ItemRole, PartsTableModel, PriceRole
from dlplanner.ui.widgets.live_label import LiveLabel, fit_columns

PART_MIN_CHARS = 24
"""The least room for part names, in average characters, before the table scrolls sideways."""


class _EditDelegate(QStyledItemDelegate):
    """Bounded spin boxes: 1 to 64 for the quantity, dollars and cents for the unit price."""

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        """Create the editor of the quantity or price column."""
        if index.column() == COL_QTY:
            box = QSpinBox(parent)
            box.setRange(1, 64)
            box.setAccessibleName("Quantity")
            return box
        if index.column() == COL_PRICE:
            money_box = QDoubleSpinBox(parent)
            money_box.setRange(0, 1_000_000)
            money_box.setDecimals(2)
            money_box.setPrefix("$")
            money_box.setGroupSeparatorShown(True)
            money_box.setAccessibleName("Unit price")
            money_box.setToolTip("0 clears your price and uses the catalog's again")
            return money_box
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        """Start from the current quantity or unit price."""
        if isinstance(editor, QDoubleSpinBox):
            editor.setValue(float(index.data(PriceRole) or 0.0))
        else:
            super().setEditorData(editor, index)

    def setModelData(
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        """Hand the new value to the model, which edits the build through the document."""
        if isinstance(editor, QDoubleSpinBox):
            editor.interpretText()
            model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


class PartsTableView(QTableView):
    """The parts list view: Delete removes the selected lines."""

    def __init__(self, document: BuildDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self._doc = document

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Delete and Backspace remove the selected lines."""
        if (
            event.matches(QKeySequence.StandardKey.Delete) or event.key() == Qt.Key.Key_Backspace
        ) and self.state() != QAbstractItemView.State.EditingState:
            self.remove_selected()
            return
        super().keyPressEvent(event)

    def selected_rows(self) -> list[int]:
        """Rows with a selected cell."""
        return sorted({i.row() for i in self.selectionModel().selectedIndexes()})

    def remove_selected(self) -> None:
        """Remove the selected lines (one undo step)."""
        rows = self.selected_rows()
        if rows:
            self._doc.remove_items(rows)


class PartsPanel(QWidget):
    """The build's parts: drop parts here, edit quantity and price, see totals."""

    def __init__(self, document: BuildDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self._doc = document
        self._totals: tuple[Build | None, str] = (None, "")
        self.model = PartsTableModel(document, self)

        self.name_edit = QLineEdit(self)
        self.name_edit.setAccessibleName("Build name")
        self.name_edit.setToolTip("The build's name (shown in the title and on the printout)")
        self.name_edit.editingFinished.connect(self._on_name_edited)

        self.view = PartsTableView(document, self)
        self.view.setModel(self.model)
        self.view.setAccessibleName("Parts list")
        editing = _EditDelegate(self.view)
        self.view.setItemDelegateForColumn(COL_QTY, editing)
        self.view.setItemDelegateForColumn(COL_PRICE, editing)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setDragDropOverwriteMode(False)
        self.view.setAlternatingRowColors(True)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        # Columns fit their texts (fit_columns), measured only when the texts change:
        # ResizeToContents would ask for every role of every cell on each edit.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(COL_PART, QHeaderView.ResizeMode.Stretch)
        model = self.model
        for signal in (model.modelReset, model.dataChanged, model.layoutChanged):
            signal.connect(self._fit_columns)
        model.rowsInserted.connect(self._fit_columns)
        model.rowsRemoved.connect(self._fit_columns)
        self.view.viewport().installEventFilter(self)

        self.empty_hint = QLabel(
            "The build is empty. Drag parts here from the catalog, or select one there and "
            "press Enter.",
            self,
        )
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setEnabled(False)

        self.remove_button = QPushButton("&Remove", self)
        self.remove_button.setToolTip("Remove the selected lines (Delete)")
        self.remove_button.clicked.connect(self.view.remove_selected)
        self.guidance = QLabel(
            "<small>Drag parts in from the catalog · findings below update live · the "
            "<b>Cost</b> tab compares owning with renting cloud GPUs · "
            "<a href='hide'>Hide</a></small>",
            self,
        )
        self.guidance.setWordWrap(True)
        self.guidance.setAccessibleName("Getting started")
        self.guidance.linkActivated.connect(lambda _link: self.guidance.hide())
        self.guidance.hide()
        self.plan_strip = LiveLabel(self)
        self.plan_strip.setAccessibleName("Upgrade plan")
        self.plan_strip.setTextFormat(Qt.TextFormat.PlainText)
        self.totals = LiveLabel(self, word_wrap=True)
        self.totals.setAccessibleName("Build totals")
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        name_row = QHBoxLayout()
        name_label = QLabel("&Name:", self)
        name_label.setBuddy(self.name_edit)
        name_row.addWidget(name_label)
        name_row.addWidget(self.name_edit, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.totals, 1)
        bottom.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(name_row)
        layout.addWidget(self.guidance)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_hint)
        layout.addLayout(bottom)
        layout.addWidget(self.plan_strip)

        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        document.build_changed.connect(self._on_build_changed)
        document.highlight_changed.connect(self._on_highlight)
        self._on_build_changed(document.build)
        self._fit_columns()

    def show_guidance(self) -> None:
        """Show the one line of first-start guidance (until the user hides it)."""
        self.guidance.show()

    def _fit_columns(self, *_args: object) -> None:
        fitted = [c for c in range(len(HEADERS)) if c != COL_PART]
        fit_columns(self.view.horizontalHeader(), fitted, self.model.column_texts())
        self._fit_part()

    def _fit_part(self) -> None:
        """Give the part names the room left, but never less than about 24 characters.

        In a narrow window the Part column keeps that width and the table scrolls sideways
        rather than cutting every name to a word.
        """
        header = self.view.horizontalHeader()
        others = sum(header.sectionSize(c) for c in range(len(HEADERS)) if c != COL_PART)
        least = self.view.fontMetrics().averageCharWidth() * PART_MIN_CHARS
        stretch = self.view.viewport().width() - others >= least
        mode = QHeaderView.ResizeMode.Stretch if stretch else QHeaderView.ResizeMode.Interactive
        if header.sectionResizeMode(COL_PART) != mode:
            header.setSectionResizeMode(COL_PART, mode)
        if not stretch and header.sectionSize(COL_PART) < least:
            header.resizeSection(COL_PART, least)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Refit the Part column when the table is resized."""
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_part()
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        """Refit the columns when the font or style changes (a theme, a DPI change)."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_columns()

    def _on_name_edited(self) -> None:
        name = self.name_edit.text().strip() or "Untitled build"
        if name != self._doc.build.name:
            self._doc.set_name(name)

    def _on_build_changed(self, build: Build) -> None:
        if not self.name_edit.hasFocus() or self.name_edit.text() != build.name:
            self.name_edit.setText(build.name)
        self.empty_hint.setVisible(not build.items)
        self.totals.setText(self.totals_text(build))
        strip = plan_strip(build, self._doc.catalog)
        self.plan_strip.setText(strip)
        self.plan_strip.setVisible(bool(strip))
        self._update_buttons()

    def totals_text(self, build: Build, *, rich: bool = True) -> str:
        """Total price, GPU count and estimated power of the build as bought now.

        Worked out once per build (the status bar shows the same totals), in bold or plain.
        """
        if self._totals[0] is not build:
            self._totals = (build, totals_html(build, self._doc.catalog))
        text = self._totals[1]
        return text if rich else text.replace("<b>", "").replace("</b>", "")

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.view.selected_rows()))

    def _on_highlight(self, part_ids: tuple[str, ...]) -> None:
        if not part_ids:
            return
        for row in range(self.model.rowCount()):
            if self.model.index(row, 0).data(ItemRole) in part_ids:
                self.view.scrollTo(self.model.index(row, 0))
                break
