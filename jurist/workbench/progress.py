"""Progress reporting and cancellation for long work, without Qt.

Long loops (the country matrix, running every case) take a `Progress`: they
call it after each step and it raises `Cancelled` once the user asked to stop,
so the loop ends between two decisions and never leaves half a result shown.
"""
from __future__ import annotations

import threading
from typing import Callable


class Cancelled(Exception):
    """The user stopped the work."""


class Progress:
    """Thread-safe: the worker reports steps, the UI thread may cancel at any time."""

    def __init__(self, report: Callable[[int, int], None] | None = None) -> None:
        self._report = report
        self._stop = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def step(self, done: int, total: int) -> None:
        """Report `done` of `total`; raises Cancelled if the user stopped."""
        if self._stop.is_set():
            raise Cancelled()
        if self._report is not None:
            self._report(done, total)


NO_PROGRESS = Progress()
