"""The catalog browser: a search per kind tab, the empty state, and why parts are hidden."""

from __future__ import annotations

from PySide6.QtCore import Qt

from dlplanner.domain.build import Build
from dlplanner.report.browse import hidden_text
from dlplanner.rules.fit import fit_conflict, fit_filter
from dlplanner.ui.document import BuildDocument
from dlplanner.ui.panels.catalog_panel import CatalogPanel


def make_panel(document: BuildDocument, qtbot) -> CatalogPanel:
    panel = CatalogPanel(document)
    qtbot.addWidget(panel)
    panel.resize(450, 700)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_each_kind_tab_keeps_its_own_search(document, qtbot):
    panel = make_panel(document, qtbot)
    panel.show_kind("gpu")
    panel.search.setText("1080")
    gpus = panel.model.rowCount()
    assert gpus > 0 and all("1080" in panel.model.part_at(r).name for r in range(gpus))
    panel.show_kind("cpu")
    assert panel.search.text() == ""  # the CPU tab has no search yet
    assert panel.model.rowCount() > 0
    panel.fit_only.setChecked(False)
    panel.search.setText("threadripper")
    cpus = panel.model.rowCount()
    assert cpus > 0
    panel.show_kind("gpu")
    assert panel.search.text() == "1080" and panel.model.rowCount() == gpus
    assert "GPUs" in panel.search.placeholderText()
    panel.show_kind("cpu")
    assert panel.search.text() == "threadripper" and panel.model.rowCount() == cpus


def test_switching_tabs_from_the_field_selects_the_text_so_typing_replaces_it(document, qtbot):
    panel = make_panel(document, qtbot)
    panel.show_kind("gpu")
    panel.search.setText("1080")
    panel.show_kind("memory")  # the tab before the GPUs'
    panel.focus_search()
    qtbot.waitUntil(panel.search.hasFocus)
    qtbot.keyClick(panel.search, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert panel.model.kind == "gpu" and panel.search.selectedText() == "1080"
    qtbot.keyClicks(panel.search, "titan")
    assert panel.search.text() == "titan"


def test_a_search_without_matches_shows_an_empty_state_that_clears_it(document, qtbot):
    panel = make_panel(document, qtbot)
    panel.show_kind("gpu")
    assert panel.results.currentWidget() is panel.view
    panel.search.setText("xyzzy")
    assert panel.model.rowCount() == 0
    assert panel.results.currentWidget() is panel.empty
    assert panel.empty.label.text() == "No GPUs match “xyzzy”"
    assert panel.count_label.text().startswith("0 of ")  # counted, not said a second time
    assert "xyzzy" not in panel.count_label.text()
    assert panel.empty.clear_button.isVisible() and not panel.empty.show_all_button.isVisible()
    qtbot.mouseClick(panel.empty.clear_button, Qt.MouseButton.LeftButton)
    assert panel.search.text() == "" and panel.model.rowCount() > 0
    assert panel.results.currentWidget() is panel.view
    assert panel.focusWidget() is panel.search  # typing goes on in the field


def test_a_search_matching_only_hidden_parts_offers_to_show_them(document, qtbot):
    panel = make_panel(document, qtbot)
    panel.show_kind("cpu")  # the article's board is TR4: AM5 CPUs are hidden
    panel.search.setText("9950x")
    assert panel.model.rowCount() == 0
    assert panel.results.currentWidget() is panel.empty
    assert panel.empty.detail.text() == "1 that matches is hidden: not socket TR4 (AM5)"
    assert panel.empty.show_all_button.isVisible()
    qtbot.mouseClick(panel.empty.show_all_button, Qt.MouseButton.LeftButton)
    assert not panel.fit_only.isChecked()
    assert panel.model.rowCount() > 0 and panel.results.currentWidget() is panel.view
    assert panel.search.text() == "9950x"


def test_the_count_says_how_many_are_hidden_and_why(document, catalog, qtbot):
    panel = make_panel(document, qtbot)
    panel.show_kind("cpu")
    why = fit_conflict(document.build, catalog)
    hidden = [c for p in catalog.kinds["cpu"] if (c := why(p)) is not None]
    assert hidden and all(c.reason == "not socket TR4" for c in hidden)
    line, tip = hidden_text(hidden)
    text = panel.count_label.text()
    shown = len(catalog.kinds["cpu"]) - len(hidden)
    assert text == f"{shown} of {len(catalog.kinds['cpu'])} CPUs · {line}"
    assert line.startswith(f"{len(hidden)} hidden: not socket TR4 (")
    assert panel.count_label.toolTip() == tip and "AM5" in tip
    assert "Untick “Only parts that fit this build”" in tip
    # The hidden parts are exactly those the model's filter leaves out.
    fits = fit_filter(document.build, catalog)
    assert len(panel.hidden_parts()) == sum(1 for p in catalog.kinds["cpu"] if not fits(p))
    panel.fit_only.setChecked(False)
    assert "hidden" not in panel.count_label.text() and panel.count_label.toolTip() == ""


def test_the_hidden_reasons_follow_the_build(catalog, qtbot):
    document = BuildDocument(catalog, Build(name="empty"))
    panel = make_panel(document, qtbot)
    panel.show_kind("cpu")
    assert "hidden" not in panel.count_label.text()  # nothing to conflict with yet
    board = next(b for b in catalog.kinds["motherboard"] if b.socket == "AM5")
    document.add_parts([board.id])
    assert "hidden: not socket AM5 (" in panel.count_label.text()
    # A GPU decides which cases fit: adding one refilters the case tab too.
    gpu = max(
        (g for g in catalog.kinds["gpu"] if g.length_mm is not None), key=lambda g: g.length_mm
    )
    panel.show_kind("case")
    before = panel.model.rowCount()
    document.add_parts([gpu.id])
    assert panel.model.rowCount() < before
    assert f"too short for the {gpu.length_mm:g} mm GPU" in panel.count_label.text()


def test_cooler_sockets_are_searchable(document, qtbot):
    panel = make_panel(document, qtbot)
    panel.fit_only.setChecked(False)
    panel.show_kind("cooler")
    panel.search.setText("TR4")
    rows = {panel.model.part_at(r).id for r in range(panel.model.rowCount())}
    by_socket = {
        p.id
        for p in panel.model._catalog.kinds["cooler"]
        if "TR4" in p.sockets and "tr4" not in f"{p.id} {p.name}".lower()
    }
    assert by_socket and by_socket <= rows  # found by the socket list, not the name


def test_an_edit_that_changes_nothing_shown_keeps_the_selection(document, qtbot):
    panel = make_panel(document, qtbot)
    panel.show_kind("gpu")
    resets: list[int] = []
    panel.model.modelReset.connect(lambda: resets.append(1))
    panel.view.selectRow(1)
    chosen = panel.model.part_at(1)
    shown = [panel.model.part_at(r).id for r in range(panel.model.rowCount())]
    in_build = {item.part for item in document.build.items}
    gpu = next(p for p in document.catalog.of_kind("gpu") if p.id in shown and p.id not in in_build)
    document.add_parts([gpu.id])  # a GPU does not change which GPUs fit
    after = [panel.model.part_at(r).id for r in range(panel.model.rowCount())]
    assert after == shown and not resets
    rows = panel.view.selectionModel().selectedRows()
    assert [panel.model.part_at(i.row()) for i in rows] == [chosen]
