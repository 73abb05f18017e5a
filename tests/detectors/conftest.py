"""Shared fixtures: scikit-image's bundled real photos, decoded once per session."""
from __future__ import annotations

import io
from types import SimpleNamespace

import numpy as np
import pytest
import skimage.data
from PIL import Image

from jurist.engine.detectors import default_detectors
from jurist.engine.detectors.base import DecodedImage, DetectionInput, Detector
from jurist.engine.detectors.intake import load_image
from jurist.engine.observations import Observations


def rgb(array: np.ndarray) -> np.ndarray:
    """Any skimage sample as H x W x 3 uint8."""
    if array.dtype == bool:
        array = array.astype(np.uint8) * 255
    elif array.dtype != np.uint8:
        array = np.clip(np.round(array * 255 if array.max() <= 1.0 else array), 0, 255).astype(np.uint8)
    if array.ndim == 2:
        array = np.repeat(array[:, :, None], 3, axis=2)
    return np.ascontiguousarray(array[:, :, :3])


def encode(array: np.ndarray, fmt: str = "PNG", **options: object) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format=fmt, **options)
    return buffer.getvalue()


def run_image_detectors(detectors: dict, image: DecodedImage) -> tuple[Observations, Observations, Observations]:
    """faces, then age and nudenet on the faces found, as the engine orders them."""
    subject = DetectionInput("", [image])
    faces = detectors["faces"].detect(subject, Observations())
    return faces, detectors["age"].detect(subject, faces), detectors["nudenet"].detect(subject, faces)


@pytest.fixture(scope="session")
def kit() -> SimpleNamespace:
    """The helpers above, for test modules (conftest is not importable by name)."""
    return SimpleNamespace(rgb=rgb, encode=encode, run_image_detectors=run_image_detectors)


@pytest.fixture(scope="session")
def photos() -> dict[str, DecodedImage]:
    """astronaut, camera and coffee, passed through intake as a request's images are."""
    return {name: load_image(encode(rgb(getattr(skimage.data, name)())))
            for name in ("astronaut", "camera", "coffee")}


@pytest.fixture(scope="session")
def lfw() -> np.ndarray:
    """200 25x25 grey crops: the first 100 are faces, the last 100 are not."""
    return np.round(skimage.data.lfw_subset() * 255).astype(np.uint8)


@pytest.fixture(scope="session")
def detectors() -> dict:
    return default_detectors()


class Counting:
    """A real detector that counts its runs, and how many images each run looked at."""

    def __init__(self, inner: Detector):
        self.inner, self.name, self.images = inner, inner.name, []

    @property
    def calls(self) -> int:
        return len(self.images)

    def detect(self, subject: DetectionInput, upstream: Observations) -> Observations:
        self.images.append(len(subject.images))
        return self.inner.detect(subject, upstream)


@pytest.fixture()
def counted() -> dict[str, Counting]:
    """The shipped detectors, each counting its runs."""
    return {name: Counting(d) for name, d in default_detectors().items()}
