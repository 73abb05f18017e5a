"""A store with users and one published ruleset with cases: what the GUI and workbench tests start from."""
from __future__ import annotations

from pathlib import Path

from jurist.db.service import Store
from jurist.workbench.checks import compile_check
from jurist.workbench.session import Workbench

from small_ruleset import CASES, SOURCES


class Team:
    """Workbenches of the store's users (admin; approvers alice, bob; editor erin; viewer vic)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.stores: list[Store] = []

    def actions(self, login: str) -> Workbench:
        """`login`'s workbench on the store, closed with the team."""
        store = Store.open(self.url, login=login, check=compile_check)
        self.stores.append(store)
        return Workbench(store)

    def close(self) -> None:
        for store in self.stores:
            store.close()


def published_team(folder: Path) -> Team:
    """A fresh SQLite store in `folder`: `global` published at v1 by alice (authored) and bob (approved),
    with the small ruleset's two cases."""
    url = f"sqlite:///{folder / 'jurist.db'}"
    admin = Store.open(url, login="admin", create=True)
    for name, role in (("alice", "approver"), ("bob", "approver"), ("erin", "editor"), ("vic", "viewer")):
        admin.add_user(name, role)
    team = Team(url)
    team.stores.append(admin)
    alice, bob = team.actions("alice").store, team.actions("bob").store
    alice.create_ruleset("global")
    alice.create_draft("global", SOURCES)
    alice.submit("global", 1)
    bob.approve("global", 1)
    bob.publish("global", 1)
    for case in CASES:
        alice.save_test_case("global", case)
    return team
