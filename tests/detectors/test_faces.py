"""Faces on real photos: the bundled astronaut and cameraman, and the LFW subset."""
from __future__ import annotations

import numpy as np

from jurist.engine.detectors.faces import find_faces
from jurist.engine.detectors.base import DetectionInput
from jurist.engine.observations import Observations


def _centre_inside(box, region) -> bool:
    cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
    x, y, w, h = region
    return x <= cx <= x + w and y <= cy <= y + h


def test_astronaut_and_cameraman_faces(photos):
    # Hand-checked face regions (x, y, w, h): Eileen Collins' face, the cameraman's profile.
    for name, region in (("astronaut", (165, 60, 115, 120)), ("camera", (170, 95, 110, 110))):
        faces = find_faces(photos[name].pixels)
        assert len(faces) == 1, name
        assert _centre_inside(faces[0].box, region), (name, faces[0].box)
        assert faces[0].score >= 0.5


def test_no_face_in_coffee(photos):
    assert find_faces(photos["coffee"].pixels) == []


def test_lfw_subset_recall_and_false_positives(lfw):
    found = [bool(find_faces(np.repeat(crop[:, :, None], 3, axis=2))) for crop in lfw]
    recall, false_positives = sum(found[:100]), sum(found[100:])
    assert recall >= 95, recall
    assert false_positives <= 2, false_positives


def test_faces_become_persons(detectors, photos):
    obs = detectors["faces"].detect(DetectionInput("", [photos["coffee"], photos["astronaut"]]), Observations())
    assert len(obs.persons) == 1
    person = obs.persons[0]
    assert person.image == 1 and person.box is not None
    assert obs.labels["subject:real_person"] == person.labels["subject:real_person"] >= 0.5
