"""Attribution of an adult's and a child's swimwear, over 294 placements of a child's face beside an adult's.

    .venv/bin/python bench/attribution_sweep.py [--baseline REV]

An adult's face (100 px) and a child's (70 px) side by side: the child's face
centre 1.0 to 3.0 adult face widths to the left or right (21 steps each side)
and 1 face height above to 2 below (7 steps).  Each wears a bikini as NudeNet
reports one (a covered chest, a bare belly, a covered crotch) at the usual
places below its own face, scaled to it.  Counted: placements where the
clothed child is given a part of the adult's bikini (the adult alone wears
one), and where the child's own bikini, with a clothed adult beside, goes to
the adult or to nobody.  No image is involved: this measures the geometry
of `jurist.engine.detectors.attribution` alone, here and in `--baseline`
(default fdfbe3b, before issue 12) side by side.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

ADULT, CHILD = 100.0, 70.0
PARTS = ((0.0, 1.9, 1.1, 0.6), (0.0, 3.0, 0.8, 0.6), (0.0, 4.3, 0.6, 0.5))  # u, v (face sizes), width, height


def placements() -> list[dict]:
    out = []
    adult = (400.0, 200.0, ADULT, ADULT)
    for side in (-1, 1):
        for step in range(21):
            for dy in (-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0):
                dx = side * (1.0 + step * 0.1)
                cx, cy = 450.0 + dx * ADULT, 250.0 + dy * ADULT
                child = (cx - CHILD / 2, cy - CHILD / 2, CHILD, CHILD)
                out.append({"adult": adult, "child": child,
                            "adult_parts": _parts(adult), "child_parts": _parts(child)})
    return out


def _parts(face: tuple[float, ...]) -> list[tuple[float, float, float, float]]:
    x, y, w, _ = face
    cx, cy = x + w / 2, y + w / 2
    return [(cx + u * w - pw * w / 2, cy + v * w - ph * w / 2, pw * w, ph * w) for u, v, pw, ph in PARTS]


SCRIPT = r"""
import json, sys
from jurist.engine.detectors import attribution
def owner(part, faces):
    if hasattr(attribution, "Body"):
        return attribution.owner_of(part, [attribution.Body(f) for f in faces])
    return attribution.owner_of(part, faces)
counts = {"child_given_adult_part": 0, "child_part_to_adult": 0, "child_part_to_nobody": 0}
for p in json.load(sys.stdin):
    faces = [p["adult"], p["child"]]
    if any(owner(part, faces) == 1 for part in p["adult_parts"]):
        counts["child_given_adult_part"] += 1
    owners = [owner(part, faces) for part in p["child_parts"]]
    if 0 in owners:
        counts["child_part_to_adult"] += 1
    elif None in owners:
        counts["child_part_to_nobody"] += 1
print(json.dumps(counts))
"""


def measure(pythonpath: str | None, cwd: str | None = None) -> dict:
    env = None if pythonpath is None else {"PYTHONPATH": pythonpath, "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", SCRIPT], input=json.dumps(placements()), capture_output=True,
                            text=True, env=env, cwd=cwd, check=True)
    return json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="fdfbe3b", help="revision to measure beside this checkout")
    args = parser.parse_args()
    from revision import checked_out

    now = measure(None)
    with checked_out(args.baseline) as (view, scratch):
        before = measure(str(view), str(scratch))
    print(f"{len(placements())} placements of a child's face beside an adult's")
    print(f"{'':<44} {args.baseline:>10} {'now':>6}")
    for key, text in (("child_given_adult_part", "clothed child given the adult's bikini"),
                      ("child_part_to_adult", "child's own bikini given to the adult"),
                      ("child_part_to_nobody", "child's own bikini given to nobody (unsure)")):
        print(f"{text:<44} {before[key]:>10} {now[key]:>6}")


if __name__ == "__main__":
    main()
