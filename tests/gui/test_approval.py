"""Versions and approval with two people: the author cannot approve, another approver can."""
from __future__ import annotations

from PySide6.QtCore import Qt

from jurist.gui.interaction import ScriptedInteraction

from small_ruleset import SOURCES


def _edit_and_save(qtbot, window) -> None:
    window.document.set_text("gb/uk.policy", SOURCES["gb/uk.policy"].replace("0.6", "0.7"))
    qtbot.mouseClick(window.editor.save_button, Qt.MouseButton.LeftButton)


def test_two_person_approval_flow_with_a_refused_self_approval(qtbot, make_window) -> None:
    alice_says = ScriptedInteraction()
    alice = make_window("alice", alice_says)
    _edit_and_save(qtbot, alice)
    panel = alice.versions
    assert panel.selected().number == 2 and panel.selected().state == "draft"
    assert panel.buttons["submit"].isEnabled()

    with qtbot.waitSignal(panel.changed, timeout=20_000):
        qtbot.mouseClick(panel.buttons["submit"], Qt.MouseButton.LeftButton)
    confirm = [m for kind, _, m in alice_says.shown if kind == "confirm"][-1]
    assert "All 2 test case(s) pass on global@v2." in confirm
    assert "No test case changes decision or matched rules against global@v1." in confirm
    assert panel.selected().state == "in_review"

    # alice wrote v2: the button is disabled and says why, and the service refuses it anyway
    qtbot.waitUntil(lambda: not panel.busy, timeout=20_000)  # her impact run (she is an approver too)
    assert "Approve: you wrote v2; the two-person rule needs another approver" in panel.reasons.text()
    assert not panel.buttons["approve"].isEnabled()
    assert "two-person rule" in panel.buttons["approve"].toolTip()
    panel.take("approve")
    assert "`alice` wrote global@v2 and cannot approve it; another approver must" in alice_says.errors[-1]
    assert panel.selected().state == "in_review"

    bob_says = ScriptedInteraction()
    bob = make_window("bob", bob_says)
    bob.versions.select_version(2)
    qtbot.waitUntil(lambda: not bob.versions.busy, timeout=20_000)
    assert bob.versions.buttons["approve"].isEnabled()
    bob_says.texts.append("checked the threshold change")
    qtbot.mouseClick(bob.versions.buttons["approve"], Qt.MouseButton.LeftButton)
    assert bob.versions.selected().state == "approved"
    assert bob.versions.selected().approvals[0].approver == "bob"
    qtbot.mouseClick(bob.versions.buttons["publish"], Qt.MouseButton.LeftButton)
    states = {bob.versions.versions.row(r).number: bob.versions.versions.row(r).state
              for r in range(bob.versions.versions.rowCount())}
    assert states == {1: "retired", 2: "published"}
    assert bob_says.errors == []

    actions = [bob.versions.audit.row(r).action for r in range(bob.versions.audit.rowCount())]
    assert actions[:4] == ["version.publish", "version.approve", "version.submit", "version.save"] or \
        actions[:3] == ["version.publish", "version.approve", "version.submit"]
    bob.versions.audit_subject.setText("ruleset:global@2")
    bob.versions.refresh_audit()
    assert all(bob.versions.audit.row(r).subject == "ruleset:global@2" for r in range(bob.versions.audit.rowCount()))
    bob.versions.verify_audit()
    assert bob.versions.audit_status.text().startswith("audit chain intact")


def test_submit_shows_the_cases_a_draft_changes_and_can_be_called_off(qtbot, make_window, team) -> None:
    says = ScriptedInteraction()
    window = make_window("erin", says)
    window.document.set_text("eu/eu.policy", SOURCES["eu/eu.policy"].replace("deny intent", "review intent"))
    qtbot.mouseClick(window.editor.save_button, Qt.MouseButton.LeftButton)
    says.confirms.append(False)
    qtbot.mouseClick(window.versions.buttons["submit"], Qt.MouseButton.LeftButton)
    # While the comparison runs, no review button can start a second one.
    assert window.versions.busy
    assert not any(button.isEnabled() for button in window.versions.buttons.values())
    qtbot.waitUntil(lambda: any(kind == "confirm" for kind, _, _ in says.shown), timeout=20_000)
    assert window.versions.buttons["submit"].isEnabled()
    message = [m for kind, _, m in says.shown if kind == "confirm"][-1]
    assert "1 test case(s) change decision or matched rules against global@v1" in message
    assert "fr sexual deepfake is denied: deny → review" in message
    assert team.actions("admin").versions("global")[-1].state == "draft"  # called off


def test_a_viewer_sees_history_but_every_review_button_is_disabled(qtbot, make_window) -> None:
    window = make_window("vic")
    assert window.versions.versions.rowCount() == 1
    for action, button in window.versions.buttons.items():
        assert not button.isEnabled(), action
        assert "you are a viewer" in button.toolTip() or "needs" in button.toolTip()


def test_side_by_side_diff_between_versions(qtbot, make_window) -> None:
    window = make_window("alice")
    _edit_and_save(qtbot, window)
    panel = window.versions
    assert panel.old_combo.currentData() == 1 and panel.new_combo.currentData() == 2
    assert panel.file_combo.currentText() == "gb/uk.policy"
    changed = [r for r in panel.diff_rows if r.kind == "changed"]
    assert len(changed) == 1 and "0.6" in changed[0].left and "0.7" in changed[0].right
    assert changed[0].left_no == changed[0].right_no == 2


def test_submit_names_cases_whose_matched_rules_change_under_the_same_decision(qtbot, make_window) -> None:
    says = ScriptedInteraction()
    window = make_window("erin", says)
    window.document.set_text("eu/eu.policy", SOURCES["eu/eu.policy"].replace("eu_deepfake", "eu_sexual_deepfake"))
    qtbot.mouseClick(window.editor.save_button, Qt.MouseButton.LeftButton)
    says.confirms.append(False)
    qtbot.mouseClick(window.versions.buttons["submit"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(kind == "confirm" for kind, _, _ in says.shown), timeout=20_000)
    message = [m for kind, _, m in says.shown if kind == "confirm"][-1]
    assert "1 test case(s) change decision or matched rules against global@v1" in message
    assert "decide differently" not in message
    assert "  fr sexual deepfake is denied: deny → deny (rules: +eu_sexual_deepfake −eu_deepfake)" in message


def test_publish_confirmation_names_the_version_it_retires(qtbot, make_window, team) -> None:
    alice, bob = team.actions("alice").store, team.actions("bob").store
    alice.create_draft("global", {**SOURCES, "gb/uk.policy": SOURCES["gb/uk.policy"].replace("0.6", "0.7")})
    alice.submit("global", 2)
    bob.approve("global", 2)
    says = ScriptedInteraction()
    window = make_window("bob", says)
    window.versions.refresh()
    window.versions.select_version(2)
    says.confirms.append(False)
    qtbot.mouseClick(window.versions.buttons["publish"], Qt.MouseButton.LeftButton)
    message = [m for kind, _, m in says.shown if kind == "confirm"][-1]
    assert "global@v1, the version published now, will be retired." in message
    assert "The version published now" not in message
