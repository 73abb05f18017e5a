"""One task in a real window, run by test_real_window.py in its own process on a real display.

    python real_window_task.py STORE_URL RESULT_JSON [SCREENSHOT_PNG]

Starts the GUI the way `jurist gui` does (Qt first, with its one-line start-up
errors, then a fresh store seeded with the shipped rulesets), then does what
an analyst does: opens the simulator, types a country and a prompt, picks the
user tier, imagines a real person in the picture (a hypothetical score),
presses Run and reads the verdict.  Writes what it saw as JSON.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Callable

from jurist.gui.app import open_store, start_qt


def main(url: str, result_path: Path, screenshot: Path | None) -> int:
    app = start_qt()  # exits 2 with one line when the display plugin cannot load
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from jurist.gui.interaction import ScriptedInteraction
    from jurist.gui.preferences import in_memory
    from jurist.gui.widgets.main_window import MainWindow
    from jurist.workbench.session import Workbench

    def wait_until(done: Callable[[], bool], what: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while not done():
            if time.monotonic() > deadline:
                raise SystemExit(f"real window: timed out waiting until {what}")
            QTest.qWait(20)

    def key_target() -> object:
        return QApplication.activePopupWidget() or QApplication.focusWidget()

    store = open_store(url, None, create=True)
    interaction = ScriptedInteraction()
    try:
        window = MainWindow(Workbench(store), interaction, preferences=in_memory())
        window.resize(*(int(v) for v in os.environ.get("JURIST_WINDOW", "1400x880").split("x")))
        window.show()
        if not QTest.qWaitForWindowExposed(window, 10_000):
            raise SystemExit("real window: the main window was never exposed on the display")
        window.activateWindow()
        wait_until(window.isActiveWindow, "the window is active")
        wait_until(lambda: window.document.ruleset is not None, "a ruleset is open")

        tabs = window.tabs.tabBar()
        QTest.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(window.tabs.indexOf(window.simulator)).center())
        wait_until(lambda: window.tabs.currentWidget() is window.simulator, "the simulator is shown")
        form = window.simulator.form
        line = form.country.lineEdit()
        QTest.mouseClick(line, Qt.MouseButton.LeftButton)
        QTest.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClicks(line, "United Kingdom")
        QTest.keyClick(key_target(), Qt.Key.Key_Tab)  # to the region
        QTest.keyClick(key_target(), Qt.Key.Key_Tab)  # to the user tier
        QTest.keyClicks(key_target(), "paid")
        QTest.mouseClick(form.prompt, Qt.MouseButton.LeftButton)
        QTest.keyClicks(form.prompt, "put her in underwear")
        QTest.mouseClick(form.hypothetical, Qt.MouseButton.LeftButton, pos=QPoint(6, form.hypothetical.height() // 2))
        slider = form.sliders["subject:real_person"]
        QTest.mouseClick(slider, Qt.MouseButton.LeftButton, pos=slider.rect().center())
        QTest.keyClick(slider, Qt.Key.Key_End)
        for _ in range(5):
            QTest.keyClick(slider, Qt.Key.Key_Left)  # 0.95: a real person, surely
        sim = window.simulator
        QTest.mouseClick(sim.run_button, Qt.MouseButton.LeftButton)
        wait_until(lambda: sim.decision is not None or bool(interaction.errors), "a decision is shown")
        if interaction.errors:
            raise SystemExit(f"real window: {interaction.errors[0]}")
        assert sim.decision is not None and sim.request is not None
        QTest.qWait(200)  # let the verdict paint before the picture
        if screenshot is not None:
            screen = app.primaryScreen()
            assert screen is not None
            screen.grabWindow(0).save(str(screenshot))
        result_path.write_text(json.dumps({
            "platform": app.platformName(),
            "ruleset": window.document.ruleset,
            "request": sim.request,
            "effect": sim.decision.effect,
            "rules": [r.id for r in sim.decision.rules],
            "shown": sim.effect_label.text(),
            "shown_visible": sim.effect_label.isVisible(),
            "country_shown": form.country.currentText(),
        }))
        window.close()
    finally:
        from jurist.gui.workers import wait_all

        wait_all(10_000)
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]) if len(sys.argv) > 3 else None))
