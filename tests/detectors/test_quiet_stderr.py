"""A command that looks at a photo prints its answer and nothing else: TFLite's native start-up line
("INFO: Created TensorFlow Lite XNNPACK delegate for CPU.") used to appear on every `jurist test` and
`jurist decide` with an image."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_deciding_on_a_photo_writes_nothing_to_stderr(tmp_path):
    request = tmp_path / "request.json"
    request.write_text(json.dumps({"action": "edit", "country": "GB", "user": {"tier": "paid"}, "surface": "app",
                                   "date": "2026-03-01", "prompt": "put her in a bikini",
                                   "images": [str(ROOT / "rulesets" / "tests" / "images" / "astronaut.jpg")]}))
    done = subprocess.run([sys.executable, "-m", "jurist", "decide", "--rules", str(ROOT / "rulesets"),
                           "--request", str(request)], capture_output=True, text=True, timeout=300)
    assert json.loads(done.stdout)["effect"] == "deny"
    assert done.stderr == ""
