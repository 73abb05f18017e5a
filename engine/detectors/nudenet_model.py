"""NudeNet's 320n body-part detector, run directly with onnxruntime.

The model file is read from the installed `nudenet` wheel and never copied
into this repository: the wheel's metadata says MIT but its licence file is
AGPL-3.0, so we depend on the package rather than redistribute its weights.

Pre- and post-processing reproduce `nudenet.NudeDetector` given the same RGB
pixels (tests/detectors/test_nudenet_parity.py): pad bottom/right with black
to a square, resize to 320x320 (bilinear, on 8-bit values), scale by 1/255,
NCHW RGB float32; output `[1, 22, N]` = box centre, size and 18 class scores
per anchor; keep anchors whose best class scores >= 0.2, clip to the image,
then class-agnostic NMS (score >= 0.25, IoU > 0.45 suppressed).

One quirk of the reference is *not* reproduced: given a file path it reads
BGR and swaps channels twice, so the network sees BGR.  We feed RGB, the
order the network was trained in (it scores faces higher that way).
"""
from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort

from jurist.engine.detectors.base import DetectorError
from jurist.engine.detectors.lazy import Lazy
from jurist.engine.observations import Box

INPUT_SIZE = 320
CANDIDATE_SCORE = 0.2
NMS_SCORE = 0.25
NMS_IOU = 0.45

# The network's output rows 4..21, in order (from nudenet 3.4's `__labels`).
CLASSES = (
    "FEMALE_GENITALIA_COVERED", "FACE_FEMALE", "BUTTOCKS_EXPOSED", "FEMALE_BREAST_EXPOSED",
    "FEMALE_GENITALIA_EXPOSED", "MALE_BREAST_EXPOSED", "ANUS_EXPOSED", "FEET_EXPOSED",
    "BELLY_COVERED", "FEET_COVERED", "ARMPITS_COVERED", "ARMPITS_EXPOSED", "FACE_MALE",
    "BELLY_EXPOSED", "MALE_GENITALIA_EXPOSED", "ANUS_COVERED", "FEMALE_BREAST_COVERED",
    "BUTTOCKS_COVERED",
)


@dataclass(frozen=True, slots=True)
class BodyPart:
    """One NudeNet detection: class name, confidence and box (x, y, w, h) in image pixels."""

    name: str
    score: float
    box: Box


def model_path() -> Path:
    """Where the installed `nudenet` package keeps `320n.onnx`."""
    spec = importlib.util.find_spec("nudenet")
    if spec is None or not spec.submodule_search_locations:
        raise DetectorError("the nudenet package is not installed (pip install 'jurist[detectors]')")
    path = Path(next(iter(spec.submodule_search_locations))) / "320n.onnx"
    if not path.is_file():
        raise DetectorError(f"nudenet is installed but {path} is missing")
    return path


def _load_session() -> ort.InferenceSession:
    session = ort.InferenceSession(str(model_path()), providers=["CPUExecutionProvider"])
    shape = session.get_outputs()[0].shape
    if len(shape) != 3 or shape[1] != 4 + len(CLASSES):
        raise DetectorError(f"unexpected NudeNet output shape {shape}; expected [1, {4 + len(CLASSES)}, N]")
    return session


_SESSION: Lazy[ort.InferenceSession] = Lazy(_load_session)


def detect_body_parts(pixels: np.ndarray) -> list[BodyPart]:
    """Body-part detections on one RGB uint8 image, best first."""
    height, width = pixels.shape[:2]
    session = _SESSION.get()
    blob, side = preprocess(pixels)
    output = session.run(None, {session.get_inputs()[0].name: blob})[0]
    return postprocess(output, width, height, side)


def preprocess(pixels: np.ndarray) -> tuple[np.ndarray, int]:
    """The network input for `pixels`, and the side of the padded square it came from."""
    height, width = pixels.shape[:2]
    side = max(height, width)
    square = np.zeros((side, side, 3), dtype=np.uint8)
    square[:height, :width] = pixels
    resized = cv2.resize(square, (INPUT_SIZE, INPUT_SIZE), interpolation=cv2.INTER_LINEAR)
    blob = resized.astype(np.float32) * np.float32(1.0 / 255.0)
    return np.ascontiguousarray(blob.transpose(2, 0, 1)[None]), side


def postprocess(output: np.ndarray, width: int, height: int, side: int) -> list[BodyPart]:
    """Decode `[1, 22, N]` anchors into clipped, NMS-filtered detections."""
    rows = np.asarray(output, dtype=np.float32)[0].T
    class_scores = rows[:, 4:]
    best = class_scores.argmax(axis=1)
    scores = class_scores[np.arange(len(rows)), best]
    keep = scores >= CANDIDATE_SCORE
    rows, best, scores = rows[keep], best[keep], scores[keep]
    scale = side / INPUT_SIZE
    w = rows[:, 2] * scale
    h = rows[:, 3] * scale
    x = np.clip((rows[:, 0] - rows[:, 2] / 2) * scale, 0, width)
    y = np.clip((rows[:, 1] - rows[:, 3] / 2) * scale, 0, height)
    w = np.minimum(w, width - x)
    h = np.minimum(h, height - y)
    boxes = np.stack([x, y, w, h], axis=1)
    chosen = non_max_suppression(boxes, scores, NMS_SCORE, NMS_IOU)
    return [BodyPart(CLASSES[int(best[i])], float(scores[i]),
                     tuple(float(v) for v in boxes[i]))  # type: ignore[arg-type]
            for i in chosen]


def non_max_suppression(boxes: np.ndarray, scores: np.ndarray, min_score: float, max_iou: float) -> list[int]:
    """Greedy NMS over (x, y, w, h) boxes: indices kept, best score first.

    Same rule as OpenCV's `dnn.NMSBoxes`: candidates below `min_score` are
    dropped, and a box is suppressed when its IoU with a kept one exceeds `max_iou`.
    """
    candidates = [i for i in np.argsort(-scores, kind="stable") if scores[i] >= min_score]
    areas = boxes[:, 2] * boxes[:, 3]
    kept: list[int] = []
    for i in candidates:
        suppressed = False
        for j in kept:
            ix = min(boxes[i, 0] + boxes[i, 2], boxes[j, 0] + boxes[j, 2]) - max(boxes[i, 0], boxes[j, 0])
            iy = min(boxes[i, 1] + boxes[i, 3], boxes[j, 1] + boxes[j, 3]) - max(boxes[i, 1], boxes[j, 1])
            inter = max(ix, 0.0) * max(iy, 0.0)
            union = areas[i] + areas[j] - inter
            if union > 0 and inter / union > max_iou:
                suppressed = True
                break
        if not suppressed:
            kept.append(int(i))
    return kept
