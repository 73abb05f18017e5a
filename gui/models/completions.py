"""The editor's completions: the fixed vocabulary, built once, and the ruleset's set names beside it.

The fixed entries (labels, places, keywords: about 5,600 rows) never change,
so they are filled into their model once per editor; a compile only touches
the small model of set names, and only when the names changed.  Filling the
big model again after every pause in typing was a visible stall.
"""
from __future__ import annotations

from typing import Any, Iterable

from PySide6.QtCore import QConcatenateTablesProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from ..completion import Entry, fixed_entries, set_entries

InsertRole = Qt.ItemDataRole.UserRole + 20  # the text a chosen entry inserts
MatchRole = Qt.ItemDataRole.UserRole + 21   # what the typed word is matched against


def _fill(model: QStandardItemModel, entries: Iterable[Entry]) -> None:
    for e in entries:
        item = QStandardItem(e.display)
        item.setData(e.insert, InsertRole)
        item.setData(e.key, MatchRole)
        item.setToolTip(e.kind)
        model.appendRow(item)


class CompletionsModel(QConcatenateTablesProxyModel):
    """The ruleset's set names first, then the fixed entries: one list for the completer."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        # One column before any row: the proxy shows only the columns every source has.
        self.sets = QStandardItemModel(0, 1, self)
        self.fixed = QStandardItemModel(0, 1, self)
        _fill(self.fixed, fixed_entries())
        self.addSourceModel(self.sets)
        self.addSourceModel(self.fixed)
        self._set_names: tuple[str, ...] = ()

    def set_set_names(self, names: Iterable[str]) -> bool:
        """Offer these set names; False (and no signal at all) when they are the ones already offered."""
        wanted = tuple(sorted(set(names)))
        if wanted == self._set_names:
            return False
        self._set_names = wanted
        self.sets.removeRows(0, self.sets.rowCount())
        _fill(self.sets, set_entries(wanted))
        return True
