"""The test cases page: add, edit, duplicate, delete, and show only the failed or changed cases (issue 14)."""
from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from jurist.gui.interaction import ScriptedInteraction
from jurist.gui.simulation import RequestForm

from small_ruleset import CASES, SOURCES


def _dialog(qtbot, window):
    dialog = window.cases.case_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def _tick(view, rule_id: str) -> None:
    for i in range(view.count()):
        item = view.item(i)
        if item.data(Qt.ItemDataRole.UserRole) == rule_id:
            item.setCheckState(Qt.CheckState.Checked)
            return
    raise AssertionError(f"{rule_id} is not offered")


def _ok(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def test_a_case_is_added_with_the_simulators_request_and_its_own_expectations(qtbot, make_window, team) -> None:
    window = make_window("erin")
    window.simulator.form.set_form(RequestForm(action="edit", country="US", region="US-CA", tier="paid",
                                               date="2026-03-01", hypothetical=True,
                                               scores={"intent:sexualize": 0.9, "subject:real_person": 0.9}))
    window.tabs.setCurrentWidget(window.cases)
    qtbot.mouseClick(window.cases.add_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(qtbot, window)
    assert json.loads(dialog.request.toPlainText())["region"] == "US-CA"
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()  # no name yet
    assert dialog.problem.text() == "the case needs a name"
    qtbot.keyClicks(dialog.name, "california deepfake is refused")
    dialog.effect.setCurrentIndex(dialog.effect.findData("deny"))
    _tick(dialog.must_fire, "ca_deepfake")
    _tick(dialog.must_not_fire, "eu_deepfake")
    assert not dialog.obligations.isEnabled()  # unchecked until asked for
    dialog.check_obligations.setChecked(True)
    qtbot.keyClicks(dialog.obligations, 'mrak "ai-generated"')
    assert "did you mean `mark`" in dialog.problem.text()
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    dialog.obligations.setText('mark "ai-generated"; disclose "deepfake"')
    qtbot.keyClicks(dialog.policy, "us_ca")
    _ok(qtbot, dialog)
    stored = {c.name: c for c in team.actions("admin").test_cases("global")}["california deepfake is refused"]
    assert (stored.expected_effect, stored.expected_rules, stored.expected_not_rules) == (
        "deny", ("ca_deepfake",), ("eu_deepfake",))
    assert stored.expected_obligations == (("mark", "ai-generated"), ("disclose", "deepfake"))
    assert stored.policy == "us_ca"
    assert window.cases.selected().name == "california deepfake is refused"


def test_a_request_that_does_not_read_is_refused_in_the_dialog(qtbot, make_window) -> None:
    window = make_window("erin")
    window.cases.add_case()
    dialog = _dialog(qtbot, window)
    qtbot.keyClicks(dialog.name, "typo")
    dialog.request.setPlainText('{"country": "GB", "tier": "paid"}')
    assert "tier" in dialog.problem.text()
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    dialog.request.setPlainText('{"country": "GB",')
    assert dialog.problem.text().startswith("the request is not JSON")


def test_enter_edits_the_selected_case_its_effect_and_name(qtbot, make_window, team) -> None:
    window = make_window("erin")
    cases = window.cases
    window.tabs.setCurrentWidget(cases)
    cases.select_case(CASES[0]["name"])
    cases.view.setFocus()
    qtbot.keyClick(cases.view, Qt.Key.Key_Return)
    dialog = _dialog(qtbot, window)
    assert dialog.name.text() == CASES[0]["name"]
    assert dialog.effect.currentData() == "review"
    dialog.name.setText("gb free swimwear is denied")
    dialog.effect.setCurrentIndex(dialog.effect.findData("deny"))
    _ok(qtbot, dialog)
    stored = {c.name: c.expected_effect for c in team.actions("admin").test_cases("global")}
    assert stored == {"gb free swimwear is denied": "deny", CASES[1]["name"]: "deny"}


def test_duplicate_and_delete(qtbot, make_window, team) -> None:
    says = ScriptedInteraction()
    window = make_window("erin", says)
    cases = window.cases
    cases.select_case(CASES[1]["name"])
    qtbot.mouseClick(cases.duplicate_button, Qt.MouseButton.LeftButton)
    assert cases.selected().name == f"{CASES[1]['name']} (copy)"
    says.confirms.append(True)
    qtbot.mouseClick(cases.delete_button, Qt.MouseButton.LeftButton)
    names = sorted(c.name for c in team.actions("admin").test_cases("global"))
    assert names == sorted(c["name"] for c in CASES)
    assert says.errors == []


def test_show_only_the_failed_or_the_changed_cases(qtbot, make_window) -> None:
    window = make_window("erin")
    cases = window.cases
    window.document.set_text("gb/uk.policy", SOURCES["gb/uk.policy"].replace("review attire", "deny attire"))
    with qtbot.waitSignal(cases.finished, timeout=20_000):
        qtbot.mouseClick(cases.run_button, Qt.MouseButton.LeftButton)
    cases.show_combo.setCurrentIndex(cases.show_combo.findData("failed"))
    shown = [cases.filter.index(r, 0).data() for r in range(cases.filter.rowCount())]
    assert shown == ["gb free swimwear is reviewed"]
    assert cases.summary.text().endswith(" · 1 shown")
    with qtbot.waitSignal(cases.finished, timeout=20_000):
        qtbot.mouseClick(cases.compare_button, Qt.MouseButton.LeftButton)
    cases.show_combo.setCurrentIndex(cases.show_combo.findData("changed"))
    assert [cases.filter.index(r, 0).data() for r in range(cases.filter.rowCount())] == ["gb free swimwear is reviewed"]
    cases.show_combo.setCurrentIndex(cases.show_combo.findData("all"))
    assert cases.filter.rowCount() == 2
