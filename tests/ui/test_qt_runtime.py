"""The Qt binding the app runs on keeps Python's reference counts straight.

PySide6 6.12.0 released one reference to None each time Qt called a Python override
that returned None (every paintEvent, every item-model data() miss). On Python 3.11,
where None is an ordinary object, the app then aborted with "deallocating None" after
some thousands of repaints. pyproject.toml excludes that release; this test would catch
a binding with the same fault.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QWidget


class _Painted(QWidget):
    def paintEvent(self, event):
        return None


def test_overrides_returning_none_keep_the_none_refcount(qtbot):
    widget = _Painted()
    qtbot.addWidget(widget)
    widget.resize(50, 50)
    widget.show()
    qtbot.waitExposed(widget)
    before = sys.getrefcount(None)
    for _ in range(300):
        widget.repaint()
    lost = before - sys.getrefcount(None)
    assert lost < 50, f"{lost} references to None lost in 300 repaints"
