"""A guard against PySide6 builds that under-count references to `None` on Python 3.11.

PySide6-Essentials 6.12.0 on Python 3.11 returns `None` from every void
method without taking a reference (fine on 3.12+, where `None` is immortal),
so each call like `widget.show()` lowers None's count by one until the
interpreter aborts with "none_dealloc: deallocating None".  6.11 is not
affected.  We detect the leak by measuring it, and keep None's count far
from zero by adding to it directly (CPython only): references held in a
list would be released at interpreter shutdown and trigger the same abort.
The application's timer tops it up.  Remove this module once the dependency
excludes the broken build.
"""
from __future__ import annotations

import ctypes
import sys

_CHUNK = 1 << 24          # references added at a time; None is never freed anyway
_LOW_WATER = 1 << 22
_affected: bool | None = None


def affected() -> bool:
    """Whether this PySide6 loses a reference to None per void call (measured once)."""
    global _affected
    if _affected is None:
        if sys.version_info >= (3, 12):
            _affected = False  # None is immortal there
        else:
            from PySide6.QtCore import QObject

            probe = QObject()
            before = sys.getrefcount(None)
            for _ in range(64):
                probe.setObjectName("probe")
            _affected = sys.getrefcount(None) < before - 32
            del probe
    return _affected


def top_up() -> None:
    """Add references to None when its count runs low; cheap enough for a timer."""
    if sys.implementation.name == "cpython" and affected() and sys.getrefcount(None) < _LOW_WATER:
        ctypes.c_ssize_t.from_address(id(None)).value += _CHUNK


install = top_up
