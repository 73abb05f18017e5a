"""The `faces` detector: `subject:real_person` for every face found, each face a person.

Two detectors must agree.  BlazeFace (`blazeface.py`) proposes faces at any
in-plane angle; OpenCV's Haar cascades (shipped with `opencv-python-headless`
4.x) confirm each proposal on a small crop around it, turned upright by the
angle of its eyes.  BlazeFace alone finds 100/100 of scikit-image's LFW faces
at any angle, but also "faces" in coins, galaxies and gravel at the same
scores as LFW's tiny grey faces; the cascades alone miss faces turned more
than about 15 degrees but, on an upright crop of one face, rarely fire on
anything else.  Measured figures are in docs/detectors.md.

"Real person" really means "photographic-looking face": both detectors
respond to realistic drawings, renders, photos of photos and relief heads.

Score: BlazeFace's probability for the confirmed face (at least
`blazeface.MIN_SCORE`, 0.5).  Detectors that need a face's angle ask BlazeFace
again around its box (`blazeface.face_near`): a person carries only a box.
"""
from __future__ import annotations

import queue
from dataclasses import dataclass
from types import MappingProxyType

import cv2
import cv2.data
import numpy as np

from jurist.engine.detectors import blazeface
from jurist.engine.detectors.base import DetectionInput, DetectorError
from jurist.engine.detectors.frames import frames_of, to_strip
from jurist.engine.observations import Observations, Person

FRONTAL_CASCADE = "haarcascade_frontalface_alt2.xml"
PROFILE_CASCADE = "haarcascade_profileface.xml"
CHECK_FACE = 40           # px: the proposed face's size in the crop the cascades check
CHECK_CROP = 1.8          # the crop's side, in face sizes: room for the cascade's neighbouring windows
CHECK_SIZES = (0.6, 1.4)  # the face sizes, in proposed face sizes, the cascades look for
CHECK_NEIGHBOURS = 3      # agreeing windows; on a crop of one face, 3 already refuses every person-free proposal
CHECK_SCALE = 1.1
SURE_SCORE = 0.55         # BlazeFace's probability that makes a checked proposal a face
SURE_NEIGHBOURS = 9       # or the cascade's agreeing windows that do, with BlazeFace at least
SURE_FLOOR = 0.52         # this (the coins doubled: 0.506, 10 windows)
LABEL = "subject:real_person"

FaceFound = blazeface.FaceFound


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


def find_faces(pixels: np.ndarray) -> list[FaceFound]:
    """Faces both detectors agree on in one RGB uint8 image, best first, as boxes in its pixel coordinates.

    Agreement must be strong on one side: BlazeFace at least `SURE_SCORE`, or
    at least `SURE_NEIGHBOURS` of the cascade's windows (with BlazeFace at
    least `SURE_FLOOR`).  A faint proposal that
    the cascade only just accepts is a face-like pattern more often than a
    face: the motion-blurred dial of scikit-image's `clock` (0.53, 8 windows)
    was read as a face and, by the age model, as a child's.  The two figures
    are set just above that dial's and scikit-image's coins enlarged twice
    (0.506, 10 windows), the false faces of the person-free set; LFW's faces
    turned 45 degrees either way keep 86-90/100.
    """
    gray = cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)
    try:
        cascades = _POOL.get_nowait()
    except queue.Empty:
        cascades = _load_cascades()
    try:
        found = blazeface.find_faces(pixels, lambda face: agreement(cascades, gray, face))
    finally:
        _POOL.put(cascades)
    return [c.face for c in found
            if c.face.score >= SURE_SCORE or (c.agreement >= SURE_NEIGHBOURS and c.face.score >= SURE_FLOOR)]


def agreement(cascades: _Cascades, gray: np.ndarray, face: FaceFound) -> int:
    """How many of a cascade's windows find a face at the centre of `face`'s crop, turned upright by its eyes."""
    x, y, w, h = face.box
    centre = (x + w / 2, y + h / 2)
    side = round(CHECK_CROP * CHECK_FACE)
    turn = cv2.getRotationMatrix2D(centre, face.roll, CHECK_FACE / max(w, h, 1.0))
    turn[0, 2] += side / 2 - centre[0]
    turn[1, 2] += side / 2 - centre[1]
    crop = cv2.warpAffine(gray, turn, (side, side), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    smallest, largest = round(CHECK_FACE * CHECK_SIZES[0]), round(CHECK_FACE * CHECK_SIZES[1])
    for cascade, mirrored in ((cascades.frontal, False), (cascades.profile, False), (cascades.profile, True)):
        image = cv2.flip(crop, 1) if mirrored else crop
        rects, counts = cascade.detectMultiScale2(image, scaleFactor=CHECK_SCALE, minNeighbors=CHECK_NEIGHBOURS,
                                                  minSize=(smallest, smallest), maxSize=(largest, largest))
        best = max((int(n) for (rx, ry, rw, rh), n in zip(rects, np.ravel(counts))
                    if rx <= side / 2 <= rx + rw and ry <= side / 2 <= ry + rh), default=0)
        if best:
            return best
    return 0


class FaceDetector:
    """Finds faces; each becomes a `Person` carrying `subject:real_person`."""

    name = "faces"

    def detect(self, subject: DetectionInput, upstream: Observations) -> Observations:
        persons: list[Person] = []
        seen: dict[int, list[FaceFound]] = {}  # a request naming one image twice gets the same arrays: search once
        for image_index, image in enumerate(subject.images):
            for frame in frames_of(image):
                if id(frame.pixels) not in seen:
                    seen[id(frame.pixels)] = find_faces(frame.pixels)
                for face in seen[id(frame.pixels)]:
                    persons.append(Person(MappingProxyType({LABEL: face.score}),
                                          to_strip(frame, face.box), image_index))
        best = max((p.labels[LABEL] for p in persons), default=0.0)
        return Observations(MappingProxyType({LABEL: best}), tuple(persons))
