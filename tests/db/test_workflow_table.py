"""The workflow table's verdicts, as windows see them, against what the service actually does."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

import pytest

from jurist.db.errors import InvalidTransition, PermissionDenied, StoreError, TwoPersonRule, UnknownUser
from jurist.db.service import Store
from jurist.db.workflow import ACTIONS, ROLES, STATES, Refusal, judge, may

from store_support import GOOD_POLICY, compile_check

# What the service must raise for each refusal (None: it must do the action).
ERROR_FOR = {None: type(None), Refusal.UNREGISTERED: UnknownUser, Refusal.ROLE: PermissionDenied,
             Refusal.STATE: InvalidTransition, Refusal.TWO_PERSON: TwoPersonRule}
ACTOR_OF_ROLE = {"viewer": "vic", "editor": "erin", "approver": "alice", "admin": "ada"}


class Workshop:
    """One SQLite store with a user per role, and versions made to order in any state."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.admin = self.open("admin", create=True)
        for role, name in ACTOR_OF_ROLE.items():
            self.admin.add_user(name, role)
        self.admin.add_user("writer", "editor")    # writes the versions no actor wrote
        self.admin.add_user("mover", "approver")   # moves versions through review; never an actor
        self.stores = {name: self.open(name) for name in (*ACTOR_OF_ROLE.values(), "writer", "mover", "mallory")}
        self._made: dict[tuple[str, str], tuple[str, int]] = {}
        self._count = 0

    def open(self, login: str, create: bool = False, as_user: str | None = None) -> Store:
        return Store.open(self.url, login=login, create=create, as_user=as_user, check=compile_check)

    def version(self, state: str, author: str) -> tuple[str, int]:
        """A version in `state` that only `author` wrote (reused until an action moves it)."""
        key = (state, author)
        if key not in self._made:
            self._made[key] = self._make(state, author, f"r{self._count}")
            self._count += 1
        return self._made[key]

    def used(self, state: str, author: str) -> None:
        self._made.pop((state, author), None)

    def _make(self, state: str, author: str, ruleset: str) -> tuple[str, int]:
        writer, mover = self.stores["writer"], self.stores["mover"]
        writer.create_ruleset(ruleset)
        role = next(u.role for u in self.admin.list_users() if u.name == author)
        if role == "viewer":  # she wrote it as an editor and was demoted since
            self.admin.set_role(author, "editor")
        number = self.stores[author].create_draft(ruleset, {"a.policy": GOOD_POLICY}).number
        if role == "viewer":
            self.admin.set_role(author, "viewer")
        path = {"draft": [], "in_review": ["submit"], "approved": ["submit", "approve"],
                "published": ["submit", "approve", "publish"], "retired": ["retire"]}[state]
        for step in path:
            getattr(writer if step == "submit" else mover, step)(ruleset, number)
        assert self.admin.get_version(ruleset, number).state == state
        return ruleset, number

    def close(self) -> None:
        for store in (self.admin, *self.stores.values()):
            store.close()


@pytest.fixture
def workshop(tmp_path: Path) -> Iterator[Workshop]:
    shop = Workshop(f"sqlite:///{tmp_path / 'store.db'}")
    yield shop
    shop.close()


def _try(act: Callable[[], object]) -> StoreError | None:
    try:
        act()
    except StoreError as exc:
        return exc
    return None


def test_verdict_equals_what_the_service_does_for_every_role_state_action_and_authorship(
        workshop: Workshop) -> None:
    """Every role (and an unregistered login) x state x action x author-or-not: the button a window
    enables is exactly the action the service performs, and a refusal is the service's refusal."""
    disagreements = []
    trials = 0
    for role in (*ROLES, None):
        actor = ACTOR_OF_ROLE[role] if role else "mallory"
        store = workshop.stores[actor]
        for state in STATES:
            for action in ACTIONS:
                for authored in ((False, True) if role else (False,)):
                    author = actor if authored else "writer"
                    ruleset, number = workshop.version(state, author)
                    verdict = may(action, store.whoami(), workshop.admin.get_version(ruleset, number))
                    error = _try(lambda: getattr(store, action)(ruleset, number))
                    trials += 1
                    if type(error) is not ERROR_FOR[verdict.refusal]:
                        disagreements.append(f"{actor} ({role}) {action} {state} authored={authored}: "
                                             f"verdict {verdict}, service {error!r}")
                    if error is None:
                        workshop.used(state, author)
    assert disagreements == []
    assert trials == (len(ROLES) * 2 + 1) * len(STATES) * len(ACTIONS)


def test_verdict_equals_the_service_when_an_admin_acts_as_someone_else(workshop: Workshop) -> None:
    """Under `--as` the admin behind the acting user counts as an author too."""
    disagreements = []
    for role, name in ACTOR_OF_ROLE.items():
        if name == "ada":
            continue
        as_user = workshop.open("ada", as_user=name)
        for state in ("in_review", "approved"):
            for action in ACTIONS:
                ruleset, number = workshop.version(state, "ada")
                verdict = may(action, as_user.whoami(), workshop.admin.get_version(ruleset, number), login="ada")
                error = _try(lambda: getattr(as_user, action)(ruleset, number))
                if type(error) is not ERROR_FOR[verdict.refusal]:
                    disagreements.append(f"ada as {name} {action} {state}: verdict {verdict}, service {error!r}")
                if error is None:
                    workshop.used(state, "ada")
        as_user.close()
    assert disagreements == []


def test_verdicts_say_why_in_the_window_s_words() -> None:
    assert judge("approve", role="approver", state="in_review", actor="alice", authors=("alice",),
                 label="v2").reason == "you wrote v2; the two-person rule needs another approver"
    assert judge("approve", role="approver", state="in_review", actor="bob", authors=("root",), login="root",
                 label="v2").refusal is Refusal.TWO_PERSON
    assert judge("submit", role="viewer", state="draft", actor="vic").reason == \
        "submit needs the editor role; you are a viewer"
    assert judge("publish", role="approver", state="in_review", actor="bob", label="v3").reason == \
        "v3 is in review; publish needs approved"
    assert may("publish", None, None).refusal is Refusal.NO_VERSION
