"""Synthetic drag-and-drop for view tests: enter, move, drop, as a real drag sends them."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

_ARGS = (Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)


def _drag(cls: type, pos: QPoint, mime: QMimeData, action: Qt.DropAction):
    # Qt 6.12 wants QPointF; 6.11 takes only QPoint.
    try:
        return cls(QPointF(pos), action, mime, *_ARGS)
    except TypeError:
        return cls(pos, action, mime, *_ARGS)


def drag_and_drop(widget: QWidget, pos: QPoint, mime: QMimeData,
                  action: Qt.DropAction = Qt.DropAction.CopyAction) -> QDropEvent:  # fmt: skip
    """Send enter, move and drop events at ``pos``; assert the drag was accepted."""
    enter = _drag(QDragEnterEvent, pos, mime, action)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted(), "drag enter refused"
    move = _drag(QDragMoveEvent, pos, mime, action)
    QApplication.sendEvent(widget, move)
    assert move.isAccepted(), "drag move refused"
    drop = QDropEvent(QPointF(pos), action, mime, *_ARGS)
    QApplication.sendEvent(widget, drop)
    return drop
