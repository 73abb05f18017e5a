"""Usable at 1,024×700 and from the keyboard alone (issue 14: "Fits and keys")."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication

from jurist.gui.models.rulesets import NodeRole
from jurist.gui.simulation import RequestForm

from small_ruleset import SOURCES


def _active(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _key(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key where a person's goes: to the widget with the focus (or the open popup)."""
    target = QApplication.activePopupWidget() or QApplication.focusWidget()
    qtbot.keyClick(target, key, modifier)


def _on_screen(widget, window) -> bool:
    """Whether the whole of `widget` lies inside the window and is not scrolled or clipped away."""
    top_left = widget.mapTo(window, QPoint(0, 0))
    inside = window.rect().contains(QRect(top_left, widget.size()))
    return inside and widget.isVisible() and widget.visibleRegion().boundingRect().size() == widget.size()


def test_the_window_fits_1024_by_700_and_the_verdict_is_on_screen(qtbot, make_window) -> None:
    """The window could not be narrower than 1,239 px: a fixed 390 px panel and an 839 px simulator page."""
    window = make_window("vic")
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024 and window.height() == 700)
    assert window.minimumSizeHint().width() <= 1024 and window.minimumSizeHint().height() <= 700
    central = window.tabs.size()
    for page in (window.editor, window.simulator, window.matrix, window.countries, window.cases, window.versions):
        hint = page.minimumSizeHint()
        assert hint.width() <= central.width() and hint.height() <= central.height(), page
    window.tabs.setCurrentWidget(window.simulator)
    window.simulator.form.set_form(RequestForm(action="edit", country="GB", region="GB-ENG", tier="free",
                                               surface="app", date="2026-03-01", hypothetical=True,
                                               scores={"attire:bikini": 0.8, "subject:real_person": 0.9}))
    with qtbot.waitSignal(window.simulator.decided, timeout=10_000):
        qtbot.mouseClick(window.simulator.run_button, Qt.MouseButton.LeftButton)
    qtbot.wait(50)
    assert _on_screen(window.simulator.effect_label, window)
    assert _on_screen(window.simulator.run_button, window)


def test_the_rulesets_panel_closes_and_comes_back(qtbot, make_window) -> None:
    window = _active(qtbot, make_window("vic"))
    assert window.dock.isVisible()
    _key(qtbot, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert not window.dock.isVisible() and window.preferences.show_rulesets is False
    qtbot.waitUntil(lambda: window.tabs.width() > window.width() - 40)  # the pages take the room
    _key(qtbot, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert window.dock.isVisible()


def test_enter_on_a_tree_item_opens_it(qtbot, make_window) -> None:
    window = _active(qtbot, make_window("erin"))
    window.tabs.setCurrentWidget(window.versions)
    tree, model = window.tree, window.tree_model
    group = next(model.index(r, 0, model.index(0, 0)) for r in range(model.rowCount(model.index(0, 0)))
                 if str(model.index(r, 0, model.index(0, 0)).data()).startswith("US-CA"))
    tree.setFocus()
    tree.setCurrentIndex(group)
    _key(qtbot, Qt.Key.Key_Right)  # opens the place
    _key(qtbot, Qt.Key.Key_Down)   # to its file
    assert tree.currentIndex().data(NodeRole).path == "us/ca.policy"
    _key(qtbot, Qt.Key.Key_Return)
    assert window.tabs.currentWidget() is window.editor
    assert window.editor.current_file == "us/ca.policy"
    assert window.editor.editor.toPlainText() == SOURCES["us/ca.policy"]


def test_tab_leaves_the_prompt_box_and_tables(qtbot, make_window) -> None:
    window = _active(qtbot, make_window("vic"))
    window.tabs.setCurrentWidget(window.simulator)
    prompt = window.simulator.form.prompt
    qtbot.mouseClick(prompt.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(prompt, "put her in a bikini")
    _key(qtbot, Qt.Key.Key_Tab)
    assert not prompt.hasFocus()
    assert prompt.toPlainText() == "put her in a bikini"  # no tab typed into it

    window.tabs.setCurrentWidget(window.cases)
    view = window.cases.view
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    _key(qtbot, Qt.Key.Key_Tab)
    assert not view.hasFocus()  # Tab left the table instead of walking its cells


def test_tab_indents_in_the_policy_editor_and_ctrl_tab_leaves_it_on_the_same_page(qtbot, make_window) -> None:
    window = _active(qtbot, make_window("erin"))
    window.tabs.setCurrentWidget(window.editor)
    editor = window.editor.editor
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    _key(qtbot, Qt.Key.Key_Tab)
    assert editor.toPlainText().endswith("\n    ") and editor.hasFocus()
    _key(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert not editor.hasFocus() and window.tabs.currentWidget() is window.editor  # no keyboard trap
    assert window.editor.isAncestorOf(QApplication.focusWidget())


def test_ctrl_f_finds_in_the_editor_and_escape_goes_back(qtbot, make_window) -> None:
    window = _active(qtbot, make_window("erin"))
    window.tabs.setCurrentWidget(window.editor)
    window.editor.open_file("eu/eu.policy")
    editor = window.editor.editor
    editor.setFocus()
    _key(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = window.editor.find_bar
    assert bar.isVisible() and bar.field.hasFocus()
    qtbot.keyClicks(bar.field, "REFUSED")
    assert editor.textCursor().selectedText() == "refused"  # any case
    assert editor.textCursor().blockNumber() == 2  # `message "sexual deepfakes are refused"`
    _key(qtbot, Qt.Key.Key_Escape)
    assert not bar.isVisible() and editor.hasFocus()
    _key(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(bar.field, "nowhere to be found")
    assert bar.status.text() == "not found"


def test_ctrl_f_finds_a_row_in_a_table(qtbot, make_window) -> None:
    window = _active(qtbot, make_window("erin"))
    window.tabs.setCurrentWidget(window.cases)
    window.cases.view.setFocus()
    _key(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.cases.find_bar.field, "deepfake")
    assert window.cases.selected().name == "fr sexual deepfake is denied"


def test_undo_is_visible_and_each_file_keeps_its_own_history(qtbot, make_window) -> None:
    window = _active(qtbot, make_window("erin"))
    panel, editor = window.editor, window.editor.editor
    panel.open_file("gb/uk.policy")
    assert not panel.undo_button.isEnabled() and not window.undo_action.isEnabled()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, "# checked")
    assert panel.undo_button.isEnabled() and window.undo_action.isEnabled()
    panel.open_file("eu/eu.policy")
    assert not panel.undo_button.isEnabled()  # this file has nothing to undo
    panel.open_file("gb/uk.policy")
    assert panel.undo_button.isEnabled()  # switching files kept the history
    qtbot.mouseClick(panel.undo_button, Qt.MouseButton.LeftButton)
    assert editor.toPlainText() == SOURCES["gb/uk.policy"]
    assert not window.document.dirty
    assert panel.redo_button.isEnabled()
    editor.setFocus()
    _key(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert editor.toPlainText().endswith("# checked")


def test_menus_have_shortcut_letters_and_help_lists_every_shortcut(qtbot, make_window) -> None:
    window = _active(qtbot, make_window("erin"))
    titles = [m.title() for m in window.menus]
    letters = [t[t.index("&") + 1].lower() for t in titles if "&" in t]
    assert len(letters) == len(titles) == len(set(letters))  # Alt+letter opens each, no two share one
    _key(qtbot, Qt.Key.Key_F1)
    listed = window.shortcuts_dialog.listed()
    keys = " ; ".join(k for k, _ in listed)
    bound = {s.toString() for a in window.findChildren(type(window.save_action)) for s in a.shortcuts()}
    assert "Ctrl+S" in bound and "Ctrl+F" in bound and "Ctrl+Shift+W" in bound
    for shortcut in bound:
        assert shortcut in keys, shortcut
    assert any(what.endswith("› Save") for _, what in listed)
    assert any("Ctrl+Space" in k for k, _ in listed)  # the fields' own keys are listed too


def test_larger_and_smaller_text_from_the_keyboard(qtbot, make_window) -> None:
    window = _active(qtbot, make_window("erin"))
    editor = window.editor.editor
    assert editor.font().pointSize() == 10
    _key(qtbot, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    _key(qtbot, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert editor.font().pointSize() == 12 and window.font().pointSize() == 12
    assert window.preferences.point_size == 12
    _key(qtbot, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert editor.font().pointSize() == 11
    _key(qtbot, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert editor.font().pointSize() == 10 and window.font().pointSize() == 10
    window.wrap_action.trigger()
    assert editor.lineWrapMode() == editor.LineWrapMode.WidgetWidth
