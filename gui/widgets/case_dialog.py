"""Adding or editing a test case: its name, the request, the effect it must get, the rules that must (not) fire."""
from __future__ import annotations

import json
from typing import Any, Callable, Collection, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
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
from jurist.engine.cases import Case, CaseError, obligations_text, parse_obligations
from jurist.engine.vocabulary import SCHEMA
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
        expected = case.expected_obligations if case else None
        self.check_obligations = QCheckBox(self.tr("Check the decision's &obligations: exactly these"))
        self.check_obligations.setChecked(expected is not None)
        self.obligations = QLineEdit(obligations_text(expected or ()))
        self.obligations.setPlaceholderText(self.tr('none; or e.g. mark "ai-generated"; disclose "deepfake"'))
        self.obligations.setToolTip(self.tr("What the caller must do with an output the decision lets through. "
                                            "Kinds: {kinds}").format(kinds=", ".join(sorted(SCHEMA.obligations))))
        self.obligations.setEnabled(expected is not None)
        self.check_obligations.toggled.connect(self.obligations.setEnabled)
        self.check_obligations.toggled.connect(lambda *_: self._check())
        self.obligations.textChanged.connect(self._check)
        self.policy = QLineEdit((case.policy or "") if case else "")
        self.policy.setPlaceholderText(self.tr("optional, e.g. minors"))
        self.policy.setToolTip(self.tr("The seed policy this case proves (rulesets/policies.toml); the rulesets "
                                       "report counts it for that policy, moment and place"))
        self.policy.textChanged.connect(self._check)
        self.request = leave_with_tab(QPlainTextEdit())
        body = dict(case.to_json()["request"]) if case else (simulator_request() if simulator_request else {})
        self.request.setPlainText(json.dumps(body, indent=2, ensure_ascii=False))
        self.request.textChanged.connect(self._check)
        self.request_summary = note_label()
        from_simulator = QPushButton(self.tr("Use the &simulator's request"))
        from_simulator.setEnabled(simulator_request is not None)
        from_simulator.clicked.connect(self.take_simulator_request)
        self.problem = note_label(warning=True)
        self.review_note = note_label(self.tr("The case is saved to the ruleset's working set at once (audited). A "
                                              "version keeps the cases it was submitted with: submit again for a "
                                              "change to count in review and at publication."))
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
        form.addRow("", self.check_obligations)
        form.addRow(self.tr("Obligations:"), self.obligations)
        form.addRow(self.tr("Seed &policy:"), self.policy)
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
        obligations = None
        if self.check_obligations.isChecked():
            try:
                obligations = parse_obligations(self.obligations.text())
            except CaseError:
                obligations = None  # `_check` says why; the case is not saved as written
        return CaseEdit(self.name.text(), request if isinstance(request, dict) else {}, str(self.effect.currentData()),
                        ticked(self.must_fire), ticked(self.must_not_fire), obligations,
                        self.policy.text().strip() or None)

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
        if not problem and self.check_obligations.isChecked():
            try:
                parse_obligations(self.obligations.text())
            except CaseError as exc:
                problem = str(exc)
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
