"""Test cases: save a simulation as a case, run all, and see what a draft changes."""
from __future__ import annotations

from PySide6.QtCore import Qt

from jurist.gui.simulation import RequestForm

from small_ruleset import CASES, SOURCES


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
    assert rows == {"gb free swimwear is reviewed": ("FAIL", "expected review, got deny (matched: gb_swimwear_real)"),
                    "fr sexual deepfake is denied": ("pass", "")}


def test_draft_vs_published_shows_which_cases_change(qtbot, make_window) -> None:
    window = make_window("erin")
    window.document.set_text("eu/eu.policy", SOURCES["eu/eu.policy"].replace("deny intent", "review intent"))
    with qtbot.waitSignal(window.cases.finished, timeout=20_000):
        qtbot.mouseClick(window.cases.compare_button, Qt.MouseButton.LeftButton)
    changed = {window.cases.model.row(r).case.name: window.cases.model.index(r, 5).data()
               for r in range(window.cases.model.rowCount())}
    assert changed == {"fr sexual deepfake is denied": "deny → review", "gb free swimwear is reviewed": ""}


def _runs_shown(window) -> list[tuple[str, ...]]:
    model = window.cases.runs_model
    return [tuple(model.index(r, c).data() for c in range(1, 5)) for r in range(model.rowCount())]


def test_run_all_of_a_stored_version_is_recorded_and_listed(qtbot, make_window, scripted, team) -> None:
    window = make_window("erin", scripted)
    assert window.cases.runs_model.rowCount() == 0
    _run_all(qtbot, window)
    assert window.cases.summary.text() == "2 passed · 0 failed · 2 case(s) · recorded against global@v1"
    [run] = team.actions("admin").store.list_simulation_runs("global")
    assert (run.version, run.started_by, run.passed, run.failed) == (1, "erin", 2, 0)
    assert _runs_shown(window) == [("v1", "erin", "2", "0")]
    _run_all(qtbot, window)
    assert len(_runs_shown(window)) == 2
    assert scripted.errors == []


def test_unsaved_edits_are_run_but_not_recorded(qtbot, make_window, team) -> None:
    window = make_window("erin")
    window.document.set_text("gb/uk.policy", SOURCES["gb/uk.policy"].replace("review attire", "deny attire"))
    _run_all(qtbot, window)
    assert window.cases.summary.text() == "1 passed · 1 failed · 2 case(s) · not recorded: unsaved changes"
    assert team.actions("admin").store.list_simulation_runs("global") == ()
    assert _runs_shown(window) == []


def test_a_viewer_is_told_why_the_run_is_not_recorded(qtbot, make_window, scripted, team) -> None:
    team.actions("alice").store.record_simulation("global", 1, [])
    window = make_window("vic", scripted)
    assert _runs_shown(window) == [("v1", "alice", "0", "0")]  # a viewer still sees the runs
    _run_all(qtbot, window)
    assert window.cases.summary.text() == ("2 passed · 0 failed · 2 case(s) · not recorded: "
                                           "`vic` is a viewer; recording simulations needs the editor role")
    assert scripted.errors == []
    assert len(team.actions("admin").store.list_simulation_runs("global")) == 1


def test_a_draft_saved_elsewhere_meanwhile_is_not_recorded_under_its_new_text(qtbot, make_window, team) -> None:
    draft = team.actions("erin").store.create_draft("global")   # a copy of v1; the window opens it
    window = make_window("erin")
    assert window.document.version.number == draft.number == 2
    team.actions("alice").store.save_draft("global", 2, dict(SOURCES, **{"extra.policy": "default deny\n"}),
                                           draft.revision)
    _run_all(qtbot, window)
    assert window.cases.summary.text().endswith("not recorded: global@v2 was changed in the store since it was opened")
    assert team.actions("admin").store.list_simulation_runs("global") == ()


def test_a_stored_case_whose_not_rule_fires_fails_here_and_in_the_recorded_run(qtbot, make_window, team) -> None:
    forbidding = {**CASES[1], "name": "fr deepfake must not hit eu rule",
                  "expect": {"effect": "deny", "rules": [], "not_rules": ["eu_deepfake"]}}
    team.actions("alice").store.save_test_case("global", forbidding)
    window = make_window("erin")
    _run_all(qtbot, window)
    model = window.cases.model
    rows = {model.row(r).case.name: (model.index(r, 3).data(), model.index(r, 4).data(), model.index(r, 7).data())
            for r in range(model.rowCount())}
    assert rows["fr deepfake must not hit eu rule"] == ("FAIL", "rules fired that should not: eu_deepfake",
                                                        "eu_deepfake")
    assert model.summary() == (2, 1, 0)
    [run] = team.actions("admin").store.list_simulation_runs("global")
    assert (run.passed, run.failed) == (2, 1)
    failed = next(r for r in run.results if not r.passed)
    assert (failed.case_name, failed.expected_not_rules, failed.error) == (
        "fr deepfake must not hit eu rule", ("eu_deepfake",), "rules fired that should not: eu_deepfake")
