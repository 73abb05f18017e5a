"""The real detectors behind the vocabulary's labels, and the installed plug-ins.

`default_detectors()` is cheap: no model is read until a detector's first
`detect`, and models are then shared by every instance in the process.
Plug-ins (`jurist.engine.plugins`, the `jurist.detectors` entry-point group)
are built by their factories beside the shipped detectors.
"""
from __future__ import annotations

from jurist.engine.detectors.age import AgeDetector
from jurist.engine.detectors.base import Detector
from jurist.engine.detectors.faces import FaceDetector
from jurist.engine.detectors.nudity import NudityDetector
from jurist.engine.detectors.prompt_intent import PromptIntentDetector
from jurist.engine.detectors.prompt_names import PromptNamesDetector
from jurist.engine.vocabulary import PLUGINS

# Detectors whose outputs each detector needs in `upstream`: age and nudenet work on the faces `faces` found.
DETECTOR_REQUIRES: dict[str, tuple[str, ...]] = {
    "prompt_intent": (),
    "prompt_names": (),
    "faces": (),
    "age": ("faces",),
    "nudenet": ("faces",),
    **{plugin.spec.name: plugin.requires for plugin in PLUGINS.plugins},
}


def default_detectors() -> dict[str, Detector]:
    """One instance of every detector, keyed by its vocabulary name."""
    detectors: list[Detector] = [PromptIntentDetector(), PromptNamesDetector(), FaceDetector(), AgeDetector(),
                                 NudityDetector()]
    out = {d.name: d for d in detectors}
    for plugin in PLUGINS.plugins:
        detector = plugin.factory()
        if getattr(detector, "name", None) != plugin.spec.name:
            raise RuntimeError(f"detector plug-in `{plugin.spec.name}`'s factory built a detector named "
                               f"`{getattr(detector, 'name', None)}`")
        out[plugin.spec.name] = detector
    return out


__all__ = ["DETECTOR_REQUIRES", "default_detectors"]
