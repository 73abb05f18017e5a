"""A review workflow people can live in: notes and comments, the impact before Approve, what waits for me,
windows that follow the store, progress while the cases run (issue 14)."""
from __future__ import annotations

from PySide6.QtCore import Qt

from jurist.gui.interaction import ScriptedInteraction
from jurist.gui.widgets import main_window

from small_ruleset import SOURCES

CHANGED = SOURCES["eu/eu.policy"].replace("deny intent", "review intent")  # changes one case's decision


def _submitted_by_erin(team, note: str = "") -> int:
    erin = team.actions("erin")
    draft = erin.save(erin.open("global").info, {**SOURCES, "eu/eu.policy": CHANGED})
    erin.take_step("submit", "global", draft.number, note)
    return draft.number


def test_the_submitter_writes_a_note_and_reviewers_comment_on_the_thread(qtbot, make_window, team) -> None:
    erin_says = ScriptedInteraction()
    erin = make_window("erin", erin_says)
    erin.document.set_text("eu/eu.policy", CHANGED)
    qtbot.mouseClick(erin.editor.save_button, Qt.MouseButton.LeftButton)
    erin_says.texts.append("Reviews rather than refuses deepfakes in the EU, per the AI Act's transparency duty.")
    with qtbot.waitSignal(erin.versions.changed, timeout=20_000):
        qtbot.mouseClick(erin.versions.buttons["submit"], Qt.MouseButton.LeftButton)
    asked = [(title, label) for kind, title, label in erin_says.shown if kind == "ask"]
    assert asked[-1][1].startswith("A note to the approvers")

    bob = make_window("bob")
    bob.versions.select_version(2)
    bob.versions.lower_tabs.setCurrentIndex(1)
    thread = bob.versions.thread_view.toPlainText()
    assert "erin · submitter's note · " in thread and " UTC" in thread
    assert "Reviews rather than refuses deepfakes in the EU" in thread
    qtbot.mouseClick(bob.versions.comment, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(bob.versions.comment, "Which article exactly?")
    qtbot.mouseClick(bob.versions.post_button, Qt.MouseButton.LeftButton)
    assert bob.versions.comment.toPlainText() == ""
    assert [(c.author, c.kind, c.body) for c in team.actions("vic").comments("global", 2)] == [
        ("erin", "note", "Reviews rather than refuses deepfakes in the EU, per the AI Act's transparency duty."),
        ("bob", "comment", "Which article exactly?")]
    assert bob.versions.lower_tabs.tabText(1) == "Review thread (2)"
    assert team.actions("admin").audit(1)[0].action == "version.comment"


def test_a_viewer_reads_the_thread_but_is_told_why_they_cannot_post(qtbot, make_window, team) -> None:
    _submitted_by_erin(team, "see the EU file")
    vic = make_window("vic")
    vic.versions.select_version(2)
    assert "see the EU file" in vic.versions.thread_view.toPlainText()
    assert not vic.versions.post_button.isEnabled()
    assert vic.versions.comment_reason.text() == "Commenting needs the editor role; your role is viewer."


def test_the_approver_sees_the_impact_before_approving(qtbot, make_window, team) -> None:
    _submitted_by_erin(team)
    says = ScriptedInteraction()
    bob = make_window("bob", says)
    bob.versions.select_version(2)
    qtbot.waitUntil(lambda: "change decision" in bob.versions.impact.text(), timeout=20_000)
    assert bob.versions.impact.text() == ("Impact of global@v2: 1 of 2 test case(s) fail; 1 change decision "
                                          "against global@v1. (details in the Impact tab)")
    assert "fr sexual deepfake is denied: deny → review" in bob.versions.impact_view.toPlainText()
    assert bob.versions.buttons["approve"].isEnabled()
    says.confirms.append(True)
    says.texts.append("fine with the AI Act reading")
    qtbot.mouseClick(bob.versions.buttons["approve"], Qt.MouseButton.LeftButton)
    confirm = [m for kind, _, m in says.shown if kind == "confirm"][-1]
    assert "1 test case(s) change decision or matched rules against global@v1" in confirm
    assert confirm.endswith("Approve global@v2?")
    assert team.actions("admin").versions("global")[-1].state == "approved"


def test_approve_clicked_before_the_impact_is_ready_waits_for_it(qtbot, make_window, team) -> None:
    _submitted_by_erin(team)
    says = ScriptedInteraction()
    bob = make_window("bob", says)
    bob.versions.select_version(2)
    says.confirms.append(False)
    qtbot.mouseClick(bob.versions.buttons["approve"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(kind == "confirm" for kind, _, _ in says.shown), timeout=20_000)
    assert "fr sexual deepfake is denied: deny → review" in [m for k, _, m in says.shown if k == "confirm"][-1]
    assert team.actions("admin").versions("global")[-1].state == "in_review"  # called off


def test_waiting_for_my_review_lists_what_i_may_approve_and_enter_opens_it(qtbot, make_window, team) -> None:
    _submitted_by_erin(team)
    bob = make_window("bob")
    bob.activateWindow()
    qtbot.waitUntil(bob.isActiveWindow)
    qtbot.keyClick(bob.editor.editor, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    panel = bob.versions
    assert bob.tabs.currentWidget() is panel and panel.waiting.hasFocus()
    assert panel.waiting.count() == 1
    assert panel.waiting.item(0).text().startswith("global@v2 — Approve — by erin, submitted ")
    assert panel.waiting.item(0).text().endswith(" UTC")
    assert bob.waiting_label.text() == "1 waiting for my review"
    panel.select_version(1)
    qtbot.keyClick(panel.waiting, Qt.Key.Key_Return)
    assert panel.selected().number == 2
    assert make_window("erin").versions.waiting.count() == 0  # an editor approves nothing


def test_another_users_publish_shows_within_seconds(qtbot, make_window, team) -> None:
    number = _submitted_by_erin(team)
    alice = make_window("alice")
    assert alice.tree_model.index(0, 0).data().split("\n")[1] == "published v1 · in review v2"
    bob = team.actions("bob")
    bob.take_step("approve", "global", number)
    bob.take_step("publish", "global", number, override_failing_tests="the EU case is rewritten next")
    qtbot.waitUntil(lambda: alice.tree_model.index(0, 0).data().split("\n")[1] == "published v2",
                    timeout=3 * main_window.POLL_MS + 2_000)
    qtbot.waitUntil(lambda: alice.versions.versions.row(0).state == "published", timeout=2_000)


def test_a_refused_step_leaves_the_tree_showing_the_store_as_it_is(qtbot, make_window, team) -> None:
    """The error path refreshed the versions table but left the tree stale."""
    number = _submitted_by_erin(team)
    says = ScriptedInteraction()
    alice = make_window("alice", says)
    alice.poll_timer.stop()  # only the refused step may bring the news
    alice.versions.select_version(number)
    bob = team.actions("bob")
    bob.take_step("approve", "global", number)
    bob.take_step("publish", "global", number, override_failing_tests="the EU case is rewritten next")
    says.texts.append("")
    alice.versions.take("reject")
    assert says.errors and "published" in says.errors[-1]
    assert alice.tree_model.index(0, 0).data().split("\n")[1] == "published v2"


def test_submitting_shows_progress_and_can_be_cancelled_while_other_work_goes_on(qtbot, make_window, team) -> None:
    """Submit took 15-20 s with every button greyed and no progress."""
    alice = team.actions("alice").store
    for i in range(120):  # enough cases (each prompt read by its detector) to still be running when Cancel is pressed
        alice.save_test_case("global", {"name": f"gb case {i}", "request": {
            "country": "GB", "action": "edit", "prompt": f"a watercolour of lighthouse number {i}"},
            "expect": {"effect": "allow"}})
    says = ScriptedInteraction()
    erin = make_window("erin", says)
    erin.document.set_text("eu/eu.policy", CHANGED)
    erin.editor.save()
    panel = erin.versions
    seen = []
    panel.progress.valueChanged.connect(lambda value: seen.append(
        (value, panel.progress.maximum(), panel.progress.isVisible(), panel.progress_cancel.isEnabled(),
         panel.open_button.isEnabled(), panel.file_combo.isEnabled(), panel.reasons.text())))
    says.confirms.append(False)
    erin.tabs.setCurrentWidget(panel)
    qtbot.mouseClick(panel.buttons["submit"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(kind == "confirm" for kind, _, _ in says.shown), timeout=30_000)
    assert seen and seen[-1][:2] == (122, 122)  # each case reported as it ran
    value, total, shown, cancellable, open_ok, files_ok, reasons = seen[len(seen) // 2]
    assert shown and cancellable and open_ok and files_ok  # the rest of the page still works meanwhile
    assert "“Submit for review” goes on once the test cases have run" in reasons
    assert panel.progress.isHidden()

    says.shown.clear()
    panel._impacts.clear()  # noqa: SLF001 - run the cases again, and stop them this time
    says.confirms.append(True)  # were the run to finish, the draft would be submitted
    qtbot.mouseClick(panel.buttons["submit"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.progress_cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.busy, timeout=30_000)
    assert panel.progress.isHidden() and panel.buttons["submit"].isEnabled()
    assert not any(kind == "confirm" for kind, _, _ in says.shown)
    assert team.actions("admin").versions("global")[-1].state == "draft"
