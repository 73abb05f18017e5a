"""`jurist detect IMAGE`: run every image detector on one image and show what they saw.

For people tuning rules: prints the raw label scores, each detected person
with their box and labels, and NudeNet's raw body parts (before the mapping
table's floor), as text or `--json`; `--annotate out.png` draws the boxes.
Any failure is one readable line on stderr and exit status 2 (with `--json`, also
`{"image", "error"}` on stdout).
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import cv2
import numpy as np
from PIL import Image

from jurist.engine.detectors import default_detectors
from jurist.engine.detectors.base import DecodedImage, DetectionInput
from jurist.engine.detectors.frames import frames_of, to_strip
from jurist.engine.detectors.nudenet_mapping import MAPPING_VERSION
from jurist.engine.detectors.nudenet_model import BodyPart, detect_body_parts
from jurist.engine.observations import Observations

EXIT_ERROR = 2


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("detect", help="run the image detectors on one image and print labels, persons and boxes")
    parser.add_argument("image", help="image file to check")
    parser.add_argument("--prompt", default="", help="also score this prompt with the prompt_intent detector")
    parser.add_argument("--annotate", metavar="OUT.png", help="write a copy of the image with the boxes drawn")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        report, image, parts = inspect(args.image, args.prompt)
        if args.annotate:
            annotate(image, report["persons"], parts, args.annotate)
    except Exception as error:  # one line, never a traceback: this is a user-facing command
        message = str(error).strip() or type(error).__name__
        print(f"error: {message}", file=sys.stderr)
        if args.json:  # a script parsing stdout gets the reason too
            print(json.dumps({"image": args.image, "error": message}, indent=2))
        return EXIT_ERROR
    print(json.dumps(report, indent=2) if args.json else render(report))
    return 0


def inspect(path: str, prompt: str = "") -> tuple[dict[str, Any], DecodedImage, list[BodyPart]]:
    """Everything the detectors report on `path`, as a JSON-ready dict."""
    from jurist.engine.detectors.intake import load_image

    image = load_image(path)
    detectors = default_detectors()
    subject = DetectionInput(prompt, [image])
    faces = detectors["faces"].detect(subject, Observations())
    outputs = [faces, detectors["age"].detect(subject, faces), detectors["nudenet"].detect(subject, faces)]
    if prompt:
        outputs.append(detectors["prompt_intent"].detect(subject, Observations()))
    parts = [BodyPart(p.name, p.score, to_strip(frame, p.box))
             for frame in frames_of(image) for p in detect_body_parts(frame.pixels)]
    height, width = image.pixels.shape[:2]
    report = {
        "image": image.source,
        "size": [width, height],
        "frames": image.frames,
        "frames_checked": len(image.every_frame),
        "labels": _image_labels(outputs),
        "persons": _persons(outputs),
        "body_parts": [{"class": p.name, "score": round(p.score, 4), "box": [round(v, 1) for v in p.box]}
                       for p in parts],
        "nudenet_mapping_version": MAPPING_VERSION,
    }
    return report, image, parts


def _image_labels(outputs: list[Observations]) -> dict[str, float]:
    labels: dict[str, float] = {}
    for obs in outputs:
        for source in (obs.labels, *(p.labels for p in obs.persons)):
            for key, score in source.items():
                labels[key] = max(labels.get(key, 0.0), score)
    return dict(sorted(labels.items()))


def _persons(outputs: list[Observations]) -> list[dict[str, Any]]:
    merged: dict[tuple[int, Any], dict[str, float]] = {}
    for obs in outputs:
        for person in obs.persons:
            labels = merged.setdefault((person.image, person.box), {})
            for key, score in person.labels.items():
                labels[key] = max(labels.get(key, 0.0), score)
    return [{"box": list(box) if box else None, "labels": dict(sorted(labels.items()))}
            for (_, box), labels in merged.items()]


def render(report: dict[str, Any]) -> str:
    lines = [f"{report['image']}: {report['size'][0]}x{report['size'][1]}, "
             f"{report['frames']} frame(s), {report['frames_checked']} checked"]
    lines.append("labels:")
    lines += [f"  {key:<22} {score:.3f}" for key, score in report["labels"].items()]
    lines.append(f"persons: {len(report['persons'])}")
    for i, person in enumerate(report["persons"]):
        box = ", ".join(f"{v:g}" for v in person["box"])
        labels = "  ".join(f"{k}={v:.3f}" for k, v in person["labels"].items())
        lines.append(f"  [{i}] box ({box})  {labels}")
    lines.append(f"body parts (NudeNet, raw, mapping v{report['nudenet_mapping_version']}): {len(report['body_parts'])}")
    for part in report["body_parts"]:
        box = ", ".join(f"{v:g}" for v in part["box"])
        lines.append(f"  {part['class']:<26} {part['score']:.3f}  box ({box})")
    return "\n".join(lines)


def annotate(image: DecodedImage, persons: list[dict[str, Any]], parts: list[BodyPart], out: str) -> None:
    """Write the frame strip with faces (green) and body parts (orange) outlined."""
    canvas = np.ascontiguousarray(np.vstack(image.every_frame))
    for person in persons:
        _draw(canvas, person["box"], (0, 200, 0), " ".join(f"{k.split(':')[1]}={v:.2f}" for k, v in person["labels"].items()
                                                          if k in ("subject:real_person", "subject:minor")))
    for part in parts:
        _draw(canvas, part.box, (255, 140, 0), f"{part.name.lower()} {part.score:.2f}")
    try:
        Image.fromarray(canvas).save(out)
    except (OSError, ValueError) as error:
        raise OSError(f"cannot write {out}: {error}") from None


def _draw(canvas: np.ndarray, box: Any, colour: tuple[int, int, int], text: str) -> None:
    x, y, w, h = (int(round(v)) for v in box)
    cv2.rectangle(canvas, (x, y), (x + w, y + h), colour, 2)
    cv2.putText(canvas, text, (x + 2, max(y - 4, 10)), cv2.FONT_HERSHEY_SIMPLEX, 0.4, colour, 1, cv2.LINE_AA)
