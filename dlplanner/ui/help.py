"""Help on the compatibility rules: every rule's title, default severity and help text."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from dlplanner.rules.registry import Rule, all_rules


def help_paragraphs(text: str) -> str:
    """Return a docstring's paragraphs as HTML ``<p>`` elements, lines joined."""
    paragraphs = [p.strip() for p in text.strip().split("\n\n") if p.strip()]
    return "".join(f"<p>{escape(' '.join(p.split()))}</p>" for p in paragraphs)


def rule_help_html(rule: Rule) -> str:
    """One rule's help as HTML paragraphs."""
    body = help_paragraphs(rule.help)
    return (
        f"<h3><a name='{escape(rule.id)}'></a>{escape(rule.title)}</h3>"
        f"<p><small><code>{escape(rule.id)}</code> · default severity "
        f"{escape(str(rule.severity))}</small></p>{body}"
    )


class RulesHelpDialog(QDialog):
    """Every rule's help; opened scrolled to one rule when asked."""

    def __init__(self, rule_id: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Compatibility rules")
        self.resize(720, 640)
        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName("Rule help")
        rules = sorted(all_rules(), key=lambda r: (r.family, r.id))
        toc = "".join(f"<li><a href='#{escape(r.id)}'>{escape(r.title)}</a></li>" for r in rules)
        self.browser.setHtml(
            "<h2>What dlplanner checks</h2><p>Findings never block: a build can be saved and "
            "printed with problems. A finding whose needed spec is missing says <i>unknown</i>."
            f"</p><ul>{toc}</ul>" + "".join(rule_help_html(r) for r in rules)
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        if rule_id:
            self.browser.scrollToAnchor(rule_id)
