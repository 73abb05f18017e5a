"""A decision taken apart for display: its matched rules, its trace and its detector runs."""
from __future__ import annotations

from typing import Any, Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from jurist.engine import Decision
from jurist.engine.decision import DetectorRun, TraceStep

from .. import words
from ..i18n import QT_TRANSLATE_NOOP, translate
from ..palette import EFFECT_COLOURS
from .table import Column, RowsModel


class DetectorsModel(RowsModel[DetectorRun]):
    COLUMNS = (
        Column(QT_TRANSLATE_NOOP("Columns", "Detector"), lambda d: d.name),
        Column(QT_TRANSLATE_NOOP("Columns", "Time (ms)"), lambda d: f"{d.ms:.1f}", sort=lambda d: d.ms),
        Column(QT_TRANSLATE_NOOP("Columns", "Status"),
               lambda d: translate("Simulator", "ok") if d.ok else translate("Simulator", "failed: {why}").format(
                   why=d.error), lambda d: None if d.ok else EFFECT_COLOURS["deny"],
               tooltip=lambda d: None if d.ok else d.error),
    )


def seen_text(value: Any) -> str:
    """What a test saw, as a person reads it: `0.95`, `paid`, `attire:bikini 0.00, attire:underwear 0.00`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return words.result(value)
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, Mapping):
        return ", ".join(f"{k} {seen_text(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(seen_text(v) for v in value)
    return str(value)


class TraceModel(QStandardItemModel):
    """Rules as parents, the tests evaluated for each as children, in evaluation order."""

    HEADERS = (QT_TRANSLATE_NOOP("Columns", "Step"), QT_TRANSLATE_NOOP("Columns", "Result"),
               QT_TRANSLATE_NOOP("Columns", "Saw"))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels([translate("Columns", h) for h in self.HEADERS])

    def set_decision(self, decision: Decision | None) -> None:
        self.removeRows(0, self.rowCount())
        if decision is None:
            return
        pending: list[TraceStep] = []
        for step in decision.trace:
            if step.kind != "rule":
                pending.append(step)
                continue
            rule = [_item(translate("Simulator", "rule {id}").format(id=step.subject)),
                    _item(words.result(step.result)), _item("")]
            for test in pending:
                rule[0].appendRow([_item(test.subject), _item(words.result(test.result)),
                                   _item(seen_text(test.value))])
            pending = []
            self.appendRow(rule)


def _item(text: str) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    item.setToolTip(text)
    item.setData(text, Qt.ItemDataRole.AccessibleTextRole)
    return item
