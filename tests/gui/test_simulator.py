"""The simulator page: a request in, the engine's decision and reasons out."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

import jurist
from jurist.gui.palette import EFFECT_COLOURS, WARNING_TEXT
from jurist.gui.simulation import RequestForm

from small_ruleset import SOURCES


def _run(qtbot, window, form: RequestForm):
    window.simulator.form.set_form(form)
    window.tabs.setCurrentWidget(window.simulator)
    with qtbot.waitSignal(window.simulator.decided, timeout=10_000) as blocker:
        qtbot.mouseClick(window.simulator.run_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


GB_SWIMWEAR = RequestForm(action="edit", country="GB", region="GB-ENG", tier="free", surface="app",
                          date="2026-03-01", prompt="put her in a bikini", hypothetical=True,
                          scores={"attire:bikini": 0.8, "subject:real_person": 0.9})


def test_a_simulation_shows_the_decision_and_the_rules_that_matched(qtbot, make_window) -> None:
    window = make_window("vic")  # a viewer may simulate
    decision = _run(qtbot, window, GB_SWIMWEAR)
    engine = jurist.Policy.from_sources(SOURCES).decide(GB_SWIMWEAR.to_request(), exhaustive=True)
    assert decision.effect == engine.effect == "review"
    sim = window.simulator
    assert sim.effect_label.text() == "REVIEW"
    assert EFFECT_COLOURS["review"] in sim.effect_label.styleSheet()
    rows = [(r.id, r.cite, r.message) for r in sim.rules_view.rules]
    assert rows == [("gb_swimwear_real", "Online Safety Act 2023 s.10", "swimwear edits of real people are reviewed")]
    shown = sim.rules_view.toPlainText()
    assert "gb_swimwear_real" in shown and "Online Safety Act 2023 s.10" in shown
    assert "decided by gb_swimwear_real (gb/uk.policy:2)" in sim.summary.text()
    traced = [sim.trace.item(r, 0).text() for r in range(sim.trace.rowCount())]
    assert "rule gb_swimwear_real" in traced
    # hypothetical: the scores given stand in for the image detectors; the prompt is still read (its intents,
    # and the people it names: a second detector of subject:real_person)
    assert [sim.detectors.row(r).name for r in range(sim.detectors.rowCount())] == ["prompt_names", "prompt_intent"]


def test_the_same_request_from_france_with_a_sexual_prompt_is_denied(qtbot, make_window) -> None:
    window = make_window("vic")
    form = RequestForm(action="edit", country="FR", tier="paid", surface="web", date="2026-03-01", hypothetical=True,
                       scores={"intent:sexualize": 0.95, "subject:real_person": 0.9})
    decision = _run(qtbot, window, form)
    assert decision.effect == "deny"
    assert window.simulator.effect_label.text() == "DENY"
    assert window.simulator.rules_view.rules[0].id == "eu_deepfake"
    assert window.simulator.rules_view.rules[0].cite == "AI Act Art. 50"


def test_simulation_uses_the_editors_unsaved_text(qtbot, make_window) -> None:
    window = make_window("erin")
    window.document.set_text("gb/uk.policy", SOURCES["gb/uk.policy"].replace("review attire", "deny attire"))
    assert _run(qtbot, window, GB_SWIMWEAR).effect == "deny"


def test_a_ruleset_with_errors_is_reported_not_simulated(qtbot, make_window, scripted) -> None:
    window = make_window("erin", scripted)
    window.document.set_text("gb/uk.policy", "rule x: deny attire:bikni\n")
    qtbot.mouseClick(window.simulator.run_button, Qt.MouseButton.LeftButton)
    assert not window.simulator.busy
    assert scripted.errors and "unknown label `attire:bikni`" in scripted.errors[0]
    assert "Traceback" not in scripted.errors[0]


def test_real_detectors_run_off_the_ui_thread_and_draw_boxes(qtbot, make_window, tmp_path) -> None:
    """An unreadable image makes the image detectors fail: the decision fails closed and says why."""
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"not an image")
    window = make_window("vic")
    form = RequestForm(action="edit", country="GB", tier="free", surface="app", date="2026-03-01",
                       images=(str(bad),))
    decision = _run(qtbot, window, form)
    failed = [d for d in decision.detectors_run if not d.ok]
    assert failed and all("image could not be checked" in (d.error or "") for d in failed)
    assert decision.effect == "deny"  # fail closed: unknown scores count as matched for deny rules
    statuses = [window.simulator.detectors.index(r, 2).data() for r in range(window.simulator.detectors.rowCount())]
    assert any(s.startswith("failed: image could not be checked") for s in statuses)


def test_boxes_from_the_decision_are_drawn_over_the_image(qtbot, make_window, tmp_path) -> None:
    from PySide6.QtGui import QColor, QImage

    path = tmp_path / "grey.png"
    image = QImage(200, 100, QImage.Format.Format_RGB32)
    image.fill(QColor("#808080"))
    image.save(str(path))
    window = make_window("vic")
    view = window.simulator.image
    window.simulator.form.set_images([str(path)])
    assert view.pixmap is not None
    view.resize(400, 200)
    view.set_boxes([{"box": [50, 20, 40, 40], "labels": {"subject:real_person": 0.9}}])
    shot = view.grab().toImage()
    rect = view.image_rect()
    scale = rect.width() / 200
    edge = shot.pixelColor(int(rect.x() + 50 * scale), int(rect.y() + 40 * scale))
    assert edge.red() > 200 and edge.green() < 80  # the box's red outline


def test_an_unreadable_image_is_said_plainly_under_the_banner_and_in_the_image_pane(qtbot, make_window,
                                                                                   tmp_path) -> None:
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    window = make_window("vic")
    form = RequestForm(action="edit", country="GB", tier="free", surface="app", date="2026-03-01",
                       images=(str(bad),))
    decision = _run(qtbot, window, form)
    sim = window.simulator
    unverified = [r for r in decision.rules if r.unverified]
    assert decision.effect == "deny" and unverified
    assert not sim.warning.isHidden()
    warning = sim.warning.text()
    assert warning.startswith("image could not be checked: ")
    assert f"— {len(unverified)} rule(s) applied unverified (fail-closed)" in warning
    assert WARNING_TEXT in sim.warning.styleSheet()
    assert "Drop an image here" not in sim.image.message()
    assert "broken.png" in sim.image.message()


def test_a_checked_decision_shows_no_unverified_warning(qtbot, make_window) -> None:
    window = make_window("vic")
    _run(qtbot, window, GB_SWIMWEAR)
    assert window.simulator.warning.isHidden()
    assert window.simulator.image.message().startswith("Drop an image here")


def test_matched_rules_are_read_in_full_and_the_trace_keeps_result_and_saw_on_screen(qtbot, make_window,
                                                                                      tmp_path) -> None:
    """Citations were cut off in the matched-rules table, and the trace's Result and Saw columns were off-screen."""
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"not an image")
    window = make_window("vic")
    window.resize(1024, 700)
    form = RequestForm(action="edit", country="GB", tier="free", surface="app", date="2026-03-01",
                       images=(str(bad),))
    decision = _run(qtbot, window, form)
    sim = window.simulator
    qtbot.wait(50)
    cards = sim.rules_view
    shown = cards.toPlainText()
    for rule in decision.rules:  # every word of every citation and message, wrapped, nothing to hover for
        assert rule.id in shown and (rule.cite or "") in shown and (rule.message or "") in shown
        assert f"Counted as matched, not checked: {rule.unverified}" in shown
    assert cards.horizontalScrollBar().maximum() == 0
    trace, header = sim.trace_view, sim.trace_view.header()
    for column in (1, 2):
        assert header.sectionViewportPosition(column) + header.sectionSize(column) <= trace.viewport().width()
    assert sim.details.tabBar().sizeHint().width() <= sim.details.width()
    sim.details.setCurrentWidget(sim.detectors_view)
    qtbot.wait(20)
    status = sim.detectors_view.horizontalHeader()
    assert status.sectionViewportPosition(2) + 60 <= sim.detectors_view.viewport().width()


def test_an_invalid_date_is_explained_next_to_the_field_and_not_run(qtbot, make_window) -> None:
    window = make_window("vic")
    sim = window.simulator
    window.tabs.setCurrentWidget(sim)
    sim.form.date.clear()
    qtbot.keyClicks(sim.form.date, "01/03/2026")
    assert not sim.form.date_error.isHidden()
    assert "`01/03/2026` is not a date" in sim.form.date_error.text()
    assert "YYYY-MM-DD" in sim.form.date_error.text()
    qtbot.mouseClick(sim.run_button, Qt.MouseButton.LeftButton)
    assert not sim.busy and sim.decision is None
    sim.form.date.setText("2026-03-01")
    assert sim.form.date_error.isHidden()


def test_an_invalid_request_says_so_first_in_the_summary() -> None:
    from jurist.gui.simulation import decision_summary

    decision = jurist.Policy.from_sources(SOURCES).decide({"action": "edit", "date": "01/03/2026"})
    assert decision_summary(decision).startswith("invalid request (fail-closed): date: `01/03/2026`")


# -- typed and tabbed like a person --------------------------------------------------------------

def _type_in(qtbot, field, text: str) -> None:
    """Click into a field, select what it holds and type over it."""
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, text)


def _tab(qtbot) -> None:
    """Tab where a person's key goes: to an open completion list, else to the widget with the focus."""
    from PySide6.QtWidgets import QApplication

    qtbot.keyClick(QApplication.activePopupWidget() or QApplication.focusWidget(), Qt.Key.Key_Tab)


def _click_run(qtbot, window):
    with qtbot.waitSignal(window.simulator.decided, timeout=10_000) as blocker:
        qtbot.mouseClick(window.simulator.run_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def _simulator(qtbot, make_window):
    window = make_window("vic")
    window.tabs.setCurrentWidget(window.simulator)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_a_country_typed_by_name_and_tabbed_away_from_is_the_one_decided_for(qtbot, make_window) -> None:
    window = _simulator(qtbot, make_window)
    form = window.simulator.form
    form.set_form(RequestForm(action="edit", country="FR", tier="free", surface="app", date="2026-03-01",
                              hypothetical=True, scores={"attire:bikini": 0.8, "subject:real_person": 0.9}))
    _type_in(qtbot, form.country.lineEdit(), "United Kingdom")
    _tab(qtbot)
    assert form.country.currentText() == "GB — United Kingdom"
    decision = _click_run(qtbot, window)
    assert window.simulator.request["country"] == "GB"
    assert decision.effect == "review" and decision.rules[0].id == "gb_swimwear_real"  # in FR it is allowed


def test_a_country_that_cannot_be_told_is_refused_next_to_the_field(qtbot, make_window) -> None:
    window = _simulator(qtbot, make_window)
    form, sim = window.simulator.form, window.simulator
    for typed, problem in (("Atlantis", "`Atlantis` is not a country"),
                           ("United", "`United` could be AE — United Arab Emirates, GB — United Kingdom, "
                                     "UM — United States Minor Outlying Islands, US — United States")):
        _type_in(qtbot, form.country.lineEdit(), typed)
        _tab(qtbot)
        assert form.country.currentText() == typed  # what the person typed stays, to be corrected
        assert not form.country_error.isHidden() and form.country_error.text().startswith(problem)
        qtbot.mouseClick(sim.run_button, Qt.MouseButton.LeftButton)
        assert not sim.busy and sim.decision is None
    _type_in(qtbot, form.country.lineEdit(), "gb")
    _tab(qtbot)
    assert form.country.currentText() == "GB — United Kingdom" and form.country_error.isHidden()


def test_hypothetical_scores_replace_only_the_detectors_the_person_set(qtbot, make_window) -> None:
    """GB, paid, a real person at 0.95 and an undressing prompt: the prompt's detector still reads the
    prompt (DENY); sending every slider, intents at 0.00 included, overrode it silently (ALLOW)."""
    window = _simulator(qtbot, make_window)
    form = window.simulator.form
    _type_in(qtbot, form.country.lineEdit(), "United Kingdom")
    _tab(qtbot)  # to the region
    _tab(qtbot)
    assert form.tier.hasFocus()
    qtbot.keyClicks(form.tier, "paid")
    assert form.tier.currentText() == "paid"
    qtbot.mouseClick(form.prompt, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(form.prompt, "take her clothes off")
    qtbot.mouseClick(form.hypothetical, Qt.MouseButton.LeftButton, pos=QPoint(6, form.hypothetical.height() // 2))
    assert form.hypothetical.isChecked()
    slider = form.sliders["subject:real_person"]
    qtbot.mouseClick(slider, Qt.MouseButton.LeftButton, pos=slider.rect().center())
    qtbot.keyClick(slider, Qt.Key.Key_End)
    for _ in range(5):
        qtbot.keyClick(slider, Qt.Key.Key_Left)
    assert form.slider_values["subject:real_person"].text() == "0.95"

    decision = _click_run(qtbot, window)
    request = window.simulator.request
    engine = jurist.Policy.from_sources(SOURCES).decide(
        {"action": "generate", "country": "GB", "user": {"tier": "paid"}, "prompt": "take her clothes off",
         "date": request["date"], "observations": {"persons": [{"labels": {"subject:real_person": 0.95}}]}})
    assert decision.effect == engine.effect == "deny"
    assert [r.id for r in decision.rules] == ["undress_real"]
    assert [d.name for d in decision.detectors_run] == ["prompt_names", "prompt_intent"]
    assert request["observations"] == {"labels": {}, "persons": [{"labels": {"subject:real_person": 0.95}}]}
    # the form says which scores are the person's and which detectors they stand in for
    assert form.slider_values["intent:undress"].text() == "not set"
    note = form.replaced_note.text()
    assert "subject:real_person 0.95 replaces detector `faces`" in note and "prompt_intent" not in note


def test_the_simulator_sends_the_moment_it_checks(qtbot):
    """The simulator says whether it checks the request before generating or the generated image."""
    from jurist.gui.widgets.request_form import RequestFormWidget

    widget = RequestFormWidget()
    qtbot.addWidget(widget)
    assert widget.form().to_request()["stage"] == "input"
    widget.stage.setCurrentIndex(widget.stage.findData("output"))
    form = widget.form()
    assert form.to_request()["stage"] == "output"
    other = RequestFormWidget()
    qtbot.addWidget(other)
    other.set_form(form)
    assert other.form().stage == "output"
