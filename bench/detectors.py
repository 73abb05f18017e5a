"""Per-detector latency on this machine, and the detectors' measured quality.

    .venv/bin/python bench/detectors.py

Latency: median (and p90) of `RUNS` calls after one warm-up call that loads
the models, on scikit-image's 512x512 astronaut (one face) unless noted.
Quality: face recall / false positives on `lfw_subset` (first 100 faces, last
100 not) and the share of those adult faces the age model calls minors.
The medians feed `engine/vocabulary.py`'s cost numbers.
"""
from __future__ import annotations

import io
import os
import statistics
import sys
import time
from typing import Callable

import cv2
import numpy as np
import skimage.data
from PIL import Image

from jurist.engine.detectors import default_detectors
from jurist.engine.detectors.age import age_distributions, minor_probability
from jurist.engine.detectors.base import DetectionInput
from jurist.engine.detectors.faces import find_faces
from jurist.engine.detectors.intake import load_image
from jurist.engine.observations import Observations

RUNS = 15
PROMPT = "portrait of a woman on the beach at sunset, golden light, 85mm, highly detailed"


def timed(fn: Callable[[], object], runs: int = RUNS) -> tuple[float, float, float]:
    """(first call, median, p90) in milliseconds."""
    start = time.perf_counter()
    fn()
    first = (time.perf_counter() - start) * 1000
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return first, statistics.median(samples), samples[int(0.9 * (len(samples) - 1))]


def main() -> int:
    buffer = io.BytesIO()
    Image.fromarray(skimage.data.astronaut()).save(buffer, format="JPEG", quality=92)
    jpeg = buffer.getvalue()
    image = load_image(jpeg)
    big = load_image(cv2.imencode(".png", cv2.resize(skimage.data.astronaut(), (1920, 1920)))[1].tobytes())
    detectors = default_detectors()
    subject = DetectionInput(PROMPT, [image])
    big_subject = DetectionInput(PROMPT, [big])
    # No face: the costliest case for `faces`, which then also searches the image turned three ways.
    faceless = DetectionInput(PROMPT, [load_image(cv2.imencode(".png", skimage.data.coffee())[1].tobytes())])
    faces = detectors["faces"].detect(subject, Observations())
    big_faces = detectors["faces"].detect(big_subject, Observations())

    rows = [
        ("intake (512x512 JPEG)", timed(lambda: load_image(jpeg))),
        ("prompt_intent", timed(lambda: detectors["prompt_intent"].detect(subject, Observations()), runs=200)),
        ("faces", timed(lambda: detectors["faces"].detect(subject, Observations()))),
        ("faces (1920x1920)", timed(lambda: detectors["faces"].detect(big_subject, Observations()))),
        ("faces (coffee, no face)", timed(lambda: detectors["faces"].detect(faceless, Observations()))),
        ("age (1 face)", timed(lambda: detectors["age"].detect(subject, faces))),
        ("nudenet", timed(lambda: detectors["nudenet"].detect(subject, faces))),
        ("nudenet (1920x1920)", timed(lambda: detectors["nudenet"].detect(big_subject, big_faces))),
    ]
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {RUNS} runs after warm-up")
    print(f"{'detector':<24}{'first call ms':>15}{'median ms':>12}{'p90 ms':>10}")
    for name, (first, median, p90) in rows:
        print(f"{name:<24}{first:>15.2f}{median:>12.2f}{p90:>10.2f}")

    lfw = np.round(skimage.data.lfw_subset() * 255).astype(np.uint8)
    found = [bool(find_faces(np.repeat(c[:, :, None], 3, axis=2))) for c in lfw]
    print(f"\nfaces on lfw_subset: recall {sum(found[:100])}/100, false positives {sum(found[100:])}/100")
    crops = [np.ascontiguousarray(np.repeat(cv2.resize(c, (200, 200))[:, :, None], 3, axis=2)) for c in lfw[:100]]
    minor = np.array([minor_probability(age_distributions(c, [(0, 0, 200, 200)]))[0] for c in crops])
    print(f"age on the 100 LFW faces (adults): P(minor) median {np.median(minor):.3f}, "
          f">= 0.5 for {(minor >= 0.5).sum()}/100, >= 0.3 for {(minor >= 0.3).sum()}/100")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
