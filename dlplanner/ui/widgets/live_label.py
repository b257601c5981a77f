"""Text that changes on every edit without re-laying out the window, and cheap column fitting.

A ``QLabel`` asks its parent layout to recompute whenever its text changes, and a layout that
recomputes asks *its* parent, up to the main window: one new total in the status bar costs a
pass over every widget's size hints. ``LiveLabel`` keeps a real ``QLabel`` (rich text, links,
selection, accessibility all work) inside a host widget with no layout, so those requests stop
at the host. The host asks its own parent for a new layout only when the text needs more room
than it has, or (word-wrapped) a different number of lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QHeaderView, QLabel, QSizePolicy, QWidget


class LiveLabel(QWidget):
    """A label for text that changes often (totals, counts, a verdict)."""

    def __init__(self, parent: QWidget | None = None, *, word_wrap: bool = False):
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setWordWrap(word_wrap)
        self._hint = self.label.sizeHint()
        vertical = QSizePolicy.Policy.Preferred if word_wrap else QSizePolicy.Policy.Fixed
        self.setSizePolicy(QSizePolicy.Policy.Preferred, vertical)

    # QLabel's API that callers use ----------------------------------------------------------

    def text(self) -> str:
        """Return the label's text."""
        return self.label.text()

    def setText(self, text: str) -> None:
        """Show a new text; a new layout only if it no longer fits."""
        if text == self.label.text():
            return
        self.label.setText(text)
        self._fit()

    def setTextFormat(self, fmt: Qt.TextFormat) -> None:
        """Plain, rich or automatic text (as ``QLabel``)."""
        self.label.setTextFormat(fmt)

    def setTextInteractionFlags(self, flags: Qt.TextInteractionFlag) -> None:
        """Set how the text reacts to mouse and keyboard (as ``QLabel``)."""
        self.label.setTextInteractionFlags(flags)

    def setAccessibleName(self, name: str) -> None:
        """Name the label for screen readers (the host itself is not announced)."""
        self.label.setAccessibleName(name)
        super().setAccessibleName(name)

    def setToolTip(self, text: str) -> None:
        """Tooltip of the label."""
        self.label.setToolTip(text)

    # geometry ---------------------------------------------------------------------------------

    def _needed(self) -> QSize:
        label = self.label
        if label.wordWrap():
            # Any width will do (the text wraps); only the line count matters.
            if self.width() <= 0:
                return label.sizeHint()
            return QSize(0, label.heightForWidth(self.width()))
        if label.textFormat() == Qt.TextFormat.PlainText or (
            label.textFormat() == Qt.TextFormat.AutoText and "<" not in label.text()
        ):
            # One line of plain text: measuring it is far cheaper than QLabel's sizeHint.
            margins = 2 * (label.margin() + max(label.indent(), 0)) + 2 * label.frameWidth()
            width = label.fontMetrics().horizontalAdvance(label.text()) + margins
            return QSize(width, self._hint.height())
        return label.sizeHint()

    def _fit(self) -> None:
        need = self._needed()
        wider = need.width() > self._hint.width() and need.width() > self.width()
        if wider or need.height() != self._hint.height():
            # Grow (never shrink) the width it asks for, so texts that take turns being the
            # longest do not move everything around them on each edit.
            width = max(need.width(), self._hint.width())
            self._hint = QSize(width, need.height())
            self.updateGeometry()

    def sizeHint(self) -> QSize:
        """Return the size the longest text so far needed."""
        return self._hint

    def minimumSizeHint(self) -> QSize:
        """Any width (the text is cut at the right); the height of its lines."""
        return QSize(0, self._hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Let the label fill the host; a wrapped label may need another line count."""
        self.label.setGeometry(self.rect())
        if self.label.wordWrap():
            self._fit()
        super().resizeEvent(event)


def fit_columns(
    header: QHeaderView,
    columns: Iterable[int],
    texts: Sequence[Sequence[str]],
    *,
    extra: dict[int, int] | None = None,
) -> None:
    """Size columns to their header and cell texts, like ``ResizeToContents`` but cheap.

    ``ResizeToContents`` asks the model for every role of every cell whenever any cell
    changes; this measures only the texts, with the header's font metrics, and resizes a
    section only when its width really changes. ``texts`` is one sequence of cell texts per
    row, indexed by column; ``extra`` adds room (an icon) to some columns.
    """
    metrics = QFontMetrics(header.font())
    view = header.parentWidget()
    cell_metrics = QFontMetrics(view.font()) if view is not None else metrics
    padding = header.style().pixelMetric(header.style().PixelMetric.PM_HeaderMargin, None, header)
    model = header.model()
    for column in columns:
        title = str(model.headerData(column, header.orientation()) or "") if model else ""
        width = max((metrics.horizontalAdvance(line) for line in title.split("\n")), default=0)
        width += 2 * padding + header.style().pixelMetric(
            header.style().PixelMetric.PM_HeaderMarkSize, None, header
        )
        for row in texts:
            if column < len(row):
                width = max(width, cell_metrics.horizontalAdvance(row[column]) + 4 * padding)
        width += (extra or {}).get(column, 0)
        if header.sectionSize(column) != width:
            header.resizeSection(column, width)
