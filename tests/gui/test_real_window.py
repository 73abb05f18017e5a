"""The GUI in a real window: X11's `xcb` display plugin on a virtual display (Xvfb), not offscreen.

Every other GUI test runs on Qt's offscreen plugin, which needs none of the
system libraries a desktop needs, so a machine missing one (libxcb-cursor0 on
a fresh Debian) passed the suite and then could not open a window.  This test
starts its own Xvfb and runs one task in a separate process with
QT_QPA_PLATFORM=xcb: where the plugin cannot load, that process ends with the
start-up error and the test fails, naming it.  `make test` installs Xvfb
(.ci/ensure-qt-libs --xvfb) and sets JURIST_REQUIRE_DISPLAY=1, so there a
missing Xvfb fails too instead of skipping.
"""
from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

import jurist
from jurist.gui.app import shipped_rulesets
from jurist.gui import words

TASK = Path(__file__).with_name("real_window_task.py")


@pytest.fixture
def x_display() -> Iterator[str]:
    """A private virtual X display (`:N`, a free number Xvfb picks itself), stopped afterwards."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        message = "Xvfb is not installed (`make test` installs it with .ci/ensure-qt-libs --xvfb)"
        if os.environ.get("JURIST_REQUIRE_DISPLAY"):
            pytest.fail(message)
        pytest.skip(message)
    read, write = os.pipe()
    server = subprocess.Popen([xvfb, "-displayfd", str(write), "-screen", "0", "1440x900x24", "-nolisten", "tcp"],
                              pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.close(write)
    try:
        ready, _, _ = select.select([read], [], [], 30)
        number = os.read(read, 64).decode().strip() if ready else ""
        if not number:
            server.kill()
            pytest.fail(f"Xvfb did not start: {server.communicate(timeout=10)[1].decode(errors='replace')[-2000:]}")
        yield f":{number}"
    finally:
        os.close(read)
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=10)


def test_the_main_window_opens_on_a_real_display_and_decides_a_request(x_display: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "JURIST_DB", "QT_QPA_PLATFORM")}
    env.update(QT_QPA_PLATFORM="xcb", DISPLAY=x_display, HOME=str(tmp_path))
    result_path = tmp_path / "result.json"
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    done = subprocess.run([sys.executable, str(TASK), url, str(result_path)], env=env, capture_output=True,
                          text=True, timeout=240)
    assert done.returncode == 0, f"the real window failed (exit {done.returncode}):\n{done.stderr[-4000:]}"

    seen = json.loads(result_path.read_text())
    assert seen["platform"] == "xcb"
    assert seen["ruleset"] == "global"  # the fresh store was seeded with the shipped rules and opened
    assert seen["country_shown"] == "GB — United Kingdom"
    request = seen["request"]
    assert (request["country"], request["user"], request["prompt"]) == ("GB", {"tier": "paid"}, "put her in underwear")
    assert request["observations"] == {"labels": {}, "persons": [{"labels": {"subject:real_person": 0.95}}]}
    expected = jurist.load(shipped_rulesets()).decide(request, exhaustive=True)
    assert seen["effect"] == expected.effect == "deny"
    assert seen["rules"] == [r.id for r in expected.rules]
    assert seen["shown"] == words.verdict("deny") and seen["shown_visible"]
