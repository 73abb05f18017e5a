"""The review workflow as its users meet it: what they may do, what a submission changes, the steps."""
from __future__ import annotations

import pytest

from jurist.db.errors import TwoPersonRule
from jurist.db.workflow import ACTIONS

from published_team import Team
from small_ruleset import SOURCES

STRICTER_GB = SOURCES["gb/uk.policy"].replace("review attire", "deny attire")


def test_the_preview_lists_failing_cases_and_changed_decisions(team: Team) -> None:
    erin = team.actions("erin")
    draft = erin.save(erin.open("global").info, dict(SOURCES, **{"gb/uk.policy": STRICTER_GB}))
    preview = erin.preview_submit("global", draft.number)
    assert (preview.draft, preview.against, preview.compiles, preview.cases) == ("global@v2", "global@v1", True, 2)
    assert [(c.name, c.before.effect, c.after.effect) for c in preview.changes] == [
        ("gb free swimwear is reviewed", "review", "deny")]
    assert [(r.name, r.problems) for r in preview.failing] == [
        ("gb free swimwear is reviewed", ("expected review, got deny (matched: gb_swimwear_real)",))]
    text = preview.summary()
    assert "1 of 2 test case(s) fail on global@v2:" in text
    assert "1 test case(s) change decision or matched rules against global@v1" in text


def test_a_draft_that_does_not_compile_is_said_to_be_refused(team: Team) -> None:
    erin = team.actions("erin")
    draft = erin.save(erin.open("global").info, dict(SOURCES, **{"bad.policy": "deny attire:bikni\n"}))
    preview = erin.preview_submit("global", draft.number)
    assert not preview.compiles and "compile errors" in preview.summary()


def test_permissions_are_the_stores_own_verdicts(team: Team) -> None:
    alice, bob, vic = team.actions("alice"), team.actions("bob"), team.actions("vic")
    draft = alice.save(alice.open("global").info, dict(SOURCES, **{"jp.policy": "rule jp: deny where country = JP\n"}))
    assert alice.permissions(draft)["submit"].allowed and not vic.permissions(draft)["submit"].allowed
    in_review = alice.take_step("submit", "global", draft.number)
    verdict = alice.permissions(in_review)["approve"]
    assert not verdict.allowed and "two-person rule" in verdict.reason
    with pytest.raises(TwoPersonRule):
        alice.take_step("approve", "global", in_review.number)
    assert bob.permissions(in_review)["approve"].allowed
    assert bob.take_step("approve", "global", in_review.number).state == "approved"
    assert set(vic.permissions(None)) == set(ACTIONS)


def test_the_preview_and_the_approver_get_the_solvers_comparison_with_a_witness(team: Team) -> None:
    erin, bob = team.actions("erin"), team.actions("bob")
    draft = erin.save(erin.open("global").info, dict(SOURCES, **{"gb/uk.policy": STRICTER_GB}))
    preview = erin.preview_submit("global", draft.number)
    gb = next(j for j in preview.comparison if "GB" in j.codes)
    assert gb.b_denies_strictly_more and not gb.equivalent
    review_to_deny = gb.found("review", "deny")
    assert review_to_deny is not None and review_to_deny.witness["country"] == "GB"
    assert "Compared with global@v1 by the solver, per jurisdiction:" in preview.summary()
    assert "B denies strictly more" in preview.summary()
    # the approver sees the same comparison, computed from the stored sources
    submitted = erin.take_step("submit", "global", draft.number)
    assert [j.to_json()["verdicts"] for j in bob.comparison("global", submitted.number)] == \
        [j.to_json()["verdicts"] for j in preview.comparison]
