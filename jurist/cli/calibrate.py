"""`jurist calibrate`: how well the detectors do on a labelled set, per label, threshold and slice.

    jurist calibrate --labels LABELS.csv IMAGES/ [--html report.html] [-o report.md]
    jurist calibrate --labels PROMPTS.csv            (a `prompt` column instead of `image`)

Prints the Markdown report (or writes it with `-o`); `--html` also writes a
page with a precision-recall curve per label.  `--save-scores` keeps every
item's scores as JSON, and `--scores` reports from such a file instead of
running the detectors.  The file formats are in `jurist.workbench.calibration`.
"""
from __future__ import annotations

import argparse


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = subparsers.add_parser(
        "calibrate", help="run the detectors on a labelled set: precision and recall per label, threshold and slice")
    parser.add_argument("folder", nargs="?", help="the folder the labelled images are in (not for prompts)")
    parser.add_argument("--labels", required=True, metavar="LABELS.csv",
                        help="CSV: `image` (path under FOLDER) or `prompt`, then label columns of 1/0, then slices")
    parser.add_argument("-o", "--output", metavar="OUT.md", help="write the Markdown report here instead of stdout")
    parser.add_argument("--html", metavar="OUT.html", help="also write an HTML page with precision-recall curves")
    parser.add_argument("--threshold", type=_unit, default=0.5, help="threshold for the summary, confusion and slices")
    parser.add_argument("--target-precision", type=_unit, default=0.95, metavar="P",
                        help="report the lowest threshold whose precision reaches P (default 0.95)")
    parser.add_argument("--target-recall", type=_unit, default=0.95, metavar="R",
                        help="report the highest threshold whose recall reaches R (default 0.95)")
    parser.add_argument("--scores", metavar="SCORES.json", help="report from these scores instead of running the detectors")
    parser.add_argument("--save-scores", metavar="SCORES.json", help="write every item's scores here")
    parser.add_argument("--title", default="Calibration", help="the report's title")
    parser.set_defaults(func=run)


def _unit(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {text}")
    return value


def run(args: argparse.Namespace) -> int:
    import json
    import sys
    from pathlib import Path

    from jurist.cli.errors import UsageError
    from jurist.engine.vocabulary import SCHEMA
    from jurist.workbench import calibration

    labelled = calibration.read_labels(args.labels, SCHEMA.labels)
    if labelled.kind == "images" and args.scores is None and not args.folder:
        raise UsageError("labelled images need the folder they are in: jurist calibrate --labels FILE FOLDER")
    if labelled.kind == "images" and args.folder and not Path(args.folder).is_dir():
        raise UsageError(f"{args.folder}: not a folder")
    if args.scores:
        scores = calibration.read_scores(args.scores)
    else:
        def progress(done: int, total: int) -> None:
            if sys.stderr.isatty():
                print(f"\r{done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)

        scores = calibration.score_items(labelled, args.folder, progress)
    if args.save_scores:
        Path(args.save_scores).write_text(json.dumps({"kind": labelled.kind, "scores": scores}, indent=1,
                                                     ensure_ascii=False), encoding="utf-8")
    report = calibration.calibrate(labelled, scores, threshold=args.threshold,
                                   target_precision=args.target_precision, target_recall=args.target_recall)
    text = calibration.to_markdown(report, args.title)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        print(text)
    if args.html:
        Path(args.html).write_text(calibration.to_html(report, args.title), encoding="utf-8")
    return 0
