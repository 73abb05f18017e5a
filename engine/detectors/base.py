"""The interface every detector implements, and the input it receives.

Detectors are side effects at the edge of the engine: the engine calls one
only when a still-undecided rule needs one of its labels, at most once per
request, and treats any exception as "could not check" (fail closed).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence, runtime_checkable

import numpy as np

from jurist.engine.observations import Observations


class DetectorError(Exception):
    """A detector could not produce its labels; the reason is shown to users."""


@dataclass(frozen=True, slots=True)
class DecodedImage:
    """An image after hardened intake: RGB uint8, EXIF orientation applied."""

    pixels: np.ndarray  # H x W x 3, uint8, RGB (the first frame)
    source: str         # path or a short description, for messages
    frames: int = 1     # frames in the original (animated images)
    # Every further distinct frame of an animated image, same size as `pixels`:
    # a detector that looked only at the first frame could be fooled by the second.
    later_frames: tuple[np.ndarray, ...] = ()

    @property
    def every_frame(self) -> tuple[np.ndarray, ...]:
        """The pixels of every frame to check, first frame first."""
        return (self.pixels, *self.later_frames)


@dataclass(frozen=True, slots=True)
class DetectionInput:
    """What detectors may look at for one request."""

    prompt: str
    images: Sequence[DecodedImage]


@runtime_checkable
class Detector(Protocol):
    """A named source of label scores (names and labels match `jurist.engine.vocabulary`)."""

    name: str

    def detect(self, subject: DetectionInput, upstream: Observations) -> Observations:
        """Return scores for this detector's labels.

        `upstream` holds what detectors this one depends on already produced
        (the `faces` detector's persons, for the age model).  Raise
        `DetectorError` with a readable reason when the input cannot be checked.
        """
        ...
