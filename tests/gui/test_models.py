"""The Qt-free layer and the item models, without any window."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

import jurist
from jurist.db.errors import ConflictError
from jurist.gui.completion import entries, matching
from jurist.gui.models.matrix import MatrixFilter, MatrixModel
from jurist.gui.models.problems import ProblemsModel
from jurist.gui.models.table import RowRole
from jurist.gui.outline import GLOBAL, files_by_jurisdiction, jurisdiction_of
from jurist.gui.palette import EFFECT_COLOURS
from jurist.gui.sidebyside import align
from jurist.gui.simulation import RequestForm
from jurist.workbench.matrix import Place, evaluate_matrix

from small_ruleset import SOURCES


@pytest.fixture(scope="module")
def policy() -> jurist.Policy:
    return jurist.Policy.from_sources(SOURCES, "test")


def test_problems_model_lists_each_diagnostic_with_its_line() -> None:
    result = jurist.compile_sources({"a.policy": "default allow\nrule x: deny attire:bikni\n"})
    model = ProblemsModel()
    model.set_rows(list(result.diagnostics))
    assert model.rowCount() == 1
    assert model.index(0, 2).data() == "2"
    assert "unknown label `attire:bikni`" in model.index(0, 3).data()
    assert model.index(0, 3).data(Qt.ItemDataRole.ToolTipRole) == \
        "error: unknown label `attire:bikni`\nhelp: did you mean `attire:bikini`?"  # the whole diagnostic


def test_side_by_side_pairs_changed_lines_and_leaves_gaps_for_insertions() -> None:
    rows = align("a\nb\nc\n", "a\nB\nc\nd\n")
    assert [(r.left_no, r.right_no, r.kind) for r in rows] == [
        (1, 1, "same"), (2, 2, "changed"), (3, 3, "same"), (None, 4, "added")]


def test_request_form_puts_person_labels_on_one_person() -> None:
    form = RequestForm(action="edit", country="GB", tier="free", surface="app", date="2026-03-01",
                       images=("/x.jpg",), hypothetical=True,
                       scores={"attire:bikini": 0.8, "intent:undress": 0.1, "subject:real_person": 0.9})
    request = form.to_request()
    assert request["user"] == {"tier": "free"}
    assert "images" not in request  # hypothetical mode replaces the detectors
    assert request["observations"]["labels"] == {"intent:undress": 0.1}
    assert request["observations"]["persons"] == [{"labels": {"attire:bikini": 0.8, "subject:real_person": 0.9}}]
    assert RequestForm(images=("/x.jpg",)).to_request() == {"action": "generate", "stage": "input", "images": ["/x.jpg"]}


def test_outline_groups_files_by_their_jurisdiction_header() -> None:
    assert jurisdiction_of("# header\njurisdiction GB\nrule a: deny intent:undress") == "GB"
    assert jurisdiction_of("jurisdiction {FR, DE}\n") == "{FR, DE}"
    assert jurisdiction_of("default allow\n") is None
    groups = files_by_jurisdiction(SOURCES)
    assert list(groups)[0] == GLOBAL
    assert groups["GB — United Kingdom"] == ["gb/uk.policy"]
    assert groups["US-CA — California"] == ["us/ca.policy"]


def test_completion_offers_codes_with_names_labels_and_sets() -> None:
    pool = entries(["EU", "EEA"])
    assert {e.insert for e in matching("E", pool)} >= {"EU", "EEA", "ES", "EE"}
    assert any(e.display == "DE  Germany" for e in matching("D", pool))
    assert [e.insert for e in matching("attire:b", pool)] == ["attire:bikini"]


def test_matrix_model_colours_and_filters(policy: jurist.Policy) -> None:
    request = RequestForm(action="edit", hypothetical=True,
                          scores={"intent:sexualize": 0.9, "subject:real_person": 0.9}).to_request()
    cells = evaluate_matrix(policy, request, [Place("FR", "France", "country"), Place("GB", "United Kingdom",
                                                                                      "country")])
    model = MatrixModel()
    model.set_rows(cells)
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole).name() == EFFECT_COLOURS["deny"]
    assert model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole).name() == EFFECT_COLOURS["allow"]
    proxy = MatrixFilter()
    proxy.setSourceModel(model)
    proxy.set_effects({"deny"})
    assert [c.place.code for c in proxy.cells()] == ["FR"]
    proxy.set_effects({"deny", "allow"})
    proxy.set_text("king")
    assert [c.place.code for c in proxy.cells()] == ["GB"]


def test_saving_refuses_a_stale_draft(team) -> None:
    erin, alice = team.actions("erin"), team.actions("alice")
    opened = erin.open("global")            # published v1
    draft = erin.save(opened.info, dict(SOURCES, extra="default allow\n"))
    assert (draft.number, draft.state) == (2, "draft")
    again = erin.save(draft, dict(SOURCES, extra="default deny\n"))
    assert again.revision == draft.revision + 1
    with pytest.raises(ConflictError, match="changed by someone else"):
        alice.save(draft, dict(SOURCES))   # alice edited the revision erin has since replaced


def test_model_rows_carry_their_records() -> None:
    result = jurist.compile_sources({"a.policy": "rule x: deny attire:bikni\n"})
    model = ProblemsModel()
    model.set_rows(list(result.diagnostics))
    assert model.index(0, 0).data(RowRole) is result.diagnostics[0]


def test_completion_matches_country_names_and_inserts_codes() -> None:
    found = matching("germ", entries())
    assert [(e.insert, e.display) for e in found] == [("DE", "Germany  → DE")]
