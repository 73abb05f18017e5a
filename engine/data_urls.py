"""Images inline in a request, as `data:` URLs: what HTTP clients send and how stored cases travel.

A stored test case keeps its images as blobs; running it puts them in the
request inline rather than in files, so nothing is written to disk and no
temporary folder is left behind.
"""
from __future__ import annotations

import base64
import mimetypes

PREFIX = "data:"


def encode(data: bytes, name: str = "") -> str:
    """`data:image/png;base64,…` for `data`; the media type is guessed from `name` (the content decides
    how it is decoded, so a wrong guess is harmless)."""
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return f"{PREFIX}{kind};base64,{base64.b64encode(data).decode('ascii')}"
