"""Starting `jurist gui` where Qt cannot open a window: one readable line, exit 2, no store created."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from jurist.gui.app import platform_failure
from jurist.gui.system_libraries import not_found, packages_for


def test_a_display_qt_cannot_use_ends_in_one_line_before_the_store_is_touched(tmp_path: Path) -> None:
    """Qt used to abort (exit 134, several lines) after the default store had been created and seeded."""
    display = next(f":{n}" for n in range(4242, 4300) if not Path(f"/tmp/.X11-unix/X{n}").exists())
    env = {k: v for k, v in os.environ.items() if k not in ("JURIST_DB", "WAYLAND_DISPLAY")}
    env.update(QT_QPA_PLATFORM="xcb", DISPLAY=display, HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"))
    done = subprocess.run([sys.executable, "-c", "import sys; from jurist.cli import main; sys.exit(main(['gui']))"],
                          env=env, capture_output=True, text=True, timeout=120)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2, done.stderr
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("jurist gui: Qt cannot open a window with its `xcb` display plugin "
                               f"(could not connect to display {display})")
    assert not list(tmp_path.rglob("jurist.db*"))


def test_missing_libraries_are_named_with_the_packages_to_install() -> None:
    ldd = ("\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x7f)\n"
           "\tlibxcb-cursor.so.0 => not found\n"
           "\tlibxcb-icccm.so.4 => not found\n"
           "\tlibxcb-cursor.so.0 => not found\n")
    missing = not_found(ldd)
    assert missing == ["libxcb-cursor.so.0", "libxcb-icccm.so.4"]
    assert packages_for(missing + ["libglib-2.0.so.0", "libgthread-2.0.so.0"]) == \
        ["libxcb-cursor0", "libxcb-icccm4", "libglib2.0-0"]
    line = platform_failure("Could not load the Qt platform plugin \"xcb\"", [], missing)
    assert "(libxcb-cursor.so.0, libxcb-icccm.so.4)" in line
    assert "`sudo apt-get install libxcb-cursor0 libxcb-icccm4`" in line and "\n" not in line
