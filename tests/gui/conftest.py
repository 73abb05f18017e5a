"""Fixtures for the GUI tests: offscreen Qt, a fresh SQLite store per test, a small ruleset, users.

QT_QPA_PLATFORM is set before anything imports Qt, so the suite runs
without a display.  The ruleset here is the tests' own (not the shipped
one), so expected decisions are pinned by this file alone.
"""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402
from typing import Callable, Iterator  # noqa: E402

import pytest  # noqa: E402

from jurist.gui.interaction import ScriptedInteraction  # noqa: E402

from published_team import Team, published_team  # noqa: E402
from small_ruleset import CASES, SOURCES  # noqa: E402,F401


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Team]:
    """The published ruleset and users of `published_team`; background work ends before the stores close."""
    t = published_team(tmp_path)
    yield t
    from jurist.gui.workers import wait_all

    wait_all(10_000)
    t.close()


@pytest.fixture
def scripted() -> ScriptedInteraction:
    return ScriptedInteraction()


@pytest.fixture
def make_window(qtbot, team: Team) -> Callable[..., object]:
    """A real main window acting as `login`, with messages recorded instead of shown."""
    from jurist.gui.preferences import in_memory
    from jurist.gui.widgets.main_window import MainWindow

    def make(login: str = "alice", interaction: ScriptedInteraction | None = None):
        window = MainWindow(team.actions(login), interaction or ScriptedInteraction(), preferences=in_memory())
        qtbot.addWidget(window)
        window.show()
        return window

    return make
