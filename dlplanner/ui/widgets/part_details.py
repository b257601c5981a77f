"""The part details pane: labelled specs, notes and sources; the sourcing notes on request."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QTextBrowser, QWidget

from dlplanner.domain.parts import PartBase
from dlplanner.report.specs import (
    HIDE_SOURCING,
    SHOW_SOURCING,
    SOURCING_ANCHOR,
    part_details_html,
)


class PartDetailsView(QTextBrowser):
    """Shows one part; its "Sourcing notes…" link folds the sourcing record out and in.

    Once opened, the sourcing notes stay open for the next part shown until hidden again,
    so several parts' records can be compared. Web links open in the browser.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        """Create an empty pane."""
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setAccessibleName("Part details")
        self.setPlaceholderText("Select a part to see every spec and its sources.")
        self._part: PartBase | None = None
        self._sourcing_shown = False
        self.anchorClicked.connect(self._on_anchor_clicked)

    @property
    def part(self) -> PartBase | None:
        """The part shown, if any."""
        return self._part

    @property
    def sourcing_shown(self) -> bool:
        """Whether the sourcing notes are folded out."""
        return self._sourcing_shown

    def show_part(self, part: PartBase | None) -> None:
        """Show ``part`` (or nothing)."""
        self._part = part
        self._redraw()

    def set_sourcing_shown(self, shown: bool) -> None:
        """Fold the sourcing notes out (``True``) or in."""
        self._sourcing_shown = shown
        self._redraw()

    def _redraw(self) -> None:
        part = self._part
        scroll = self.verticalScrollBar().value()
        self.setHtml(part_details_html(part, show_sourcing=self._sourcing_shown) if part else "")
        self.verticalScrollBar().setValue(scroll)

    def _on_anchor_clicked(self, url: QUrl) -> None:
        target = url.toString()
        if target == SHOW_SOURCING:
            self.set_sourcing_shown(True)
            self.scrollToAnchor(SOURCING_ANCHOR)  # the record starts where the link was
        elif target == HIDE_SOURCING:
            self.set_sourcing_shown(False)
        elif url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)
