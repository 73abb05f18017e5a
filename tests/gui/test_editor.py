"""The editor page driven like a person would: typing, reading problems, saving."""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from jurist.gui.interaction import ScriptedInteraction

from gui_ruleset import SOURCES


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
    assert "draft v2" in window.tree_model.index(0, 1).data()


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
