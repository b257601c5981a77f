"""The action registry: every handler names a known action."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from dlplanner.ui.actions import SPECS, make_actions


def test_unknown_handler_id_is_refused(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    with pytest.raises(KeyError, match=r"build\.sav"):
        make_actions(parent, {"build.sav": lambda: None})


def test_known_handlers_are_connected(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    called = []
    actions = make_actions(parent, {"build.save": lambda: called.append(1)})
    assert set(actions) == {spec.id for spec in SPECS}
    actions["build.save"].trigger()
    assert called == [1]
