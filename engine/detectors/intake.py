"""Hardened image intake: bytes or a path in, checked RGB pixels out.

Every image a request names passes through here before any detector sees it,
and any image this module cannot vouch for is refused with a readable reason
(the engine then fails the decision closed).  The rules, in the order applied:

* at most `MAX_FILE_BYTES` are read; an empty file is refused;
* the format is sniffed from the content, never from the file name, and only
  `ALLOWED_FORMATS` are parsed (Pillow's other plugins, some of which shell out
  to external programs, are never reached);
* the declared size is checked against `MAX_SIDE` and `MAX_FRAME_PIXELS`
  *before* any pixel is decoded, so a small file declaring 50,000 x 50,000
  pixels costs a header read, not gigabytes;
* animated and multi-page images: every frame is decoded, up to `MAX_FRAMES`
  frames and `MAX_TOTAL_PIXELS` pixels in all, and every distinct frame is
  checked by the detectors; more frames than that is refused, as are pages of
  different sizes.  Each frame's size is checked right after seeking to it and
  before decoding it: a TIFF whose first page is small says nothing about the
  second;
* a request's images together (`load_images`): at most `MAX_IMAGES` images,
  `MAX_REQUEST_PIXELS` decoded pixels, checked before each image is decoded,
  and `MAX_FRAMES_ANALYSED` distinct frames, checked as each frame is decoded,
  because images that are each within the limits can still exhaust memory and
  time together (`jurist.engine.limits`); an image named twice is decoded and
  charged once;
* EXIF orientation is applied, so detectors see the picture as people do;
* colour is reduced to 8-bit RGB: 16-bit samples are scaled, palette and CMYK
  converted, and alpha is *dropped, not composited*, so whatever sits under
  transparent pixels is checked as it is (a pipeline that ignores alpha would
  see it);
* truncated or corrupt data is refused (Pillow's "load truncated images" is
  never enabled).
"""
from __future__ import annotations

import hashlib
import io
import os
from typing import Iterator, Sequence

import numpy as np
from PIL import Image, UnidentifiedImageError

from jurist.engine.detectors.base import DecodedImage, DetectorError
from jurist.engine.limits import MAX_FRAMES_ANALYSED, MAX_IMAGES, MAX_REQUEST_PIXELS, ImageLimits

MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_SIDE = 12_000
MAX_FRAME_PIXELS = 40_000_000
MAX_TOTAL_PIXELS = 64_000_000
MAX_FRAMES = 32
ALLOWED_FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "BMP", "TIFF")  # JPEG covers MPO

Source = str | os.PathLike[str] | bytes

_ORIENTATION_TAG = 0x0112
_TRANSPOSE_FOR_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SIXTEEN_BIT_MODES = frozenset({"I", "I;16", "I;16L", "I;16B", "I;16N"})


class ImageRejected(DetectorError):
    """The image cannot be checked; the message says why, for the decision's reason."""


def load_images(sources: Sequence[Source], limits: ImageLimits | None = None) -> tuple[DecodedImage, ...]:
    """Decode a request's images, one per source and in order, under the per-request `limits` too.

    The count is checked before anything is read; each image's frames are
    charged against what is left of the pixel budget before they are decoded,
    and its distinct frames against the frame budget as they are decoded.  A
    source named twice (same path, or same bytes) is decoded and charged once
    and appears twice, so person indices still match the request.  Without
    `limits`, this module's `MAX_IMAGES`, `MAX_REQUEST_PIXELS` and
    `MAX_FRAMES_ANALYSED` apply.
    """
    if limits is None:
        limits = ImageLimits(MAX_IMAGES, MAX_REQUEST_PIXELS, MAX_FRAMES_ANALYSED)  # read now: they can be tuned
    if len(sources) > limits.max_images:
        raise ImageRejected(f"the request has {len(sources)} images, over the limit of {limits.max_images} "
                            "images per request")
    decoded: dict[str | bytes, DecodedImage] = {}
    budget = _RequestBudget(limits)
    out = []
    for source in sources:
        key = bytes(source) if isinstance(source, (bytes, bytearray, memoryview)) else os.path.realpath(source)
        if key not in decoded:
            image = _load(source, budget)
            budget.pixels_spent += image.frames * image.pixels.shape[0] * image.pixels.shape[1]
            decoded[key] = image
        out.append(decoded[key])
    return tuple(out)


class _RequestBudget:
    """What a request's images have used of its limits so far."""

    __slots__ = ("limits", "pixels_spent", "frames_analysed")

    def __init__(self, limits: ImageLimits):
        self.limits = limits
        self.pixels_spent = 0
        self.frames_analysed = 0


def load_image(source: Source) -> DecodedImage:
    """Decode `source` under the rules in this module's docstring, or raise `ImageRejected`."""
    return _load(source, None)


def _load(source: Source, budget: _RequestBudget | None) -> DecodedImage:
    data, label = _read(source)
    try:
        with Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS) as image:
            return _decode(image, label, budget)
    except ImageRejected:
        raise
    except UnidentifiedImageError:
        raise ImageRejected(f"{label}: not a supported image (PNG, JPEG, GIF, WebP, BMP or TIFF); "
                            "the format is read from the content, not the file name") from None
    except Image.DecompressionBombError:
        raise ImageRejected(f"{label}: declared size is over {MAX_FRAME_PIXELS:,} pixels; "
                            "refused before decoding (possible decompression bomb)") from None
    except MemoryError:
        raise ImageRejected(f"{label}: ran out of memory while decoding") from None
    except Exception as error:  # Pillow raises OSError, SyntaxError, ValueError... on bad data
        raise ImageRejected(f"{label}: truncated or corrupt image data ({_brief(error)})") from None


def _read(source: str | os.PathLike[str] | bytes) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        label = f"<{len(data)} bytes>"
    else:
        label = os.fspath(source)
        try:
            size = os.stat(label).st_size
            if size > MAX_FILE_BYTES:
                raise ImageRejected(f"{label}: file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit")
            with open(label, "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            raise ImageRejected(f"{label}: cannot read file ({error.strerror or _brief(error)})") from None
    if not data:
        raise ImageRejected(f"{label}: empty file")
    if len(data) > MAX_FILE_BYTES:
        raise ImageRejected(f"{label}: {len(data):,} bytes, over the {MAX_FILE_BYTES:,}-byte limit")
    return data, label


def _decode(image: Image.Image, label: str, budget: _RequestBudget | None) -> DecodedImage:
    width, height = image.size
    if width <= 0 or height <= 0:
        raise ImageRejected(f"{label}: image has no pixels ({width}x{height})")
    if max(width, height) > MAX_SIDE or width * height > MAX_FRAME_PIXELS:
        raise ImageRejected(f"{label}: image is {width}x{height} pixels, over the limit of "
                            f"{MAX_SIDE} per side and {MAX_FRAME_PIXELS:,} in all; refused before decoding")
    transpose = _TRANSPOSE_FOR_ORIENTATION.get(_orientation(image))
    distinct: list[np.ndarray] = []
    seen: set[bytes] = set()
    count = 0
    for frame in _frames(image, label, budget):
        count += 1
        pixels = _to_rgb(frame, label)
        if transpose is not None:
            pixels = np.ascontiguousarray(np.asarray(Image.fromarray(pixels).transpose(transpose)))
        digest = hashlib.blake2b(pixels.data, digest_size=16).digest()  # hashes the buffer in place, no copy
        if digest not in seen:
            seen.add(digest)
            distinct.append(pixels)
            if budget is not None:
                budget.frames_analysed += 1
                if budget.frames_analysed > budget.limits.max_frames:
                    raise ImageRejected(
                        f"{label}: the request's images hold more than {budget.limits.max_frames} distinct frames, "
                        f"over the limit of {budget.limits.max_frames} frames analysed per request; "
                        "refused rather than checking only some of them")
    return DecodedImage(distinct[0], label, frames=count, later_frames=tuple(distinct[1:]))


def _frames(image: Image.Image, label: str, budget: _RequestBudget | None) -> Iterator[Image.Image]:
    """Each frame, decoded; every limit is checked after `seek`, before that frame is decoded.

    Seeking to a TIFF page reads only its tags, so a 13,000 x 13,000 second
    page behind a small first one is refused at the cost of reading them.
    """
    width, height = image.size
    index = 0
    while True:
        if index:
            try:
                image.seek(index)
            except EOFError:
                return
            if index >= MAX_FRAMES:
                raise ImageRejected(f"{label}: animated image has more than {MAX_FRAMES} frames; "
                                    "only images whose every frame can be checked are accepted")
        if image.size != (width, height):
            raise ImageRejected(f"{label}: frame {index + 1} is {image.size[0]}x{image.size[1]}, "
                                f"not {width}x{height}; pages of different sizes are not supported; "
                                "refused before decoding it")
        total = (index + 1) * width * height
        if total > MAX_TOTAL_PIXELS:
            raise ImageRejected(f"{label}: {index + 1} frames of {width}x{height} pixels are over the "
                                f"{MAX_TOTAL_PIXELS:,}-pixel limit for all frames together")
        if budget is not None and total > budget.limits.max_pixels - budget.pixels_spent:
            raise ImageRejected(f"{label}: decoding it would take the request's images over the "
                                f"{budget.limits.max_pixels:,}-pixel limit for all images of one request")
        image.load()
        yield image
        if not getattr(image, "is_animated", False) and getattr(image, "n_frames", 1) == 1:
            return
        index += 1


def _to_rgb(frame: Image.Image, label: str) -> np.ndarray:
    mode = frame.mode
    if mode in _SIXTEEN_BIT_MODES:
        gray = (np.clip(np.asarray(frame), 0, 65535) // 257).astype(np.uint8)
        return np.ascontiguousarray(np.repeat(gray[:, :, None], 3, axis=2))
    if mode == "F":
        raise ImageRejected(f"{label}: floating-point images are not supported")
    try:
        rgb = frame if mode == "RGB" else frame.convert("RGB")  # a same-mode convert is a full copy
    except ValueError as error:
        raise ImageRejected(f"{label}: colour mode {mode} cannot be converted to RGB ({_brief(error)})") from None
    return np.ascontiguousarray(np.asarray(rgb, dtype=np.uint8))


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(_ORIENTATION_TAG, 1)
    except Exception:  # a corrupt EXIF block must not stop the picture itself being checked
        return 1
    return value if isinstance(value, int) else 1


def _brief(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text if len(text) <= 160 else text[:157] + "..."
