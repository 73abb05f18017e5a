"""`Policy.observe`: run the detectors once, decide from the result many times."""
from __future__ import annotations

import pytest

import jurist

from policy_helpers import CountingDetector, policy, request


def _same(a, b) -> bool:
    return (a.effect, a.rules, a.unevaluated, a.trace, a.default_applied, a.errors) == \
        (b.effect, b.rules, b.unevaluated, b.trace, b.default_applied, b.errors)


def test_a_failing_detector_fails_closed_from_the_observation_with_the_same_reason():
    failing = CountingDetector("prompt_intent", {}, fail="lexicon unavailable")
    p = policy("rule undress: deny intent:undress\nallow where country = FR\n", detectors={"prompt_intent": failing})
    raw = {**request(), "prompt": "take it off"}
    observed = p.observe(raw)
    assert failing.calls == 1 and observed.failures == {"prompt_intent": "lexicon unavailable"}
    assert observed.scores["intent:undress"] is None
    for exhaustive in (False, True):
        d = p.decide(observed, exhaustive=exhaustive)
        assert _same(d, p.decide(raw, exhaustive=exhaustive))
        assert d.effect == "deny" and d.rules[0].unverified == "lexicon unavailable"
    assert failing.calls == 3  # twice live, never from the observation


def test_context_changes_keep_the_observations_and_are_checked():
    prompt = CountingDetector("prompt_intent", {"intent:undress": 0.9})
    p = policy("rule gb: deny intent:undress where country = GB\n", detectors={"prompt_intent": prompt})
    observed = p.observe({**request(country="FR"), "prompt": "undress her"})
    assert p.decide(observed).effect == "allow"
    assert p.decide(observed.with_context(country="GB")).effect == "deny"
    scotland = observed.with_context(region="GB-SCT")
    assert (scotland.request.country, scotland.request.region) == ("GB", "GB-SCT")
    assert observed.with_context(user=None).request.tier is None
    assert prompt.calls == 1
    with pytest.raises(jurist.RequestError, match="`prompt` is not a context field"):
        observed.with_context(prompt="a cat")
    with pytest.raises(jurist.RequestError, match="`GONDOR` is not an ISO 3166-1"):
        observed.with_context(country="Gondor")


def test_a_malformed_request_observes_to_deny_with_the_reason():
    p = policy("allow where country = FR\n")
    observed = p.observe({"country": "France"})
    d = p.decide(observed)
    assert d.effect == "deny" and d.errors == ("country: `FRANCE` is not an ISO 3166-1 alpha-2 code",)
    assert observed.with_context(country="FR") is observed


def test_labels_outside_the_vocabulary_are_refused_by_name():
    with pytest.raises(ValueError, match="`attire:bikinii` is not a label of this engine; did you mean `attire:bikini`"):
        policy("deny attire:bikini\n").observe(request(), labels=["attire:bikinii"])


def test_observing_a_request_without_prompt_or_images_runs_nothing_and_decides_the_same():
    prompt = CountingDetector("prompt_intent", {"intent:undress": 0.9})
    p = policy("rule p: deny person(subject:minor attire:bikini)\nrule u: deny intent:undress\n",
               detectors={"prompt_intent": prompt})
    raw = {**request(), "observations": {"persons": [{"labels": {"attire:bikini": 0.9}, "box": [0, 0, 5, 5]}],
                                         "unknown": ["subject:minor"]}}
    observed = p.observe(raw)
    assert observed.runs == () and prompt.calls == 0
    assert _same(p.decide(observed), p.decide(raw))
    assert p.decide(observed).rules[0].unverified == "`subject:minor` is recorded as unknown in the given observations"


def test_a_trusting_view_of_a_policy_takes_caller_scores_as_given_and_shares_the_rules():
    prompt = CountingDetector("prompt_intent", {"intent:undress": 0.9})
    p = policy("deny intent:undress\n", detectors={"prompt_intent": prompt})
    raw = {**request(labels={"intent:undress": 0.0}), "prompt": "undress her"}
    trusting = p.trusting_observations()
    assert trusting.decide(raw).effect == "allow" and prompt.calls == 0
    assert p.decide(raw).effect == "deny" and prompt.calls == 1
    assert trusting.program is p.program and trusting.trusting_observations() is trusting
    assert not p.trust_observations
