"""Fixtures for the GUI tests: offscreen Qt, a fresh SQLite store per test, a small ruleset, users.

QT_QPA_PLATFORM is set before anything imports Qt, so the suite runs
without a display.  The ruleset here is the tests' own (not the shipped
one), so expected decisions are pinned by this file alone.
"""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Callable, Iterator  # noqa: E402

import pytest  # noqa: E402

from jurist.db.service import Store  # noqa: E402
from jurist.gui.actions import Actions  # noqa: E402
from jurist.gui.interaction import ScriptedInteraction  # noqa: E402
from jurist.workbench.checks import compile_check  # noqa: E402

from gui_ruleset import CASES, SOURCES  # noqa: E402,F401


@dataclass
class Team:
    url: str
    stores: list[Store]

    def actions(self, login: str) -> Actions:
        store = Store.open(self.url, login=login, check=compile_check)
        self.stores.append(store)
        return Actions(store)


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Team]:
    """A store with admin, two approvers (alice, bob), an editor (erin) and a viewer (vic),
    and ruleset `global` published at v1 by alice (authored) and bob (approved), with two cases."""
    url = f"sqlite:///{tmp_path / 'jurist.db'}"
    admin = Store.open(url, login="admin", create=True)
    for name, role in (("alice", "approver"), ("bob", "approver"), ("erin", "editor"), ("vic", "viewer")):
        admin.add_user(name, role)
    alice, bob = Store.open(url, login="alice", check=compile_check), Store.open(url, login="bob")
    alice.create_ruleset("global")
    alice.create_draft("global", SOURCES)
    alice.submit("global", 1)
    bob.approve("global", 1)
    bob.publish("global", 1)
    for case in CASES:
        alice.save_test_case("global", case)
    t = Team(url, [admin, alice, bob])
    yield t
    from jurist.gui.workers import wait_all

    wait_all(10_000)
    for s in t.stores:
        s.close()


@pytest.fixture
def scripted() -> ScriptedInteraction:
    return ScriptedInteraction()


@pytest.fixture
def make_window(qtbot, team: Team) -> Callable[..., object]:
    """A real main window acting as `login`, with messages recorded instead of shown."""
    from jurist.gui.widgets.main_window import MainWindow

    def make(login: str = "alice", interaction: ScriptedInteraction | None = None):
        window = MainWindow(team.actions(login), interaction or ScriptedInteraction())
        qtbot.addWidget(window)
        window.show()
        return window

    return make
