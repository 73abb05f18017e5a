"""Per-detector and per-image milliseconds, this checkout beside an earlier revision, in one run.

    .venv/bin/python bench/detectors.py [--baseline fdfbe3b] [--rounds 3] [--runs 5]

Both revisions run the same script on the same images with the same virtual
environment (the baseline from a temporary git worktree, see bench/revision.py),
in alternating rounds so that a busy machine slows both alike.  Each detector is
timed as the engine calls it (`detect(subject, upstream)`, with the persons
`faces` found as upstream for `age` and `nudenet`), after one warm-up call that
loads the models; "image" is all three together, what a decision needing every
image label costs.  The medians feed `engine/vocabulary.py`'s costs.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import cv2
import numpy as np
import skimage.data
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from revision import checked_out  # noqa: E402

PROMPT = "portrait of a woman on the beach at sunset, golden light, 85mm, highly detailed"

MEASURE = r"""
import json, sys, time
from jurist.engine.detectors import default_detectors
from jurist.engine.detectors.base import DetectionInput
from jurist.engine.detectors.intake import load_image
from jurist.engine.observations import Observations

paths, runs, prompt = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
detectors = default_detectors()
out = {}

def timed(fn):
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples

out["prompt_intent"] = timed(lambda: detectors["prompt_intent"].detect(DetectionInput(prompt, []), Observations()))
for name, path in paths.items():
    subject = DetectionInput("", [load_image(path)])
    faces = detectors["faces"].detect(subject, Observations())
    out[f"{name}|faces"] = timed(lambda: detectors["faces"].detect(subject, Observations()))
    out[f"{name}|age"] = timed(lambda: detectors["age"].detect(subject, faces))
    out[f"{name}|nudenet"] = timed(lambda: detectors["nudenet"].detect(subject, faces))
    def whole():
        found = detectors["faces"].detect(subject, Observations())
        detectors["age"].detect(subject, found)
        detectors["nudenet"].detect(subject, found)
    out[f"{name}|image"] = timed(whole)
    out[f"{name}|persons"] = [len(faces.persons)]
print(json.dumps(out))
"""


def images(folder: Path) -> dict[str, str]:
    """The measured images: a face at 512 and 1,000 px (1 MP) and 1,920 px, and two photos without a person."""
    astronaut = skimage.data.astronaut()
    pictures = {
        "astronaut 512x512": astronaut,
        "astronaut 1000x1000 (1 MP)": cv2.resize(astronaut, (1000, 1000), interpolation=cv2.INTER_CUBIC),
        "astronaut 1920x1920": cv2.resize(astronaut, (1920, 1920), interpolation=cv2.INTER_CUBIC),
        "coffee 600x400 (no face)": skimage.data.coffee(),
        "coffee 1225x817 (1 MP, no face)": cv2.resize(skimage.data.coffee(), (1225, 817),
                                                       interpolation=cv2.INTER_CUBIC),
    }
    out = {}
    for name, pixels in pictures.items():
        path = folder / (name.split(" ")[0] + f"-{pixels.shape[1]}.png")
        Image.fromarray(np.ascontiguousarray(pixels)).save(path)
        out[name] = str(path)
    return out


def measure(env: dict[str, str], cwd: Path, paths: dict[str, str], runs: int) -> dict[str, list[float]]:
    result = subprocess.run([sys.executable, "-c", MEASURE, json.dumps(paths), str(runs), PROMPT],
                            capture_output=True, text=True, env=env, cwd=cwd, check=False)
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="fdfbe3b", help="git revision to compare with (before issue 12)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of each revision")
    parser.add_argument("--runs", type=int, default=5, help="timed calls per round, after a warm-up")
    args = parser.parse_args()
    samples: dict[str, dict[str, list[float]]] = {args.baseline: {}, "now": {}}
    with tempfile.TemporaryDirectory(prefix="jurist-bench-images-") as tmp, \
            checked_out(args.baseline) as (view, scratch):
        paths = images(Path(tmp))
        megapixels = {name: cv2.imread(path).size / 3e6 for name, path in paths.items()}
        plain = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        # the baseline from its view; this checkout as installed (editable) in the virtual environment
        envs = {args.baseline: (dict(plain, PYTHONPATH=str(view), JURIST_DETECTOR_PLUGINS="0"), scratch),
                "now": (dict(plain, JURIST_DETECTOR_PLUGINS="0"), Path(tmp))}
        for _ in range(args.rounds):
            for name, (env, cwd) in envs.items():
                for key, values in measure(env, cwd, paths, args.runs).items():
                    samples[name].setdefault(key, []).extend(values)
    print(f"machine: {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; median ms of {args.rounds} rounds x "
          f"{args.runs} calls after warm-up; {args.baseline} (before issue 12) beside this checkout")
    print(f"{'image':<34}{'step':<15}{args.baseline:>10}{'now':>10}{'now / MP':>10}{'persons':>9}")
    for name in paths:
        mp = megapixels[name]
        for step in ("faces", "age", "nudenet", "image"):
            old = statistics.median(samples[args.baseline][f"{name}|{step}"])
            new = statistics.median(samples["now"][f"{name}|{step}"])
            persons = f"{samples[args.baseline][f'{name}|persons'][0]:.0f}->{samples['now'][f'{name}|persons'][0]:.0f}" \
                if step == "faces" else ""
            print(f"{name if step == 'faces' else '':<34}{step:<15}{old:>10.1f}{new:>10.1f}{new / mp:>10.1f}"
                  f"{persons:>9}")
    old, new = (statistics.median(samples[k]["prompt_intent"]) for k in (args.baseline, "now"))
    print(f"{'prompt (one line)':<34}{'prompt_intent':<15}{old:>10.3f}{new:>10.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
