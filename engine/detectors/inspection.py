"""What every image detector sees in one image, for people tuning rules.

`jurist detect` prints it; it runs the detectors directly, outside any policy,
so thresholds and rules play no part: the raw label scores, each person with
their box, and NudeNet's raw body parts before the mapping table's floor.
"""
from __future__ import annotations

from typing import Any

from .base import DecodedImage
from .nudenet_model import BodyPart


def inspect(path: str, prompt: str = "") -> tuple[dict[str, Any], DecodedImage, list[BodyPart]]:
    """Everything the detectors report on `path`, as a JSON-ready dict, with the image and its body parts."""
    from jurist.engine.observations import Observations

    from . import default_detectors
    from .base import DetectionInput
    from .frames import frames_of, to_strip
    from .intake import load_image
    from .nudenet_mapping import MAPPING_VERSION
    from .nudenet_model import detect_body_parts

    image = load_image(path)
    detectors = default_detectors()
    subject = DetectionInput(prompt, [image])
    faces = detectors["faces"].detect(subject, Observations())
    outputs = [faces, detectors["age"].detect(subject, faces), detectors["nudenet"].detect(subject, faces)]
    if prompt:
        outputs += [detectors[name].detect(subject, Observations()) for name in ("prompt_intent", "prompt_names")]
    parts = [BodyPart(p.name, p.score, to_strip(frame, p.box))
             for frame in frames_of(image) for p in detect_body_parts(frame.pixels)]
    height, width = image.pixels.shape[:2]
    report = {
        "image": image.source,
        "size": [width, height],
        "frames": image.frames,
        "frames_checked": len(image.every_frame),
        "labels": _image_labels(outputs),
        "persons": _persons(outputs),
        "body_parts": [{"class": p.name, "score": round(p.score, 4), "box": [round(v, 1) for v in p.box]}
                       for p in parts],
        "nudenet_mapping_version": MAPPING_VERSION,
    }
    return report, image, parts


def _image_labels(outputs: list[Any]) -> dict[str, float]:
    labels: dict[str, float] = {}
    for obs in outputs:
        for source in (obs.labels, *(p.labels for p in obs.persons)):
            for key, score in source.items():
                labels[key] = max(labels.get(key, 0.0), score)
    return dict(sorted(labels.items()))


def _persons(outputs: list[Any]) -> list[dict[str, Any]]:
    merged: dict[tuple[int, Any], dict[str, float]] = {}
    for obs in outputs:
        for person in obs.persons:
            labels = merged.setdefault((person.image, person.box), {})
            for key, score in person.labels.items():
                labels[key] = max(labels.get(key, 0.0), score)
    return [{"box": list(box) if box else None, "labels": dict(sorted(labels.items()))}
            for (_, box), labels in merged.items()]
