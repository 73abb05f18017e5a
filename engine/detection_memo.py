"""What the detectors saw in inputs already looked at, for a run over many requests.

A test suite sends the same photo with several prompts and places (five of
the shipped cases edit one astronaut photo).  Detectors are functions of their
input: an image detector of the image bytes, the prompt detector of the text.
A `DetectionMemo` handed to `Policy.observe` for a whole run gives each
detector's output, or its failure, for an input it has seen, instead of
running it again.  It is for batch work (cases, backtests), not for serving:
a server sees each upload once, and the memo keeps every result it is given.
"""
from __future__ import annotations

import hashlib
import os
import threading
from typing import Sequence

from .decision import DetectorRun
from .observations import Observations

Seen = tuple[Observations | None, str | None, DetectorRun]  # output, or the failure's reason; the original run


class DetectionMemo:
    """Detector results by (detector, input digest).  Safe to share between threads."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], Seen] = {}
        self._lock = threading.Lock()
        self.hits = 0

    def get(self, detector: str, key: str) -> Seen | None:
        with self._lock:
            found = self._seen.get((detector, key))
            if found is not None:
                self.hits += 1
            return found

    def put(self, detector: str, key: str, seen: Seen) -> None:
        with self._lock:
            self._seen[(detector, key)] = seen


def input_key(kind: str, prompt: str, images: Sequence[str], max_file_bytes: int) -> str | None:
    """A digest of what a detector of `kind` looks at; None when it cannot be told cheaply (run it then).

    Images are keyed by their bytes (a data URL by its text, which holds them), so the same photo under
    two file names is looked at once, and a file changed on disk is looked at again.
    """
    digest = hashlib.sha256()
    if kind == "prompt":
        digest.update(prompt.encode("utf-8", "surrogatepass"))
        return f"prompt:{digest.hexdigest()}"
    if kind != "images":
        return None
    for source in images:
        if source.startswith("data:"):
            digest.update(source.encode("ascii", "replace"))
        else:
            try:
                if os.stat(source).st_size > max_file_bytes:
                    return None
                with open(source, "rb") as handle:
                    digest.update(handle.read())
            except OSError:
                return None  # the detectors will say why it cannot be read
        digest.update(b"\0")
    return f"images:{digest.hexdigest()}"
