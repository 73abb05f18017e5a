"""Full garbage collections wait for a pause in typing (they stalled the editor for 150-230 ms)."""
from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from jurist.gui.idle_gc import POSTPONED, collect_when_idle


def test_full_collections_are_put_off_while_keys_come_and_run_once_idle(qtbot) -> None:
    app = QApplication.instance()
    threshold, interval = gc.get_threshold(), sys.getswitchinterval()
    collector = collect_when_idle(app)
    try:
        assert gc.get_threshold()[2] == POSTPONED and gc.get_freeze_count() > 0
        collector.timer.stop()
        app.sendEvent(app, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a"))
        assert collector.timer.isActive()  # a key puts the collection off again
        before = gc.get_stats()[2]["collections"]
        collector.timer.timeout.emit()
        assert collector.collections == 1 and gc.get_stats()[2]["collections"] == before + 1
    finally:
        app.removeEventFilter(collector)
        collector.deleteLater()
        gc.unfreeze()
        gc.set_threshold(*threshold)
        sys.setswitchinterval(interval)
