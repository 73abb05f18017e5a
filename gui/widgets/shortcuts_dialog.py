"""Help › Keyboard shortcuts: every key the window answers to, read from its menus, plus the keys of the fields."""
from __future__ import annotations

from typing import Any, Iterable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ..i18n import QT_TRANSLATE_NOOP, translate

FIELD_KEYS = (
    (QT_TRANSLATE_NOOP("Shortcuts", "Enter (on a rulesets tree item)"),
     QT_TRANSLATE_NOOP("Shortcuts", "Open the file, or the ruleset")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Enter (in a list or table)"),
     QT_TRANSLATE_NOOP("Shortcuts", "Open or edit the row: a problem's line, a rule, a case, a version")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Tab, Shift+Tab"),
     QT_TRANSLATE_NOOP("Shortcuts", "Move to the next or previous field (text boxes and tables let Tab go)")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Ctrl+Tab, Ctrl+Shift+Tab"),
     QT_TRANSLATE_NOOP("Shortcuts", "Leave the policy editor for the next or previous field (there Tab indents "
                                    "by four spaces)")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Ctrl+Space"),
     QT_TRANSLATE_NOOP("Shortcuts", "Complete the word in the policy editor")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Enter, Shift+Enter (in a find bar)"),
     QT_TRANSLATE_NOOP("Shortcuts", "Next or previous match")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Esc (in a find bar)"),
     QT_TRANSLATE_NOOP("Shortcuts", "Close it and go back")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Alt+underlined letter"),
     QT_TRANSLATE_NOOP("Shortcuts", "Open a menu, press a button or go to a field")),
)


def menu_actions(menus: Iterable[QMenu]) -> list[tuple[str, QAction]]:
    """(menu path, action) for every action of the menus, submenus included."""
    out: list[tuple[str, QAction]] = []
    for menu in menus:
        title = menu.title().replace("&", "")
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                out += [(f"{title} › {path}", a) for path, a in menu_actions([sub])]
            elif not action.isSeparator():
                out.append((title, action))
    return out


def key_text(action: QAction) -> str:
    return ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())


def shortcut_rows(menus: Sequence[QMenu]) -> list[tuple[str, str]]:
    """(keys, what they do) for every menu action with a shortcut, then the keys fields answer to."""
    rows = [(key_text(a), f"{path} › {a.text().replace('&', '')}")
            for path, a in menu_actions(menus) if a.shortcuts()]
    rows += [(translate("Shortcuts", keys), translate("Shortcuts", what)) for keys, what in FIELD_KEYS]
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, menus: Sequence[QMenu], parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        rows = shortcut_rows(menus)
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("What they do")])
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, (keys, what) in enumerate(rows):
            for c, text in enumerate((keys, what)):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
        self.table.resizeColumnToContents(0)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(close)
        self.resize(640, 520)

    def listed(self) -> list[tuple[str, str]]:
        """(keys, what they do) as the table shows them."""
        out = []
        for r in range(self.table.rowCount()):
            keys, what = self.table.item(r, 0), self.table.item(r, 1)
            out.append((keys.text() if keys else "", what.text() if what else ""))
        return out
