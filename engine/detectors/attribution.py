"""Which detected person a body part belongs to, from where it sits relative to faces.

NudeNet sees body parts, not people; `person(...)` rules need labels scoped
to one person.  The rule: a part belongs to the person whose *body region*
contains the part's centre, the body region of a face box (x, y, w, h) being
`REGION_WIDTH` face widths wide, centred on the face, from `REGION_ABOVE` face
heights above its top to `REGION_BELOW` face heights below it (an upright
body).  When several regions contain the centre, the face nearest to it, in
face-size units, wins.  A part in no region is unattributed: it counts at
image level only.  Reclining or inverted bodies and heads cut out of frame
therefore leave parts unattributed, which weakens `person(...)` rules but
never image-level ones.
"""
from __future__ import annotations

import math
from typing import Sequence

from jurist.engine.observations import Box

REGION_WIDTH = 4.0
REGION_ABOVE = 0.5
REGION_BELOW = 8.0


def body_region(face: Box) -> Box:
    x, y, w, h = face
    return (x + w / 2 - REGION_WIDTH * w / 2, y - REGION_ABOVE * h, REGION_WIDTH * w, (REGION_ABOVE + REGION_BELOW) * h)


def owner_of(part: Box, faces: Sequence[Box]) -> int | None:
    """Index into `faces` of the person `part` belongs to, or None."""
    cx, cy = part[0] + part[2] / 2, part[1] + part[3] / 2
    best: tuple[float, int] | None = None
    for index, face in enumerate(faces):
        rx, ry, rw, rh = body_region(face)
        if not (rx <= cx <= rx + rw and ry <= cy <= ry + rh):
            continue
        fx, fy, fw, fh = face
        distance = math.hypot((cx - fx - fw / 2) / max(fw, 1.0), (cy - fy - fh / 2) / max(fh, 1.0))
        if best is None or distance < best[0]:
            best = (distance, index)
    return None if best is None else best[1]
