"""Syntax colours from the compiler's own lexer, one line (block) at a time.

Strings cannot span lines in the grammar, so lexing each block alone gives
the same tokens as lexing the file, and Qt re-highlights only edited lines.
"""
from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from jurist.dsl.lexer import tokens


def _format(colour: str, bold: bool = False, italic: bool = False, underline: str | None = None) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QColor(colour))
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    fmt.setFontItalic(italic)
    if underline:
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        fmt.setUnderlineColor(QColor(underline))
    return fmt


STYLES = {
    "effect": _format("#b00020", bold=True),
    "keyword": _format("#1a4fa0", bold=True),
    "label": _format("#7b1fa2"),
    "place": _format("#00796b", bold=True),
    "date": _format("#a15c00"),
    "number": _format("#a15c00"),
    "string": _format("#2e7d32"),
    "comment": _format("#80868b", italic=True),
    "field": _format("#1565c0"),
    "operator": _format("#444444"),
    "name": _format("#000000", bold=True),
    "value": _format("#37474f"),
    "error": _format("#d50000", underline="#d50000"),
}


class PolicyHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)

    def highlightBlock(self, text: str) -> None:
        for tok in tokens(text):
            fmt = STYLES.get(tok.kind)
            if fmt is not None:
                self.setFormat(tok.start, tok.end - tok.start, fmt)
