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
"""
from __future__ import annotations

from typing import Iterable

from jurist.engine.detectors.nudenet_model import BodyPart

MAPPING_VERSION = 1
MIN_SCORE = 0.4

EXPOSED = frozenset({
    "FEMALE_BREAST_EXPOSED", "FEMALE_GENITALIA_EXPOSED", "MALE_GENITALIA_EXPOSED",
    "BUTTOCKS_EXPOSED", "ANUS_EXPOSED",
})
COVERED_INTIMATE = frozenset({"FEMALE_BREAST_COVERED", "FEMALE_GENITALIA_COVERED", "BUTTOCKS_COVERED"})
BARE_SKIN = frozenset({"BELLY_EXPOSED"})

LABELS = ("nudity:exposed", "nudity:partial", "attire:bikini", "attire:underwear")


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
