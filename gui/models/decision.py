"""A decision taken apart for display: its matched rules, its trace and its detector runs."""
from __future__ import annotations

from typing import Any

from PySide6.QtGui import QStandardItem, QStandardItemModel

from jurist.engine import Decision
from jurist.engine.decision import DetectorRun, MatchedRule, TraceStep

from ..palette import EFFECT_COLOURS
from .table import Column, RowsModel


class MatchedRulesModel(RowsModel[MatchedRule]):
    COLUMNS = (
        Column("Effect", lambda r: r.effect, lambda r: EFFECT_COLOURS.get(r.effect)),
        Column("Rule", lambda r: r.id, tooltip=lambda r: r.id),
        Column("Citation", lambda r: r.cite or "", tooltip=lambda r: r.cite),
        Column("Message", lambda r: r.message or "", tooltip=lambda r: r.message),
        Column("Source", lambda r: r.source, tooltip=lambda r: r.source),
        Column("Unverified", lambda r: f"counted as matched, not checked: {r.unverified}" if r.unverified else "",
               tooltip=lambda r: f"counted as matched, not checked: {r.unverified}" if r.unverified else None),
    )


class DetectorsModel(RowsModel[DetectorRun]):
    COLUMNS = (
        Column("Detector", lambda d: d.name),
        Column("Time (ms)", lambda d: f"{d.ms:.1f}", sort=lambda d: d.ms),
        Column("Status", lambda d: "ok" if d.ok else f"failed: {d.error}",
               lambda d: None if d.ok else EFFECT_COLOURS["deny"], tooltip=lambda d: None if d.ok else d.error),
    )


def _result_text(result: bool | None) -> str:
    return "unknown" if result is None else ("true" if result else "false")


class TraceModel(QStandardItemModel):
    """Rules as parents, the tests evaluated for each as children, in evaluation order."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels(["Step", "Result", "Saw"])

    def set_decision(self, decision: Decision | None) -> None:
        self.removeRows(0, self.rowCount())
        if decision is None:
            return
        pending: list[TraceStep] = []
        for step in decision.trace:
            if step.kind != "rule":
                pending.append(step)
                continue
            rule = [QStandardItem(f"rule {step.subject}"), QStandardItem(_result_text(step.result)), QStandardItem("")]
            for test in pending:
                rule[0].appendRow([QStandardItem(test.subject), QStandardItem(_result_text(test.result)),
                                   QStandardItem("" if test.value is None else str(test.value))])
            pending = []
            for item in rule:
                item.setEditable(False)
            self.appendRow(rule)
