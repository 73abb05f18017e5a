"""Adding or editing a test case: its name, the request, the effect it must get, the rules that must (not) fire."""
from __future__ import annotations

import json
from typing import Any, Callable, Collection, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jurist.db.records import TestCaseInfo
from jurist.db.workflow import EFFECTS
from jurist.engine.cases import Case, CaseError
from jurist.workbench.cases import CaseEdit
from jurist.workbench.matrix import request_text

from .. import words
from ..i18n import translate
from .common import leave_with_tab, note_label, say


def rule_list(rule_ids: Sequence[str], checked: Collection[str]) -> QListWidget:
    """Rule ids to tick; ids the case names that the ruleset no longer has are listed too, marked as such."""
    view = QListWidget()
    view.setMaximumHeight(110)
    for rule_id in list(rule_ids) + sorted(set(checked) - set(rule_ids)):
        missing = translate("CaseDialog", "not in the ruleset")
        item = QListWidgetItem(rule_id if rule_id in rule_ids else f"{rule_id}  ({missing})")
        item.setData(Qt.ItemDataRole.UserRole, rule_id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if rule_id in checked else Qt.CheckState.Unchecked)
        view.addItem(item)
    return view


def ticked(view: QListWidget) -> tuple[str, ...]:
    return tuple(str(view.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(view.count())
                 if view.item(i).checkState() == Qt.CheckState.Checked)


class CaseDialog(QDialog):
    """A case's fields; `edit()` is the case as written once the dialog was accepted.

    The request is JSON (what `jurist test` reads), filled from the simulator
    with one click; its images are files on disk or the case's stored images
    by name.  Nothing is stored until OK, and OK is refused, with the reason
    under the fields, while the case would not read.
    """

    def __init__(self, title: str, case: TestCaseInfo | None, rule_ids: Sequence[str],
                 simulator_request: Callable[[], dict[str, Any]] | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.case = case
        self._simulator_request = simulator_request
        self.name = QLineEdit(case.name if case else "")
        self.effect = QComboBox()
        for effect in EFFECTS:
            self.effect.addItem(words.effect(effect), effect)
        self.effect.setCurrentIndex(max(0, self.effect.findData(case.expected_effect if case else "deny")))
        self.must_fire = rule_list(rule_ids, case.expected_rules if case else ())
        self.must_not_fire = rule_list(rule_ids, case.expected_not_rules if case else ())
        # The seam for the language's obligations: the case reader does not take them yet (CaseEdit.obligations).
        self.obligations = QLabel(self.tr("The language has no obligations yet; once it has, the ones a case expects "
                                          "are set here."))
        self.obligations.setWordWrap(True)
        self.obligations.setEnabled(False)
        self.request = leave_with_tab(QPlainTextEdit())
        body = dict(case.to_json()["request"]) if case else (simulator_request() if simulator_request else {})
        self.request.setPlainText(json.dumps(body, indent=2, ensure_ascii=False))
        self.request.textChanged.connect(self._check)
        self.request_summary = note_label()
        from_simulator = QPushButton(self.tr("Use the &simulator's request"))
        from_simulator.setEnabled(simulator_request is not None)
        from_simulator.clicked.connect(self.take_simulator_request)
        self.problem = note_label(warning=True)
        self.review_note = note_label(self.tr("Cases are saved to the store at once and audited; they are not yet "
                                              "versioned with the ruleset, so they do not wait for review."))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(self._check)
        request_buttons = QHBoxLayout()
        request_buttons.addWidget(from_simulator)
        request_buttons.addStretch(1)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("&Expected effect:"), self.effect)
        form.addRow(self.tr("Rules that must &fire:"), self.must_fire)
        form.addRow(self.tr("Rules that must &not fire:"), self.must_not_fire)
        form.addRow(self.tr("Obligations:"), self.obligations)
        form.addRow(self.tr("&Request (JSON):"), self.request)
        form.addRow("", self.request_summary)
        form.addRow("", request_buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.review_note)
        layout.addWidget(self.buttons)
        self.resize(560, 600)
        self._check()

    def take_simulator_request(self) -> None:
        if self._simulator_request is not None:
            self.request.setPlainText(json.dumps(self._simulator_request(), indent=2, ensure_ascii=False))

    def edit(self) -> CaseEdit:
        """The case as written (the request as parsed; `{}` when it is not JSON)."""
        try:
            request = json.loads(self.request.toPlainText() or "{}")
        except ValueError:
            request = {}
        return CaseEdit(self.name.text(), request if isinstance(request, dict) else {}, str(self.effect.currentData()),
                        ticked(self.must_fire), ticked(self.must_not_fire))

    def _check(self) -> str:
        """Why the case cannot be saved as written ("" when it can), said under the fields."""
        problem = ""
        try:
            request = json.loads(self.request.toPlainText() or "{}")
            if not isinstance(request, dict):
                problem = self.tr("the request must be a JSON object, such as {\"country\": \"GB\"}")
        except ValueError as exc:
            problem = self.tr("the request is not JSON: {error}").format(error=exc)
            request = {}
        if not problem and not self.name.text().strip():
            problem = self.tr("the case needs a name")
        if not problem:
            try:
                Case.from_json(self.edit().document())
            except CaseError as exc:
                problem = str(exc)
        say(self.request_summary, request_text(request) if isinstance(request, dict) else "")
        say(self.problem, problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)
        return problem

    def _accept(self) -> None:
        if not self._check():
            self.accept()
