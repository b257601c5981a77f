"""Text that changes on every edit without re-laying out the window, and cheap column fitting.

A ``QLabel`` asks its parent layout to recompute whenever its text changes, and a layout that
recomputes asks *its* parent, up to the main window: one new total in the status bar costs a
pass over every widget's size hints. ``LiveLabel`` keeps a real ``QLabel`` (rich text, links,
selection, accessibility all work) inside a host widget with no layout, so those requests stop
at the host. The host asks its own parent for a new layout only when the text needs more room
than it has, or (word-wrapped) a different number of lines.

Both tricks here are kept for the benchmark rows "Edit → findings redrawn: add a GPU" and
"Edit → findings redrawn: GPU quantity 1 → 2" (``tests/benchmarks/bench_ui.py``, target
16 ms): with plain ``QLabel``s and ``ResizeToContents`` those rows took 17–22 ms (README,
Performance). They were not re-measured for #18 on the shared, loaded machine, so they stay.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QHeaderView, QLabel, QSizePolicy, QWidget


class LiveLabel(QWidget):
    """A label for text that changes often (totals, counts, a verdict)."""

    def __init__(self, parent: QWidget | None = None, *, word_wrap: bool = False):
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setWordWrap(word_wrap)
        self._hint = self.label.sizeHint()
        self._bold: tuple[str, QFontMetrics] | None = None
        self._heights: dict[tuple[tuple[frozenset[str], ...], int], int] = {}
        """Heights of unwrapped multi-line texts by the styles of their lines and the width."""
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
        text = label.text()
        if label.wordWrap():
            # Any width will do (the text wraps); only the height of its lines matters.
            if self.width() <= 0:
                return label.sizeHint()
            return QSize(0, self._wrapped_height(text, self.width()))
        plain = label.textFormat() == Qt.TextFormat.PlainText or (
            label.textFormat() == Qt.TextFormat.AutoText and "<" not in text
        )
        if plain or _SIMPLE_MARKUP.fullmatch(text):
            # One line: measuring the text is far cheaper than QLabel's sizeHint. Simple
            # markup (bold, small, colour) is measured as its text in bold, which is at
            # least as wide as any mix of its styles.
            metrics = label.fontMetrics()
            if not plain:
                text = html.unescape(_TAGS.sub("", text))
                metrics = self._bold_metrics()
            margins = 2 * (label.margin() + max(label.indent(), 0)) + 2 * label.frameWidth()
            return QSize(metrics.horizontalAdvance(text) + margins, self._hint.height())
        return label.sizeHint()

    def _wrapped_height(self, text: str, width: int) -> int:
        """Return the height of the wrapped text; lines that fit are not laid out again.

        Simple markup whose every line (between ``<br>``) fits the width, measured in bold,
        takes one line per ``<br>`` line: its height depends only on the styles of those
        lines, so it is measured once per set of styles and width.
        """
        lines = _BREAK.split(text)
        if all(_SIMPLE_MARKUP.fullmatch(line) for line in lines):
            bold = self._bold_metrics()
            margins = 2 * (self.label.margin() + max(self.label.indent(), 0))
            plain = [html.unescape(_TAGS.sub("", line)) for line in lines]
            if all(bold.horizontalAdvance(line) + margins <= width for line in plain):
                key = (tuple(frozenset(_TAG_NAMES.findall(line)) for line in lines), width)
                height = self._heights.get(key)
                if height is None:
                    height = self._heights[key] = self.label.heightForWidth(width)
                return height
        return self.label.heightForWidth(width)

    def _bold_metrics(self) -> QFontMetrics:
        key = self.label.font().key()
        if self._bold is None or self._bold[0] != key:
            bold = QFont(self.label.font())
            bold.setBold(True)
            self._bold = (key, QFontMetrics(bold))
        return self._bold[1]

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

    def changeEvent(self, event: QEvent) -> None:
        """Measure again after a font or style change (a theme, another screen's DPI)."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._heights.clear()
            self._bold = None
            self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Let the label fill the host; a wrapped label may need another line count."""
        self.label.setGeometry(self.rect())
        if self.label.wordWrap():
            self._fit()
        super().resizeEvent(event)


_TAGS = re.compile(r"<[^>]*>")
_TAG_NAMES = re.compile(r"<(\w+)")
_BREAK = re.compile(r"<br\s*/?>")
_SIMPLE_MARKUP = re.compile(r"(?:[^<]|</?(?:b|i|small|span)(?: style='[^'<>]*')?>)*")
"""Rich text with only inline styling tags (no line breaks, links, tables or images)."""

_widths: dict[tuple[str, str], int] = {}
"""Text widths by font and text: the same prices and names are measured on every edit."""


def text_width(metrics: QFontMetrics, key: str, text: str) -> int:
    """Return the width of ``text`` with ``metrics`` (``key`` names the font)."""
    width = _widths.get((key, text))
    if width is None:
        if len(_widths) > 20_000:
            _widths.clear()
        width = _widths[key, text] = metrics.horizontalAdvance(text)
    return width


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
    key = header.font().key()
    view = header.parentWidget()
    cell_font = view.font() if view is not None else header.font()
    cell_metrics, cell_key = QFontMetrics(cell_font), cell_font.key()
    padding = header.style().pixelMetric(header.style().PixelMetric.PM_HeaderMargin, None, header)
    model = header.model()
    for column in columns:
        title = str(model.headerData(column, header.orientation()) or "") if model else ""
        width = max((text_width(metrics, key, line) for line in title.split("\n")), default=0)
        width += 2 * padding + header.style().pixelMetric(
            header.style().PixelMetric.PM_HeaderMarkSize, None, header
        )
        for row in texts:
            if column < len(row):
                width = max(width, text_width(cell_metrics, cell_key, row[column]) + 4 * padding)
        width += (extra or {}).get(column, 0)
        if header.sectionSize(column) != width:
            header.resizeSection(column, width)
