"""`jurist detect`: labels, persons and boxes out; one readable line and exit 2 on any failure."""
from __future__ import annotations

import json

import numpy as np
import skimage.data
from PIL import Image

from jurist.cli import main as _run


def test_json_report(tmp_path, capsys):
    path = tmp_path / "astronaut.jpg"
    Image.fromarray(skimage.data.astronaut()).save(path)
    assert _run(["detect", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["size"] == [512, 512] and len(report["persons"]) == 1
    assert report["labels"]["subject:real_person"] >= 0.5
    assert report["labels"]["nudity:exposed"] == 0.0
    assert any(p["class"] == "FACE_FEMALE" for p in report["body_parts"])


def test_text_report_and_annotation(tmp_path, capsys):
    path, out = tmp_path / "camera.png", tmp_path / "out.png"
    Image.fromarray(skimage.data.camera()).save(path)
    assert _run(["detect", str(path), "--annotate", str(out), "--prompt", "make her n.u.d.e"]) == 0
    text = capsys.readouterr().out
    assert "persons: 1" in text and "intent:undress" in text
    drawn = np.asarray(Image.open(out))
    assert drawn.shape == (512, 512, 3)
    assert (drawn[:, :, 1] == 200).any()  # the green face box


def test_errors_are_one_line_and_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image at all")
    assert _run(["detect", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("jurist: error: ") and "not a supported image" in err
    assert "Traceback" not in err
    assert _run(["detect", str(bad), "--json"]) == 2
    out = json.loads(capsys.readouterr().out)
    assert out["image"] == str(bad) and "not a supported image" in out["error"]
