"""Starting the desktop application: open the store, seed it on first run, show the window.

Everything that can go wrong before the window appears (no display, no
PySide6, a database that cannot be opened) ends as one readable line and a
non-zero exit, and errors that escape a slot later are shown in a message
box instead of a traceback on the terminal.
"""
from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from types import TracebackType

from jurist.db.connection import ENV_VAR
from jurist.db.seed import seed_if_empty
from jurist.db.service import Store
from jurist.workbench.checks import compile_check

from .actions import Actions


class StartupError(Exception):
    """The GUI cannot start; the message says why and what to do."""


def shipped_rulesets() -> Path:
    import jurist.rulesets

    return Path(jurist.rulesets.__file__).parent


def check_display() -> None:
    """Qt aborts the process without a display; say so first, readably."""
    if sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM") \
            and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise StartupError("no display found (DISPLAY and WAYLAND_DISPLAY are unset); run it in a desktop session, "
                           "or set QT_QPA_PLATFORM=offscreen for a headless check")


def open_store(url: str | None, as_user: str | None, create: bool = True) -> Store:
    """The store, seeded with the shipped rulesets and their cases if it is empty."""
    store = Store.open(url, as_user=as_user, create=create, check=compile_check)
    try:
        seed_if_empty(store, shipped_rulesets())
    except Exception:
        store.close()
        raise
    return store


def run(url: str | None = None, as_user: str | None = None) -> int:
    check_display()
    try:
        from PySide6.QtWidgets import QApplication
    except ImportError as exc:
        raise StartupError(f"the GUI needs PySide6 ({exc}); install it with `pip install 'jurist[gui]'`") from None
    from .widgets.dialogs import QtInteraction
    from .widgets.main_window import MainWindow
    from .workers import wait_all

    # Only the first run on the default store may create it; a named store must exist.
    store = open_store(url, as_user, create=url is None and not os.environ.get(ENV_VAR))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Jurist")
    window = MainWindow(Actions(store))
    interaction = QtInteraction(window)

    def report(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if os.environ.get("JURIST_DEBUG"):
            traceback.print_exception(kind, exc, tb)
        interaction.error("Something went wrong", f"{type(exc).__name__}: {exc}")

    previous = sys.excepthook
    sys.excepthook = report
    try:
        window.show()
        return int(app.exec())
    finally:
        sys.excepthook = previous
        wait_all(5_000)
        store.close()
