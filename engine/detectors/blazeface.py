"""BlazeFace, MediaPipe's short-range face detector, run by LiteRT (`ai-edge-litert`).

The model (`face_detection_short_range.tflite`, Apache-2.0) is read from the
installed `mediapipe==0.10.14` wheel; MediaPipe itself is never imported, so
its own dependencies (JAX, OpenCV's full build) are not needed (the Makefile
installs the wheel with `--no-deps`).  It takes a 128 x 128 RGB image in
[-1, 1] and scores 896 anchors: two per cell of a 16 x 16 grid and six per cell
of an 8 x 8 grid (MediaPipe's SSD anchor settings for this model), each with a
box and six keypoints (the eyes, the nose tip, the mouth, the ears), decoded
here as MediaPipe's `TensorsToDetectionsCalculator` does.  One invoke costs
about 1 ms on the reference machine.

The model was trained on faces that fill a good part of a phone's front-camera
frame, with in-plane rotation: it finds faces turned up to about 45 degrees
either way, but only those at least about a fifth of its input wide.  A photo
is therefore searched in windows: the whole image (with a margin, so a face
that fills it still has one), then squares of a half, a quarter and an eighth
of its long side overlapping by half, down to `MIN_WINDOW` pixels; each window
is also searched turned by a quarter, a half and three quarters when it gives
nothing upright, at the two coarsest levels only (a sideways photo), which
with the model's own tolerance covers every angle.
"""
from __future__ import annotations

import contextlib
import importlib.util
import math
import os
import queue
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import cv2
import numpy as np

from jurist.engine.detectors.base import DetectorError
from jurist.engine.observations import Box

MODEL_FILE = "modules/face_detection/face_detection_short_range.tflite"
MEDIAPIPE_PIN = "mediapipe==0.10.14"
INPUT = 128
MIN_SCORE = 0.5          # MediaPipe's own threshold for this model
MIN_WINDOW = 96          # px: a face must be about a fifth of a window, so ~20 px faces are the floor
LEVELS = 4               # at most: the whole image, then 1/2, 1/4 and 1/8 of its long side
STEP = 0.6               # windows of a level overlap by 40 %: a face of up to s/2.5 lies inside one
WINDOWS_PER_MEGAPIXEL = 60
MIN_WINDOWS = 50
TURNED_LEVELS = 2        # quarter turns are searched in the whole image and the half windows only
MARGIN = 0.125           # of the long side, around the whole image: tight crops keep a border
SAME_FACE_IOU = 0.3
CHECKS_PER_FACE = 3      # proposals checked at one place before it is given up
RECHECK_ROLL = 20.0      # degrees: a refused place is checked again only in another reading of its angle
WINDOW_AROUND_FACE = 2.5  # face sizes: the window `face_near` searches around a known face
NEAR_IOU = 0.5            # how well a reading must match the known face's box to be that face


@dataclass(frozen=True, slots=True)
class FaceFound:
    """A face: its box in the image's pixels, the model's score, and the six keypoints (x, y) in pixels."""

    box: Box
    score: float
    keypoints: tuple[tuple[float, float], ...]

    @property
    def roll(self) -> float:
        """How far the face is turned in the image plane, in degrees (0 upright, 90 lying on its right)."""
        (rx, ry), (lx, ly) = self.keypoints[0], self.keypoints[1]
        return math.degrees(math.atan2(ly - ry, lx - rx))


def _anchors() -> np.ndarray:
    """Anchor centres (x, y) in [0, 1]: MediaPipe's settings for the short-range model (fixed size 1)."""
    centres = []
    for grid, per_cell in ((16, 2), (8, 6)):
        for y in range(grid):
            for x in range(grid):
                centres.extend([((x + 0.5) / grid, (y + 0.5) / grid)] * per_cell)
    return np.asarray(centres, dtype=np.float32)


_ANCHORS = _anchors()


def model_path() -> Path:
    spec = importlib.util.find_spec("mediapipe")
    path = None if spec is None or not spec.submodule_search_locations else \
        Path(next(iter(spec.submodule_search_locations))) / MODEL_FILE
    if path is None or not path.is_file():
        raise DetectorError(f"BlazeFace's model comes from the {MEDIAPIPE_PIN} wheel, which is not installed "
                            f"(pip install --no-deps {MEDIAPIPE_PIN})")
    return path


_STDERR_LOCK = threading.Lock()


@contextlib.contextmanager
def _native_stderr_silenced() -> Iterator[None]:
    """Native code's writes to file descriptor 2 go nowhere for the duration (Python's own `sys.stderr`
    is untouched): a CLI user would otherwise read TFLite's start-up chatter above their answer."""
    with _STDERR_LOCK:
        try:
            saved = os.dup(2)
        except OSError:  # no descriptor 2 to borrow: nothing to silence
            yield
            return
        try:
            with open(os.devnull, "wb") as null:
                os.dup2(null.fileno(), 2)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


class _Runner:
    """One interpreter: not safe to share between threads at once, so a pool lends them out."""

    def __init__(self) -> None:
        try:
            from ai_edge_litert.interpreter import Interpreter
        except ImportError:
            raise DetectorError("ai-edge-litert is not installed (pip install 'jurist[detectors]')") from None
        with _native_stderr_silenced():  # TFLite prints "INFO: Created ... XNNPACK delegate" on fd 2
            self.interpreter: Any = Interpreter(model_path=str(model_path()), num_threads=1)
            self.interpreter.allocate_tensors()
        self.input = self.interpreter.get_input_details()[0]["index"]
        outputs = self.interpreter.get_output_details()
        self.boxes = next(o["index"] for o in outputs if o["shape"][-1] == 16)
        self.scores = next(o["index"] for o in outputs if o["shape"][-1] == 1)

    def run(self, tensor: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Raw `[896, 16]` regressions and `[896]` probabilities for one `[128, 128, 3]` float32 input."""
        self.interpreter.set_tensor(self.input, tensor[None])
        self.interpreter.invoke()
        logits = np.clip(self.interpreter.get_tensor(self.scores)[0, :, 0], -30.0, 30.0)
        return self.interpreter.get_tensor(self.boxes)[0], 1.0 / (1.0 + np.exp(-logits))


_POOL: queue.SimpleQueue[_Runner] = queue.SimpleQueue()


@dataclass(frozen=True, slots=True)
class _Window:
    """A square of the image (possibly reaching past its edges, which read as black) and its level."""

    x: float
    y: float
    side: float
    level: int


def find_faces(pixels: np.ndarray, check: Callable[[FaceFound], int] = lambda face: 1) -> list[Checked]:
    """Proposals in one RGB uint8 image that `check` agrees with (a positive count), best first.

    Proposals at one place of one window are checked best first until one is
    agreed; after a refusal, only another reading of the face's angle is tried
    (`RECHECK_ROLL` degrees apart, at most `CHECKS_PER_FACE` in all): the
    model is sometimes unsure which way a face is turned (the cameraman's,
    half behind his camera, is read at -22, 16 and -56 degrees at 0.9).  A
    window whose upright search gives no agreed face is searched turned (at the
    coarse levels): the model also reads some upside-down faces as upright
    ones, which the check then refuses.
    """
    height, width = pixels.shape[:2]
    if min(height, width) < 8:
        return []
    try:
        runner = _POOL.get_nowait()
    except queue.Empty:
        runner = _Runner()
    found: list[Checked] = []

    def checked(faces: list[FaceFound]) -> list[Checked]:
        out: list[Checked] = []
        refused: list[FaceFound] = []  # in this window and turn: another window reads a place afresh
        for face in sorted(faces, key=lambda f: -f.score):
            agreed = [c for c in found + out if _same_face(face.box, c.face.box)]
            if any(c.face.score >= face.score for c in agreed):
                continue  # agreed already, as surely, from this window or another
            here = [r for r in refused if _same_face(face.box, r.box)]
            if len(here) >= CHECKS_PER_FACE or any(abs(_angle(face.roll - r.roll)) < RECHECK_ROLL for r in here):
                continue
            agreement = check(face)
            if agreement > 0:
                for weaker in agreed:  # a surer reading of a face agreed on before replaces it
                    (found if weaker in found else out).remove(weaker)
                out.append(Checked(face, agreement))
            else:
                refused.append(face)
        return out

    try:
        for window in _windows(width, height):
            tensor = _tensor(pixels, window)
            faces = checked(_detect(runner, tensor, window, 0))
            if not faces and window.level < TURNED_LEVELS:
                for quarter in (1, 2, 3):
                    faces = checked(_detect(runner, np.ascontiguousarray(np.rot90(tensor, quarter)), window,
                                            quarter))
                    if faces:
                        break
            found.extend(faces)
    finally:
        _POOL.put(runner)
    out: list[Checked] = []
    for item in sorted(found, key=lambda c: -c.face.score):
        face = FaceFound(_clip(item.face.box, width, height), round(item.face.score, 4), item.face.keypoints)
        if not any(_same_face(face.box, other.face.box) for other in out):
            out.append(Checked(face, item.agreement))
    return out


def _angle(degrees: float) -> float:
    """An angle difference folded into (-180, 180]."""
    return (degrees + 180.0) % 360.0 - 180.0


@dataclass(frozen=True, slots=True)
class Checked:
    """A face and how strongly the check agreed (for the Haar check: the cascade's agreeing windows)."""

    face: FaceFound
    agreement: int


def _windows(width: int, height: int) -> Iterator[_Window]:
    """The whole image, then finer levels of overlapping squares while the invoke budget allows.

    At a level of side s the model finds faces from about s/5 to s/2.5 (larger
    ones the coarser level finds), so windows step by `STEP` * s: every face
    of that range lies wholly inside one.  A level is searched only if it
    keeps the windows so far within `budget(width, height)`.
    """
    long = max(width, height)
    margin = MARGIN * long
    side = long + 2 * margin
    yield _Window((width - side) / 2, (height - side) / 2, side, 0)
    allowed, used = budget(width, height), 1
    for level in range(1, LEVELS):
        side = long / 2 ** level
        if side < MIN_WINDOW:
            return
        xs, ys = _starts(width, side), _starts(height, side)
        used += len(xs) * len(ys)
        if used > allowed:
            return
        for y in ys:
            for x in xs:
                yield _Window(x, y, side, level)


def budget(width: int, height: int) -> int:
    """Windows a search may use: `WINDOWS_PER_MEGAPIXEL` per megapixel, at least `MIN_WINDOWS`."""
    return max(MIN_WINDOWS, int(WINDOWS_PER_MEGAPIXEL * width * height / 1e6))


def _starts(extent: int, side: float) -> list[float]:
    """Window origins along one axis, `STEP` * side apart at most, the last one flush with the far edge."""
    if side >= extent:
        return [(extent - side) / 2]
    count = math.ceil((extent - side) / (STEP * side)) + 1
    step = (extent - side) / (count - 1)
    return [i * step for i in range(count)]


def _tensor(pixels: np.ndarray, window: _Window) -> np.ndarray:
    """The window resampled to the model's input, scaled to [-1, 1]; outside the image is black (-1)."""
    scale = INPUT / window.side
    transform = np.array([[scale, 0, -window.x * scale], [0, scale, -window.y * scale]], dtype=np.float32)
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    image: np.ndarray
    if scale < 0.5:  # warpAffine does not average when shrinking: resize the covered part first
        x0, y0 = max(int(window.x), 0), max(int(window.y), 0)
        x1 = min(int(math.ceil(window.x + window.side)), pixels.shape[1])
        y1 = min(int(math.ceil(window.y + window.side)), pixels.shape[0])
        part = cv2.resize(pixels[y0:y1, x0:x1], (max(1, round((x1 - x0) * scale)), max(1, round((y1 - y0) * scale))),
                          interpolation=interpolation)
        canvas = np.zeros((INPUT, INPUT, 3), np.uint8)
        ox, oy = round((x0 - window.x) * scale), round((y0 - window.y) * scale)
        h, w = min(part.shape[0], INPUT - oy), min(part.shape[1], INPUT - ox)
        canvas[oy:oy + h, ox:ox + w] = part[:h, :w]
        image = canvas
    else:
        image = cv2.warpAffine(pixels, transform, (INPUT, INPUT), flags=interpolation,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0))
    return np.ascontiguousarray(image, dtype=np.float32) / np.float32(127.5) - np.float32(1.0)


def _detect(runner: _Runner, tensor: np.ndarray, window: _Window, quarter: int) -> list[FaceFound]:
    """Faces in one (possibly turned) window, in image coordinates."""
    raw, scores = runner.run(tensor)
    keep = np.nonzero(scores >= MIN_SCORE)[0]
    out = []
    for k in keep:
        values = [float(v) for v in raw[k] / INPUT]
        ax, ay = float(_ANCHORS[k][0]), float(_ANCHORS[k][1])
        cx, cy, w, h = values[0] + ax, values[1] + ay, values[2], values[3]
        points = [_unturn(values[4 + 2 * j] + ax, values[5 + 2 * j] + ay, quarter) for j in range(6)]
        corners = [_unturn(cx + dx * w / 2, cy + dy * h / 2, quarter) for dx, dy in ((-1, -1), (1, 1))]
        (x0, y0), (x1, y1) = corners
        x0, x1 = sorted((x0, x1))
        y0, y1 = sorted((y0, y1))
        to_image = window.side
        box = (window.x + x0 * to_image, window.y + y0 * to_image, (x1 - x0) * to_image, (y1 - y0) * to_image)
        keypoints = tuple((window.x + px * to_image, window.y + py * to_image) for px, py in points)
        out.append(FaceFound(box, float(scores[k]), keypoints))
    return out


def _unturn(x: float, y: float, quarter: int) -> tuple[float, float]:
    """A point in `np.rot90(tensor, quarter)`, normalised, back in the tensor's own frame."""
    for _ in range(quarter):
        x, y = 1.0 - y, x  # undo one counter-clockwise quarter turn of a unit square
    return x, y


def _overlap(a: Box, b: Box) -> float:
    """Intersection over union of two boxes."""
    ix = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    iy = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    inter = max(ix, 0.0) * max(iy, 0.0)
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def _same_face(a: Box, b: Box) -> bool:
    ix = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    iy = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    inter = max(ix, 0.0) * max(iy, 0.0)
    union = a[2] * a[3] + b[2] * b[3] - inter
    if union > 0 and inter / union > SAME_FACE_IOU:
        return True
    small, large = (a, b) if a[2] * a[3] <= b[2] * b[3] else (b, a)
    cx, cy = small[0] + small[2] / 2, small[1] + small[3] / 2
    return large[0] <= cx <= large[0] + large[2] and large[1] <= cy <= large[1] + large[3]


def _clip(box: Box, width: int, height: int) -> Box:
    x, y, w, h = box
    x0, y0 = max(x, 0.0), max(y, 0.0)
    x1, y1 = min(x + w, float(width)), min(y + h, float(height))
    return (round(x0, 1), round(y0, 1), round(max(x1 - x0, 0.0), 1), round(max(y1 - y0, 0.0), 1))


def face_near(pixels: np.ndarray, box: Box) -> FaceFound | None:
    """BlazeFace's reading of the face at `box` (found earlier): its keypoints, hence its angle.

    Persons carry only a box; the detectors that need a face's angle (to
    align it for the age model, to find which way its body goes) ask again
    in one window around it, turned every way: four invokes.
    """
    x, y, w, h = box
    side = WINDOW_AROUND_FACE * max(w, h, 1.0)
    window = _Window(x + w / 2 - side / 2, y + h / 2 - side / 2, side, 0)
    try:
        runner = _POOL.get_nowait()
    except queue.Empty:
        runner = _Runner()
    try:
        tensor = _tensor(pixels, window)
        faces = [f for quarter in range(4)
                 for f in _detect(runner, np.ascontiguousarray(np.rot90(tensor, quarter)), window, quarter)
                 if _overlap(f.box, box) >= NEAR_IOU]
    finally:
        _POOL.put(runner)
    return max(faces, key=lambda f: f.score, default=None)  # the model reads a face best the right way up
