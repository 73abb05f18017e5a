"""What the engine imports: detector names, dependencies, lazy construction."""
from __future__ import annotations

import subprocess
import sys
import textwrap

from jurist.engine.detectors import DETECTOR_REQUIRES, default_detectors
from jurist.engine.detectors.base import Detector
from jurist.engine.vocabulary import SCHEMA


def test_one_detector_per_declared_name():
    detectors = default_detectors()
    declared = {name for name, spec in SCHEMA.detectors.items() if spec.input != "context"}
    assert set(detectors) == declared
    assert all(isinstance(d, Detector) and d.name == name for name, d in detectors.items())


def test_requirements_name_known_detectors():
    detectors = default_detectors()
    assert DETECTOR_REQUIRES["age"] == ("faces",) and DETECTOR_REQUIRES["nudenet"] == ("faces",)
    assert all(set(deps) <= set(detectors) for deps in DETECTOR_REQUIRES.values())


def test_construction_loads_no_model():
    script = textwrap.dedent("""
        import time
        from jurist.engine.detectors import default_detectors
        from jurist.engine.detectors import age, nudenet_model, prompt_intent
        start = time.perf_counter()
        default_detectors()
        elapsed = time.perf_counter() - start
        assert not nudenet_model._SESSION.is_built and not age._MODEL.is_built
        assert not prompt_intent._LEXICON.is_built
        print(elapsed)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert float(result.stdout) < 0.01
