"""Pieces every page uses: tables that keep the keyboard sane, find bars, inline notes, scrolling pages."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTableView,
    QToolButton,
    QWidget,
)

from ..palette import NOTE_TEXT, WARNING_TEXT


def table(model: Any, stretch: int | None = None, wrap: bool = False) -> QTableView:
    """A read-only table: rows selected whole, Tab leaves it (it does not walk the cells), Enter activates."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)
    view.verticalHeader().hide()
    view.setWordWrap(wrap)
    if not wrap:
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    if stretch is not None:
        view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def fit_columns(view: QTableView, widest: int = 220) -> None:
    """Size columns to their content but no wider than `widest`, so one long column cannot push the rest
    off-screen; cut text ends in "…" and the model's tooltips hold it whole.  A stretched column keeps stretching."""
    header = view.horizontalHeader()
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    for column in range(header.count()):
        if header.sectionResizeMode(column) == QHeaderView.ResizeMode.Stretch:
            continue
        view.resizeColumnToContents(column)
        if header.sectionSize(column) > widest:
            header.resizeSection(column, widest)


def note_label(text: str = "", warning: bool = False) -> QLabel:
    """Words shown next to what they are about (why a button is off, what a field needs), wrapping."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(f"color: {WARNING_TEXT if warning else NOTE_TEXT};")
    label.setVisible(bool(text))
    return label


def say(label: QLabel, text: str) -> None:
    """Show `text` in a note label, or hide the label when there is nothing to say."""
    label.setText(text)
    label.setVisible(bool(text))


def scrolling(page: QWidget) -> QScrollArea:
    """`page` in a frameless scroll area: a window narrower or shorter than the page scrolls instead of
    growing past the screen."""
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area


def leave_with_tab(edit: QPlainTextEdit) -> QPlainTextEdit:
    """A text box that Tab and Shift+Tab leave, as in every other field (it holds no tabs)."""
    edit.setTabChangesFocus(True)
    return edit


class FindField(QLineEdit):
    """The find bar's field: Enter finds the next match, Shift+Enter the previous, Escape closes."""

    next_wanted = Signal(bool)  # backwards
    closed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.next_wanted.emit(bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
            return
        if event.key() == Qt.Key.Key_Escape:
            self.closed.emit()
            return
        super().keyPressEvent(event)


Search = Callable[[str, bool, bool], bool]  # (text, backwards, refine) -> found


class FindBar(QWidget):
    """Find in an editor or a table.

    `search(text, backwards, refine)` moves to the next match and says whether
    it found one; `refine` (the text was just typed) may keep the match where it
    stands, so typing narrows it rather than jumping past it.
    """

    def __init__(self, search: Search, back_to: QWidget, parent: Any = None) -> None:
        super().__init__(parent)
        self._search = search
        self._back_to = back_to
        self.field = FindField()
        self.field.setPlaceholderText(self.tr("Find (Enter: next, Shift+Enter: previous, Esc: close)"))
        self.field.next_wanted.connect(self.find_match)
        self.field.closed.connect(self.close_bar)
        self.field.textChanged.connect(lambda _: self.find_match(False, refine=True))
        previous, following, close = QToolButton(), QToolButton(), QToolButton()
        previous.setText("↑")
        previous.setToolTip(self.tr("Previous match (Shift+Enter)"))
        following.setText("↓")
        following.setToolTip(self.tr("Next match (Enter, F3)"))
        close.setText("✕")
        close.setToolTip(self.tr("Close (Esc)"))
        previous.clicked.connect(lambda: self.find_match(True))
        following.clicked.connect(lambda: self.find_match(False))
        close.clicked.connect(self.close_bar)
        self.status = note_label()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Find:")))
        layout.addWidget(self.field, 1)
        for button in (previous, following, close):
            layout.addWidget(button)
        layout.addWidget(self.status)
        self.hide()

    def open_bar(self) -> None:
        self.show()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self._back_to.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def find_match(self, backwards: bool = False, refine: bool = False) -> bool:
        text = self.field.text()
        if not text:
            say(self.status, "")
            return False
        found = self._search(text, backwards, refine)
        say(self.status, "" if found else self.tr("not found"))
        return found


def table_search(view: QTableView) -> Search:
    """A find function over a table's shown text: selects the next row (wrapping) with a cell containing it."""

    def search(text: str, backwards: bool, refine: bool) -> bool:
        model = view.model()
        rows, columns = model.rowCount(), model.columnCount()
        if rows == 0:
            return False
        wanted = text.casefold()
        start = view.currentIndex().row() if view.currentIndex().isValid() else (-1 if not backwards else rows)
        step = -1 if backwards else 1
        for k in range(0 if refine and view.currentIndex().isValid() else 1, rows + 1):
            row = (start + step * k) % rows
            if any(wanted in str(model.index(row, c).data() or "").casefold() for c in range(columns)):
                index: QModelIndex = model.index(row, 0)
                view.setCurrentIndex(index)
                view.selectRow(row)
                view.scrollTo(index)
                return True
        return False

    return search

