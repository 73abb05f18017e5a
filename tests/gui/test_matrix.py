"""The country matrix page: every place evaluated off the UI thread, coloured like the engine decides."""
from __future__ import annotations

from PySide6.QtCore import Qt

import jurist
from jurist.gui.models.table import RowRole
from jurist.gui.palette import EFFECT_COLOURS
from jurist.gui.simulation import RequestForm
from jurist.workbench.matrix import places, request_at

from small_ruleset import SOURCES

DEEPFAKE = RequestForm(action="edit", tier="paid", surface="x", date="2026-03-01", hypothetical=True,
                       scores={"intent:sexualize": 0.9, "subject:real_person": 0.95})


def _evaluate(qtbot, window) -> None:
    window.simulator.form.set_form(DEEPFAKE)
    with qtbot.waitSignal(window.matrix.finished, timeout=30_000):
        qtbot.mouseClick(window.matrix.run_button, Qt.MouseButton.LeftButton)


def test_matrix_colours_match_the_engine_for_every_place(qtbot, make_window) -> None:
    window = make_window("vic")
    _evaluate(qtbot, window)
    model = window.matrix.model
    assert model.rowCount() == len(places())
    policy = jurist.Policy.from_sources(SOURCES)
    request = DEEPFAKE.to_request()
    for row in range(model.rowCount()):
        cell = model.index(row, 0).data(RowRole)
        expected = policy.decide(request_at(request, cell.place))
        assert model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole).name() == EFFECT_COLOURS[expected.effect]
        assert model.index(row, 4).data() == (expected.deciding_rule.id if expected.deciding_rule else "(default)")
    by_code = {model.row(r).place.code: model.row(r) for r in range(model.rowCount())}
    assert (by_code["DE"].effect, by_code["DE"].rule) == ("deny", "eu_deepfake")
    assert (by_code["US-CA"].effect, by_code["US-CA"].rule) == ("deny", "ca_deepfake")
    assert by_code["GB"].effect == by_code["US-NY"].effect == "allow"
    # the US as a whole is denied too: its region is unknown, so California's rule fails closed
    assert by_code["US"].effect == "deny" and by_code["US"].rule == "ca_deepfake"
    assert "deny: 10" in window.matrix.counts.text()  # 8 EU members, California and the US


def test_matrix_filters_and_exports_what_is_shown(qtbot, make_window, scripted, tmp_path) -> None:
    window = make_window("vic", scripted)
    _evaluate(qtbot, window)
    window.matrix.effect_boxes["allow"].setChecked(False)
    window.matrix.effect_boxes["review"].setChecked(False)
    assert window.matrix.filter.rowCount() == 10
    window.matrix.search.setText("calif")
    assert [c.place.code for c in window.matrix.filter.cells()] == ["US-CA"]
    window.matrix.search.setText("")
    target = tmp_path / "matrix.csv"
    scripted.paths.append(str(target))
    qtbot.mouseClick(window.matrix.export_button, Qt.MouseButton.LeftButton)
    header = [line for line in target.read_text().splitlines() if line.startswith("#")]
    lines = [line for line in target.read_text().splitlines() if not line.startswith("#")]
    assert header[0] == "# request: action=edit, surface=x, stage=input, date=2026-03-01, user.tier=paid"
    assert header[1].startswith("# rules: global@v1") and header[2].endswith(" UTC")
    assert lines[0] == "code,name,kind,decision,deciding_rule,cite,source,obligations"
    assert len(lines) == 11 and all(",deny," in line for line in lines[1:])
    assert "US-CA,California,US state,deny,ca_deepfake,Cal. Civ. Code 1708.86,us/ca.policy:2," in lines


def test_matrix_can_be_cancelled(qtbot, make_window) -> None:
    window = make_window("vic")
    window.simulator.form.set_form(DEEPFAKE)
    with qtbot.waitSignal(window.matrix.finished, timeout=30_000):
        window.matrix.run()
        window.matrix.cancel()
    assert not window.matrix.busy
    assert window.matrix.run_button.isEnabled()


def test_matrix_says_what_it_shows_in_words_a_person_reads(qtbot, make_window) -> None:
    window = make_window("vic")
    window.resize(1400, 880)
    _evaluate(qtbot, window)
    matrix = window.matrix
    assert "user.tier=paid" in matrix.request_label.text()
    assert "{" not in matrix.request_label.text()
    total = len(places())
    assert matrix.counts.text().startswith(f"{total} of {total} places shown · totals: deny: 10")
    matrix.effect_boxes["allow"].setChecked(False)
    matrix.effect_boxes["review"].setChecked(False)
    assert matrix.counts.text().startswith(f"10 of {total} places shown · totals: deny: 10 · review: 0 · allow: ")
    matrix.search.setText("calif")
    assert matrix.counts.text().startswith(f"1 of {total} places shown")


def test_us_territories_are_not_listed_as_states(qtbot, make_window) -> None:
    kinds = {p.code: p.kind for p in places()}
    assert kinds["US-CA"] == "US state"
    assert kinds["US-UM"] == kinds["US-DC"] == kinds["US-PR"] == "US district or territory"
    assert sum(k == "US state" for k in kinds.values()) == 50
    window = make_window("vic")
    _evaluate(qtbot, window)
    window.matrix.states_only.setChecked(True)
    shown = {c.place.code for c in window.matrix.filter.cells()}
    assert "US-CA" in shown and "US-UM" not in shown and len(shown) == 50


def test_matrix_table_keeps_every_heading_on_screen(qtbot, make_window) -> None:
    window = make_window("vic")
    window.resize(1400, 880)
    _evaluate(qtbot, window)
    window.matrix.as_table.setChecked(True)
    window.tabs.setCurrentWidget(window.matrix)
    qtbot.wait(50)
    view, header = window.matrix.table, window.matrix.table.horizontalHeader()
    for column in range(header.count()):
        # the heading is drawn in the middle of its section: that point must be on screen
        middle = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        assert middle < view.viewport().width(), window.matrix.model.headerData(column, Qt.Orientation.Horizontal)
