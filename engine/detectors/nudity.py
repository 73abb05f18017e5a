"""The `nudenet` detector: nudity and attire labels, per image and per person.

Runs NudeNet on every frame of every image, turns its body parts into labels
through the versioned table in `nudenet_mapping`, and gives each person found
by `faces` the labels of the parts attributed to them (`attribution`).
Image-level scores are computed over all parts of an image, attributed or
not, so a part no face claims still counts.
"""
from __future__ import annotations

from types import MappingProxyType

from jurist.engine.detectors.attribution import owner_of
from jurist.engine.detectors.base import DetectionInput
from jurist.engine.detectors.frames import frames_of, locate, to_strip
from jurist.engine.detectors.nudenet_mapping import LABELS, label_scores
from jurist.engine.detectors.nudenet_model import BodyPart, detect_body_parts
from jurist.engine.detectors.persons import upstream_persons
from jurist.engine.observations import Observations, Person


class NudityDetector:
    """NudeNet 320n body parts mapped to `nudity:*` and `attire:*` labels."""

    name = "nudenet"

    def detect(self, subject: DetectionInput, upstream: Observations) -> Observations:
        persons = upstream_persons(upstream)
        parts_of_person: list[list[BodyPart]] = [[] for _ in persons]
        image_labels = dict.fromkeys(LABELS, 0.0)
        seen: dict[int, list[BodyPart]] = {}  # a request naming one image twice gets the same arrays: detect once
        for image_index, image in enumerate(subject.images):
            mine = [(k, p) for k, p in enumerate(persons) if p.image == image_index]
            for frame in frames_of(image):
                if id(frame.pixels) not in seen:
                    seen[id(frame.pixels)] = detect_body_parts(frame.pixels)
                parts = [BodyPart(part.name, part.score, to_strip(frame, part.box)) for part in seen[id(frame.pixels)]]
                for key, score in label_scores(parts).items():
                    image_labels[key] = max(image_labels[key], score)
                in_frame = [(k, p) for k, p in mine if locate(image, p.box)[0].index == frame.index]
                for part in parts:
                    owner = owner_of(part.box, [p.box for _, p in in_frame])
                    if owner is not None:
                        parts_of_person[in_frame[owner][0]].append(part)
        out = tuple(Person(MappingProxyType(label_scores(parts)), person.box, person.image)
                    for person, parts in zip(persons, parts_of_person))
        return Observations(MappingProxyType(image_labels), out)
