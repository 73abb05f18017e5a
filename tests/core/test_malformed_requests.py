"""Malformed requests: each becomes a `deny` decision naming what was wrong, never an exception."""
from __future__ import annotations

import math

import pytest

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


# Random malformed requests (fields broken deep down, any JSON, broken request text) are fuzzed in
# tests/fuzz/test_request_fuzz.py, with the generators fuzz/run.py runs for longer.
