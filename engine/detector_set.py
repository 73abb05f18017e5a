"""The detectors a policy may run, and how a request's images reach them.

Loaded on first use, so callers that decide from rules and given scores alone
never import OpenCV or ONNX.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Mapping, Sequence

from .limits import ImageLimits

if TYPE_CHECKING:
    from .detectors.base import DecodedImage, Detector


class DetectorSet:
    """Named detectors and the detectors each one needs run first."""

    def __init__(self, detectors: Mapping[str, Detector] | None = None,
                 requires: Mapping[str, tuple[str, ...]] | None = None, limits: ImageLimits | None = None):
        self.limits = limits  # None: the intake's module defaults, read when images are loaded
        self._given = detectors
        self._loaded: Mapping[str, Detector] | None = detectors
        self._requires = requires

    @property
    def requires(self) -> Mapping[str, tuple[str, ...]]:
        if self._requires is None:
            if self._given is not None:
                self._requires = {}
            else:
                try:
                    from .detectors import DETECTOR_REQUIRES
                    self._requires = dict(DETECTOR_REQUIRES)
                except Exception:
                    self._requires = {}
        return self._requires

    def offers(self, name: str) -> bool:
        """Whether `name` is in a set of detectors given by the caller (the default set offers every one).

        A label's further detectors (`LabelSchema.detectors_of`) that a caller's own set leaves out say
        nothing; its own detector, missing, still fails closed.
        """
        return self._given is None or name in self._given

    def get(self, name: str) -> Detector:
        if self._loaded is None:
            try:
                from .detectors import default_detectors
                self._loaded = default_detectors()
            except Exception as exc:
                raise RuntimeError(f"detectors unavailable: {exc}") from None
        if name not in self._loaded:
            raise RuntimeError(f"no detector `{name}` is installed")
        return self._loaded[name]

    def load_images(self, sources: Sequence[str]) -> tuple[DecodedImage, ...]:
        """Decode every image: a file path, or a `data:image/...;base64,` URL (what HTTP clients send)."""
        from .detectors.intake import load_images

        # One call for the whole request: it enforces the per-request image count and pixel budget.
        return load_images([_data_url_bytes(s) if s.startswith("data:") else s for s in sources], self.limits)


def _data_url_bytes(url: str) -> bytes:
    import base64
    import binascii

    header, sep, payload = url.partition(",")
    if not sep or not header.endswith(";base64"):
        raise ValueError("an inline image must be a data URL such as `data:image/png;base64,...`")
    try:
        return base64.b64decode(payload, validate=True)
    except binascii.Error:
        raise ValueError("an inline image's base64 data is not valid") from None
