"""`jurist calibrate`: figures on small labelled sets whose answers are known."""
from __future__ import annotations

import json

import cv2
import numpy as np
import pytest
import skimage.data
from PIL import Image

from jurist.cli import main
from jurist.engine.vocabulary import SCHEMA
from jurist.workbench import calibration
from jurist.workbench.calibration import CalibrationError, Item, LabelledSet, calibrate, read_labels


def _write_csv(path, text: str):
    path.write_text(text.strip() + "\n", encoding="utf-8")
    return path


def test_precision_recall_and_targets_from_known_scores():
    items = tuple(Item(f"i{k}", {"nudity:exposed": truth}) for k, truth in enumerate([True, True, True, False, False]))
    labelled = LabelledSet("images", items, ("nudity:exposed",), ())
    scores = {"i0": {"nudity:exposed": 0.9}, "i1": {"nudity:exposed": 0.6}, "i2": {"nudity:exposed": None},
              "i3": {"nudity:exposed": 0.7}, "i4": {"nudity:exposed": 0.1}}
    report = calibrate(labelled, scores, threshold=0.5, target_precision=0.75, target_recall=1.0)
    (lab,) = report.labels
    assert (lab.positives, lab.negatives, lab.unknown) == (3, 2, 1)
    at = lab.at_default  # flagged: 0.9, 0.6, unknown (fail closed), 0.7
    assert (at.true_positives, at.false_positives, at.false_negatives, at.true_negatives) == (3, 1, 0, 1)
    assert at.precision == 0.75 and at.recall == 1.0 and at.false_positive_rate == 0.5
    at_08 = next(p for p in lab.curve if p.threshold == 0.8)  # flagged: 0.9 and unknown
    assert (at_08.precision, at_08.recall) == (1.0, 2 / 3)
    assert lab.for_precision == 0.15  # 0.10 flags i4 too: 3/5; from 0.15 on, precision is at least 0.75
    assert lab.for_recall == 0.6       # above 0.6, i1 is missed


def test_a_label_without_positives_says_recall_is_not_measurable():
    labelled = LabelledSet("images", (Item("a", {"subject:minor": False}),), ("subject:minor",), ())
    report = calibrate(labelled, {"a": {"subject:minor": 0.0}})
    row = calibration.summary_rows(report)[0]
    assert row[6] == "not measurable here (no positives)"
    assert "not measurable here" in calibration.to_markdown(report)


@pytest.fixture(scope="module")
def image_set(tmp_path_factory):
    folder = tmp_path_factory.mktemp("set")
    astronaut = skimage.data.astronaut()
    turned = cv2.warpAffine(astronaut, cv2.getRotationMatrix2D((256, 256), 30, 1.0), (512, 512),
                            borderMode=cv2.BORDER_REPLICATE)
    images = {"astronaut.png": astronaut, "astronaut-30.png": turned, "camera.png": skimage.data.camera(),
              "coffee.png": skimage.data.coffee(), "chelsea.png": skimage.data.chelsea(),
              "colorwheel.png": skimage.data.colorwheel()}
    for name, pixels in images.items():
        Image.fromarray(np.ascontiguousarray(pixels)).convert("RGB").save(folder / name)
    labels = _write_csv(folder / "labels.csv", """
image,subject:real_person,subject:minor,nudity:exposed,rotation,persons
astronaut.png,1,0,0,0,1
astronaut-30.png,1,0,,30,1
camera.png,1,0,0,0,1
coffee.png,0,,0,0,0
chelsea.png,0,,0,0,0
colorwheel.png,0,,0,0,0
""")
    return folder, labels


def test_calibrate_on_photos_whose_answers_are_known(image_set, tmp_path, capsys):
    folder, labels = image_set
    html, scores = tmp_path / "report.html", tmp_path / "scores.json"
    assert main(["calibrate", "--labels", str(labels), str(folder), "--html", str(html),
                 "--save-scores", str(scores)]) == 0
    text = capsys.readouterr().out
    assert "| `subject:real_person` | 3 | 3 | 3/3 | 0/3 | 1.00 | 1.00 | 0 |" in text
    assert "| `subject:minor` | 0 | 3 | — | 0/3 | — | not measurable here (no positives) | 0 |" in text
    assert "| `nudity:exposed` | 0 | 5 | — | 0/5 | — | not measurable here (no positives) | 0 |" in text
    assert "| rotation | 30 | `subject:real_person` | 1 | 1/1 | 0/0 | 1.00 | 1.00 |" in text
    page = html.read_text()
    assert page.count('src="data:image/png;base64,') == 1  # only subject:real_person has both kinds of item
    saved = json.loads(scores.read_text())["scores"]
    assert saved["colorwheel.png"]["nudity:exposed"] == 0.0 and saved["astronaut.png"]["subject:real_person"] > 0.5
    # the same report again from the saved scores, without running a detector
    assert main(["calibrate", "--labels", str(labels), "--scores", str(scores)]) == 0
    assert capsys.readouterr().out == text + ""


def test_calibrate_prompts(tmp_path, capsys):
    labels = _write_csv(tmp_path / "prompts.csv", """
prompt,intent:undress,subject:real_person,language
remove her clothes,1,0,en
put Taylor Swift in a bikini,0,1,en
a cat on a sofa,0,0,en
""")
    assert main(["calibrate", "--labels", str(labels)]) == 0
    text = capsys.readouterr().out
    assert "| `intent:undress` | 1 | 2 | 1/1 | 0/2 | 1.00 | 1.00 | 0 |" in text
    assert "| `subject:real_person` | 1 | 2 | 1/1 | 0/2 | 1.00 | 1.00 | 0 |" in text


@pytest.mark.parametrize("text, message", [
    ("image,nudity:exposd\na.png,1", "column `nudity:exposd` is not a label of this engine; did you mean `nudity:exposed`"),
    ("file,nudity:exposed\na.png,1", "the first column must be `image` or `prompt`"),
    ("image,nudity:exposed\na.png,maybe", ":2: `nudity:exposed` must be 1 or 0"),
    ("image,rotation\na.png,30", "no label column"),
    ("image,nudity:exposed", "no rows under the header"),
])
def test_a_bad_labels_file_is_refused_naming_the_problem(tmp_path, text, message):
    path = _write_csv(tmp_path / "labels.csv", text)
    with pytest.raises(CalibrationError) as caught:
        read_labels(path, SCHEMA.labels)
    assert message in str(caught.value)


def test_cli_errors_are_usage_errors(tmp_path, capsys):
    labels = _write_csv(tmp_path / "labels.csv", "image,subject:real_person\nmissing.png,1")
    assert main(["calibrate", "--labels", str(labels), str(tmp_path)]) == 2
    assert "missing.png: no such image" in capsys.readouterr().err
    assert main(["calibrate", "--labels", str(labels)]) == 2
    assert "need the folder they are in" in capsys.readouterr().err
