"""The real detectors behind the vocabulary's labels.

`default_detectors()` is cheap: no model is read until a detector's first
`detect`, and models are then shared by every instance in the process.
"""
from __future__ import annotations

from jurist.engine.detectors.age import AgeDetector
from jurist.engine.detectors.base import Detector
from jurist.engine.detectors.faces import FaceDetector
from jurist.engine.detectors.nudity import NudityDetector
from jurist.engine.detectors.prompt_intent import PromptIntentDetector

# Detectors whose outputs each detector needs in `upstream`: both work on the faces `faces` found.
DETECTOR_REQUIRES: dict[str, tuple[str, ...]] = {
    "prompt_intent": (),
    "faces": (),
    "age": ("faces",),
    "nudenet": ("faces",),
}


def default_detectors() -> dict[str, Detector]:
    """One instance of every detector, keyed by its vocabulary name."""
    detectors: list[Detector] = [PromptIntentDetector(), FaceDetector(), AgeDetector(), NudityDetector()]
    return {d.name: d for d in detectors}


__all__ = ["DETECTOR_REQUIRES", "default_detectors"]
