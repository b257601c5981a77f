"""A searchable list of cloud offers to tick, and the plans to compare them on."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from dlplanner.domain.build import CLOUD_PLANS, CloudPlan
from dlplanner.domain.cloud import available_plans
from dlplanner.domain.parts import CloudOffer
from dlplanner.report.names import PLAN_TITLES, offer_name
from dlplanner.report.specs import offer_details, offer_tooltip

OfferIdRole = Qt.ItemDataRole.UserRole + 1
SearchRole = Qt.ItemDataRole.UserRole + 2
DetailsRole = Qt.ItemDataRole.UserRole + 3

PLAN_BUTTONS: dict[CloudPlan, tuple[str, str]] = {
    "on-demand": ("O&n-demand", "Pay for the hours used, at the offer's on-demand price"),
    "reserved-1y": (
        "&1-year",
        "A 1-year commitment: every hour of the horizon is billed, used or not, at the offer's "
        "1-year price (or on-demand less its 1-year discount)",
    ),
    "reserved-3y": (
        "&3-year",
        "A 3-year commitment: every hour of the horizon is billed, used or not, at the offer's "
        "3-year price (or on-demand less its 3-year discount)",
    ),
    "spot": (
        "&Spot",
        "Spot (preemptible) capacity: the hours used at the offer's typical spot price; "
        "jobs can be interrupted",
    ),
}


class _OfferDelegate(QStyledItemDelegate):
    """Two lines per offer: its name, then GPUs, price and date in a smaller, dimmer font."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        """Draw the check box and background as usual, then the two lines, elided."""
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        title, details = opt.text, str(index.data(DetailsRole) or "")
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        rect = rect.adjusted(2, 2, -2, -2)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Normal
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(opt.palette.color(group, text_role))
        metrics = QFontMetrics(opt.font)
        top = QRect(rect.left(), rect.top(), rect.width(), metrics.height())
        painter.drawText(
            top,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(title, Qt.TextElideMode.ElideRight, rect.width()),
        )
        small = QFont(opt.font)
        small.setPointSizeF(max(opt.font.pointSizeF() * 0.88, 6.0))
        small_metrics = QFontMetrics(small)
        painter.setFont(small)
        if not selected:
            painter.setPen(opt.palette.color(group, QPalette.ColorRole.PlaceholderText))
        bottom = QRect(rect.left(), top.bottom() + 1, rect.width(), small_metrics.height())
        painter.drawText(
            bottom,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            small_metrics.elidedText(details, Qt.TextElideMode.ElideRight, rect.width()),
        )
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        """Room for both lines."""
        base = super().sizeHint(option, index)
        small = QFont(option.font)
        small.setPointSizeF(max(option.font.pointSizeF() * 0.88, 6.0))
        height = QFontMetrics(option.font).height() + QFontMetrics(small).height() + 6
        return QSize(base.width(), max(base.height(), height))


class _OfferFilter(QSortFilterProxyModel):
    """Keeps offers whose search text contains every word typed."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._words: list[str] = []

    def set_text(self, text: str) -> None:
        """Filter on the words of ``text`` (case-insensitive)."""
        if hasattr(self, "beginFilterChange"):  # Qt 6.10 and later
            self.beginFilterChange()
            self._words = text.lower().split()
            self.endFilterChange()
        else:
            self._words = text.lower().split()
            self.invalidateRowsFilter()

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        index = self.sourceModel().index(source_row, 0, source_parent)
        haystack = str(index.data(SearchRole) or "")
        return all(word in haystack for word in self._words)


class OfferPicker(QWidget):
    """Tick cloud offers and plans; emits the chosen offer ids and plans on every user change."""

    selection_changed = Signal(tuple, tuple)
    """(offer ids in list order, plans in the usual order)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._offers: tuple[CloudOffer, ...] = ()
        self._updating = False

        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Filter: GPU, provider, instance…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Filter cloud offers")
        self.search.setToolTip("Type words to filter the offers, e.g. “aws v100” or “h100 spot”")
        search_label = QLabel("Find &offer:", self)
        search_label.setBuddy(self.search)

        self.model = QStandardItemModel(self)
        self.proxy = _OfferFilter(self)
        self.proxy.setSourceModel(self.model)
        self.list = QListView(self)
        self.list.setModel(self.proxy)
        self.list.setAccessibleName("Cloud offers")
        self.list.setAccessibleDescription("Tick the offers to compare the build with (Space)")
        self.list.setToolTip("Tick the offers to compare with (Space toggles the current one)")
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setUniformItemSizes(True)
        self.list.setItemDelegate(_OfferDelegate(self.list))
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setAlternatingRowColors(True)
        self.list.setMinimumHeight(120)
        self.count_label = QLabel(self)
        self.count_label.setAccessibleName("Chosen offers")

        self.plan_boxes: dict[CloudPlan, QCheckBox] = {}
        plans = QGridLayout()
        plans.setContentsMargins(0, 0, 0, 0)
        for i, plan in enumerate(CLOUD_PLANS):
            text, tip = PLAN_BUTTONS[plan]
            box = QCheckBox(text, self)
            box.setToolTip(tip)
            box.setAccessibleName(f"Compare the {PLAN_TITLES[plan]} plan")
            box.toggled.connect(self._on_plan_toggled)
            self.plan_boxes[plan] = box
            plans.addWidget(box, i // 2, i % 2)
        plans_label = QLabel("Plans:", self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(search_label)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(plans_label)
        layout.addLayout(plans)

        self.search.textChanged.connect(self.proxy.set_text)
        self.search.returnPressed.connect(self.list.setFocus)
        self.model.itemChanged.connect(self._on_item_changed)

    # -- state in ----------------------------------------------------------------------------

    def set_offers(self, offers: Sequence[CloudOffer]) -> None:
        """Show these offers (in this order); keeps the ticks of offers still listed."""
        offers = tuple(offers)
        if offers == self._offers:
            return
        chosen = set(self.chosen_offers())
        self._offers = offers
        self._updating = True
        try:
            self.model.clear()
            for offer in offers:
                item = QStandardItem(offer_name(offer))
                item.setData(offer_details(offer), DetailsRole)
                item.setEditable(False)
                item.setCheckable(True)
                item.setCheckState(
                    Qt.CheckState.Checked if offer.id in chosen else Qt.CheckState.Unchecked
                )
                item.setData(offer.id, OfferIdRole)
                plans = " ".join(available_plans(offer))
                item.setData(
                    f"{offer.title} {offer_details(offer)} {offer.id} {plans}".lower(), SearchRole
                )
                item.setToolTip(offer_tooltip(offer))
                item.setData(
                    f"{offer.title}, {offer_details(offer)}",
                    Qt.ItemDataRole.AccessibleTextRole,
                )
                self.model.appendRow(item)
        finally:
            self._updating = False
        self._update_count()

    def set_selection(self, offer_ids: Iterable[str], plans: Iterable[CloudPlan]) -> None:
        """Tick exactly these offers and plans (does not emit)."""
        wanted, wanted_plans = set(offer_ids), set(plans)
        self._updating = True
        try:
            for row in range(self.model.rowCount()):
                item = self.model.item(row)
                checked = item.data(OfferIdRole) in wanted
                state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
                if item.checkState() != state:
                    item.setCheckState(state)
            for plan, box in self.plan_boxes.items():
                box.setChecked(plan in wanted_plans)
        finally:
            self._updating = False
        self._update_count()

    # -- state out ---------------------------------------------------------------------------

    def chosen_offers(self) -> tuple[str, ...]:
        """Return the ticked offer ids, in list order."""
        return tuple(
            str(self.model.item(row).data(OfferIdRole))
            for row in range(self.model.rowCount())
            if self.model.item(row).checkState() == Qt.CheckState.Checked
        )

    def chosen_plans(self) -> tuple[CloudPlan, ...]:
        """Return the ticked plans, in the usual order."""
        return tuple(plan for plan in CLOUD_PLANS if self.plan_boxes[plan].isChecked())

    def set_checked(self, offer_id: str, checked: bool = True) -> None:
        """Tick or untick one offer as the user would (emits)."""
        for row in range(self.model.rowCount()):
            item = self.model.item(row)
            if item.data(OfferIdRole) == offer_id:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
                return
        raise KeyError(offer_id)

    # -- reactions ---------------------------------------------------------------------------

    def _on_item_changed(self, item: QStandardItem) -> None:
        if self._updating:
            return
        if not self.chosen_offers():
            # Nothing chosen would fall back to the default offers: keep the last one ticked.
            self._updating = True
            item.setCheckState(Qt.CheckState.Checked)
            self._updating = False
            self.count_label.setText("Keep at least one offer ticked.")
            return
        self._update_count()
        self.selection_changed.emit(self.chosen_offers(), self.chosen_plans())

    def _on_plan_toggled(self, _checked: bool) -> None:
        if self._updating:
            return
        box = self.sender()
        if not self.chosen_plans() and isinstance(box, QCheckBox):
            self._updating = True
            box.setChecked(True)
            self._updating = False
            self.count_label.setText("Keep at least one plan ticked.")
            return
        self._update_count()
        self.selection_changed.emit(self.chosen_offers(), self.chosen_plans())

    def _update_count(self) -> None:
        chosen = self.chosen_offers()
        names = [escape(offer_name(o)) for o in self._offers if o.id in set(chosen)]
        self.count_label.setText(
            f"{len(chosen)} of {len(self._offers)} offers ticked"
            if chosen
            else "No offers ticked: comparing the defaults"
        )
        self.count_label.setToolTip("<br>".join(names))
