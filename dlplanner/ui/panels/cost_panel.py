"""The cost panel: owning the build against renting cloud GPUs, live as the build changes.

Every control edits the build's assumptions or compare entries through the document (so
they are undoable and saved in the build file); the panel redraws from ``build_changed``.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QEvent, QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dlplanner.domain.build import Assumptions, Build, CloudPlan, CompareEntry
from dlplanner.domain.costs import CostComparison
from dlplanner.domain.presets import PRESETS, offers_to_pick
from dlplanner.report.cost_view import ChartView, cost_rows, headline_html, notes_html
from dlplanner.ui.charts import CostChart
from dlplanner.ui.document import BuildDocument
from dlplanner.ui.widgets.cost_table import CostTableModel, CostTableView
from dlplanner.ui.widgets.offer_picker import OfferPicker

PRESET_TITLES = {"article-2019": "Article 2019 (AWS p3)", "today": "Today (catalog prices)"}
BASES = (
    ("none", "Equal hours", "Rent as many cloud GPUs as the build has, for the same hours"),
    (
        "fp32",
        "Equal work (FP32)",
        "Rent enough cloud GPUs to do the same work, by relative FP32 throughput",
    ),
    (
        "mixed",
        "Equal work (mixed precision)",
        "Rent enough cloud GPUs to do the same work, by relative mixed-precision throughput",
    ),
)
VIEWS: tuple[tuple[ChartView, str, str], ...] = (
    ("both", "Both", "Draw owning both as value consumed and as cash spent"),
    ("value", "Value consumed", "Owning as depreciation plus electricity: what the build uses up"),
    ("cash", "Cash spent", "Owning as purchases plus electricity: what leaves your account"),
)


class CostPanel(QWidget):
    """Cost of owning against renting: controls, chart, summary table and notes."""

    def __init__(self, document: BuildDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self._doc = document
        self._comparison: CostComparison | None = None
        self._view: ChartView = "both"

        self.chart = CostChart(self)
        self.table_model = CostTableModel(self.chart.colour, self)
        self.table = CostTableView(self.table_model, self)
        self.headline = QLabel(self)
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        self.headline.setAccessibleName("Cost summary in words")
        self.notes = QLabel(self)
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.RichText)
        self.notes.setAccessibleName("Cost notes")

        self._make_controls()
        self._layout()

        self.picker.selection_changed.connect(self._on_offers_chosen)
        document.costs_changed.connect(self._on_costs_changed)
        self._on_costs_changed(document.comparison)

    # -- construction ------------------------------------------------------------------------

    def _make_controls(self) -> None:
        self.preset_combo = QComboBox(self)
        self.preset_combo.setAccessibleName("Cost preset")
        self.preset_combo.setToolTip(
            "Choose a preset to set its assumptions (and its cloud offers, if it has any); "
            "choosing it again re-applies it"
        )
        # "" not None: PySide6 6.12 on Python 3.11 drops a reference to None per None returned.
        self.preset_combo.addItem("Custom", "")
        for name, preset in PRESETS.items():
            self.preset_combo.addItem(PRESET_TITLES.get(name, name), name)
            self.preset_combo.setItemData(
                self.preset_combo.count() - 1, preset.title, Qt.ItemDataRole.ToolTipRole
            )
        self.preset_combo.activated.connect(self._on_preset_activated)

        self.utilization_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.utilization_slider.setRange(1, 100)
        self.utilization_slider.setPageStep(10)
        self.utilization_slider.setAccessibleName("Utilization slider")
        self.utilization_spin = QSpinBox(self)
        self.utilization_spin.setRange(1, 100)
        self.utilization_spin.setSuffix(" %")
        self.utilization_spin.setKeyboardTracking(False)
        self.utilization_spin.setAccessibleName("Utilization")
        tip = (
            "Share of all hours the GPUs train. Renting on demand is paid per used hour; "
            "owning pays depreciation whether the GPUs train or not"
        )
        for widget in (self.utilization_slider, self.utilization_spin):
            widget.setToolTip(tip)
        self.utilization_slider.valueChanged.connect(self._on_utilization)
        self.utilization_spin.valueChanged.connect(self._on_utilization)

        self.kwh_spin = QDoubleSpinBox(self)
        self.kwh_spin.setRange(0.0, 10.0)
        self.kwh_spin.setDecimals(3)
        self.kwh_spin.setSingleStep(0.01)
        self.kwh_spin.setPrefix("$")
        self.kwh_spin.setSuffix(" per kWh")
        self.kwh_spin.setKeyboardTracking(False)
        self.kwh_spin.setAccessibleName("Electricity price in dollars per kilowatt-hour")
        self.kwh_spin.setToolTip("What a kilowatt-hour of electricity costs you")
        self.kwh_spin.valueChanged.connect(self._on_kwh)

        self.months_spin = QSpinBox(self)
        self.months_spin.setRange(1, 240)
        self.months_spin.setSuffix(" months")
        self.months_spin.setKeyboardTracking(False)
        self.months_spin.setAccessibleName("Horizon in months")
        self.months_spin.setToolTip("How long to compare over, from the first purchase")
        self.months_spin.valueChanged.connect(self._on_months)

        self.basis_combo = QComboBox(self)
        self.basis_combo.setAccessibleName("Compare equal hours or equal work")
        for value, text, tip in BASES:
            self.basis_combo.addItem(text, value)
            self.basis_combo.setItemData(
                self.basis_combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole
            )
        self.basis_combo.setToolTip(
            "Equal hours rents as many GPUs as the build has; equal work scales the cloud "
            "GPUs by their speed relative to the build's (V100 = 1)"
        )
        self.basis_combo.activated.connect(self._on_basis)

        self.picker = OfferPicker(self)

        self.view_group = QButtonGroup(self)
        self.view_buttons: dict[ChartView, QRadioButton] = {}
        for view, text, tip in VIEWS:
            button = QRadioButton(text, self)
            button.setToolTip(tip)
            button.setAccessibleName(f"Show owning: {text.lower()}")
            button.setChecked(view == self._view)
            button.toggled.connect(self._on_view_toggled)
            self.view_group.addButton(button)
            self.view_buttons[view] = button

    def _layout(self) -> None:
        assumptions = QGroupBox("Assumptions", self)
        form = QFormLayout(assumptions)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        utilization = QHBoxLayout()
        utilization.setContentsMargins(0, 0, 0, 0)
        utilization.addWidget(self.utilization_slider, 1)
        utilization.addWidget(self.utilization_spin)
        rows = (
            ("P&reset:", self.preset_combo, self.preset_combo),
            ("&Utilization:", utilization, self.utilization_slider),
            ("Electricit&y:", self.kwh_spin, self.kwh_spin),
            ("Hori&zon:", self.months_spin, self.months_spin),
            ("&Basis:", self.basis_combo, self.basis_combo),
        )
        for text, field, buddy in rows:
            label = QLabel(text, assumptions)
            label.setBuddy(buddy)
            form.addRow(label, field)

        offers = QGroupBox("Cloud offers", self)
        offers_layout = QVBoxLayout(offers)
        offers_layout.addWidget(self.picker)

        controls = QWidget(self)
        column = QVBoxLayout(controls)
        column.setContentsMargins(0, 0, 6, 0)
        column.addWidget(assumptions)
        column.addWidget(offers, 1)
        scroll = QScrollArea(self)
        scroll.setWidget(controls)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(300)
        scroll.setMaximumWidth(360)

        view_row = QHBoxLayout()
        view_row.addWidget(QLabel("Owning:", self))
        for button in self.view_buttons.values():
            view_row.addWidget(button)
        view_row.addStretch(1)

        right = QVBoxLayout()
        right.addWidget(self.headline)
        right.addLayout(view_row)
        right.addWidget(self.chart, 1)
        right.addWidget(self.table)
        right.addWidget(self.notes)

        layout = QHBoxLayout(self)
        layout.addWidget(scroll)
        layout.addLayout(right, 1)
        chain: list[QWidget] = [
            self.preset_combo,
            self.utilization_slider,
            self.utilization_spin,
            self.kwh_spin,
            self.months_spin,
            self.basis_combo,
            self.picker.search,
            self.picker.list,
            *self.picker.plan_boxes.values(),
            *self.view_buttons.values(),
            self.chart,
            self.table,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- public API --------------------------------------------------------------------------

    @property
    def comparison(self) -> CostComparison | None:
        """The comparison shown."""
        return self._comparison

    @property
    def view(self) -> ChartView:
        """Which views of owning the chart draws."""
        return self._view

    def set_view(self, view: ChartView) -> None:
        """Draw owning's value consumed, cash spent, or both (not saved in the build)."""
        self._view = view
        button = self.view_buttons[view]
        if not button.isChecked():
            with QSignalBlocker(button):
                button.setChecked(True)
        self.chart.set_view(view)

    def _on_view_toggled(self, checked: bool) -> None:
        for view, button in self.view_buttons.items():
            if checked and button is self.sender():
                self.set_view(view)

    def apply_preset(self, name: str) -> None:
        """Apply a preset's assumptions, and its own offers if it has any, as one undo step."""
        self._doc.apply_preset(name)

    # -- edits (the document makes them) -----------------------------------------------------

    def _assume(self, text: str, **changes: object) -> None:
        self._doc.update_assumptions(text, **changes)

    def _on_utilization(self, percent: int) -> None:
        for widget in (self.utilization_slider, self.utilization_spin):
            if widget.value() != percent:
                with QSignalBlocker(widget):
                    widget.setValue(percent)
        if round(self._doc.build.assumptions.utilization * 100) != percent:
            self._assume("Change utilization", utilization=percent / 100)

    def _on_kwh(self, value: float) -> None:
        self._assume("Change electricity price", electricity_usd_per_kwh=round(value, 4))

    def _on_months(self, value: int) -> None:
        self._assume("Change cost horizon", months=value)

    def _on_basis(self, index: int) -> None:
        self._assume("Change cost basis", normalize=self.basis_combo.itemData(index))

    def _on_preset_activated(self, index: int) -> None:
        name = self.preset_combo.itemData(index)
        if name:
            self.apply_preset(str(name))

    def _on_offers_chosen(self, offer_ids: tuple[str, ...], plans: tuple[CloudPlan, ...]) -> None:
        entries = [CompareEntry(offer=o, plan=p) for o in offer_ids for p in plans]
        self._doc.set_compare(entries)

    # -- state → widgets ---------------------------------------------------------------------

    def _on_costs_changed(self, comparison: CostComparison) -> None:
        build = self._doc.build
        self._comparison = comparison
        self._sync_controls(build.assumptions)
        self._sync_offers(build, comparison)
        self.chart.set_comparison(comparison, self._view)
        self.table_model.set_rows(cost_rows(comparison, self.chart.options))
        self.table.refit()
        self._update_texts(comparison)

    def _sync_controls(self, a: Assumptions) -> None:
        percent = min(max(round(a.utilization * 100), 1), 100)
        values = (
            (self.utilization_slider, percent),
            (self.utilization_spin, percent),
            (self.months_spin, a.months),
        )
        for widget, value in values:
            if widget.value() != value:
                with QSignalBlocker(widget):
                    widget.setValue(value)
        if self.kwh_spin.value() != a.electricity_usd_per_kwh:
            with QSignalBlocker(self.kwh_spin):
                self.kwh_spin.setValue(a.electricity_usd_per_kwh)
        for combo, data in ((self.preset_combo, a.preset or ""), (self.basis_combo, a.normalize)):
            index = max(combo.findData(data), 0)
            if combo.currentIndex() != index:
                with QSignalBlocker(combo):
                    combo.setCurrentIndex(index)

    def _sync_offers(self, build: Build, comparison: CostComparison) -> None:
        self.picker.set_offers(offers_to_pick(build.assumptions.preset, self._doc.catalog))
        if build.compare:
            offers = [e.offer for e in build.compare]
            plans = {e.plan for e in build.compare}
        else:  # the defaults the cost model chose
            offers = [o.offer_id for o in comparison.options]
            plans = {o.plan for o in comparison.options}
        self.picker.set_selection(dict.fromkeys(offers), plans)

    def _update_texts(self, comparison: CostComparison) -> None:
        self.headline.setText(headline_html(comparison, self.chart.options))
        notes, tip = notes_html(comparison.notes)
        self.notes.setText(notes)
        self.notes.setToolTip(tip)
        self.notes.setVisible(bool(notes))

    def changeEvent(self, event: QEvent) -> None:
        """Recolour the table's swatches when the theme changes."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.table_model.recolour()
