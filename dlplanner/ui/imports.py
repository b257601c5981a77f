"""The window's imports: cloud and part prices (File > Import Prices…) and PCPartPicker lists.

Kept out of the main window's module: each function is given the window and uses its
document, status bar and prompts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog

from dlplanner.io.yamlsafe import LoadError

if TYPE_CHECKING:
    from dlplanner.io.price_overrides import PriceImport
    from dlplanner.ui.main_window import MainWindow


def import_prices(window: MainWindow) -> None:
    """Preview a price import, write it, and use the new catalog."""
    from dlplanner.io.price_overrides import plan_files, write_overrides
    from dlplanner.ui.dialogs.import_prices_dialog import ImportPricesDialog

    def plan(
        files: Sequence[str], provider: str | None, date: dt.date, source: str | None
    ) -> PriceImport:
        return plan_files(files, window.doc.catalog, provider=provider, date=date, source=source)

    dialog = ImportPricesDialog(plan, write_overrides, window)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_plan is None:
        return
    reload_catalog(window)
    count = len(dialog.result_plan.overrides)
    window.statusBar().showMessage(f"Imported {count} prices into your catalog folder", 8000)


def reload_catalog(window: MainWindow) -> None:
    """Read the catalog folders again and give the result to the document."""
    from dlplanner.io.catalog_files import load_catalog
    from dlplanner.ui.main_window import busy

    try:
        with busy():
            loaded = load_catalog()
    except LoadError as exc:
        window.show_error("Could not read the catalog", str(exc))
        return
    window.doc.set_catalog(loaded.catalog)


def read_list_file(path: str) -> str:
    """Read a PCPartPicker list file (UTF-8, bounded like every file dlplanner reads)."""
    from dlplanner.domain.part_list import MAX_LIST_CHARS
    from dlplanner.io.yamlsafe import read_text

    return read_text(path, max_bytes=MAX_LIST_CHARS * 4)


def import_part_list(window: MainWindow) -> None:
    """Paste or open a PCPartPicker list and open it as a new, unsaved build."""
    from dlplanner.ui.dialogs.import_list_dialog import ImportListDialog

    dialog = ImportListDialog(window.doc.catalog, read_list_file, window)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_import is None:
        return
    if not window.confirm_discard():
        return
    result = dialog.result_import
    window.doc.replace(result.build, None)
    kept = len(result.notes)
    window.statusBar().showMessage(
        f"Imported {len(result.matches) - kept} parts; {kept} lines kept in the notes", 8000
    )
