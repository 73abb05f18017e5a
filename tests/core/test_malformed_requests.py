"""Malformed requests: each becomes a `deny` decision naming what was wrong, never an exception."""
from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy_helpers import policy, request

HUGE = 10 ** 400  # `1` followed by 400 zeros: float() of it overflows

P = policy("rule p: deny person(subject:minor attire:bikini)\nrule b: deny attire:bikini\nallow where country = FR\n")


@pytest.mark.parametrize("observations, message", [
    ({"labels": {"attire:bikini": HUGE}}, "observations.labels: score for `attire:bikini` must be between 0 and 1"),
    ({"labels": {"attire:bikini": -HUGE}}, "observations.labels: score for `attire:bikini` must be between 0 and 1"),
    ({"persons": [{"labels": {"attire:bikini": HUGE}}]}, "observations.persons[0].labels: score for `attire:bikini`"),
    ({"persons": [{"labels": {}, "box": [HUGE, 0, 1, 1]}]}, "observations.persons[0].box: x must be a finite number"),
    ({"persons": [{"labels": {}, "box": [0, math.nan, 1, 1]}]}, "observations.persons[0].box: y must be a finite number"),
    ({"persons": [{"labels": {}, "box": [0, 0, math.inf, 1]}]},
     "observations.persons[0].box: width must be a finite number"),
    ({"persons": [{"labels": {}, "box": [0, 0, 1, -2]}]}, "observations.persons[0].box: height must not be negative"),
    ({"persons": [{"labels": {}, "image": HUGE}]}, "observations.persons[0].image must be an image index"),
    ({"persons": {}}, "observations.persons must be a list, got dict"),
    ({"persons": 0}, "observations.persons must be a list, got int"),
    ({"persons": ""}, "observations.persons must be a list, got str"),
    ({"persons": False}, "observations.persons must be a list, got bool"),
    ({"unknown": {}}, "observations.unknown must be a list of `category:value` labels, got dict"),
    ({"unknown": 0}, "observations.unknown must be a list of `category:value` labels, got int"),
    ({"unknown": ""}, "observations.unknown must be a list of `category:value` labels, got str"),
])
def test_malformed_observations_are_denied_naming_the_field(observations, message):
    d = P.decide({**request(), "observations": observations})
    assert d.effect == "deny" and len(d.errors) == 1
    assert message in d.errors[0]
    assert len(d.errors[0]) < 200  # a huge number is described, not echoed


def test_a_score_too_long_to_print_is_still_a_readable_error():
    d = P.decide({**request(), "observations": {"labels": {"attire:bikini": 10 ** 5000}}})
    assert d.effect == "deny" and "got an integer with over 3,900 digits" in d.errors[0]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=10 ** 400) | st.floats()
    | st.text(max_size=8) | st.sampled_from(["GB", "US-CA", "attire:bikini", "paid", "2026-01-01"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=8)


def mostly(valid: st.SearchStrategy) -> st.SearchStrategy:
    """`valid` three times in four, else any JSON: the fuzzing reaches deep fields, and breaks each."""
    return st.one_of(valid, valid, valid, json_values)


numbers = st.floats() | st.integers() | st.integers(min_value=10 ** 400) | st.integers(max_value=-10 ** 400)
labels = st.sampled_from(["attire:bikini", "subject:minor", "nudity:exposed", "attire:bikinii", "x"])
scores = mostly(st.dictionaries(labels, mostly(numbers), min_size=1, max_size=3))
person = mostly(st.fixed_dictionaries({"labels": scores, "box": mostly(st.lists(numbers, min_size=4, max_size=4))},
                                      optional={"image": mostly(numbers)}))
observations = mostly(st.fixed_dictionaries({"labels": scores}, optional={
    "persons": mostly(st.lists(person, min_size=1, max_size=3)),
    "unknown": mostly(st.lists(mostly(labels), min_size=1, max_size=3))}))
FIELDS = {
    "country": st.sampled_from(["GB", "FR", "gb", "XX"]), "region": st.sampled_from(["FR-75C", "FR-IDF", "GB-GLG"]),
    "action": st.sampled_from(["generate", "edit"]),
    "user": st.fixed_dictionaries({}, optional={"tier": mostly(st.sampled_from(["free", "paid"]))}),
    "surface": st.just("app"), "date": st.sampled_from(["2026-01-01", "2026-02-30"]),
    "prompt": st.text(max_size=20), "observations": observations,
}


@st.composite
def fuzzed(draw: st.DrawFn) -> dict:
    """A well-formed request with one or two of its fields fuzzed."""
    names = draw(st.sets(st.sampled_from(sorted(FIELDS)), min_size=1, max_size=2))
    return {**request(), **{k: draw(mostly(FIELDS[k])) for k in sorted(names)}}


requests = st.one_of(fuzzed(), fuzzed(), st.dictionaries(st.text(max_size=8), json_values, max_size=3), json_values)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests)
def test_any_json_shaped_request_gets_a_decision_and_errors_deny(raw):
    for exhaustive in (False, True):
        d = P.decide(raw, exhaustive=exhaustive)
        assert d.effect in ("allow", "deny")
        if d.errors:
            assert d.effect == "deny" and all(isinstance(e, str) and e for e in d.errors)
    assert P.decide(P.observe(raw), exhaustive=True).effect == d.effect
