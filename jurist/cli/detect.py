"""`jurist detect IMAGE`: run every image detector on one image and show what they saw.

For people tuning rules: prints the raw label scores, each detected person
with their box and labels, and NudeNet's raw body parts (before the mapping
table's floor), as text or `--json`; `--annotate out.png` draws the boxes.
A failure is one line on stderr and exit status 2, as for every command; with
`--json`, stdout also carries `{"image", "error"}` for a script to read.
"""
from __future__ import annotations

import argparse
import json
from typing import Any

from .errors import Failure


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = subparsers.add_parser("detect", help="run the image detectors on one image and print labels, persons and boxes")
    parser.add_argument("image", help="image file to check")
    parser.add_argument("--prompt", default="", help="also score this prompt with the prompt_intent detector")
    parser.add_argument("--annotate", metavar="OUT.png", help="write a copy of the image with the boxes drawn")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from jurist.engine.detectors.inspection import inspect

    if args.json:
        args.on_failure = lambda failure: _print_json_error(args.image, failure)
    report, image, parts = inspect(args.image, args.prompt)
    if args.annotate:
        annotate(image, report["persons"], parts, args.annotate)
    print(json.dumps(report, indent=2) if args.json else render(report))
    return 0


def _print_json_error(image: str, failure: Failure) -> None:
    print(json.dumps({"image": image, "error": failure.message}, indent=2))


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


def annotate(image: Any, persons: list[dict[str, Any]], parts: list[Any], out: str) -> None:
    """Write the frame strip with faces (green) and body parts (orange) outlined."""
    import numpy as np
    from PIL import Image

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


def _draw(canvas: Any, box: Any, colour: tuple[int, int, int], text: str) -> None:
    import cv2

    x, y, w, h = (int(round(v)) for v in box)
    cv2.rectangle(canvas, (x, y), (x + w, y + h), colour, 2)
    cv2.putText(canvas, text, (x + 2, max(y - 4, 10)), cv2.FONT_HERSHEY_SIMPLEX, 0.4, colour, 1, cv2.LINE_AA)
