"""Review with kept cases: a version is previewed, its impact counted and it is published with the test cases it
was submitted with, whatever the working set says by then."""
from __future__ import annotations

import pytest

from jurist.db.errors import ConflictError, FailingTests
from jurist.workbench.impact import compute_impact

from published_team import Team
from small_ruleset import CASES, SOURCES

STRICTER_GB = SOURCES["gb/uk.policy"].replace("review attire", "deny attire")
SWIMWEAR = CASES[0]  # expects review; the stricter draft denies it
SWIMWEAR_WEAKENED = {**SWIMWEAR, "expect": {"effect": "deny", "rules": ["gb_swimwear_real"]}}


def submitted_stricter(team: Team) -> int:
    erin = team.actions("erin")
    draft = erin.save(erin.open("global").info, dict(SOURCES, **{"gb/uk.policy": STRICTER_GB}))
    erin.take_step("submit", "global", draft.number)
    return draft.number


def test_a_case_weakened_after_approval_does_not_get_the_version_published(team: Team) -> None:
    number = submitted_stricter(team)
    bob = team.actions("bob")
    bob.take_step("approve", "global", number)
    team.actions("erin").store.save_test_case("global", SWIMWEAR_WEAKENED)  # the working set now agrees with v2
    with pytest.raises(FailingTests, match=rf"global@v{number} fails 1 of its 2 test case\(s\) \(gb free swimwear is "
                                           r"reviewed\)"):
        bob.take_step("publish", "global", number)
    assert bob.store.published_sources("global").info.number == 1


def test_the_approvers_preview_runs_the_kept_cases_and_says_how_the_working_set_differs(team: Team) -> None:
    number = submitted_stricter(team)
    erin = team.actions("erin").store
    erin.save_test_case("global", SWIMWEAR_WEAKENED)
    erin.save_test_case("global", {**CASES[1], "name": "de sexual deepfake is denied"})
    preview = team.actions("bob").preview_submit("global", number)
    assert preview.cases == 2 and [r.name for r in preview.failing] == ["gb free swimwear is reviewed"]
    text = preview.summary().splitlines()
    assert text[:2] == ["Submitted with 2 test case(s), which it is tested and published with.",
                        "  The working set differs now: `de sexual deepfake is denied` added, "
                        "`gb free swimwear is reviewed` changed (the next submission keeps it)."]
    impact = team.actions("bob").impact("global", number)
    assert impact is not None and (impact.cases_run, impact.cases_failing) == (2, 1)


def test_an_impact_computed_on_cases_edited_since_is_not_submitted(team: Team) -> None:
    erin = team.actions("erin")
    draft = erin.save(erin.open("global").info, dict(SOURCES, **{"gb/uk.policy": STRICTER_GB}))
    computed = compute_impact(erin.store, "global", draft.number)
    erin.store.save_test_case("global", SWIMWEAR_WEAKENED)  # after its cases ran, before the submission
    with pytest.raises(ConflictError, match="the test cases of `global` were edited while the impact of v2 was "
                                            "computed; submit it again"):
        erin.store.submit("global", draft.number, impact=computed.new)
    assert erin.store.get_version("global", draft.number).state == "draft"
