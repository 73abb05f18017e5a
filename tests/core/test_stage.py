"""The moment a request is checked at (`stage`): the prompt and uploads before generating, or the generated image.

A platform checks twice; a benign prompt whose result is revealing can only be caught on the output, so rules
must be able to tell the moments apart, and every record, replay and case keeps which one it was."""
from __future__ import annotations

import pytest

from decision_logs import record
from jurist.dsl.diagnostics import CompileError
from jurist.engine import Policy, Request
from jurist.engine.cases import Case, CaseError
from jurist.engine.request import RequestError
from jurist.engine.request_schema import request_schema
from jurist.workbench.replay import Replayer, gaps, replay_request

RULES = {"p.policy": """
rule output_swimwear_review: review subject:real_person attire:bikini where stage = output
rule input_only_prompt: deny intent:swimwear where stage = input
"""}
BIKINI = {"labels": {"subject:real_person": 0.9, "attire:bikini": 0.9}}


def _decide(policy: Policy, **request) -> str:
    return policy.decide(Request.from_json({"action": "edit", "country": "FR", **request})).effect


def test_rules_tell_the_moments_apart():
    policy = Policy.from_sources(RULES)
    assert _decide(policy, stage="output", observations=BIKINI) == "review"
    assert _decide(policy, stage="input", observations=BIKINI) == "allow"
    assert _decide(policy, stage="input", prompt="put her in a bikini") == "deny"
    assert _decide(policy, stage="output", prompt="put her in a bikini") == "allow"


def test_a_request_that_does_not_say_its_moment_fails_closed():
    """Left out, `stage` is unknown like any field: a review or deny rule that tests it counts as matched."""
    policy = Policy.from_sources(RULES)
    decision = policy.decide(Request.from_json({"action": "edit", "country": "FR", "observations": BIKINI}))
    assert decision.effect == "review"
    assert "stage" in decision.explain()


def test_a_misspelt_moment_is_refused_with_the_values_it_may_take():
    with pytest.raises(RequestError) as err:
        Request.from_json({"stage": "outptu"})
    assert "stage" in str(err.value) and "output" in str(err.value)


def test_a_rule_with_a_misspelt_moment_does_not_compile():
    with pytest.raises(CompileError) as err:
        Policy.from_sources({"p.policy": "rule r: deny where stage = outpt\n"})
    found = err.value.diagnostics[0]
    assert (found.line, found.column, found.help) == (1, 28, "did you mean `output`?")


def test_the_request_schema_and_json_carry_the_moment():
    schema = request_schema()["properties"]["stage"]
    assert "output" in str(schema) and "generated" in str(schema)
    assert Request.from_json({"stage": "output"}).to_json() == {"stage": "output"}


def test_replay_keeps_the_moment():
    """Two logged requests alike but for their moment are decided apart, as deciding each afresh would."""
    policy = Policy.from_sources(RULES)
    replayer, fresh = Replayer(policy, policy), Replayer(policy, policy)
    for n, stage in enumerate(("output", "input", "output")):
        raw = record(n, {"action": "edit", "country": "FR", "stage": stage, "date": "2026-02-10"},
                     BIKINI["labels"])
        pair = replayer.replay(raw)[4]
        found = gaps(raw)
        expected = fresh.decide(Request.from_json(replay_request(raw, found)), found.missing)
        assert pair.candidate == expected.candidate
        assert pair.candidate.effect == ("review" if stage == "output" else "allow")


def test_a_case_keeps_its_moment_and_the_policy_it_proves():
    raw = {"name": "beach_output", "policy": "swimwear_geoblock",
           "request": {"action": "edit", "country": "AU", "stage": "output"}, "expect": {"effect": "deny"}}
    case = Case.from_json(raw)
    assert case.request.stage == "output" and case.policy == "swimwear_geoblock"
    assert Case.from_json(case.to_json()) == case
    with pytest.raises(CaseError, match="policy"):
        Case.from_json({**raw, "policy": "Swimwear Geoblock"})
