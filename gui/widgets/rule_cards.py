"""Matched rules as cards that wrap: the effect, the rule, where it is written, the whole citation and message."""
from __future__ import annotations

import html
from typing import Any, Sequence

from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QTextBrowser

from jurist.engine.decision import MatchedRule

from .. import words
from ..palette import EFFECT_COLOURS, TEXT, WARNING_TEXT


def card_html(rule: MatchedRule, labels: dict[str, str]) -> str:
    chip = (f'<span style="background-color:{EFFECT_COLOURS.get(rule.effect, "#e0e0e0")}; color:{TEXT};">'
            f"&nbsp;{html.escape(words.verdict(rule.effect))}&nbsp;</span>")
    lines = [f"{chip} <b>{html.escape(rule.id)}</b> — {html.escape(rule.source)}"]
    if rule.cite:
        lines.append(f"<i>{html.escape(labels['cite'])}</i> {html.escape(rule.cite)}")
    if rule.message:
        lines.append(f"<i>{html.escape(labels['message'])}</i> {html.escape(rule.message)}")
    if rule.unverified:
        lines.append(f'<span style="color:{WARNING_TEXT};">{html.escape(labels["unverified"])} '
                     f"{html.escape(rule.unverified)}</span>")
    return "<p>" + "<br>".join(lines) + "</p>"


class RuleCards(QTextBrowser):
    """Every matched rule in full, however narrow the pane: a lawyer reads the citation, nobody hovers."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.rules: list[MatchedRule] = []

    def show_rules(self, rules: Sequence[MatchedRule]) -> None:
        self.rules = list(rules)
        labels = {"cite": self.tr("Citation:"), "message": self.tr("Message:"),
                  "unverified": self.tr("Counted as matched, not checked:")}
        nothing = self.tr("No rule matched.")
        self.setHtml("".join(card_html(r, labels) for r in rules) or f"<p>{html.escape(nothing)}</p>")

    def find_text(self, text: str, backwards: bool = False, refine: bool = False) -> bool:
        flags = QTextDocument.FindFlag.FindBackward if backwards else QTextDocument.FindFlag(0)
        if refine:
            cursor = self.textCursor()
            cursor.setPosition(cursor.selectionStart())
            self.setTextCursor(cursor)
        if self.find(text, flags):
            return True
        cursor = self.textCursor()
        cursor.movePosition(cursor.MoveOperation.End if backwards else cursor.MoveOperation.Start)
        self.setTextCursor(cursor)
        return self.find(text, flags)
