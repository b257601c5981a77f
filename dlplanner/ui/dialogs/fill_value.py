"""Fill in a spec a check needs: the value (and its source) go to the user's catalog folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from dlplanner.domain.parts import PartBase
from dlplanner.io import resources
from dlplanner.io.atomic import SaveError
from dlplanner.io.user_overrides import OverrideError, overrides_path, with_value, write_override
from dlplanner.report.specs import field_title
from dlplanner.ui.document import BuildDocument


class FillValueDialog(QDialog):
    """Ask for one field's value and an optional source URL; check it before accepting."""

    def __init__(self, part: PartBase, field: str, folder: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Fill in {field_title(field)}")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)
        self._part = part
        self._field = field
        self.result_part: PartBase | None = None
        kind = str(getattr(part, "kind", ""))
        intro = QLabel(
            f"<b>{part.title}</b> has no {field_title(field)} (<code>{field}</code>) in the "
            "catalog, so a check "
            f"cannot run. Type the value from the maker's page or manual. It is saved in "
            f"<code>{overrides_path(folder, kind)}</code> and replaces the shipped entry.",
            self,
        )
        intro.setWordWrap(True)
        self.value = QLineEdit(self)
        self.value.setAccessibleName("Value")
        self.value.setPlaceholderText("e.g. 16, 2.5, true, [AM5, sTR5]")
        current = getattr(part, field.split(".")[0], None)
        if isinstance(current, list):
            self.value.setText("[" + ", ".join(str(v) for v in current) + "]")
        self.source = QLineEdit(self)
        self.source.setAccessibleName("Source URL")
        self.source.setPlaceholderText("https://… (optional: where the value comes from)")
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        form = QFormLayout()
        form.addRow(f"{field_title(field)}:", self.value)
        form.addRow("Source:", self.source)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def accept(self) -> None:
        """Accept only a value the part's model takes (the error is shown otherwise)."""
        try:
            self.result_part = with_value(
                self._part, self._field, self.value.text(), self.source.text()
            )
        except OverrideError as exc:
            self.error.setText(str(exc))
            return
        super().accept()


def fill_in(
    document: BuildDocument,
    part_id: str,
    field: str,
    parent: QWidget | None = None,
    folder: Path | None = None,
) -> Path | None:
    """Ask for a value, write it to the user's catalog folder, and check the build again.

    Returns the file written, or None when the user cancelled (or the part is unknown).
    """
    part = document.catalog.get(part_id)
    if part is None:
        return None
    folder = folder or resources.user_catalog_dirs()[0]  # the user's own catalog folder
    dialog = FillValueDialog(part, field, folder, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_part is None:
        return None
    try:
        path = write_override(folder, dialog.result_part)
    except (SaveError, OSError) as exc:
        document.edit_refused.emit(f"Could not save the value: {exc}")
        return None
    document.replace_part(dialog.result_part)
    return path
