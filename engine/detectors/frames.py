"""Where the frames of an animated image live in box coordinates.

A `Person` names its image by index and its face by box, and the engine
matches persons from different detectors by `(image, box)`.  To keep that key
unique when an animated image shows a face in several frames, boxes use
*frame-strip* coordinates: frame `k` of an image `H` pixels high occupies rows
`k*H .. (k+1)*H` of a virtual strip of all frames stacked top to bottom.  For a
still image the strip is the image itself, so nothing changes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import numpy as np

from jurist.engine.detectors.base import DecodedImage
from jurist.engine.observations import Box


@dataclass(frozen=True, slots=True)
class Frame:
    """One frame's pixels and its offset in the frame strip."""

    index: int
    pixels: np.ndarray
    y_offset: int


def frames_of(image: DecodedImage) -> Iterator[Frame]:
    height = image.pixels.shape[0]
    for index, pixels in enumerate(image.every_frame):
        yield Frame(index, pixels, index * height)


def to_strip(frame: Frame, box: Box) -> Box:
    """A box in frame coordinates, moved into strip coordinates."""
    x, y, w, h = box
    return (x, y + frame.y_offset, w, h)


def locate(image: DecodedImage, box: Box) -> tuple[Frame, Box]:
    """The frame a strip-coordinate box lies in, and the box in that frame's coordinates."""
    height = image.pixels.shape[0]
    frames = image.every_frame
    index = min(max(int(box[1] // height), 0), len(frames) - 1)
    x, y, w, h = box
    offset = index * height
    return Frame(index, frames[index], offset), (x, y - offset, w, h)
