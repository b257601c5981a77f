"""Dark theme: unchecked check boxes and links read at 4.5:1 or better."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QCheckBox

from dlplanner.ui.theme import INDICATOR_EDGE, apply_theme


def luminance(colour: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_unchecked_boxes_and_links_are_readable(qapp, qtbot):
    try:
        apply_theme(qapp, "dark")
        pal = qapp.palette()
        window, base = pal.color(QPalette.ColorRole.Window), pal.color(QPalette.ColorRole.Base)
        assert contrast(INDICATOR_EDGE, window) >= 4.5 and contrast(INDICATOR_EDGE, base) >= 4.5
        link = pal.color(QPalette.ColorRole.Link)
        assert contrast(link, window) >= 4.5 and contrast(link, base) >= 4.5
        box = QCheckBox("Only parts that fit this build")
        qtbot.addWidget(box)
        box.show()
        qtbot.waitExposed(box)
        image = box.grab().toImage()
        edge = INDICATOR_EDGE.rgb()
        drawn = sum(
            1
            for x in range(min(image.width(), 30))
            for y in range(image.height())
            if image.pixel(x, y) == edge
        )
        assert drawn >= 20  # the unchecked box has a visible edge
    finally:
        apply_theme(qapp, "light")


def test_not_checked_grey_reads_on_both_themes(qapp):
    from dlplanner.ui.theme import not_checked_colour

    try:
        for theme in ("light", "dark"):
            apply_theme(qapp, theme)
            base = qapp.palette().color(QPalette.ColorRole.Base)
            assert contrast(not_checked_colour(), base) >= 4.5, theme
    finally:
        apply_theme(qapp, "light")
