"""The Qt-free layer and the item models, without any window."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

import jurist
from jurist.db.errors import ConflictError
from jurist.db.records import UserInfo, VersionInfo
from jurist.gui.casework import outcome_of, regression, run_all
from jurist.gui.completion import entries, matching
from jurist.gui.models.matrix import MatrixFilter, MatrixModel
from jurist.gui.models.problems import ProblemsModel
from jurist.gui.models.table import RowRole
from jurist.gui.outline import GLOBAL, files_by_jurisdiction, jurisdiction_of
from jurist.gui.palette import EFFECT_COLOURS
from jurist.gui.permissions import allowed
from jurist.gui.progress import Cancelled, Progress
from jurist.gui.sidebyside import align
from jurist.gui.simulation import Place, RequestForm, evaluate_matrix, request_at, to_csv

from gui_ruleset import CASES, SOURCES


@pytest.fixture(scope="module")
def policy() -> jurist.Policy:
    return jurist.Policy.from_sources(SOURCES, "test")


def _version(state: str, authors: tuple[str, ...] = ("alice",)) -> VersionInfo:
    import datetime as dt

    now = dt.datetime(2026, 3, 1)
    return VersionInfo("global", 2, state, "sha256:x", 1, authors[0], authors, now, now, None, None, 1, (), ())


def test_problems_model_lists_each_diagnostic_with_its_line() -> None:
    result = jurist.compile_sources({"a.policy": "default allow\nrule x: deny attire:bikni\n"})
    model = ProblemsModel()
    model.set_rows(list(result.diagnostics))
    assert model.rowCount() == 1
    assert model.index(0, 2).data() == "2"
    assert "unknown label `attire:bikni`" in model.index(0, 3).data()
    assert model.index(0, 3).data(Qt.ItemDataRole.ToolTipRole) == \
        "error: unknown label `attire:bikni`\nhelp: did you mean `attire:bikini`?"  # the whole diagnostic


def test_permissions_follow_role_state_and_two_person_rule() -> None:
    alice, bob = UserInfo("alice", "approver", None), UserInfo("bob", "approver", None)  # type: ignore[arg-type]
    vic = UserInfo("vic", "viewer", None)  # type: ignore[arg-type]
    review = _version("in_review")
    assert not allowed(alice, review)["approve"].enabled
    assert "two-person rule" in allowed(alice, review)["approve"].why
    assert allowed(bob, review)["approve"].enabled
    assert not allowed(bob, review)["publish"].enabled
    assert allowed(bob, _version("approved"))["publish"].enabled
    assert allowed(alice, _version("draft"))["submit"].enabled
    assert not any(p.enabled for p in allowed(vic, _version("draft")).values())
    assert "needs the editor role" in allowed(vic, _version("draft"))["submit"].why


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
    assert RequestForm(images=("/x.jpg",)).to_request() == {"action": "generate", "images": ["/x.jpg"]}


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


def test_matrix_cells_are_the_engines_decisions(policy: jurist.Policy) -> None:
    request = RequestForm(action="edit", tier="paid", surface="app", date="2026-03-01", hypothetical=True,
                          scores={"intent:sexualize": 0.9, "subject:real_person": 0.9}).to_request()
    where = [Place("FR", "France", "country"), Place("GB", "United Kingdom", "country"),
             Place("US-CA", "California", "US state"), Place("US-TX", "Texas", "US state")]
    cells = evaluate_matrix(policy, request, where)
    for cell in cells:
        expected = policy.decide(request_at(request, cell.place))
        assert cell.effect == expected.effect
        assert cell.rule == (expected.deciding_rule.id if expected.deciding_rule else "")
    assert [(c.place.code, c.effect, c.rule) for c in cells] == [
        ("FR", "deny", "eu_deepfake"), ("GB", "allow", ""), ("US-CA", "deny", "ca_deepfake"), ("US-TX", "allow", "")]
    csv = to_csv(cells)
    assert csv.splitlines()[1] == "FR,France,country,deny,eu_deepfake,AI Act Art. 50,eu/eu.policy:2"
    assert "GB,United Kingdom,country,allow,(default)" in csv


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


def test_matrix_stops_when_cancelled(policy: jurist.Policy) -> None:
    seen: list[int] = []
    progress = Progress(lambda done, total: (seen.append(done), progress.cancel() if done == 3 else None))
    with pytest.raises(Cancelled):
        evaluate_matrix(policy, {"action": "generate"}, progress=progress)
    assert seen == [1, 2, 3]


def test_run_all_and_regression_against_a_changed_ruleset(policy: jurist.Policy) -> None:
    runs = run_all(policy, CASES)
    assert [(r.name, r.passed) for r in runs] == [(c["name"], True) for c in sorted(CASES, key=lambda c: c["name"])]
    changed = dict(SOURCES, **{"gb/uk.policy": SOURCES["gb/uk.policy"].replace("review attire", "deny attire")})
    changes = regression(policy, jurist.Policy.from_sources(changed), CASES)
    assert [(c.name, c.before, c.after) for c in changes] == [("gb free swimwear is reviewed", "review", "deny")]
    failing = run_all(jurist.Policy.from_sources(changed), CASES)
    assert [r.passed for r in failing] == [False, True]
    assert failing[0].problems == ("expected review, got deny",)


def test_recorded_outcomes_agree_with_the_panel(policy: jurist.Policy) -> None:
    """The store judges by effects and rule ids; a failure it could not see travels as the error."""
    cases = [
        {**CASES[1], "name": "extra rules may fire", "expect": {"effect": "deny", "rules": []}},
        {**CASES[1], "name": "not_rule fires", "expect": {"effect": "deny", "not_rules": ["eu_deepfake"]}},
        {**CASES[1], "name": "unknown not_rule", "expect": {"effect": "deny", "not_rules": ["no_such_rule"]}},
        {"name": "unreadable", "request": {"country": 7}, "expect": {"effect": "allow"}},
    ]
    runs = {r.name: r for r in run_all(policy, cases)}
    outcomes = {name: outcome_of(run) for name, run in runs.items()}
    assert {n: (runs[n].passed, o.passed) for n, o in outcomes.items()} == {
        "extra rules may fire": (True, True), "not_rule fires": (False, False),
        "unknown not_rule": (False, False), "unreadable": (False, False)}
    assert outcomes["not_rule fires"].expected_not_rules == ("eu_deepfake",)
    assert outcomes["not_rule fires"].error is None
    assert outcomes["unknown not_rule"].error == "no such rule in this ruleset: no_such_rule"
    assert outcomes["unreadable"].actual_effect is None and outcomes["unreadable"].error


def test_actions_save_refuses_a_stale_draft(team) -> None:
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
