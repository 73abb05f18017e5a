"""Scores a caller sends beside images: the detectors still look at the images.

Caller scores fill only labels no detector yields from the request's inputs
(facts only the platform knows, such as verified consent); a policy built with
`trust_observations=True` takes them as given.
"""
from __future__ import annotations

import pytest

import jurist

RULES = """\
rule real: deny subject:real_person not subject:consenting_self
default allow
"""
DENIAL = {"labels": {"subject:real_person": 0.0, "attire:bikini": 0.0, "nudity:exposed": 0.0},
          "persons": [{"labels": {"subject:real_person": 0.0, "subject:minor": 0.0}, "box": [0, 0, 10, 10]}]}


@pytest.fixture()
def astronaut_path(tmp_path, kit, photos) -> str:
    path = tmp_path / "astronaut.jpg"
    path.write_bytes(kit.encode(photos["astronaut"].pixels, "JPEG"))
    return str(path)


@pytest.fixture()
def truncated_path(tmp_path, kit, photos) -> str:
    path = tmp_path / "truncated.jpg"
    path.write_bytes(kit.encode(photos["astronaut"].pixels, "JPEG")[:4000])
    return str(path)


def _request(image: str, observations: dict) -> dict:
    return {"country": "GB", "action": "edit", "images": [image], "observations": observations}


def test_a_photo_sent_with_scores_denying_a_face_is_still_checked(astronaut_path):
    d = jurist.Policy.from_sources({"p.policy": RULES}).decide(_request(astronaut_path, DENIAL))
    assert d.effect == "deny" and d.rules[0].id == "real" and not d.rules[0].unverified
    assert [r.name for r in d.detectors_run] == ["faces"]
    assert d.observations["labels"]["subject:real_person"] >= 0.5


def test_a_truncated_photo_sent_with_the_same_scores_fails_closed(truncated_path):
    d = jurist.Policy.from_sources({"p.policy": RULES}).decide(_request(truncated_path, DENIAL))
    assert d.effect == "deny" and "image could not be checked" in d.rules[0].unverified


def test_caller_scores_still_fill_labels_no_detector_yields(astronaut_path):
    consent = {"labels": {"subject:consenting_self": 0.99}}
    d = jurist.Policy.from_sources({"p.policy": RULES}).decide(_request(astronaut_path, consent))
    assert d.effect == "allow"


def test_a_trusting_policy_takes_the_callers_scores_as_given(astronaut_path, truncated_path):
    trusting = jurist.Policy.from_sources({"p.policy": RULES}, trust_observations=True)
    for image in (astronaut_path, truncated_path):
        d = trusting.decide(_request(image, DENIAL))
        assert d.effect == "allow" and d.detectors_run == ()


def test_an_observed_request_keeps_the_rule(astronaut_path):
    policy = jurist.Policy.from_sources({"p.policy": RULES})
    observed = policy.observe(_request(astronaut_path, DENIAL))
    assert observed.given is not None and "subject:real_person" not in observed.given.labels
    assert all("subject:minor" not in p.labels for p in observed.given.persons)
    assert policy.decide(observed).effect == "deny"
