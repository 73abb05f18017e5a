"""A `person(...)` test runs the detectors that work on persons only when a person was found."""
from __future__ import annotations

import pytest

import jurist
from jurist.engine.detectors import DETECTOR_REQUIRES

RULES = "rule child_swimwear: deny person(subject:minor attire:{bikini, underwear})\n"


def _request(path: str) -> dict:
    return {"action": "edit", "country": "FR", "user": {"tier": "paid"}, "surface": "app", "images": [path]}


# With nobody found, the age model answers at once (no face to read): the per-person attribution
# check asks it whether the image shows a child anywhere.  NudeNet's 125 ms is not spent.
@pytest.mark.parametrize("name, ran, from_faces_only", [("coffee", ["faces", "age"], "allow"),
                                                        ("astronaut", ["faces", "nudenet", "age"], "deny")])
def test_age_and_nudenet_run_for_a_person_test_only_when_a_face_was_found(tmp_path, kit, photos, counted, name, ran,
                                                                         from_faces_only):
    """Before: with no face found, NudeNet and the age model still ran for nobody (130-150 ms)."""
    path = tmp_path / f"{name}.png"
    path.write_bytes(kit.encode(photos[name].pixels))
    policy = jurist.Policy.from_sources({"p.policy": RULES}, detectors=counted, requires=DETECTOR_REQUIRES)
    decision = policy.decide(_request(str(path)))
    assert decision.effect == "allow", decision.explain()
    assert [r.name for r in decision.detectors_run] == ran
    # Observed for faces only: with nobody found the rest is not needed; with a person it is, and was not run
    observed = policy.observe(_request(str(path)), labels=["subject:real_person"])
    assert policy.decide(observed).effect == from_faces_only
