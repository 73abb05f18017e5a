"""An image as the decision log keeps it: the SHA-256 of its bytes and a perceptual hash, never the bytes.

The difference hash (dHash) survives re-encoding and resizing, so a photo
logged once can be recognised when it comes back, while the log holds no
picture of anyone.  Images are decoded through the hardened intake, under its
limits; one that cannot be decoded keeps its SHA-256 and no perceptual hash.
"""
from __future__ import annotations

import hashlib
from typing import Any

from .decision_record import ImageDigest


def image_digest(source: str) -> ImageDigest:
    """The digest of a request's image: a `data:` URL's bytes, or a file's (read under the intake's limits)."""
    from .detector_set import _data_url_bytes
    from .detectors.intake import MAX_FILE_BYTES, ImageRejected, load_image

    try:
        if source.startswith("data:"):
            data = _data_url_bytes(source)
        else:
            with open(source, "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
    except (OSError, ValueError):
        return ImageDigest(hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest(), None)
    digest = hashlib.sha256(data).hexdigest()
    try:
        pixels = load_image(data).pixels
    except ImageRejected:
        return ImageDigest(digest, None)
    return ImageDigest(digest, _dhash(pixels))


def _dhash(pixels: Any) -> str:
    """The difference hash: grey, shrunk to 9x8, one bit per horizontal neighbour pair that gets brighter."""
    from PIL import Image

    small = Image.fromarray(pixels).convert("L").resize((9, 8), Image.Resampling.BILINEAR)
    values = small.tobytes()
    bits = 0
    for row in range(8):
        for col in range(8):
            bits = bits << 1 | (values[row * 9 + col] < values[row * 9 + col + 1])
    return f"{bits:016x}"
