"""A plain-text editor for policies: line numbers, wavy underlines for diagnostics, completion.

Follows Qt's code editor and custom completer examples; diagnostics are
extra selections (they never alter the text or its undo history).
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Sequence

from PySide6.QtCore import SIGNAL, QEvent, QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QPalette,
    QHelpEvent,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QAbstractItemView, QCompleter, QPlainTextEdit, QTextEdit, QToolTip, QWidget

from jurist.dsl import Diagnostic

from ..models.completions import CompletionsModel, InsertRole, MatchRole
from ..palette import BASE, GUTTER, GUTTER_MARKS, GUTTER_TEXT, TEXT
from ..preferences import DEFAULT_POINT_SIZE
from .highlighter import PolicyHighlighter

_WORD = re.compile(r"[A-Za-z0-9_:.\-*]+$")
INDENT = "    "


class LineNumbers(QWidget):
    def __init__(self, editor: "CodeEditor") -> None:
        super().__init__(editor)
        self.editor = editor

    def sizeHint(self) -> QSize:
        return QSize(self.editor.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self.editor.paint_gutter(event)


class CodeEditor(QPlainTextEdit):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(DEFAULT_POINT_SIZE)
        self.setFont(font)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Base, QColor(BASE))  # the colours the contrast tests hold text to
        palette.setColor(QPalette.ColorRole.Text, QColor(TEXT))
        self.setPalette(palette)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.highlighter = PolicyHighlighter(self.document())
        self.gutter = LineNumbers(self)
        self.diagnostics: list[Diagnostic] = []
        self.blockCountChanged.connect(lambda _: self._update_margins())
        self.updateRequest.connect(self._scroll_gutter)
        self._update_margins()
        self.completer = QCompleter(self)
        self.completer.setWidget(self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.setCompletionRole(MatchRole)
        self.completer.setMaxVisibleItems(12)
        # activated is overloaded (text or index); the index carries the text to insert
        self.completer.connect(SIGNAL("activated(QModelIndex)"), self._insert_completion)
        popup = self.completer.popup()
        assert popup is not None  # a completer makes its list view when first asked
        self.popup: QAbstractItemView = popup
        self.completions = CompletionsModel(self)
        self.completer.setModel(self.completions)

    # -- reading comfort ---------------------------------------------------------------

    def set_point_size(self, size: int) -> None:
        font = self.font()
        font.setPointSize(size)
        self.setFont(font)
        self._update_margins()

    def set_wrap(self, on: bool) -> None:
        """Long lines wrap at the window's edge (the line numbers still count lines as written)."""
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth if on else QPlainTextEdit.LineWrapMode.NoWrap)

    def find_text(self, text: str, backwards: bool = False, refine: bool = False) -> bool:
        """Select the next occurrence of `text` (any case), wrapping round the end; False when there is none."""
        flags = QTextDocument.FindFlag.FindBackward if backwards else QTextDocument.FindFlag(0)
        cursor = self.textCursor()
        if refine:
            cursor.setPosition(cursor.selectionStart())
        found = self.document().find(text, cursor, flags)
        if found.isNull():
            wrapped = QTextCursor(self.document())
            if backwards:
                wrapped.movePosition(QTextCursor.MoveOperation.End)
            found = self.document().find(text, wrapped, flags)
        if found.isNull():
            return False
        self.setTextCursor(found)
        self.centerCursor()
        return True

    # -- line numbers ----------------------------------------------------------------

    def gutter_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        return 12 + self.fontMetrics().horizontalAdvance("9") * max(3, digits)

    def _update_margins(self) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _scroll_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self.gutter.scroll(0, dy)
        else:
            self.gutter.update(0, rect.y(), self.gutter.width(), rect.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        cr = self.contentsRect()
        self.gutter.setGeometry(QRect(cr.left(), cr.top(), self.gutter_width(), cr.height()))

    def paint_gutter(self, event: QPaintEvent) -> None:
        painter = QPainter(self.gutter)
        painter.fillRect(event.rect(), QColor(GUTTER))
        error_lines = {d.line for d in self.diagnostics if d.is_error}
        warning_lines = {d.line for d in self.diagnostics if not d.is_error}
        block = self.firstVisibleBlock()
        number = block.blockNumber()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        bottom = top + round(self.blockBoundingRect(block).height())
        height = self.fontMetrics().height()
        while block.isValid() and top <= event.rect().bottom():
            if block.isVisible() and bottom >= event.rect().top():
                line = number + 1
                if line in error_lines or line in warning_lines:
                    painter.fillRect(0, top, self.gutter.width(), height,
                                     QColor(GUTTER_MARKS["error" if line in error_lines else "warning"]))
                painter.setPen(QColor(GUTTER_TEXT))
                painter.drawText(0, top, self.gutter.width() - 6, height, Qt.AlignmentFlag.AlignRight, str(line))
            block = block.next()
            top = bottom
            bottom = top + round(self.blockBoundingRect(block).height())
            number += 1

    # -- diagnostics -------------------------------------------------------------------

    def set_diagnostics(self, diagnostics: Sequence[Diagnostic]) -> None:
        """Underline each diagnostic's span (wavy red for errors, orange for warnings)."""
        self.diagnostics = list(diagnostics)
        selections = []
        doc = self.document()
        for d in self.diagnostics:
            block = doc.findBlockByNumber(d.line - 1)
            if not block.isValid():
                continue
            length = block.length() - 1
            start = min(max(0, d.column - 1), max(0, length - 1))
            end = (d.end_column - 1) if d.end_column and d.end_column > d.column else start + 1
            end = max(start + 1, min(end, length)) if length else start
            sel = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(QColor("#d50000" if d.is_error else "#e69138"))
            if not length:
                fmt.setProperty(QTextFormat.Property.FullWidthSelection, True)
                fmt.setBackground(QColor("#fde0e0"))
            sel.format = fmt
            cursor = QTextCursor(block)
            cursor.setPosition(block.position() + start)
            cursor.setPosition(block.position() + end, QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor
            selections.append(sel)
        self.setExtraSelections(selections)
        self.gutter.update()

    def diagnostics_at(self, line: int, column: int | None = None) -> list[Diagnostic]:
        """Diagnostics on `line` (1-based) whose span covers `column` (any column when None)."""
        out = []
        for d in self.diagnostics:
            if d.line != line:
                continue
            end = d.end_column if d.end_column and d.end_column > d.column else d.column + 1
            if column is None or d.column <= column < end:
                out.append(d)
        return out

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            pos = event.pos() - self.viewport().pos()
            cursor = self.cursorForPosition(pos)
            found = self.diagnostics_at(cursor.blockNumber() + 1, cursor.positionInBlock() + 1)
            if found:
                QToolTip.showText(event.globalPos(), tooltip_text(found), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def go_to(self, line: int, column: int = 1) -> None:
        block = self.document().findBlockByNumber(max(0, line - 1))
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + max(0, min(column - 1, block.length() - 1)))
        self.setTextCursor(cursor)
        self.centerCursor()
        self.setFocus()

    # -- completion --------------------------------------------------------------------

    def set_set_names(self, names: Iterable[str]) -> None:
        """Offer the ruleset's set names beside the fixed vocabulary (a no-op when they did not change)."""
        self.completions.set_set_names(names)

    def word_before_cursor(self) -> str:
        cursor = self.textCursor()
        text = cursor.block().text()[:cursor.positionInBlock()]
        match = _WORD.search(text)
        return match.group(0) if match else ""

    def _insert_completion(self, chosen: QModelIndex) -> None:
        text = str(chosen.data(InsertRole))
        prefix = self.completer.completionPrefix()
        cursor = self.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor, len(prefix))
        cursor.insertText(text)
        self.setTextCursor(cursor)

    def complete(self, force: bool = False) -> bool:
        """Show the popup for the word before the cursor; True when it has something to offer."""
        prefix = self.word_before_cursor()
        if not force and len(prefix) < 2:
            self.popup.hide()
            return False
        if prefix != self.completer.completionPrefix():
            self.completer.setCompletionPrefix(prefix)
        if self.completer.completionCount() == 0 or self._only_offers(prefix):
            self.popup.hide()
            return False
        self.popup.setCurrentIndex(self.completer.completionModel().index(0, 0))
        rect = self.cursorRect()
        rect.setWidth(self.popup.sizeHintForColumn(0)
                      + self.popup.verticalScrollBar().sizeHint().width())
        self.completer.complete(rect)
        return True

    def _only_offers(self, prefix: str) -> bool:
        """True when every completion is the word already typed: nothing to offer, and Enter must stay a newline."""
        model = self.completer.completionModel()
        return all(model.index(row, 0).data(InsertRole) == prefix for row in range(model.rowCount()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        popup = self.popup
        if popup.isVisible() and event.key() in (Qt.Key.Key_Enter, Qt.Key.Key_Return) \
                and popup.currentIndex().data(InsertRole) == self.word_before_cursor():
            popup.hide()  # choosing the word already typed would only swallow the newline
        if popup.isVisible() and event.key() in (Qt.Key.Key_Enter, Qt.Key.Key_Return, Qt.Key.Key_Escape,
                                                 Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            event.ignore()  # the completer handles these
            return
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and ctrl:
            # the way out (Tab itself indents); QPlainTextEdit's own override refuses to move the focus
            QWidget.focusNextPrevChild(self, event.key() == Qt.Key.Key_Tab)
            return
        if event.key() == Qt.Key.Key_Tab and not event.modifiers():
            self.insertPlainText(INDENT)  # rulesets indent continuation lines with spaces
            return
        forced = event.key() == Qt.Key.Key_Space and ctrl
        if not forced:
            super().keyPressEvent(event)
        if forced or (event.text() and (event.text().isalnum() or event.text() in ":_-.")):
            self.complete(force=forced)
        elif popup.isVisible():
            popup.hide()


def tooltip_text(found: Sequence[Diagnostic]) -> str:
    lines = []
    for d in found:
        lines.append(f"{d.severity}: {d.message}")
        if d.help:
            lines.append(f"help: {d.help}")
    return "\n".join(lines)

