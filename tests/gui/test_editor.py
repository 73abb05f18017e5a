"""The editor page driven like a person would: typing, reading problems, saving."""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from jurist.gui.interaction import ScriptedInteraction

from small_ruleset import SOURCES


def type_lines(qtbot, editor, text: str) -> None:
    """Type text line by line; Return is sent as a key event (QTest cannot click "\\n" in this PySide)."""
    for i, line in enumerate(text.split("\n")):
        if i:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(editor, QKeyEvent(kind, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r"))
        if line:
            qtbot.keyClicks(editor, line)


def _open_file(window, path: str) -> None:
    window.editor.open_file(path)
    assert window.editor.current_file == path


def test_typing_an_error_shows_its_diagnostic_at_the_right_line(qtbot, make_window) -> None:
    window = make_window("erin")
    editor = window.editor.editor
    _open_file(window, "gb/uk.policy")
    editor.go_to(4)  # the empty line after the rule
    qtbot.keyClicks(editor, "rule typo: deny attire:bikni")
    qtbot.waitUntil(lambda: window.editor.problems.rowCount() == 1, timeout=5000)
    problem = window.editor.problems.row(0)
    assert (problem.file, problem.line, problem.column) == ("gb/uk.policy", 4, 17)
    assert problem.message == "unknown label `attire:bikni`"
    underline = [s for s in editor.extraSelections() if s.cursor.blockNumber() == 3]
    assert len(underline) == 1 and underline[0].cursor.selectedText() == "attire:bikni"
    assert editor.diagnostics_at(4, 20)[0].help == "did you mean `attire:bikini`?"
    assert editor.diagnostics_at(4, 3) == []
    assert "1 error(s)" in window.editor.problems_label.text()

    editor.selectAll()
    type_lines(qtbot, editor, "default allow\n\nrule fixed: deny attire:bikini\n")
    qtbot.waitUntil(lambda: window.editor.problems.rowCount() == 0, timeout=5000)
    assert editor.extraSelections() == []


def test_clicking_a_problem_jumps_to_its_file_and_line(qtbot, make_window) -> None:
    window = make_window("erin")
    _open_file(window, "global/base.policy")
    editor = window.editor.editor
    editor.go_to(3)
    editor.moveCursor(editor.textCursor().MoveOperation.EndOfLine)
    type_lines(qtbot, editor, "\nrule x: deny region = GB-XXX")
    qtbot.waitUntil(lambda: window.editor.problems.rowCount() >= 1, timeout=5000)
    _open_file(window, "eu/eu.policy")
    view = window.editor.problems_view
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(view.model().index(0, 3)).center())
    assert window.editor.current_file == "global/base.policy"
    assert editor.textCursor().blockNumber() + 1 == window.editor.problems.row(0).line == 4


def test_completion_offers_country_codes_with_names(qtbot, make_window) -> None:
    window = make_window("erin")
    editor = window.editor.editor
    _open_file(window, "gb/uk.policy")
    editor.go_to(4)
    qtbot.keyClicks(editor, "set NORDIC = {DE")
    assert editor.completer.popup().isVisible()
    shown = [editor.completer.completionModel().index(i, 0).data() for i in range(editor.completer.completionCount())]
    assert "DE  Germany" in shown
    type_lines(qtbot, editor, "}\n")
    assert window.document.compile_now().ok  # set names come from the last clean compile
    qtbot.keyClicks(editor, "rule n: deny intent:undress where country in NOR")
    shown = [editor.completer.completionModel().index(i, 0).data() for i in range(editor.completer.completionCount())]
    assert "NORDIC  — set" in shown


def test_saving_a_published_version_starts_a_draft_then_saves_into_it(qtbot, make_window, team) -> None:
    window = make_window("erin")
    _open_file(window, "gb/uk.policy")
    window.editor.editor.moveCursor(window.editor.editor.textCursor().MoveOperation.End)
    type_lines(qtbot, window.editor.editor, "# reviewed in March\n")
    assert window.document.dirty
    qtbot.mouseClick(window.editor.save_button, Qt.MouseButton.LeftButton)
    assert (window.document.version.number, window.document.version.state) == (2, "draft")
    assert not window.document.dirty
    stored = team.actions("admin").open("global", 2)
    assert stored.sources["gb/uk.policy"].endswith("# reviewed in March\n")
    assert stored.sources["eu/eu.policy"] == SOURCES["eu/eu.policy"]
    assert "draft v2" in window.tree_model.index(0, 0).data()


def test_a_save_conflict_offers_to_reload_instead_of_overwriting(qtbot, make_window, team) -> None:
    team.actions("erin").save(team.actions("erin").open("global").info, dict(SOURCES))  # v2 draft
    interaction = ScriptedInteraction()
    window = make_window("alice", interaction)
    assert window.document.version.number == 2
    team.actions("erin").save(team.actions("erin").open("global").info, dict(SOURCES, **{"x.policy": "default allow\n"}))
    _open_file(window, "gb/uk.policy")
    type_lines(qtbot, window.editor.editor, "# mine\n")
    interaction.confirms.append(True)
    qtbot.mouseClick(window.editor.save_button, Qt.MouseButton.LeftButton)
    kind, title, message = interaction.shown[-1]
    assert kind == "confirm" and "changed by someone else" in message
    assert "x.policy" in window.document.sources and not window.document.dirty


def _press_return(qtbot, editor) -> None:
    """Return where a person's key goes: to the completion popup while it is open, else to the editor."""
    popup = editor.completer.popup()
    qtbot.keyClick(popup if popup.isVisible() else editor, Qt.Key.Key_Return)


def test_return_after_a_complete_word_starts_a_new_line(qtbot, make_window) -> None:
    window = make_window("erin")
    editor = window.editor.editor
    _open_file(window, "gb/uk.policy")
    editor.go_to(4)
    qtbot.keyClicks(editor, "rule t6: deny subject:minor")
    assert not editor.completer.popup().isVisible()  # the only completion is what was typed
    _press_return(qtbot, editor)
    qtbot.keyClicks(editor, "jurisdiction GB")
    _press_return(qtbot, editor)  # GB-ENG and others are offered, but GB itself is current: Return is a newline
    lines = editor.toPlainText().split("\n")
    assert lines[3] == "rule t6: deny subject:minor"
    assert lines[4] == "jurisdiction GB"
    assert lines[5] == ""
    assert editor.textCursor().blockNumber() == 5


def test_return_still_takes_an_offered_completion(qtbot, make_window) -> None:
    window = make_window("erin")
    editor = window.editor.editor
    _open_file(window, "gb/uk.policy")
    editor.go_to(4)
    qtbot.keyClicks(editor, "rule t7: deny subject:mi")
    assert editor.completer.popup().isVisible()
    _press_return(qtbot, editor)
    assert editor.toPlainText().split("\n")[3] == "rule t7: deny subject:minor"


def test_problems_show_help_readably_with_the_whole_diagnostic_in_tooltips(qtbot, make_window) -> None:
    window = make_window("erin")
    window.resize(1400, 880)
    editor = window.editor.editor
    _open_file(window, "gb/uk.policy")
    editor.go_to(4)
    qtbot.keyClicks(editor, "rule typo: deny attire:bikni")
    qtbot.waitUntil(lambda: window.editor.problems.rowCount() == 1, timeout=5000)
    view, model = window.editor.problems_view, window.editor.problems
    header = view.horizontalHeader()
    help_width = header.sectionSize(4)
    assert help_width >= view.fontMetrics().horizontalAdvance("did you mean `attire:bikini`?")
    assert header.sectionViewportPosition(4) + help_width <= view.viewport().width()
    for column in (3, 4):
        tip = model.index(0, column).data(Qt.ItemDataRole.ToolTipRole)
        assert tip == "error: unknown label `attire:bikni`\nhelp: did you mean `attire:bikini`?"


def test_saving_a_draft_with_errors_says_it_cannot_be_submitted_yet(qtbot, make_window) -> None:
    window = make_window("erin")
    window.document.set_text("gb/uk.policy", "rule x: deny attire:bikni\n")
    assert not window.editor.save_note.isVisible()
    qtbot.mouseClick(window.editor.save_button, Qt.MouseButton.LeftButton)
    assert window.editor.save_note.isVisible()
    assert window.editor.save_note.text() == \
        "saved global@v2 with 1 error(s); it cannot be submitted until they are fixed"
    assert "revision" not in window.editor.version_label.text()
    assert "saved" in window.editor.version_label.toolTip()
    window.document.set_text("gb/uk.policy", SOURCES["gb/uk.policy"])
    window.document.compile_now()
    qtbot.waitUntil(lambda: not window.editor.save_note.isVisible(), timeout=5000)


def test_the_rulesets_tree_shows_the_whole_state(qtbot, make_window) -> None:
    window = make_window("erin")
    window.document.set_text("gb/uk.policy", SOURCES["gb/uk.policy"].replace("0.6", "0.7"))
    qtbot.mouseClick(window.editor.save_button, Qt.MouseButton.LeftButton)
    tree, model = window.tree, window.tree_model
    item = model.index(0, 0)
    name, state = item.data().split("\n")
    assert (name, state) == ("global", "published v1 · draft v2")
    assert item.data(Qt.ItemDataRole.ToolTipRole) == "published v1 · draft v2"
    needed = tree.fontMetrics().horizontalAdvance(state)
    assert tree.visualRect(item).left() + needed <= tree.viewport().width()  # the state line is never cut off
    assert tree.visualRect(item).height() >= 2 * tree.fontMetrics().height()


def test_typing_a_country_name_offers_its_code(qtbot, make_window) -> None:
    window = make_window("erin")
    editor = window.editor.editor
    _open_file(window, "gb/uk.policy")
    editor.go_to(4)
    qtbot.keyClicks(editor, "rule g: deny intent:undress where country in {Germ")
    assert editor.completer.popup().isVisible()
    shown = [editor.completer.completionModel().index(i, 0).data() for i in range(editor.completer.completionCount())]
    assert shown == ["Germany  → DE"]
    _press_return(qtbot, editor)
    assert editor.toPlainText().split("\n")[3] == "rule g: deny intent:undress where country in {DE"


def test_a_recompile_leaves_the_completion_list_alone_unless_the_set_names_changed(qtbot, make_window) -> None:
    """Refilling ~5,600 completions after every pause in typing stalled the editor: a compile may only
    touch the ruleset's set names, and only when they changed."""
    window = make_window("erin")
    editor = window.editor.editor
    _open_file(window, "gb/uk.policy")
    model = editor.completer.model()
    rows = model.rowCount()
    assert rows > 5000
    changes: list[tuple[str, int, int]] = []
    model.modelReset.connect(lambda: changes.append(("reset", 0, rows)))
    model.rowsInserted.connect(lambda _parent, first, last: changes.append(("inserted", first, last)))
    model.rowsRemoved.connect(lambda _parent, first, last: changes.append(("removed", first, last)))
    model.layoutChanged.connect(lambda *_: changes.append(("layout", 0, rows)))
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    with qtbot.waitSignal(window.document.compiled, timeout=5000):
        type_lines(qtbot, editor, "# comments and rules change no set name\nrule t1: deny intent:undress\n")
    assert window.document.result.ok and changes == []

    sets_before = len(window.document.known_sets)
    with qtbot.waitSignal(window.document.compiled, timeout=5000):
        type_lines(qtbot, editor, "set NORDIC = {DK, SE}\n")
    assert window.document.result.ok and "NORDIC" in window.document.known_sets
    assert changes and all(kind in ("inserted", "removed") and last <= sets_before for kind, _, last in changes)
    assert model.rowCount() == rows + 1
    qtbot.keyClicks(editor, "rule n: deny intent:undress where country in NOR")
    shown = [editor.completer.completionModel().index(i, 0).data() for i in range(editor.completer.completionCount())]
    assert shown[0] == "NORDIC  — set"  # the ruleset's own names first


def test_ctrl_s_saves_the_draft(qtbot, make_window, team) -> None:
    """The button's label changes with the version (setText), which used to wipe its Ctrl+S."""
    window = make_window("erin")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    editor = window.editor.editor
    _open_file(window, "gb/uk.policy")
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    type_lines(qtbot, editor, "# saved from the keyboard\n")
    assert window.document.dirty
    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not window.document.dirty
    assert (window.document.version.number, window.document.version.state) == (2, "draft")
    assert window.editor.save_button.text() == "Save draft"
    type_lines(qtbot, editor, "# and again\n")
    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # after the label changed
    assert not window.document.dirty
    stored = team.actions("admin").open("global", 2).sources["gb/uk.policy"]
    assert stored.endswith("# saved from the keyboard\n# and again\n")
