"""Light and dark themes: follow the system's colour scheme, or a forced choice."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QWidget

from dlplanner.report.findings import NOT_CHECKED_HEX
from dlplanner.rules.finding import Finding, Severity, Status

STALE_COLOUR = "#c0392b"
"""Text of a price older than six months: readable on light and dark backgrounds."""

SEVERITY_COLOURS = {
    Severity.ERROR: QColor("#d64541"),
    Severity.WARNING: QColor("#d68910"),
    Severity.INFO: QColor("#2e86c1"),
}
"""Severities on screen (the printed report's are a shade darker: ``report.markup``)."""
OK_COLOUR = QColor("#27ae60")
"""A verdict with nothing to warn of."""

_SEVERITY_ICONS = {
    Severity.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
    Severity.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
    Severity.INFO: QStyle.StandardPixmap.SP_MessageBoxInformation,
}
_icons: dict[tuple[int, object], QIcon] = {}


def _dark_palette() -> QPalette:
    pal = QPalette()
    base = QColor(37, 37, 40)
    window = QColor(48, 48, 52)
    text = QColor(230, 230, 230)
    disabled = QColor(140, 140, 140)
    highlight = QColor(53, 132, 228)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        pal.setColor(group, QPalette.ColorRole.Window, window)
        pal.setColor(group, QPalette.ColorRole.WindowText, text)
        pal.setColor(group, QPalette.ColorRole.Base, base)
        pal.setColor(group, QPalette.ColorRole.AlternateBase, QColor(44, 44, 48))
        pal.setColor(group, QPalette.ColorRole.ToolTipBase, QColor(60, 60, 64))
        pal.setColor(group, QPalette.ColorRole.ToolTipText, text)
        pal.setColor(group, QPalette.ColorRole.PlaceholderText, disabled)
        pal.setColor(group, QPalette.ColorRole.Text, text)
        pal.setColor(group, QPalette.ColorRole.Button, window)
        pal.setColor(group, QPalette.ColorRole.ButtonText, text)
        pal.setColor(group, QPalette.ColorRole.BrightText, QColor(255, 80, 80))
        pal.setColor(group, QPalette.ColorRole.Highlight, highlight)
        pal.setColor(group, QPalette.ColorRole.HighlightedText, QColor(255, 255, 255))
        pal.setColor(group, QPalette.ColorRole.Link, QColor(110, 170, 255))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        pal.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Base, window)
    return pal


INDICATOR_EDGE = QColor(165, 165, 170)
"""The edge of check boxes and radio buttons in the dark theme: 5:1 on its window colour,
where Fusion's own edge (the window colour, darker) all but disappears."""


class _DarkFusionStyle(QProxyStyle):
    """Fusion, with check box and radio button edges that read on a dark background."""

    def __init__(self) -> None:
        super().__init__("Fusion")

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        """Draw as Fusion does, then a light edge round unchecked and checked indicators."""
        super().drawPrimitive(element, option, painter, widget)
        box = element == QStyle.PrimitiveElement.PE_IndicatorCheckBox
        if not (box or element == QStyle.PrimitiveElement.PE_IndicatorRadioButton):
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, not box)
        painter.setPen(QPen(INDICATOR_EDGE, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        rect = option.rect.adjusted(0, 0, -1, -1)
        if box:
            painter.drawRect(rect)
        else:
            painter.drawEllipse(rect)
        painter.restore()


NOT_CHECKED_DARK = QColor("#9aa5a8")
"""The grey of *Not checked* on the dark theme (the report's grey is for white paper)."""


def not_checked_colour() -> QColor:
    """Return the grey that marks checks that could not run, readable on the current theme."""
    app = QApplication.instance()
    dark = isinstance(app, QApplication) and is_dark(app)
    return QColor(NOT_CHECKED_DARK) if dark else QColor(NOT_CHECKED_HEX)


def finding_colour(finding: Finding) -> QColor:
    """Return a finding's colour: its severity's, or the *not checked* grey."""
    if finding.status is Status.UNKNOWN:
        return not_checked_colour()
    return SEVERITY_COLOURS[finding.severity]


def severity_icon(finding: Finding) -> QIcon:
    """Return the style's icon for a finding's severity (a question mark when not checked)."""
    style = QApplication.style()
    unknown = finding.status is Status.UNKNOWN
    key = (id(style), None if unknown else finding.severity)
    if key not in _icons:
        pixmap = (
            QStyle.StandardPixmap.SP_MessageBoxQuestion
            if unknown
            else _SEVERITY_ICONS[finding.severity]
        )
        _icons[key] = style.standardIcon(pixmap)
    return _icons[key]


def system_is_dark() -> bool:
    """Whether the desktop asks for a dark colour scheme."""
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def apply_theme(app: QApplication, theme: str = "system") -> bool:
    """Apply ``system``, ``light`` or ``dark``; return whether the result is dark."""
    dark = theme == "dark" or (theme == "system" and system_is_dark())
    if dark:
        app.setStyle(_DarkFusionStyle())
    else:
        app.setStyle("Fusion")
    app.setPalette(_dark_palette() if dark else app.style().standardPalette())
    return dark


def is_dark(app: QApplication) -> bool:
    """Whether the current palette is dark (charts pick their colours from this)."""
    return app.palette().color(QPalette.ColorRole.Window).lightness() < 128
