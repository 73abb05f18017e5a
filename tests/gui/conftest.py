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

BASE = """# rules for every country
default allow
set EU = {AT, BE, DE, FR, IE, IT, NL, ES}
rule minors_nudity: deny person(subject:minor nudity:exposed)
  cite "UN CRC Art. 34" message "sexual images of minors are refused everywhere"
rule undress_real: deny intent:undress subject:real_person
  cite "Policy 1.2" message "no undressing of real people"
"""
GB = """jurisdiction GB
rule gb_swimwear_real: review attire:bikini >= 0.6 subject:real_person where user.tier = free
  cite "Online Safety Act 2023 s.10" message "swimwear edits of real people are reviewed"
"""
EU = """jurisdiction EU
rule eu_deepfake: deny intent:sexualize subject:real_person
  cite "AI Act Art. 50" message "sexual deepfakes are refused"
"""
US_CA = """jurisdiction US-CA
rule ca_deepfake: deny intent:sexualize subject:real_person
  cite "Cal. Civ. Code 1708.86" message "sexual deepfakes are refused in California"
"""
SOURCES = {"global/base.policy": BASE, "gb/uk.policy": GB, "eu/eu.policy": EU, "us/ca.policy": US_CA}
CASES = [
    {"name": "gb free swimwear is reviewed",
     "request": {"action": "edit", "country": "GB", "user": {"tier": "free"}, "surface": "app", "date": "2026-03-01",
                 "observations": {"labels": {}, "persons": [{"labels": {"subject:real_person": 0.9,
                                                                        "attire:bikini": 0.8}}]}},
     "expect": {"effect": "review", "rules": ["gb_swimwear_real"]}},
    {"name": "fr sexual deepfake is denied",
     "request": {"action": "edit", "country": "FR", "user": {"tier": "paid"}, "surface": "app", "date": "2026-03-01",
                 "observations": {"labels": {"intent:sexualize": 0.9},
                                  "persons": [{"labels": {"subject:real_person": 0.9}}]}},
     "expect": {"effect": "deny", "rules": ["eu_deepfake"]}},
]


@dataclass
class Team:
    url: str
    stores: list[Store]

    def actions(self, login: str) -> Actions:
        store = Store.open(self.url, login=login)
        self.stores.append(store)
        return Actions(store)


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Team]:
    """A store with admin, two approvers (alice, bob), an editor (erin) and a viewer (vic),
    and ruleset `global` published at v1 by alice (authored) and bob (approved), with two cases."""
    url = f"sqlite:///{tmp_path / 'jurist.db'}"
    admin = Store.open(url, login="admin")
    for name, role in (("alice", "approver"), ("bob", "approver"), ("erin", "editor"), ("vic", "viewer")):
        admin.add_user(name, role)
    alice, bob = Store.open(url, login="alice"), Store.open(url, login="bob")
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
