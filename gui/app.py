"""Starting the desktop application: start Qt, open the store, seed it on first run, show the window.

Everything that can go wrong before the window appears (no display, no
PySide6, a display plugin that cannot load, a database that cannot be opened)
ends as one readable line and a non-zero exit, and errors that escape a slot
later are shown in a message box instead of a traceback on the terminal.  Qt
starts before the store is opened, so a machine that cannot show a window
never gets a store created and seeded on the way to the error.
"""
from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, NoReturn

from jurist.db.connection import ENV_VAR
from jurist.db.seed import seed_if_empty
from jurist.db.service import Store
from jurist.workbench.checks import compile_check
from jurist.workbench.session import Workbench

from .system_libraries import missing_libraries, packages_for

if TYPE_CHECKING:
    from PySide6.QtCore import QMessageLogContext, QtMsgType
    from PySide6.QtWidgets import QApplication


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


def platform_failure(fatal: str, warnings: list[str], missing: list[str]) -> str:
    """Qt's abort on a display plugin it cannot load, as one line that says what to do."""
    platform = os.environ.get("QT_QPA_PLATFORM") or "xcb"
    if missing:
        return (f"Qt cannot open a window: its `{platform}` display plugin needs system libraries that are missing "
                f"({', '.join(missing)}); install them with `sudo apt-get install {' '.join(packages_for(missing))}` "
                "(Debian/Ubuntu; `make run` does it for you when it may)")
    # Qt names xcb-cursor0 whenever xcb fails to start; ldd has already looked, so its first other word is why.
    reasons = [m for m in warnings if m.strip() and "xcb-cursor0" not in m] + [fatal, "no reason given"]
    reason = next(r for r in reasons if r.strip()).strip().splitlines()[0].rstrip(".")
    return (f"Qt cannot open a window with its `{platform}` display plugin ({reason}); "
            "check DISPLAY, or set QT_QPA_PLATFORM=offscreen for a headless check")


def start_qt() -> "QApplication":
    """The QApplication, or one readable line and exit status 2 where Qt cannot start.

    Qt does not raise when its display plugin fails: it logs why and aborts the
    process.  Its messages are held while the application starts; on the fatal
    one the reason is printed as one line (naming the missing libraries, which
    `ldd` tells) and the process exits before anything was written.
    """
    try:
        from PySide6.QtCore import QtMsgType, qInstallMessageHandler
        from PySide6.QtWidgets import QApplication
    except ImportError as exc:
        raise StartupError(f"the GUI needs PySide6 ({exc}); install it with `pip install 'jurist[gui]'`") from None
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    held: list[str] = []

    def hold(kind: "QtMsgType", _context: "QMessageLogContext", message: str) -> None:
        if kind == QtMsgType.QtFatalMsg:
            fail(message)
        held.append(message)

    def fail(message: str) -> NoReturn:
        platform = os.environ.get("QT_QPA_PLATFORM") or "xcb"
        print(f"jurist gui: {platform_failure(message, held, missing_libraries(platform))}", file=sys.stderr)
        sys.stderr.flush()
        os._exit(2)  # Qt aborts as soon as this handler returns

    previous = qInstallMessageHandler(hold)
    try:
        app = QApplication(sys.argv[:1])
    finally:
        qInstallMessageHandler(previous)
    for message in held:  # started after all: its warnings go where Qt would have put them
        print(message, file=sys.stderr)
    app.setApplicationName("Jurist")
    return app


def run(url: str | None = None, as_user: str | None = None) -> int:
    check_display()
    app = start_qt()
    from . import i18n
    from .idle_gc import collect_when_idle
    from .preferences import Preferences
    from .widgets.dialogs import QtInteraction
    from .widgets.main_window import MainWindow
    from .workers import wait_all

    preferences = Preferences()
    i18n.install(preferences.language or i18n.system_language())  # the menu's choice, else the system's
    # Only the first run on the default store may create it; a named store must exist.
    store = open_store(url, as_user, create=url is None and not os.environ.get(ENV_VAR))
    window = MainWindow(Workbench(store), preferences=preferences)
    interaction = QtInteraction(window)

    def report(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if os.environ.get("JURIST_DEBUG"):
            traceback.print_exception(kind, exc, tb)
        interaction.error(i18n.translate("App", "Something went wrong"), f"{type(exc).__name__}: {exc}")

    previous = sys.excepthook
    sys.excepthook = report
    try:
        window.show()
        collect_when_idle(app)  # full garbage collections stalled typing: now they wait for a pause
        return int(app.exec())
    finally:
        sys.excepthook = previous
        wait_all(5_000)
        store.close()
