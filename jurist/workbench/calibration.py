"""Measuring the detectors on a labelled set: what `jurist calibrate` reports.

A platform's rules are only as good as the labels under them, and only the
platform has the data that says how good those are.  `jurist calibrate`
runs the detectors on its labelled images (or prompts), exactly as a decision
would (`jurist.engine.observed.observe`: every detector of a label, the
highest score, unknown when one could not tell), and reports per label:

* precision, recall and the false-positive rate at each threshold, and
  the threshold a target precision or recall needs;
* confusion between labels: how often an item labelled only A scores B;
* the same figures per slice: any non-label column of the labels file
  (rotation, size, persons, language, ...).

An unknown score counts as *flagged*: a deny or review rule treats it as
matched (fail closed).  A label with no positive item in the set has no
recall: the report says "not measurable here" rather than a number.

The labels file is CSV with a header: `image` (a path relative to the images
folder) or `prompt`, then one column per label (`subject:real_person`, ...)
holding 1 or 0 (yes/no, true/false), empty when that item is not labelled
for it, then any slice columns.  No Qt and no argparse here: the CLI
(`jurist/cli/calibrate.py`) reads arguments and writes files.
"""
from __future__ import annotations

import base64
import csv
import html
import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 20))
TRUE_WORDS = frozenset({"1", "yes", "true", "y"})
FALSE_WORDS = frozenset({"0", "no", "false", "n"})
MAX_ROWS = 100_000


class CalibrationError(ValueError):
    """A labels file or a scores file that cannot be used; the message names the file, line and column."""


@dataclass(frozen=True)
class Item:
    """One labelled image (its path under the folder) or prompt, its truth per label, and its slices."""

    name: str
    truth: Mapping[str, bool]
    slices: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LabelledSet:
    kind: str                   # "images" or "prompts"
    items: tuple[Item, ...]
    labels: tuple[str, ...]     # the label columns, in the file's order
    slices: tuple[str, ...]     # the other columns


def read_labels(path: str | Path, known: Iterable[str]) -> LabelledSet:
    """The labelled set in `path`; `known` is the engine's label vocabulary."""
    from jurist.dsl.diagnostics import did_you_mean, visible

    path = Path(path)
    known = sorted(known)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CalibrationError(f"{path}: not UTF-8 text") from None
    rows = csv.reader(io.StringIO(text))
    header = next(rows, None)
    if not header:
        raise CalibrationError(f"{path}: empty; the first line must name the columns (image or prompt, then labels)")
    header = [h.strip() for h in header]
    kind = {"image": "images", "prompt": "prompts"}.get(header[0])
    if kind is None:
        raise CalibrationError(f"{path}: the first column must be `image` or `prompt`, not `{visible(header[0])}`")
    labels, slices = [], []
    for column in header[1:]:
        if ":" in column:
            if column not in known:
                hint = did_you_mean(column, known)
                raise CalibrationError(f"{path}: column `{visible(column)}` is not a label of this engine"
                                       + (f"; {hint}" if hint else ""))
            labels.append(column)
        elif column:
            slices.append(column)
    if len(set(header)) != len(header):
        raise CalibrationError(f"{path}: a column is named twice")
    if not labels:
        raise CalibrationError(f"{path}: no label column (columns such as `subject:real_person` hold the truth)")
    items: list[Item] = []
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(items) >= MAX_ROWS:
            raise CalibrationError(f"{path}: more than {MAX_ROWS} rows")
        if len(row) > len(header):
            raise CalibrationError(f"{path}:{line}: {len(row)} cells, but the header names {len(header)} columns")
        cells = dict(zip(header, [c.strip() for c in row] + [""] * (len(header) - len(row))))
        name = cells[header[0]]
        if not name:
            raise CalibrationError(f"{path}:{line}: no {header[0]}")
        truth = {}
        for label in labels:
            value = cells[label].lower()
            if value in TRUE_WORDS or value in FALSE_WORDS:
                truth[label] = value in TRUE_WORDS
            elif value:
                raise CalibrationError(f"{path}:{line}: `{label}` must be 1 or 0 (or empty: not labelled), "
                                       f"not `{visible(cells[label])}`")
        items.append(Item(name, truth, {s: cells[s] for s in slices}))
    if not items:
        raise CalibrationError(f"{path}: no rows under the header")
    return LabelledSet(kind, tuple(items), tuple(labels), tuple(slices))


Scores = Mapping[str, Mapping[str, "float | None"]]  # item name -> label -> score (None: unknown)


def score_items(labelled: LabelledSet, folder: str | Path | None,
                progress: Callable[[int, int], None] | None = None) -> dict[str, dict[str, float | None]]:
    """Every labelled item's score for every label of the set, as a decision would see them."""
    from jurist.engine.detector_set import DetectorSet
    from jurist.engine.observed import observe
    from jurist.engine.request import Request
    from jurist.engine.vocabulary import SCHEMA

    detectors = DetectorSet()
    wanted = frozenset(labelled.labels)
    out: dict[str, dict[str, float | None]] = {}
    root = Path(folder) if folder is not None else None
    for done, item in enumerate(labelled.items):
        if labelled.kind == "images":
            if root is None:
                raise CalibrationError("labelled images need the folder they are in")
            path = (root / item.name).resolve()
            if not path.is_relative_to(root.resolve()):
                raise CalibrationError(f"`{item.name}` is outside {root}")
            if not path.is_file():
                raise CalibrationError(f"{item.name}: no such image under {root}")
            request = Request.from_json({"images": [str(path)]})
        else:
            request = Request.from_json({"prompt": item.name})
        observed = observe(request, SCHEMA, detectors, wanted)
        out[item.name] = {label: observed.scores.get(label) for label in labelled.labels}
        if progress is not None:
            progress(done + 1, len(labelled.items))
    return out


def read_scores(path: str | Path) -> dict[str, dict[str, float | None]]:
    """Scores saved by `jurist calibrate --save-scores` (or any run of the detectors in that shape)."""
    import json

    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CalibrationError(f"{path}: not JSON ({exc.msg}, line {exc.lineno})") from None
    scores = raw.get("scores") if isinstance(raw, dict) else None
    if not isinstance(scores, dict) or not all(isinstance(v, dict) for v in scores.values()):
        raise CalibrationError(f"{path}: expected {{\"scores\": {{item: {{label: score or null}}}}}}")
    for name, row in scores.items():
        for label, value in row.items():
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                      or not 0.0 <= value <= 1.0):
                raise CalibrationError(f"{path}: the score of `{label}` for `{name}` must be a number in [0, 1] "
                                       "or null (unknown)")
    return scores


# --- the figures -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Point:
    """Counts and rates of one label at one threshold."""

    threshold: float
    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int

    @property
    def precision(self) -> float | None:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else None

    @property
    def recall(self) -> float | None:
        positives = self.true_positives + self.false_negatives
        return self.true_positives / positives if positives else None

    @property
    def false_positive_rate(self) -> float | None:
        negatives = self.false_positives + self.true_negatives
        return self.false_positives / negatives if negatives else None


@dataclass(frozen=True)
class LabelReport:
    label: str
    positives: int
    negatives: int
    unknown: int                     # items whose score was unknown (counted as flagged)
    curve: tuple[Point, ...]         # one point per threshold in THRESHOLDS
    at_default: Point
    for_precision: float | None      # the lowest threshold reaching the target precision
    for_recall: float | None         # the highest threshold keeping the target recall


@dataclass(frozen=True)
class SliceRow:
    column: str
    value: str
    label: str
    point: Point


@dataclass(frozen=True)
class Report:
    kind: str
    items: int
    threshold: float
    target_precision: float
    target_recall: float
    labels: tuple[LabelReport, ...]
    confusion: Mapping[str, Mapping[str, float | None]]   # truly A (and only A) -> share scoring B
    confusion_counts: Mapping[str, int]
    slices: tuple[SliceRow, ...]


def point(pairs: Sequence[tuple[bool, float | None]], threshold: float) -> Point:
    """Counts at `threshold` over (truth, score) pairs; an unknown score is flagged."""
    tp = fp = fn = tn = 0
    for truth, score in pairs:
        flagged = score is None or score >= threshold
        if truth:
            tp, fn = tp + flagged, fn + (not flagged)
        else:
            fp, tn = fp + flagged, tn + (not flagged)
    return Point(threshold, tp, fp, fn, tn)


def calibrate(labelled: LabelledSet, scores: Scores, *, threshold: float = 0.5, target_precision: float = 0.95,
              target_recall: float = 0.95) -> Report:
    """The report for `labelled` given every item's `scores`."""
    missing = [item.name for item in labelled.items if item.name not in scores]
    if missing:
        raise CalibrationError(f"no scores for {len(missing)} item(s), e.g. `{missing[0]}`")
    reports = []
    for label in labelled.labels:
        pairs = [(item.truth[label], scores[item.name].get(label)) for item in labelled.items if label in item.truth]
        curve = tuple(point(pairs, t) for t in THRESHOLDS)
        precise = [p.threshold for p in curve if p.precision is not None and p.precision >= target_precision]
        recalled = [p.threshold for p in curve if p.recall is not None and p.recall >= target_recall]
        reports.append(LabelReport(label, sum(t for t, _ in pairs), sum(not t for t, _ in pairs),
                                   sum(s is None for _, s in pairs), curve, point(pairs, threshold),
                                   min(precise) if precise else None, max(recalled) if recalled else None))
    confusion: dict[str, dict[str, float | None]] = {}
    counts: dict[str, int] = {}
    for label in labelled.labels:
        only = [item for item in labelled.items
                if item.truth.get(label) is True and not any(item.truth.get(o) for o in labelled.labels if o != label)]
        counts[label] = len(only)
        confusion[label] = {other: (sum(_flagged(scores[i.name].get(other), threshold) for i in only) / len(only)
                                    if only else None) for other in labelled.labels}
    rows = []
    for column in labelled.slices:
        for value in sorted({item.slices.get(column, "") for item in labelled.items}, key=_natural):
            members = [item for item in labelled.items if item.slices.get(column, "") == value]
            for label in labelled.labels:
                pairs = [(i.truth[label], scores[i.name].get(label)) for i in members if label in i.truth]
                if pairs:
                    rows.append(SliceRow(column, value, label, point(pairs, threshold)))
    return Report(labelled.kind, len(labelled.items), threshold, target_precision, target_recall, tuple(reports),
                  confusion, counts, tuple(rows))


def _flagged(score: float | None, threshold: float) -> bool:
    return score is None or score >= threshold


def _natural(value: str) -> tuple[float, str]:
    try:
        return (float(value), value)
    except ValueError:
        return (math.inf, value)


# --- rendering ---------------------------------------------------------------------------------------------

def _rate(value: float | None, unmeasurable: str = "—") -> str:
    return unmeasurable if value is None else f"{value:.2f}"


def summary_rows(report: Report) -> list[list[str]]:
    """One row per label: the figures `docs/detectors.md` and the Markdown report show."""
    rows = []
    for lab in report.labels:
        at = lab.at_default
        recall = _rate(at.recall, "not measurable here (no positives)")
        rows.append([f"`{lab.label}`", str(lab.positives), str(lab.negatives),
                     f"{at.true_positives}/{lab.positives}" if lab.positives else "—",
                     f"{at.false_positives}/{lab.negatives}" if lab.negatives else "—",
                     _rate(at.precision), recall, str(lab.unknown)])
    return rows


SUMMARY_HEADER = ["label", "positives", "negatives", "found", "false alarms", "precision", "recall", "unknown"]


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def to_markdown(report: Report, title: str = "Calibration") -> str:
    """The whole report as Markdown."""
    out = [f"# {title}", "",
           f"{report.items} {report.kind}; figures at threshold {report.threshold:g} unless a column says otherwise. "
           "An unknown score counts as flagged (a deny or review rule treats it as matched).", "",
           markdown_table(SUMMARY_HEADER, summary_rows(report)), "",
           "## Thresholds for a target", "",
           markdown_table(["label", f"precision ≥ {report.target_precision:g} from", f"recall ≥ {report.target_recall:g} up to"],
                          [[f"`{lab.label}`", _threshold(lab.for_precision, lab.negatives + lab.positives > 0),
                            _threshold(lab.for_recall, lab.positives > 0)] for lab in report.labels]), ""]
    out += ["## Precision and recall at each threshold", ""]
    for lab in report.labels:
        out += [f"### `{lab.label}`", "",
                markdown_table(["threshold", "precision", "recall", "false-positive rate"],
                               [[f"{p.threshold:.2f}", _rate(p.precision), _rate(p.recall, "not measurable"),
                                 _rate(p.false_positive_rate)] for p in lab.curve]), ""]
    if len(report.labels) > 1:
        out += ["## Confusion between labels", "",
                f"Share of the items labelled with only the row's label that score at least {report.threshold:g} "
                "for the column's.", "",
                markdown_table(["labelled only", "items"] + [f"`{lab}`" for lab in report.confusion],
                               [[f"`{lab}`", str(report.confusion_counts[lab])]
                                + [_rate(v) for v in row.values()] for lab, row in report.confusion.items()]), ""]
    if report.slices:
        out += ["## Slices", "", markdown_table(
            ["slice", "value", "label", "items", "found", "false alarms", "precision", "recall"],
            [[row.column, row.value or "(empty)", f"`{row.label}`",
              str(row.point.true_positives + row.point.false_negatives + row.point.false_positives
                  + row.point.true_negatives),
              f"{row.point.true_positives}/{row.point.true_positives + row.point.false_negatives}",
              f"{row.point.false_positives}/{row.point.false_positives + row.point.true_negatives}",
              _rate(row.point.precision), _rate(row.point.recall, "not measurable")]
             for row in report.slices]), ""]
    return "\n".join(out)


def _threshold(value: float | None, measurable: bool) -> str:
    if not measurable:
        return "not measurable here"
    return "none reaches it" if value is None else f"{value:.2f}"


def to_html(report: Report, title: str = "Calibration") -> str:
    """The report as one self-contained HTML page, with a precision-recall curve per label (matplotlib)."""
    body = [f"<h1>{html.escape(title)}</h1>",
            f"<p>{report.items} {html.escape(report.kind)}; threshold {report.threshold:g}. "
            "An unknown score counts as flagged.</p>", _html_table(SUMMARY_HEADER, summary_rows(report))]
    for lab in report.labels:
        body.append(f"<h2>{html.escape(lab.label)}</h2>")
        image = _curve_png(lab)
        if image:
            body.append(f'<img alt="precision-recall curve of {html.escape(lab.label)}" '
                        f'src="data:image/png;base64,{image}">')
        else:
            body.append("<p>No curve: the set has no positive or no negative item for this label.</p>")
        body.append(_html_table(["threshold", "precision", "recall", "false-positive rate"],
                                [[f"{p.threshold:.2f}", _rate(p.precision), _rate(p.recall, "not measurable"),
                                  _rate(p.false_positive_rate)] for p in lab.curve]))
    if report.slices:
        body.append("<h2>Slices</h2>")
        body.append(_html_table(["slice", "value", "label", "precision", "recall"],
                                [[r.column, r.value or "(empty)", r.label, _rate(r.point.precision),
                                  _rate(r.point.recall, "not measurable")] for r in report.slices]))
    style = ("body{font-family:sans-serif;max-width:60em;margin:auto}table{border-collapse:collapse;margin:1em 0}"
             "td,th{border:1px solid #ccc;padding:.2em .5em;text-align:right}td:first-child{text-align:left}")
    return (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


def _html_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    lines = ["".join(f"<td>{html.escape(cell.strip('`'))}</td>" for cell in row) for row in rows]
    return f"<table><tr>{head}</tr>" + "".join(f"<tr>{line}</tr>" for line in lines) + "</table>"


def _curve_png(lab: LabelReport) -> str | None:
    points = [(p.recall, p.precision, p.threshold) for p in lab.curve if p.recall is not None and p.precision is not None]
    if not points or lab.negatives == 0:
        return None
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(4.5, 3.5), dpi=100)
    axes = figure.add_subplot()
    axes.plot([r for r, _, _ in points], [p for _, p, _ in points], marker="o", markersize=3)
    for recall, precision, threshold in points[::4]:
        axes.annotate(f"{threshold:.2f}", (recall, precision), fontsize=7, xytext=(3, 3), textcoords="offset points")
    axes.set_xlim(0, 1.02)
    axes.set_ylim(0, 1.02)
    axes.set_xlabel("recall")
    axes.set_ylabel("precision")
    axes.set_title(lab.label, fontsize=10)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")
