"""The `faces` detector: OpenCV Haar cascades; every face becomes a person.

`subject:real_person` means "a human face in a photographic input".  Haar
cascades respond to the light/dark layout of a face, so they also fire on
realistic drawings, renders, coins and clock faces, and they miss faces turned
further than profile, heavily occluded or under ~35 pixels at the working
resolution.  Detection runs the frontal cascade, and the profile cascade on
the image and its mirror (the profile cascade only knows one side).

Score: a detection is accepted when at least `*_NEIGHBOURS` overlapping
windows agree; the score is 0.5 at that minimum and approaches 1 as more
windows agree (`1 - 0.5 * exp(-(n - minimum) / 8)`).

Working resolution: images up to `UPSCALE_SIDE` are enlarged (at most
`MAX_UPSCALE` times) so that small faces clear the cascades' ~35 px floor (a
20 px face in a 256 px image does);
thumbnails under `SMALL_SIDE` are enlarged further and padded (a face that
fills a thumbnail has no margin for the cascade's window); no image is
searched with a long side over `WORK_SIDE` (larger ones are reduced, thin
strips enlarged only that far), which bounds the memory and time per frame.

Turned images: the cascades know upright faces (about +-15 degrees).  When no
face is found upright, the frontal cascade is run on the image turned by a
quarter, a half and three quarters, and the turn whose best face scores
highest is kept (a photo has one "up").  Turned passes use only the frontal
cascade and a stricter quorum, `TURNED_NEIGHBOURS`: they cost most on the
images with no face at all, and every extra pass is another chance of a false
positive.  Faces at other angles (30 degrees, say) are not searched for.
"""
from __future__ import annotations

import math
import queue
from dataclasses import dataclass
from types import MappingProxyType

import cv2
import cv2.data
import numpy as np

from jurist.engine.detectors.base import DetectionInput, DetectorError
from jurist.engine.detectors.frames import frames_of, to_strip
from jurist.engine.observations import Box, Observations, Person

FRONTAL_CASCADE = "haarcascade_frontalface_alt2.xml"
PROFILE_CASCADE = "haarcascade_profileface.xml"
SCALE_FACTOR = 1.2  # 1.1 finds the same LFW faces at 2.5x the time
FRONTAL_NEIGHBOURS = 4
PROFILE_NEIGHBOURS = 6
TURNED_NEIGHBOURS = 6  # 4: 15 false positives in 170 no-face crops, 6: 6; 8 loses turned LFW faces
MIN_FACE = 24
SMALL_SIDE = 160
UPSCALE_SIDE = 512
MAX_UPSCALE = 2.0
WORK_SIDE = 1024
SAME_FACE_IOU = 0.3
LABEL = "subject:real_person"


@dataclass(frozen=True, slots=True)
class Face:
    box: Box
    score: float


@dataclass(frozen=True, slots=True)
class _Cascades:
    frontal: cv2.CascadeClassifier
    profile: cv2.CascadeClassifier


def _load_cascades() -> _Cascades:
    frontal = cv2.CascadeClassifier(cv2.data.haarcascades + FRONTAL_CASCADE)
    profile = cv2.CascadeClassifier(cv2.data.haarcascades + PROFILE_CASCADE)
    if frontal.empty() or profile.empty():
        raise DetectorError("OpenCV's Haar cascades are missing (opencv-python-headless 4.x ships them, 5.x does not)")
    return _Cascades(frontal, profile)


# CascadeClassifier keeps scratch buffers and is not safe to share between
# threads at once; a pool lends each running detection its own pair.
_POOL: queue.SimpleQueue[_Cascades] = queue.SimpleQueue()


def find_faces(pixels: np.ndarray) -> list[Face]:
    """Faces in one RGB uint8 image, as boxes in its pixel coordinates, best first.

    Turned passes run only when the upright one finds nothing (see the module
    doc): a sideways phone photo, or one whose EXIF orientation turned it, must
    not hide its faces.
    """
    gray = cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)
    height, width = gray.shape
    scale, pad = _work_scale(width, height), 0
    if min(width, height) * scale < MIN_FACE:
        return []  # narrower than the smallest face the cascades find, even at the working resolution
    if scale != 1.0:
        interpolation = cv2.INTER_LINEAR if scale > 1 else cv2.INTER_AREA
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=interpolation)
    if min(height, width) < SMALL_SIDE:
        pad = int(0.25 * max(gray.shape))
        gray = cv2.copyMakeBorder(gray, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
    try:
        cascades = _POOL.get_nowait()
    except queue.Empty:
        cascades = _load_cascades()
    try:
        found = _upright(cascades, gray) or _turned(cascades, gray)
    finally:
        _POOL.put(cascades)
    faces = []
    for face in _distinct(found):
        x, y, w, h = face.box
        box = ((x - pad) / scale, (y - pad) / scale, w / scale, h / scale)
        faces.append(Face(_clip(box, width, height), face.score))
    return faces


def _work_scale(width: int, height: int) -> float:
    """Resize factor for detection: small images up, so small faces clear the ~35 px floor; large ones down.

    The long side never ends up over `WORK_SIDE`: a strip a few pixels high
    enlarged until its short side reached `SMALL_SIDE` (200x5 by 32, to
    6400x160, then padded by a quarter of that) made a 100-byte PNG cost
    1.6 GB and 8 s.
    """
    long, short = max(width, height), max(min(width, height), 1)
    enlarge = min(MAX_UPSCALE, UPSCALE_SIDE / long)
    if short < SMALL_SIDE:  # thumbnails and strips first: their faces fill the short side
        return min(max(SMALL_SIDE / short, enlarge), WORK_SIDE / long)
    if long > WORK_SIDE:
        return WORK_SIDE / long
    return max(1.0, enlarge)


def _upright(cascades: _Cascades, gray: np.ndarray) -> list[Face]:
    return (_run(cascades.frontal, gray, FRONTAL_NEIGHBOURS, mirrored=False)
            + _run(cascades.profile, gray, PROFILE_NEIGHBOURS, mirrored=False)
            + _run(cascades.profile, gray, PROFILE_NEIGHBOURS, mirrored=True))


def _turned(cascades: _Cascades, gray: np.ndarray) -> list[Face]:
    """The faces of the quarter turn whose best face scores highest, in `gray`'s coordinates."""
    turns = []
    for quarter in (1, 2, 3):
        turned = np.ascontiguousarray(np.rot90(gray, quarter))
        turns.append([Face(_unturn(f.box, quarter, gray.shape), f.score)
                      for f in _run(cascades.frontal, turned, TURNED_NEIGHBOURS, mirrored=False)])
    return max(turns, key=lambda faces: max((f.score for f in faces), default=0.0))


def _unturn(box: Box, quarter: int, shape: tuple[int, ...]) -> Box:
    """A box found in `np.rot90(image, quarter)`, in the coordinates of `image` (of `shape`)."""
    x, y, w, h = box
    for turn in range(quarter, 0, -1):
        # undo one counter-clockwise quarter turn; the image before it was `before_width` wide
        before_width = shape[1] if (turn - 1) % 2 == 0 else shape[0]
        x, y, w, h = before_width - y - h, x, h, w
    return (x, y, w, h)


def _run(cascade: cv2.CascadeClassifier, gray: np.ndarray, neighbours: int, mirrored: bool) -> list[Face]:
    image = cv2.flip(gray, 1) if mirrored else gray
    rects, counts = cascade.detectMultiScale2(image, scaleFactor=SCALE_FACTOR, minNeighbors=neighbours,
                                              minSize=(MIN_FACE, MIN_FACE))
    out = []
    for (x, y, w, h), n in zip(rects, np.ravel(counts)):
        if mirrored:
            x = image.shape[1] - x - w
        score = 1.0 - 0.5 * math.exp(-max(int(n) - neighbours, 0) / 8.0)
        out.append(Face((float(x), float(y), float(w), float(h)), round(score, 4)))
    return out


def _distinct(faces: list[Face]) -> list[Face]:
    """One detection per face: the best-scored of those overlapping or nested."""
    kept: list[Face] = []
    for face in sorted(faces, key=lambda f: -f.score):
        if not any(_same_face(face.box, other.box) for other in kept):
            kept.append(face)
    return kept


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
    return (round(x0, 1), round(y0, 1), round(x1 - x0, 1), round(y1 - y0, 1))


class FaceDetector:
    """Finds faces; each becomes a `Person` carrying `subject:real_person`."""

    name = "faces"

    def detect(self, subject: DetectionInput, upstream: Observations) -> Observations:
        persons: list[Person] = []
        seen: dict[int, list[Face]] = {}  # a request naming one image twice gets the same arrays: search once
        for image_index, image in enumerate(subject.images):
            for frame in frames_of(image):
                if id(frame.pixels) not in seen:
                    seen[id(frame.pixels)] = find_faces(frame.pixels)
                for face in seen[id(frame.pixels)]:
                    persons.append(Person(MappingProxyType({LABEL: face.score}),
                                          to_strip(frame, face.box), image_index))
        best = max((p.labels[LABEL] for p in persons), default=0.0)
        return Observations(MappingProxyType({LABEL: best}), tuple(persons))
