"""Python's full garbage collections moved off the typing path, to moments the person is idle.

A full (generation 2) collection scans every tracked object: with a
1,000-line ruleset's compile results in memory it took 150-230 ms, and it
runs wherever the allocation that triggers it happens, often in the editor's
background compile, holding the interpreter lock so the UI thread froze
mid-word (bench/typing_stall.py).  After start-up the objects that live as long
as the window are frozen out of every scan (`gc.freeze`), automatic full
collections are put off, and one runs after the keyboard and mouse have been
still for a while.  Young-generation collections, which are cheap, run as usual.
"""
from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QEvent, QObject, QTimer

IDLE_MS = 1_500                 # still this long: collect
POSTPONED = 1_000_000           # generation 2's threshold: never reached on its own
SWITCH_S = 0.001                # how long a thread may keep the interpreter lock when another wants it
_INPUT = {QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.MouseButtonPress,
          QEvent.Type.MouseButtonRelease, QEvent.Type.MouseMove, QEvent.Type.Wheel}


class IdleCollector(QObject):
    """Installed on the application: every key or mouse event puts the next full collection off again."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.collections = 0
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(IDLE_MS)
        self.timer.timeout.connect(self.collect)
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, POSTPONED)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT:
            self.timer.start()
        return False

    def collect(self) -> None:
        gc.collect()
        self.collections += 1


def collect_when_idle(app: QObject) -> IdleCollector:
    """Freeze what start-up made and collect fully only when the person is idle; call once the window is up.

    Also hand the interpreter lock back to the UI thread sooner: a background
    compile keeps it for up to the switch interval each time the UI thread
    asks (5 ms by default; 1 ms here).
    """
    sys.setswitchinterval(SWITCH_S)
    gc.collect()
    gc.freeze()
    collector = IdleCollector(app)
    app.installEventFilter(collector)
    return collector
