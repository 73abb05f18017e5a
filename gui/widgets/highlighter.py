"""Syntax colours from the compiler's own lexer, one line (block) at a time.

Strings cannot span lines in the grammar, so lexing each block alone gives
the same tokens as lexing the file, and Qt re-highlights only edited lines.
"""
from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from jurist.dsl.lexer import tokens

from ..palette import SYNTAX


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
    "effect": _format(SYNTAX["effect"], bold=True),
    "keyword": _format(SYNTAX["keyword"], bold=True),
    "label": _format(SYNTAX["label"]),
    "place": _format(SYNTAX["place"], bold=True),
    "date": _format(SYNTAX["date"]),
    "number": _format(SYNTAX["number"]),
    "string": _format(SYNTAX["string"]),
    "comment": _format(SYNTAX["comment"], italic=True),
    "field": _format(SYNTAX["field"]),
    "operator": _format(SYNTAX["operator"]),
    "name": _format(SYNTAX["name"], bold=True),
    "value": _format(SYNTAX["value"]),
    "error": _format(SYNTAX["error"], underline=SYNTAX["error"]),
}


class PolicyHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)

    def highlightBlock(self, text: str) -> None:
        for tok in tokens(text):
            fmt = STYLES.get(tok.kind)
            if fmt is not None:
                self.setFormat(tok.start, tok.end - tok.start, fmt)
