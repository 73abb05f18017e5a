"""The country matrix as a model: one row per place, coloured by decision, filterable."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from jurist.workbench.matrix import PLACE_KINDS, MatrixCell

from .. import words
from ..i18n import QT_TRANSLATE_NOOP, place_name, translate
from ..palette import EFFECT_COLOURS
from .table import Column, RowRole, RowsModel


def _colour(c: MatrixCell) -> str:
    return EFFECT_COLOURS[c.effect]


def _tip(c: MatrixCell) -> str:
    if c.rule:
        return translate("Matrix", "{place}: {effect} by {rule}").format(
            place=place_name(c.place.code), effect=words.effect(c.effect), rule=c.rule)
    return translate("Matrix", "{place}: {effect} (the ruleset's default)").format(
        place=place_name(c.place.code), effect=words.effect(c.effect))


class MatrixModel(RowsModel[MatrixCell]):
    COLUMNS = (
        Column(QT_TRANSLATE_NOOP("Columns", "Code"), lambda c: c.place.code, _colour, tooltip=_tip),
        Column(QT_TRANSLATE_NOOP("Columns", "Place"), lambda c: place_name(c.place.code)),
        Column(QT_TRANSLATE_NOOP("Columns", "Kind"), lambda c: words.place_kind(c.place.kind)),
        Column(QT_TRANSLATE_NOOP("Columns", "Decision"), lambda c: words.verdict(c.effect), _colour),
        Column(QT_TRANSLATE_NOOP("Columns", "Deciding rule"), lambda c: c.rule or "(default)"),
        Column(QT_TRANSLATE_NOOP("Columns", "Citation"), lambda c: c.cite, tooltip=lambda c: c.cite or None),
        Column(QT_TRANSLATE_NOOP("Columns", "Source"), lambda c: c.source, tooltip=lambda c: c.source or None),
    )

    def counts(self) -> dict[str, int]:
        out = {"deny": 0, "review": 0, "allow": 0}
        for c in self._rows:
            out[c.effect] += 1
        return out


class MatrixFilter(QSortFilterProxyModel):
    """Keeps rows whose code, name or rule contains the text and whose effect is shown."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._effects = {"deny", "review", "allow"}
        self._kinds = set(PLACE_KINDS)

    def set_text(self, text: str) -> None:
        self._refilter(lambda: setattr(self, "_text", text.strip().lower()))

    def set_effects(self, effects: set[str]) -> None:
        self._refilter(lambda: setattr(self, "_effects", set(effects)))

    def set_kinds(self, kinds: set[str]) -> None:
        self._refilter(lambda: setattr(self, "_kinds", set(kinds)))

    def _refilter(self, change: Any) -> None:
        """Qt 6.9 replaced invalidateFilter() with a begin/end pair; use whichever this Qt has."""
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange()
        else:
            change()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        cell: MatrixCell = self.sourceModel().index(source_row, 0, source_parent).data(RowRole)
        if cell is None or cell.effect not in self._effects or cell.place.kind not in self._kinds:
            return False
        if not self._text:
            return True
        hay = f"{cell.place.code} {cell.place.name} {place_name(cell.place.code)} {cell.rule} {cell.cite}".lower()
        return self._text in hay

    def cells(self) -> list[MatrixCell]:
        return [self.index(r, 0).data(RowRole) for r in range(self.rowCount())]

