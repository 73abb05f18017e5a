"""Our direct onnxruntime NudeNet against the package's own `NudeDetector`, and the mapping table."""
from __future__ import annotations

import numpy as np
import pytest
import skimage.data

from jurist.engine.detectors import nudenet_mapping as mapping
from jurist.engine.detectors.nudenet_model import BodyPart, detect_body_parts, model_path, non_max_suppression


@pytest.fixture(scope="module")
def reference():
    nudenet = pytest.importorskip("nudenet")
    return nudenet.NudeDetector()


def _composites(kit) -> dict[str, np.ndarray]:
    """Real photos, alone and tiled so that several detections, classes and aspect ratios occur."""
    a, c = kit.rgb(skimage.data.astronaut()), kit.rgb(skimage.data.camera())
    h, co = kit.rgb(skimage.data.horse()), kit.rgb(skimage.data.coffee())
    return {
        "astronaut": a, "camera": c, "coffee": co, "horse": h,
        "astronaut|horse": np.hstack([a[:328, :400], h]),
        "mirrored|astronaut": np.hstack([a[:, ::-1], a]),
        "tiled": np.vstack([np.hstack([a, c]), np.hstack([c, a])]),
    }


def test_model_comes_from_the_installed_package():
    path = model_path()
    assert path.name == "320n.onnx" and "site-packages" in str(path)


def test_same_detections_as_the_reference(kit, reference):
    total = 0
    for name, pixels in _composites(kit).items():
        pixels = np.ascontiguousarray(pixels)
        ours = detect_body_parts(pixels)
        theirs = reference.detect(pixels)  # given RGB pixels the reference also feeds the network RGB
        assert [p.name for p in ours] == [t["class"] for t in theirs], name
        for p, t in zip(ours, theirs):
            assert p.score == pytest.approx(t["score"], abs=1e-4), name
            assert np.allclose([int(v) for v in p.box], t["box"], atol=1), (name, p.box, t["box"])
        total += len(ours)
    assert total >= 8  # parity on empty outputs alone would prove little


def test_nms_suppresses_overlaps_and_keeps_order():
    boxes = np.array([[0, 0, 10, 10], [1, 1, 10, 10], [50, 50, 10, 10], [0, 0, 10, 10]], dtype=np.float32)
    scores = np.array([0.9, 0.95, 0.5, 0.1], dtype=np.float32)
    assert non_max_suppression(boxes, scores, 0.25, 0.45) == [1, 2]


def _part(name: str, score: float) -> BodyPart:
    return BodyPart(name, score, (0.0, 0.0, 10.0, 10.0))


def test_mapping_exposed():
    scores = mapping.label_scores([_part("FEMALE_BREAST_EXPOSED", 0.7), _part("BUTTOCKS_EXPOSED", 0.8)])
    assert scores["nudity:exposed"] == 0.8 and scores["attire:bikini"] == 0.0


def test_mapping_male_chest_and_feet_are_not_nudity():
    scores = mapping.label_scores([_part("MALE_BREAST_EXPOSED", 0.9), _part("FEET_EXPOSED", 0.9)])
    assert set(scores.values()) == {0.0}


def test_mapping_bikini_and_underwear_are_indistinguishable():
    scores = mapping.label_scores([_part("FEMALE_BREAST_COVERED", 0.8), _part("BELLY_EXPOSED", 0.6)])
    assert scores["attire:bikini"] == scores["attire:underwear"] == scores["nudity:partial"] == 0.6
    assert scores["nudity:exposed"] == 0.0


def test_mapping_covered_without_bare_skin_is_not_attire():
    assert mapping.label_scores([_part("FEMALE_BREAST_COVERED", 0.9)])["attire:bikini"] == 0.0


def test_mapping_floor():
    below = mapping.MIN_SCORE - 0.01
    assert mapping.label_scores([_part("FEMALE_GENITALIA_EXPOSED", below)])["nudity:exposed"] == 0.0
    assert mapping.MAPPING_VERSION >= 1
