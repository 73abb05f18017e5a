"""From NudeNet's body-part classes to our labels: the versioned table.

Bump `MAPPING_VERSION` whenever a class moves between labels or a rule below
changes, so a logged decision says which table produced its observations.

Version 1:

* `nudity:exposed` = best score among `EXPOSED` parts.  Male chests, feet,
  armpits and bellies are not nudity.
* `nudity:partial`, `attire:bikini`, `attire:underwear` all take the same
  score: min(best `COVERED_INTIMATE` part, best `BARE_SKIN` part), i.e. a
  covered breast, crotch or buttocks *and* a bare belly.  NudeNet cannot tell a
  bikini from underwear (or from a low-cut crop top with shorts): both labels
  always move together, so a rule on `attire:bikini` also fires on underwear
  and vice versa.  Rules must not try to allow one and forbid the other.
* Parts scoring below `MIN_SCORE` give no label at all: on our clothed and
  person-free test photos the model's stray detections stay below it (the
  coffee cup in scikit-image's `coffee` is "BUTTOCKS_EXPOSED" at 0.30).
* FACE_FEMALE / FACE_MALE are ignored: faces come from the `faces` detector.

Version 2 adds one rule before the table: a part whose box covers at least
`JUDGED_SHARE` of the image and in which fewer than `MIN_SKIN` of the pixels
could be skin (skin-toned in YCrCb, or colourless: a grey photo is never
judged by colour) is dropped.  NudeNet reads scikit-image's colour wheel as
"BUTTOCKS_EXPOSED" at 0.83 (0.69 pasted beside the astronaut, 0.74 on a white
page twice its size), and 29 % of its pixels could be skin; exposed skin is
mostly skin-coloured.  The risk is on the other side: skin under strongly
coloured light (a red-lit club) can fall outside the skin tones and a real
part be dropped.  Small parts (a breast in a group photo) are never judged by
colour, since a few pixels say little.
"""
from __future__ import annotations

from typing import Iterable

import cv2
import numpy as np

from jurist.engine.detectors.nudenet_model import BodyPart

MAPPING_VERSION = 2
MIN_SCORE = 0.4
JUDGED_SHARE = 0.05
MIN_SKIN = 0.4

EXPOSED = frozenset({
    "FEMALE_BREAST_EXPOSED", "FEMALE_GENITALIA_EXPOSED", "MALE_GENITALIA_EXPOSED",
    "BUTTOCKS_EXPOSED", "ANUS_EXPOSED",
})
COVERED_INTIMATE = frozenset({"FEMALE_BREAST_COVERED", "FEMALE_GENITALIA_COVERED", "BUTTOCKS_COVERED"})
BARE_SKIN = frozenset({"BELLY_EXPOSED"})

LABELS = ("nudity:exposed", "nudity:partial", "attire:bikini", "attire:underwear")
INTIMATE = EXPOSED | COVERED_INTIMATE | BARE_SKIN  # the parts that make a label


def plausible(part: BodyPart, pixels: np.ndarray) -> bool:
    """False for a large part with too few pixels that could be skin (see the table)."""
    height, width = pixels.shape[:2]
    x, y, w, h = part.box
    if w * h < JUDGED_SHARE * width * height:
        return True
    x0, y0 = max(int(x), 0), max(int(y), 0)
    region = pixels[y0:max(int(y + h), y0 + 1), x0:max(int(x + w), x0 + 1)]
    return bool(region.size) and skin_share(region) >= MIN_SKIN


def skin_share(rgb: np.ndarray) -> float:
    """The share of pixels that could be skin: skin-toned in YCrCb, or without colour."""
    ycc = cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2YCrCb)
    cr, cb = ycc[..., 1].astype(np.int16), ycc[..., 2].astype(np.int16)
    toned = (cr >= 133) & (cr <= 173) & (cb >= 77) & (cb <= 127)
    colourless = (np.abs(cr - 128) < 8) & (np.abs(cb - 128) < 8)
    return float((toned | colourless).mean())


def label_scores(parts: Iterable[BodyPart]) -> dict[str, float]:
    """Scores for every label in `LABELS` (0.0 when nothing supports it)."""
    exposed = covered = skin = 0.0
    for part in parts:
        if part.score < MIN_SCORE:
            continue
        if part.name in EXPOSED:
            exposed = max(exposed, part.score)
        elif part.name in COVERED_INTIMATE:
            covered = max(covered, part.score)
        elif part.name in BARE_SKIN:
            skin = max(skin, part.score)
    revealing = min(covered, skin)
    return {"nudity:exposed": exposed, "nudity:partial": revealing,
            "attire:bikini": revealing, "attire:underwear": revealing}
