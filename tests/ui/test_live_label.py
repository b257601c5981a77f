"""LiveLabel: text that changes on every edit re-lays out the window only when it must."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from dlplanner.ui.widgets.live_label import LiveLabel


class LayoutRequests(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:
            self.count += 1
        return False


def window(qtbot, label: LiveLabel, width: int = 400) -> QWidget:
    top = QWidget()
    inner = QWidget(top)
    row = QHBoxLayout(inner)
    row.addWidget(label, 1)
    row.addWidget(QPushButton("Remove", inner))
    column = QVBoxLayout(top)
    column.addWidget(inner)
    column.addStretch(1)
    qtbot.addWidget(top)
    top.resize(width, 200)
    top.show()
    qtbot.waitExposed(top)
    return top


def test_new_text_that_fits_does_not_relayout_the_window(qtbot, qapp):
    label = LiveLabel()
    label.setText("Total $3,000.00 · 1 GPU")
    top = window(qtbot, label)
    qtbot.wait(50)  # the first show's own layout passes
    requests = LayoutRequests()
    # The label's parent is where a QLabel's new text would ask for a new layout first.
    label.parentWidget().installEventFilter(requests)
    top.installEventFilter(requests)
    for _ in range(5):
        qapp.processEvents()
    requests.count = 0
    for text in ("Total $3,500.00 · 2 GPUs", "Total $4,000.00 · 3 GPUs", "Total $9.00"):
        label.setText(text)
        qapp.processEvents()
        assert label.text() == text and label.label.text() == text
    assert requests.count == 0


def test_text_that_needs_more_room_gets_it(qtbot, qapp):
    # Like the status bar: a stretching label on the left, a permanent one on the right.
    top = QWidget()
    row = QHBoxLayout(top)
    left, right = LiveLabel(), LiveLabel()
    left.setText("Total $3,000.00")
    right.setText("0 errors")
    row.addWidget(left, 1)
    row.addWidget(right)
    qtbot.addWidget(top)
    top.resize(700, 40)
    top.show()
    qtbot.waitExposed(top)
    before = right.width()
    long = "5 errors, 8 warnings, 3 not checked"
    right.setText(long)
    qtbot.waitUntil(lambda: right.width() > before)
    assert right.width() >= right.label.fontMetrics().horizontalAdvance(long)
    assert right.label.width() == right.width()


def test_wrapped_text_grows_a_line_when_it_needs_one(qtbot, qapp):
    label = LiveLabel(word_wrap=True)
    label.setText("One line.")
    top = window(qtbot, label, width=300)
    one_line = label.height()
    label.setText(" ".join(["A verdict long enough to wrap onto more lines."] * 4))
    qtbot.waitUntil(lambda: label.height() > one_line)
    assert label.label.height() == label.height() and top.isVisible()


def test_wrapped_heights_match_qlabel_for_every_kind_of_text(qtbot, qapp):
    """The shortcut for lines that fit gives exactly QLabel's own height, and long text wraps."""
    from PySide6.QtWidgets import QLabel

    label = LiveLabel(word_wrap=True)
    top = window(qtbot, label, width=420)
    reference = QLabel()
    reference.setWordWrap(True)
    texts = [
        "<b style='color:#d64541'>Compatibility:</b> These parts have potential issues.",
        "<b style='color:#d64541'>Compatibility:</b> See the notes below.<br><small>1 note</small>",
        "<b>Compatibility:</b> No issues.<br><small>2 problems, 8 warnings, 3 not checked</small>",
        "<b>Compatibility:</b> " + "a verdict long enough to need wrapping " * 3,
        "Plain text &amp; an entity<br>and a second line<br>and a third",
        "<b>Compatibility:</b> short",  # the same styles again: from the cache
    ]
    for text in texts:
        label.setText(text)
        reference.setText(text)
        qapp.processEvents()
        width = label.width()
        assert label.sizeHint().height() == reference.heightForWidth(width), text
    assert top.isVisible()
