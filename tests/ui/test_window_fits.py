"""The window fits the screen: 1366×768 and 1280×800 show everything, 1024×640 scrolls."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QWidget

from dlplanner.ui.window_size import findings_height, first_size, fit_within

SIZES = [(1366, 768), (1280, 800), (1024, 640)]


def test_first_size_comes_from_the_available_screen():
    assert first_size(QRect(0, 0, 1920, 1080)) == QSize(1280, 800)
    assert first_size(QRect(0, 0, 1024, 640)) == QSize(1024, 640)
    assert first_size(QRect(0, 27, 1366, 741)) == QSize(1280, 741)  # a panel took 27 px
    big = QRect(-50, 600, 1280, 800)
    assert fit_within(big, QRect(0, 0, 1024, 640)) == QRect(0, 0, 1024, 640)
    assert findings_height(800) > findings_height(640)


def inside(widget: QWidget, outer: QWidget) -> bool:
    top_left = widget.mapTo(outer, widget.rect().topLeft())
    bottom_right = widget.mapTo(outer, widget.rect().bottomRight())
    return outer.rect().contains(top_left) and outer.rect().contains(bottom_right)


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_nothing_is_clipped(window, qapp, width, height):
    window.size_to(QSize(width, height))
    qapp.processEvents()
    assert window.size() == QSize(width, height)  # no minimum forces it off-screen
    status = window.statusBar()
    assert status.isVisible() and inside(status, window)
    assert status.height() >= status.fontMetrics().height()
    for dock in (window.catalog_dock, window.findings_dock):
        assert dock.isVisible() and inside(dock, window)
    # findings get room: at least three rows of the list
    tree = window.findings_panel.tree
    assert tree.height() >= 3 * tree.fontMetrics().height() + 20
    assert window.parts_panel.view.height() >= 150
    small = height < 700
    for index, name in ((1, "cost"), (2, "timeline")):
        window.tabs.setCurrentIndex(index)
        qapp.processEvents()
        qapp.processEvents()
        page = window.tabs.currentWidget()
        panel = page.panel
        area = page.scroll_area
        scrolls = area.verticalScrollBar().maximum() > 0
        assert scrolls == (small and name == "timeline"), (name, area.verticalScrollBar().maximum())
        # the panel is never squeezed below its minimum: it scrolls instead
        assert panel.height() >= panel.minimumSizeHint().height()
        assert panel.width() >= panel.minimumSizeHint().width() - 1
        chart = panel.chart
        assert chart.height() >= 150 and chart.width() >= 300, (name, chart.size())
        # the cost chart gets the findings' height while its tab is shown
        assert window.findings_dock.isVisible() == (name != "cost")
    window.tabs.setCurrentIndex(0)
    assert window.findings_dock.isVisible()


def test_catalog_shows_price_and_cooler_and_says_what_is_hidden(window, qapp):
    window.size_to(QSize(1280, 800))
    panel = window.catalog_panel
    panel.show_kind("gpu")
    qapp.processEvents()
    header = panel.view.horizontalHeader()
    names = [panel.model.headerData(c, header.orientation()) for c in range(header.count())]
    for column in (names.index("Price"), names.index("Cooler")):
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert right <= panel.view.viewport().width(), names[column]
    panel.show_kind("cpu")  # the article's board takes TR4 CPUs only
    qapp.processEvents()
    assert "hidden: not socket TR4 (" in panel.count_label.text()
    panel.search.setText("zzzz no such part")
    qapp.processEvents()
    assert panel.empty.label.text() == "No CPUs match “zzzz no such part”"
    assert panel.count_label.text().startswith("0 of ")  # said once, by the empty state
    panel.search.setText("")
    panel.fit_only.setChecked(False)
    panel.show_kind("cooler")
    panel.search.setText("TR4")  # cooler sockets are searchable
    qapp.processEvents()
    assert panel.model.rowCount() > 0
