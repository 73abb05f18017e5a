"""Two versions of a file side by side, whole lines wrapped (nothing cut off), the changed words marked."""
from __future__ import annotations

import html
from typing import Any, Sequence

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QTextBrowser

from ..palette import DIFF_COLOURS, DIFF_WORD_COLOURS, GUTTER, GUTTER_TEXT
from ..sidebyside import Row, words_changed


def _pieces(pieces: Sequence[tuple[str, bool]], kind: str) -> str:
    colour = DIFF_WORD_COLOURS[kind]
    return "".join(f'<span style="background-color:{colour}; font-weight:bold;">{html.escape(text)}</span>'
                   if changed else html.escape(text) for text, changed in pieces)


def row_html(row: Row) -> str:
    """One aligned row: line numbers, and each side's text with the words that changed marked."""
    if row.kind == "changed":
        old, new = words_changed(row.left, row.right)
        left, right = _pieces(old, "removed"), _pieces(new, "added")
        left_bg, right_bg = DIFF_COLOURS["removed"], DIFF_COLOURS["added"]
    else:
        left, right = html.escape(row.left), html.escape(row.right)
        left_bg = DIFF_COLOURS["removed"] if row.kind == "removed" else None
        right_bg = DIFF_COLOURS["added"] if row.kind == "added" else None
    number = f'style="background-color:{GUTTER}; color:{GUTTER_TEXT}; text-align:right; padding:0 4px;"'

    def cell(text: str, background: str | None) -> str:
        shade = f" background-color:{background};" if background else ""
        return f'<td width="48%" style="white-space:pre-wrap;{shade} padding:0 4px;">{text}</td>'

    return (f"<tr><td {number}>{row.left_no or ''}</td>{cell(left, left_bg)}"
            f"<td {number}>{row.right_no or ''}</td>{cell(right, right_bg)}</tr>")


class DiffView(QTextBrowser):
    """A read-only side-by-side diff that wraps long lines instead of cutting them (an approver reads every word)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self._titled = False

    def show_rows(self, rows: Sequence[Row], old_title: str = "", new_title: str = "") -> None:
        self._titled = bool(old_title or new_title)
        head = (f'<tr><th></th><th align="left">{html.escape(old_title)}</th><th></th>'
                f'<th align="left">{html.escape(new_title)}</th></tr>') if old_title or new_title else ""
        body = "".join(row_html(r) for r in rows)
        self.setHtml(f'<table width="100%" cellspacing="0" cellpadding="1">{head}{body}</table>')

    def scroll_to_row(self, row: int) -> None:
        """Bring aligned row `row` to the top (row 0 is the first line, under the titles), once laid out."""
        QTimer.singleShot(0, lambda: self._scroll_to_row(row))

    def _scroll_to_row(self, row: int) -> None:
        table = self.document().rootFrame().firstCursorPosition().currentTable()
        if table is None:
            return
        header = 1 if self._titled else 0
        cell = table.cellAt(min(row + header, table.rows() - 1), 1)
        rect = self.cursorRect(cell.firstCursorPosition())
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + rect.top())
