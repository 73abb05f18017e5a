"""The `nudenet` detector: nudity and attire labels, per image and per person.

Runs NudeNet on every frame of every image, turns its body parts into labels
through the versioned table in `nudenet_mapping` (after dropping the parts it
finds implausible there), and gives each person found by `faces` the labels
of the parts on their body (`attribution`: the body below the face, along the
face's roll).  Image-level scores are computed over all parts of an image,
attributed or not, so a part no face claims still counts.  A part that counts
(a label's part, at or above the table's floor) but that no body, or more
than one, could hold is reported as `attribution:unsure`, with its score:
`person(...)` rules cannot say whose it is, and rules may send such images
to review.
"""
from __future__ import annotations

from types import MappingProxyType

import numpy as np

from jurist.engine.detectors import blazeface
from jurist.engine.detectors.attribution import Body, owner_of
from jurist.engine.detectors.base import DetectionInput
from jurist.engine.detectors.frames import frames_of, locate, to_strip
from jurist.engine.detectors.nudenet_mapping import INTIMATE, LABELS, MIN_SCORE, label_scores, plausible
from jurist.engine.detectors.nudenet_model import BodyPart, detect_body_parts
from jurist.engine.detectors.persons import upstream_persons
from jurist.engine.observations import Box, Observations, Person

UNSURE = "attribution:unsure"


class NudityDetector:
    """NudeNet 320n body parts mapped to `nudity:*` and `attire:*` labels."""

    name = "nudenet"

    def detect(self, subject: DetectionInput, upstream: Observations) -> Observations:
        persons = upstream_persons(upstream)
        parts_of_person: list[list[BodyPart]] = [[] for _ in persons]
        image_labels = dict.fromkeys((*LABELS, UNSURE), 0.0)
        seen: dict[int, list[BodyPart]] = {}  # a request naming one image twice gets the same arrays: detect once
        for image_index, image in enumerate(subject.images):
            mine = [(k, p) for k, p in enumerate(persons) if p.image == image_index]
            for frame in frames_of(image):
                if id(frame.pixels) not in seen:
                    seen[id(frame.pixels)] = [part for part in detect_body_parts(frame.pixels)
                                              if plausible(part, frame.pixels)]
                in_frame = [(k, locate(image, p.box)[1]) for k, p in mine if locate(image, p.box)[0].index == frame.index]
                bodies = [_body(frame.pixels, box) for _, box in in_frame]
                for part in seen[id(frame.pixels)]:
                    owner = owner_of(part.box, bodies)
                    if owner is not None:
                        parts_of_person[in_frame[owner][0]].append(part)
                    elif part.name in INTIMATE and part.score >= MIN_SCORE:
                        image_labels[UNSURE] = max(image_labels[UNSURE], part.score)
                strip = [BodyPart(part.name, part.score, to_strip(frame, part.box)) for part in seen[id(frame.pixels)]]
                for key, score in label_scores(strip).items():
                    image_labels[key] = max(image_labels[key], score)
        out = tuple(Person(MappingProxyType(label_scores(parts)), person.box, person.image)
                    for person, parts in zip(persons, parts_of_person))
        return Observations(MappingProxyType(image_labels), out)


def _body(pixels: np.ndarray, box: Box) -> Body:
    """The body below a face, turned as the face is (upright when BlazeFace cannot read it again)."""
    face = blazeface.face_near(pixels, box)
    return Body(box, face.roll if face is not None else 0.0)
