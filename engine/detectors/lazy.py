"""A value built on first use, once per process, safe under threads.

Detector models take hundreds of milliseconds to load and most requests never
need them (context-only and text-only decisions), so constructing a detector
must not load anything.  The first `detect` that needs a model pays for it;
every later call, from any thread, shares the same instance.
"""
from __future__ import annotations

import threading
from typing import Callable, Generic, TypeVar

T = TypeVar("T")


class Lazy(Generic[T]):
    """Holds `factory()`'s result once it has been asked for.

    A failed build is not cached: the next caller tries again, so a transient
    error (a file briefly unreadable) does not disable a detector for the
    life of the process.
    """

    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._built: list[T] = []  # empty until built, then the one value
        self._lock = threading.Lock()

    @property
    def is_built(self) -> bool:
        return bool(self._built)

    def get(self) -> T:
        if not self._built:
            with self._lock:
                if not self._built:
                    self._built.append(self._factory())
        return self._built[0]
