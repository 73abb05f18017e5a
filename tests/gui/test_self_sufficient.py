"""What could only be done at the command line: files for a place, a country's rules, users, a second person."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from jurist.gui.interaction import ScriptedInteraction

from small_ruleset import SOURCES


def _active(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _key(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    target = QApplication.activePopupWidget() or QApplication.focusWidget()
    assert target is not None, "no widget has the keyboard focus"
    qtbot.keyClick(target, key, modifier)


def _type_over(qtbot, field, text: str) -> None:
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, text)


def test_a_new_file_for_a_country_gets_its_header_and_is_saved_with_the_draft(qtbot, make_window, team) -> None:
    window = _active(qtbot, make_window("erin"))
    _key(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.editor.file_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    _type_over(qtbot, dialog.place.lineEdit(), "Germany")
    _key(qtbot, Qt.Key.Key_Tab)
    assert dialog.place.currentText() == "DE — Germany"
    assert dialog.name.text() == "de.policy"  # the name follows the place
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert window.editor.current_file == "de.policy"
    assert window.editor.editor.toPlainText() == "# Germany.\njurisdiction DE\n\n"
    assert any(str(window.tree_model.index(r, 0, window.tree_model.index(0, 0)).data()).startswith("DE — Germany")
               for r in range(window.tree_model.rowCount(window.tree_model.index(0, 0))))
    editor = window.editor.editor
    qtbot.waitUntil(lambda: window.focusWidget() is editor)  # ready for the first rule
    _active(qtbot, window)
    qtbot.keyClicks(editor, "rule de_deepfake: deny intent:sexualize subject:real_person")
    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    stored = team.actions("admin").open("global", 2).sources
    assert stored["de.policy"].startswith("# Germany.\njurisdiction DE\n\nrule de_deepfake")
    assert set(stored) == set(SOURCES) | {"de.policy"}


def test_a_file_name_that_is_taken_is_refused_in_the_dialog(qtbot, make_window) -> None:
    window = _active(qtbot, make_window("erin"))
    window.editor.new_file()
    dialog = window.editor.file_dialog
    _type_over(qtbot, dialog.name, "gb/uk.policy")
    assert dialog.problem.text() == "`gb/uk.policy` already exists"
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_rename_and_delete_a_file_from_the_keyboard_and_the_menu(qtbot, make_window, team) -> None:
    says = ScriptedInteraction()
    window = _active(qtbot, make_window("erin", says))
    window.editor.open_file("us/ca.policy")
    window.editor.editor.setFocus()
    says.texts.append("us-ca.policy")
    _key(qtbot, Qt.Key.Key_F2)
    assert window.editor.current_file == "us-ca.policy" and "us/ca.policy" not in window.document.sources
    says.confirms.append(True)
    next(a for a in window.menus[0].actions() if a.text() == "&Delete file…").trigger()
    assert "us-ca.policy" not in window.document.sources
    window.editor.save()
    assert set(team.actions("admin").open("global", 2).sources) == set(SOURCES) - {"us/ca.policy"}
    assert says.errors == []


def test_a_countrys_rules_include_the_global_ones_and_a_rule_can_be_added(qtbot, make_window) -> None:
    window = _active(qtbot, make_window("erin"))
    _key(qtbot, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    page = window.countries
    assert window.tabs.currentWidget() is page
    _type_over(qtbot, page.country.lineEdit(), "France")
    _key(qtbot, Qt.Key.Key_Tab)
    shown = {page.model.row(r).id: page.model.index(r, 2).data() for r in range(page.model.rowCount())}
    assert shown == {"minors_nudity": "everywhere", "undress_real": "everywhere", "eu_deepfake": "this country"}
    eu_row = next(r for r in range(page.model.rowCount()) if page.model.row(r).id == "eu_deepfake")
    assert page.model.index(eu_row, 2).data(Qt.ItemDataRole.ToolTipRole) == "AT, BE, DE, ES, FR, IE, IT, NL"
    page.view.selectRow(next(r for r in range(page.model.rowCount()) if page.model.row(r).id == "eu_deepfake"))
    assert "AI Act Art. 50" in page.detail.toPlainText() and "sexual deepfakes are refused" in page.detail.toPlainText()
    page.view.setFocus()
    _key(qtbot, Qt.Key.Key_Return)  # opens the rule in the editor
    assert window.tabs.currentWidget() is window.editor and window.editor.current_file == "eu/eu.policy"
    assert window.editor.editor.textCursor().blockNumber() == 1

    window.tabs.setCurrentWidget(page)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert window.editor.current_file == "fr.policy"
    editor = window.editor.editor
    assert editor.textCursor().selectedText() == "review intent:sexualize subject:real_person"  # ready to type over
    qtbot.keyClicks(editor, "deny intent:undress")
    window.document.compile_now()
    ids = [page.model.row(r).id for r in range(page.model.rowCount())]
    assert "fr_new_rule" in ids and window.document.result.ok
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "fr_new_rule" in editor.toPlainText()  # the typing went first; the added rule is one more step


def test_an_admin_adds_a_user_changes_a_role_and_acts_as_them(qtbot, make_window, team) -> None:
    window = _active(qtbot, make_window("admin"))
    _key(qtbot, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.users_dialog
    assert dialog is not None and dialog.isVisible()
    _type_over(qtbot, dialog.new_name, "jdupont")
    dialog.new_role.setCurrentIndex(dialog.new_role.findData("approver"))
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    users = {u.name: u.role for u in team.actions("admin").users()}
    assert users["jdupont"] == "approver"
    assert dialog.selected().name == "jdupont"
    dialog.role.setCurrentIndex(dialog.role.findData("editor"))
    qtbot.mouseClick(dialog.set_role_button, Qt.MouseButton.LeftButton)
    assert {u.name: u.role for u in team.actions("admin").users()}["jdupont"] == "editor"
    assert [e.action for e in team.actions("admin").audit(2)] == ["user.role", "user.add"]

    qtbot.mouseClick(dialog.act_as_button, Qt.MouseButton.LeftButton)
    second = window.other_windows[-1]
    qtbot.addWidget(second)
    assert second.commands.actor == "jdupont" and "jdupont" in second.windowTitle()
    second.document.set_text("gb/uk.policy", SOURCES["gb/uk.policy"] + "# by jdupont\n")
    second.editor.save()
    saved = team.actions("admin").audit(1)[0]
    assert (saved.actor, saved.via) == ("jdupont", "admin")  # the admin behind the second person is recorded


def test_a_non_admin_sees_why_users_cannot_be_changed(qtbot, make_window) -> None:
    window = _active(qtbot, make_window("bob"))
    window.show_users()
    dialog = window.users_dialog
    assert not dialog.add_button.isEnabled() and not dialog.act_as_button.isEnabled()
    assert dialog.reason.isVisible()
    assert dialog.reason.text() == "Only an admin adds users or changes roles; your role is approver."
