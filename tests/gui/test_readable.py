"""Readable for a lawyer: the decision in a sentence, which version decided, whole diff lines, reasons in view,
contrast, times in UTC (issue 14: "Readable")."""
from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

from jurist.gui.palette import BASE, GUTTER, GUTTER_TEXT, PLACEHOLDER, SYNTAX, TEXT_PAIRS, contrast
from jurist.gui.simulation import RequestForm
from jurist.gui.widgets.highlighter import STYLES

from small_ruleset import SOURCES

UK_SWIMWEAR = RequestForm(action="edit", country="GB", tier="free", surface="app", date="2026-03-01",
                          hypothetical=True, scores={"attire:bikini": 0.8, "subject:real_person": 0.9})


def _run(qtbot, window, form: RequestForm):
    window.simulator.form.set_form(form)
    window.tabs.setCurrentWidget(window.simulator)
    with qtbot.waitSignal(window.simulator.decided, timeout=10_000) as blocker:
        qtbot.mouseClick(window.simulator.run_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def test_the_decision_is_explained_in_one_plain_sentence_above_the_trace(qtbot, make_window) -> None:
    window = make_window("vic")
    _run(qtbot, window, UK_SWIMWEAR)
    assert window.simulator.explanation.text() == (
        "Sent for review in United Kingdom because a real person appears, the person is in a bikini or swimwear "
        "and the user is on the free tier — Online Safety Act 2023 s.10 — rule `gb_swimwear_real`, gb/uk.policy "
        "line 2.")
    layout = window.simulator.results
    assert layout.indexOf(window.simulator.explanation.parentWidget().parentWidget().parentWidget()) == 0


def test_the_trace_shows_what_it_saw_as_words_not_python_values(qtbot, make_window) -> None:
    window = make_window("vic")
    form = RequestForm(action="edit", country="FR", tier="paid", date="2026-03-01", hypothetical=True,
                       scores={"intent:sexualize": 0.9, "subject:real_person": 0.9, "attire:bikini": 0.2})
    _run(qtbot, window, form)
    trace = window.simulator.trace
    seen = [trace.item(r, 0).child(c, 2).text() for r in range(trace.rowCount())
            for c in range(trace.item(r, 0).rowCount())]
    assert "0.90" in seen
    assert not any("{" in s or "'" in s for s in seen)


def test_the_version_simulated_is_named_and_the_published_one_can_be_chosen(qtbot, make_window) -> None:
    window = make_window("erin")
    window.document.set_text("gb/uk.policy", SOURCES["gb/uk.policy"].replace("review attire", "deny attire"))
    assert _run(qtbot, window, UK_SWIMWEAR).effect == "deny"
    assert window.simulator.version_label.text() == "Decided with global@v1 — published, with unsaved edits"
    sim = window.simulator
    sim.rules_choice.setFocus()
    qtbot.keyClick(sim.rules_choice, Qt.Key.Key_Down)
    assert sim.rules_choice.currentData() == "published"
    with qtbot.waitSignal(sim.decided, timeout=10_000) as blocker:
        qtbot.mouseClick(sim.run_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].effect == "review"  # the published text, not the edit
    assert sim.version_label.text() == "Decided with global@v1 — published (the version served now)"


def test_a_diff_shows_whole_lines_wrapped_and_marks_the_changed_words(qtbot, make_window) -> None:
    """The approver could not see `where country = AU` at the end of a long line cut off in the diff."""
    window = make_window("erin")
    window.resize(1024, 700)
    long_rule = ('rule au_deepfake: deny intent:sexualize subject:real_person cite "Criminal Code Amendment '
                 '(Deepfake Sexual Material) Act 2024" where country = AU')
    window.document.set_text("eu/eu.policy", SOURCES["eu/eu.policy"] + long_rule + "\n")
    window.editor.save()
    versions = window.versions
    window.tabs.setCurrentWidget(versions)
    versions.file_combo.setCurrentText("eu/eu.policy")
    qtbot.wait(50)
    view = versions.diff_view
    shown = view.toPlainText()
    assert "where country = AU" in shown
    assert view.horizontalScrollBar().maximum() == 0  # wrapped, never cut off
    assert "#d9ead3" in view.toHtml()  # the added line's shade


def test_changed_words_in_a_changed_line_are_marked_and_the_rest_is_not(qtbot, make_window) -> None:
    window = make_window("erin")
    window.document.set_text("gb/uk.policy", SOURCES["gb/uk.policy"].replace("0.6", "0.7"))
    window.editor.save()
    html = window.versions.diff_view.toHtml()
    marked = re.findall(r'<span style="[^"]*background-color:#(?:e8a6a6|a9d18e)[^"]*">([^<]*)</span>', html)
    assert marked == ["0.6", "0.7"]


def test_why_a_step_is_off_is_said_next_to_the_buttons(qtbot, make_window) -> None:
    window = make_window("vic")
    reasons = window.versions.reasons
    assert not reasons.isHidden()
    text = reasons.text()
    assert "Approve: “Approve” needs the approver role; your role is viewer" in text
    assert "Submit for review: “Submit for review” needs the editor role; your role is viewer" in text
    cases = window.cases
    assert not cases.edit_reason.isHidden() and not cases.add_button.isEnabled()
    assert cases.edit_reason.text() == "Adding, editing and deleting cases needs the editor role; your role is viewer."
    sim = window.simulator
    assert not sim.save_case_button.isEnabled() and not sim.save_reason.isHidden()


def test_every_coloured_text_has_aa_contrast_comments_and_line_numbers_included() -> None:
    """Comments were 3.7:1 and line numbers 3.2:1 against their backgrounds."""
    low = [(what, fg, bg, round(contrast(fg, bg), 2)) for what, fg, bg in TEXT_PAIRS() if contrast(fg, bg) < 4.5]
    assert low == []
    assert contrast(SYNTAX["comment"], BASE) >= 4.5 and contrast(GUTTER_TEXT, GUTTER) >= 4.5
    for kind, fmt in STYLES.items():  # the highlighter paints exactly the colours held to AA
        assert fmt.foreground().color().name() == SYNTAX[kind], kind


def test_the_editor_and_fields_draw_with_the_tested_colours(qtbot, make_window) -> None:
    window = make_window("erin")
    editor = window.editor.editor
    assert editor.palette().color(QPalette.ColorRole.Base).name() == BASE
    assert window.palette().color(QPalette.ColorRole.PlaceholderText).name() == PLACEHOLDER
    editor.resize(400, 200)
    gutter = editor.gutter.grab().toImage()
    colours = {QColor(gutter.pixel(x, y)).name() for x in range(gutter.width()) for y in range(gutter.height())}
    darkest = min(colours, key=lambda c: QColor(c).lightness())
    assert GUTTER in colours and contrast(darkest, GUTTER) >= 4.5
    assert QColor(darkest).lightness() >= QColor(GUTTER_TEXT).lightness() - 8  # numbers drawn in GUTTER_TEXT


def test_every_time_says_utc(qtbot, make_window) -> None:
    window = make_window("erin")
    window.document.set_text("gb/uk.policy", SOURCES["gb/uk.policy"] + "# x\n")
    window.editor.save()
    versions = window.versions
    times = [versions.versions.index(r, c).data() for r in range(versions.versions.rowCount()) for c in (4, 5, 6)]
    assert [t for t in times if t and not t.endswith(" UTC")] == []
    audit = [versions.audit.index(r, 1).data() for r in range(versions.audit.rowCount())]
    assert audit and all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", t) for t in audit)
    cases = [window.cases.model.index(r, 8).data() for r in range(window.cases.model.rowCount())]
    assert cases and all(c.endswith(" UTC") for c in cases)
