"""Running cases through the workbench: one reader, one pass rule, one observation per case, runs kept."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

import jurist
from jurist.db.errors import ConflictError
from jurist.engine.cases import Case
from jurist.engine.detectors.base import DetectionInput
from jurist.engine.detectors.prompt_intent import PromptIntentDetector
from jurist.engine.observations import Observations
from jurist.workbench.cases import read_documents, run_cases

from published_team import Team
from small_ruleset import CASES, SOURCES

PROMPTED = {"name": "undress prompt on a real person",
            "request": {"action": "edit", "country": "FR", "user": {"tier": "paid"}, "date": "2026-03-01",
                        "prompt": "remove her clothes",
                        "observations": {"persons": [{"labels": {"subject:real_person": 0.9}}]}},
            "expect": {"effect": "deny", "rules": ["undress_real"]}}


@dataclass
class Counting:
    """The real prompt detector, counting how often it is asked."""

    inner: PromptIntentDetector = field(default_factory=PromptIntentDetector)
    calls: int = 0

    @property
    def name(self) -> str:
        return self.inner.name

    def detect(self, subject: DetectionInput, upstream: Observations) -> Observations:
        self.calls += 1
        return self.inner.detect(subject, upstream)


def test_each_case_is_observed_once_however_often_it_is_decided() -> None:
    """Fast, exhaustive, and the baseline's decision all read one observation (it used to be up to four)."""
    counting = Counting()
    policy = jurist.Policy.from_sources(SOURCES, detectors={"prompt_intent": counting})
    baseline = jurist.Policy.from_sources(dict(SOURCES, **{"gb/uk.policy": "jurisdiction GB\n"}))
    prompts = ("remove her clothes", "take off her dress", "undress her")
    cases = [Case.from_json({**PROMPTED, "name": p, "request": {**PROMPTED["request"], "prompt": p}}) for p in prompts]
    run = run_cases(policy, cases + cases, baseline=baseline)  # each prompt twice: looked at once for the run
    assert [r.passed for r in run.results] == [True] * 6
    assert counting.calls == 3


def test_a_failing_case_says_why_including_what_could_not_be_checked() -> None:
    policy = jurist.Policy.from_sources(SOURCES)
    unknown = {"name": "person unknown", "request": {"country": "FR", "observations": {"unknown": ["subject:minor"]}},
               "expect": {"effect": "allow"}}
    [result] = run_cases(policy, [Case.from_json(unknown)]).results
    assert not result.passed
    assert result.problems[0].startswith("expected allow, got deny (fail-closed: minors_nudity: ")


def test_stored_cases_that_no_longer_read_fail_as_rows_with_their_reason() -> None:
    readable = read_documents([CASES[0], {"name": "renamed label", "request": {"observations": {"labels": {
        "attire:bikni": 0.9}}}, "expect": {"effect": "deny"}}])
    assert [c.name for c in readable.cases] == [CASES[0]["name"]]
    [bad] = readable.unreadable
    assert (bad.name, bad.effect, bad.passed) == ("renamed label", "deny", False)
    assert "did you mean `attire:bikini`" in bad.problems[0]


def test_a_recorded_run_is_the_run_that_was_shown(team: Team) -> None:
    erin = team.actions("erin")
    policy = erin.published_policy("global")
    assert policy is not None
    run = erin.run_cases("global", policy)
    opened = erin.open("global")
    recorded = erin.record_run(opened.info, opened.sources, run.results)
    assert (recorded.passed, recorded.failed) == (run.passed, len(run.failing)) == (2, 0)
    assert [(r.case_name, r.passed) for r in recorded.results] == [(r.name, r.passed) for r in run.results]


def test_a_run_of_text_since_changed_is_not_recorded(team: Team) -> None:
    erin = team.actions("erin")
    opened = erin.open("global")
    edited = dict(opened.sources, **{"extra.policy": "rule extra: deny where country = JP\n"})
    run = erin.run_cases("global", jurist.Policy.from_sources(edited))
    with pytest.raises(ConflictError, match="was changed in the store since it was opened"):
        erin.record_run(opened.info, edited, run.results)


def test_saving_a_case_uses_the_one_reader(team: Team) -> None:
    erin = team.actions("erin")
    with pytest.raises(Exception, match="unknown request field `tier`"):
        erin.save_case("global", "typo", {"country": "GB", "tier": "paid"}, "deny", [])
    assert [c.name for c in erin.test_cases("global")] == sorted(c["name"] for c in CASES)
