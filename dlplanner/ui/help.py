"""Help on the compatibility rules: every rule's title, default severity and help text."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from dlplanner.report.findings_html import rules_help_html


class RulesHelpDialog(QDialog):
    """Every rule's help; opened scrolled to one rule when asked."""

    def __init__(self, rule_id: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Compatibility rules")
        self.resize(720, 640)
        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName("Rule help")
        self.browser.setHtml(rules_help_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        if rule_id:
            self.browser.scrollToAnchor(rule_id)
