"""Which detected person a body part belongs to: the body under each face, not a box around it.

NudeNet sees body parts, not people; `person(...)` rules need labels scoped
to one person.  Each face stands for a body below it, along the way the face
is turned (its roll, from BlazeFace's eyes: a reclining or tilted person's
body goes sideways).  In the face's own frame, measured in face sizes `s`
from the face's centre (`u` across, `v` down the body), a part can belong to
that body when

* its centre lies on the torso: `|u| <= TORSO_HALF_WIDTH` and
  `TORSO_TOP <= v <= TORSO_BOTTOM` (a body is about 7.5 heads tall; its
  shoulders are about three face widths across);
* its size is a body part's for that face: between `SIZE_RATIO` face sizes
  (a child's small face next to an adult's hips is not the owner of the
  adult's swimsuit: it is three of its faces wide).

Among the faces whose body can hold a part, the nearest (in `u, v` scaled by
the torso) owns it.  A part that no body can hold, or that two bodies could
hold about equally (the nearer within `AMBIGUOUS` of the other), is
*unattributed*: it still counts at image level, and the nudity detector
reports it as `attribution:unsure` so a rule can send such images to review.

The former rule (a region four face widths wide, nearest face in face units)
gave a clothed child the adult's bikini in 60 of 294 placements of a child's
face beside an adult's, and took a child's own bikini away in 26
(`bench/attribution_sweep.py`; docs/detectors.md).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from jurist.engine.observations import Box

TORSO_HALF_WIDTH = 1.6   # face sizes either side of the body's axis
TORSO_TOP = 0.6          # face sizes below the face's centre: the chin, roughly
TORSO_BOTTOM = 6.5       # the thighs
SIZE_RATIO = (0.2, 2.2)  # a part's larger side, in face sizes
AMBIGUOUS = 1.25         # a second body this close (distance ratio) makes the owner unsure


@dataclass(frozen=True, slots=True)
class Body:
    """A face and the direction of the body below it: the face's roll, in degrees (0 upright)."""

    face: Box
    roll: float = 0.0


def owner_of(part: Box, bodies: Sequence[Body]) -> int | None:
    """Index into `bodies` of the one `part` belongs to, or None when none, or more than one, could hold it."""
    distances = sorted((d, i) for i, body in enumerate(bodies) if (d := _distance(part, body)) is not None)
    if not distances:
        return None
    if len(distances) > 1 and distances[1][0] <= AMBIGUOUS * distances[0][0]:
        return None
    return distances[0][1]


def candidates(part: Box, bodies: Sequence[Body]) -> int:
    """How many of `bodies` could hold `part` (0: nobody's; 2 or more: unsure unless one is much nearer)."""
    return sum(_distance(part, body) is not None for body in bodies)


def _distance(part: Box, body: Body) -> float | None:
    """How far `part` sits from where `body`'s torso is expected, or None if that body cannot hold it."""
    fx, fy, fw, fh = body.face
    size = max(fw, fh, 1.0)
    px, py, pw, ph = part
    dx, dy = (px + pw / 2 - fx - fw / 2) / size, (py + ph / 2 - fy - fh / 2) / size
    angle = math.radians(body.roll)
    # into the face's frame: u across the body, v down it
    u = dx * math.cos(angle) + dy * math.sin(angle)
    v = -dx * math.sin(angle) + dy * math.cos(angle)
    ratio = max(pw, ph) / size
    if not (abs(u) <= TORSO_HALF_WIDTH and TORSO_TOP <= v <= TORSO_BOTTOM
            and SIZE_RATIO[0] <= ratio <= SIZE_RATIO[1]):
        return None
    middle = (TORSO_TOP + TORSO_BOTTOM) / 2
    return math.hypot(u / TORSO_HALF_WIDTH, (v - middle) / (TORSO_BOTTOM - TORSO_TOP))
