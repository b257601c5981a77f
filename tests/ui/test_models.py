"""Item models pass Qt's model tester and carry parts through drag-and-drop mime data."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from dlplanner.domain.build import Build
from dlplanner.report.plan import COL_PRICE, COL_QTY, line_cell
from dlplanner.ui.document import BuildDocument
from dlplanner.ui.models.catalog_model import PART_MIME, CatalogTableModel, decode_part_ids
from dlplanner.ui.models.parts_model import PartsTableModel


def test_catalog_model_passes_modeltester(qtmodeltester, catalog):
    model = CatalogTableModel(catalog, "gpu")
    qtmodeltester.check(model)
    model.set_search("3090")
    qtmodeltester.check(model)
    model.set_kind("cloud")
    model.sort(4, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)


def test_parts_model_passes_modeltester(qtmodeltester, document):
    model = PartsTableModel(document)
    qtmodeltester.check(model)
    document.add_parts(["nvidia-geforce-rtx-4090-fe"])
    qtmodeltester.check(model)


def test_catalog_search_and_sort(catalog):
    model = CatalogTableModel(catalog, "gpu")
    total = model.rowCount()
    model.set_search("3090 turbo")
    found = [model.part_at(r).id for r in range(model.rowCount())]
    assert found and all("turbo" in i for i in found) and model.rowCount() < total
    model.set_search("")
    model.sort(4, Qt.SortOrder.DescendingOrder)  # TDP (after name, price, VRAM, cooler)
    tdps = [model.part_at(r).tdp_w for r in range(model.rowCount())]
    known = [t for t in tdps if t is not None]
    assert known == sorted(known, reverse=True)
    assert all(t is None for t in tdps[len(known) :])  # unknown values last


def test_catalog_fit_filter(catalog):
    model = CatalogTableModel(catalog, "cpu")
    model.set_fit_filter(lambda p: p.socket == "TR4")
    assert model.rowCount() > 0
    assert all(model.part_at(r).socket == "TR4" for r in range(model.rowCount()))


def test_drag_from_catalog_drop_on_parts_via_mime(catalog, qapp):
    doc = BuildDocument(catalog, Build())
    source = CatalogTableModel(catalog, "gpu")
    source.set_search("1080 ti founders")
    mime = source.mimeData([source.index(0, 0), source.index(0, 3)])
    assert decode_part_ids(mime) == ["nvidia-geforce-gtx-1080-ti-fe"]
    target = PartsTableModel(doc)
    assert target.canDropMimeData(mime, Qt.DropAction.CopyAction, -1, -1, QModelIndex())
    before = len(doc.evaluation.findings)
    assert target.dropMimeData(mime, Qt.DropAction.CopyAction, -1, -1, QModelIndex())
    assert [i.part for i in doc.build.items] == ["nvidia-geforce-gtx-1080-ti-fe"]
    assert target.rowCount() == 1
    assert len(doc.evaluation.findings) != before or doc.evaluation.findings  # findings re-ran


def test_reorder_rows_by_mime(document):
    model = PartsTableModel(document)
    first, second = document.build.items[0].part, document.build.items[1].part
    mime = model.mimeData([model.index(0, 0)])
    model.dropMimeData(mime, Qt.DropAction.MoveAction, 2, 0, QModelIndex())
    assert [i.part for i in document.build.items[:2]] == [second, first]
    document.undo_stack.undo()
    assert document.build.items[0].part == first


def test_edit_quantity_and_price(document):
    model = PartsTableModel(document)
    row = next(i for i, it in enumerate(document.build.items) if it.part.startswith("nvidia"))
    assert model.setData(model.index(row, COL_QTY), 3)
    assert document.build.items[row].qty == 3
    assert not model.setData(model.index(row, COL_QTY), 0)  # refused, nothing changes
    assert model.setData(model.index(row, COL_PRICE), "$650.50")
    assert document.build.items[row].price_usd == 650.5
    assert model.index(row, COL_PRICE).data() == "$650.50"
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert document.build.items[row].qty == 1


def test_unknown_parts_are_marked_and_kept(catalog, qapp):
    doc = BuildDocument(catalog, Build.model_validate({"items": [{"part": "mystery-gpu-9000"}]}))
    model = PartsTableModel(doc)
    assert "not in the catalog" in model.index(0, 1).data()
    assert doc.missing_parts() == ["mystery-gpu-9000"]
    assert PART_MIME in model.mimeTypes()


def test_edit_beyond_a_bound_is_refused_and_reported(document, qtbot):
    model = PartsTableModel(document)
    before = document.build
    with qtbot.waitSignal(document.edit_refused) as refused:
        assert not document.edit("Too many", items=before.items * 20)
    assert "not possible" in refused.args[0]
    assert document.build == before and not document.dirty
    assert model.rowCount() == len(before.items)


def test_parts_model_tells_views_what_changed(qtmodeltester, document, catalog):
    """Edits become row inserts, removals and cell changes, never a reset, and stay consistent."""
    model = PartsTableModel(document)
    qtmodeltester.check(model)  # Qt's tester keeps watching every signal from here on
    seen: list[str] = []
    model.modelReset.connect(lambda: seen.append("reset"))
    model.rowsInserted.connect(lambda _p, first, last: seen.append(f"insert {first}-{last}"))
    model.rowsRemoved.connect(lambda _p, first, last: seen.append(f"remove {first}-{last}"))
    model.dataChanged.connect(lambda a, b: seen.append(f"change {a.row()}-{b.row()}"))

    def consistent() -> None:
        items = document.build.items
        assert model.rowCount() == len(items)
        for row, item in enumerate(items):
            assert model.item_at(row) == item
            for column in range(model.columnCount()):
                shown = model.data(model.index(row, column))
                assert shown == line_cell(item, column, catalog)

    gpu = next(p.id for p in catalog.of_kind("gpu") if p.id not in document.build.part_ids())
    steps = [
        lambda: document.add_parts([gpu], row=2),
        lambda: document.update_item(2, "qty", qty=3),
        lambda: document.move_items([2], 0),
        lambda: document.remove_items([0]),
        document.undo_stack.undo,
        document.undo_stack.undo,
        document.undo_stack.undo,
        document.undo_stack.undo,
        document.undo_stack.redo,
    ]
    for step in steps:
        step()
        consistent()
    assert "reset" not in seen
    assert seen[0] == "insert 2-2" and "remove 0-0" in seen and "change 2-2" in seen
