"""Test cases: save a simulation as a case, run all, and see what a draft changes."""
from __future__ import annotations

from PySide6.QtCore import Qt

from jurist.gui.simulation import RequestForm

from conftest import CASES, SOURCES


def _run_all(qtbot, window) -> None:
    window.tabs.setCurrentWidget(window.cases)
    with qtbot.waitSignal(window.cases.finished, timeout=20_000):
        qtbot.mouseClick(window.cases.run_button, Qt.MouseButton.LeftButton)


def test_saving_the_current_simulation_as_a_case_then_running_all(qtbot, make_window, scripted, team) -> None:
    window = make_window("erin", scripted)
    assert window.cases.model.rowCount() == len(CASES)
    form = RequestForm(action="generate", country="US", region="US-CA", tier="free", surface="app",
                       date="2026-03-01", hypothetical=True, scores={"intent:sexualize": 0.9, "subject:real_person": 0.9})
    window.simulator.form.set_form(form)
    with qtbot.waitSignal(window.simulator.decided, timeout=10_000):
        qtbot.mouseClick(window.simulator.run_button, Qt.MouseButton.LeftButton)
    scripted.texts.append("california deepfake")
    qtbot.mouseClick(window.simulator.save_case_button, Qt.MouseButton.LeftButton)
    stored = {c.name: c for c in team.actions("admin").test_cases("global")}
    assert stored["california deepfake"].expected_effect == "deny"
    assert stored["california deepfake"].expected_rules == ("ca_deepfake",)
    assert window.cases.model.rowCount() == len(CASES) + 1

    _run_all(qtbot, window)
    assert window.cases.model.summary() == (3, 0, 0)
    results = {window.cases.model.row(r).case.name: window.cases.model.index(r, 3).data()
               for r in range(window.cases.model.rowCount())}
    assert results == {"california deepfake": "pass", **{c["name"]: "pass" for c in CASES}}


def test_run_all_reports_a_case_the_edited_text_breaks(qtbot, make_window) -> None:
    window = make_window("erin")
    window.document.set_text("gb/uk.policy", SOURCES["gb/uk.policy"].replace("review attire", "deny attire"))
    _run_all(qtbot, window)
    assert window.cases.model.summary() == (1, 1, 0)
    model = window.cases.model
    rows = {model.row(r).case.name: (model.index(r, 3).data(), model.index(r, 4).data()) for r in range(model.rowCount())}
    assert rows == {"gb free swimwear is reviewed": ("FAIL", "expected review, got deny"),
                    "fr sexual deepfake is denied": ("pass", "")}


def test_draft_vs_published_shows_which_cases_change(qtbot, make_window) -> None:
    window = make_window("erin")
    window.document.set_text("eu/eu.policy", SOURCES["eu/eu.policy"].replace("deny intent", "review intent"))
    with qtbot.waitSignal(window.cases.finished, timeout=20_000):
        qtbot.mouseClick(window.cases.compare_button, Qt.MouseButton.LeftButton)
    changed = {window.cases.model.row(r).case.name: window.cases.model.index(r, 5).data()
               for r in range(window.cases.model.rowCount())}
    assert changed == {"fr sexual deepfake is denied": "deny → review", "gb free swimwear is reviewed": ""}
