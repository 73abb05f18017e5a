"""What one request's images may cost the detectors.

Each image is bounded on its own by the intake (`detectors/intake.py`: file
bytes, side, pixels per frame and across frames, frames per image).  These
limits bound a request as a whole, because images each within their own
limits can still exhaust memory and time together:

* `max_images`: images per request; each costs every image detector a run;
* `max_pixels`: decoded pixels across the request's images and their frames;
* `max_frames`: distinct frames analysed across the request's images.  Every
  distinct frame of an animated image is checked (a detector that looked only
  at the first could be fooled by the second), and each costs every image
  detector a pass: about 0.3-0.7 s on the 2-core reference machine, so the
  default of 16 bounds a request near 10 s (`bench/hostile_images.py`).  So
  detector passes per request are at most `max_frames` times the three image
  detectors.  A 32-frame GIF is legal as an image but over this budget.

A request over any of them is not partly checked: its images are refused with
the limit named, and every rule that needed them fails closed.  Set them per
policy with `Policy(..., image_limits=ImageLimits(max_frames=8))`.
"""
from __future__ import annotations

from dataclasses import dataclass

MAX_IMAGES = 16  # a prompt with a few reference images
MAX_REQUEST_PIXELS = 96_000_000  # ~290 MB as RGB; one largest image (64 M) plus room for a few ordinary ones
MAX_FRAMES_ANALYSED = 16  # as many as MAX_IMAGES, so sixteen still images always fit


@dataclass(frozen=True, slots=True)
class ImageLimits:
    """The per-request budget for images; see the module docstring for each limit."""

    max_images: int = MAX_IMAGES
    max_pixels: int = MAX_REQUEST_PIXELS
    max_frames: int = MAX_FRAMES_ANALYSED

    def __post_init__(self) -> None:
        for name in ("max_images", "max_pixels", "max_frames"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive whole number, got {value!r}")
