"""Role violations: each is refused with a clear message and writes nothing."""
from __future__ import annotations

from typing import Callable

import pytest
from sqlalchemy import MetaData, func, select

from jurist.db.connection import create_store_engine
from jurist.db.errors import NotFound, PermissionDenied, UnknownUser
from jurist.db.service import Store

from store_support import GOOD_POLICY, Team


def snapshot(url: str) -> dict[str, int]:
    """Row counts of every table, plus a fingerprint of the versions' states."""
    engine = create_store_engine(url)
    try:
        meta = MetaData()
        meta.reflect(engine)
        with engine.connect() as conn:
            counts = {name: conn.scalar(select(func.count()).select_from(table)) for name, table in meta.tables.items()}
            counts["states"] = hash(tuple(conn.execute(select(meta.tables["versions"].c.state,
                                                                meta.tables["versions"].c.revision)
                                                         .order_by(meta.tables["versions"].c.id)).all()))
        return counts
    finally:
        engine.dispose()


def _prepare(team: Team) -> None:
    team.erin.create_ruleset("global")
    team.erin.create_draft("global", {"a.policy": GOOD_POLICY})
    team.erin.create_draft("global")
    team.erin.submit("global", 1)


VIOLATIONS: list[tuple[str, str, Callable[[Team], object], str]] = [
    ("vic", "viewer", lambda t: t.vic.create_ruleset("eu"), "creating a ruleset needs the editor role"),
    ("vic", "viewer", lambda t: t.vic.create_draft("global", {"a.policy": "default deny\n"}),
     "creating a draft needs the editor role"),
    ("vic", "viewer", lambda t: t.vic.save_draft("global", 2, {"a.policy": "x"}, 1), "editing a draft needs the editor role"),
    ("vic", "viewer", lambda t: t.vic.submit("global", 2), "submitting for review needs the editor role"),
    ("vic", "viewer", lambda t: t.vic.save_test_case("global", {"name": "c", "request": {},
                                                                   "expect": {"effect": "allow", "rules": []}}),
     "saving test cases needs the editor role"),
    ("erin", "editor", lambda t: t.erin.approve("global", 1), "approving needs the approver role"),
    ("erin", "editor", lambda t: t.erin.reject("global", 1), "rejecting needs the approver role"),
    ("erin", "editor", lambda t: t.erin.publish("global", 1), "publishing needs the approver role"),
    ("erin", "editor", lambda t: t.erin.retire("global", 1), "retiring needs the approver role"),
    ("alice", "approver", lambda t: t.alice.add_user("mallory", "admin"), "adding users needs the admin role"),
    ("alice", "approver", lambda t: t.alice.set_role("alice", "admin"), "changing roles needs the admin role"),
]


@pytest.mark.parametrize("who,role,act,message", VIOLATIONS, ids=[f"{v[0]}-{v[3].split()[0]}" for v in VIOLATIONS])
def test_role_violation_is_refused_and_writes_nothing(team: Team, url: str, who: str, role: str,
                                                      act: Callable[[Team], object], message: str) -> None:
    _prepare(team)
    before = snapshot(url)
    article = "an" if role[0] in "aeiou" else "a"
    with pytest.raises(PermissionDenied, match=f"^`{who}` is {article} {role}; {message}$"):
        act(team)
    assert snapshot(url) == before


def test_unregistered_login_is_refused(team: Team, url: str) -> None:
    stranger = Store.open(url, login="mallory")
    try:
        before = snapshot(url)
        with pytest.raises(UnknownUser, match="`mallory` is not a registered user; an admin can add them with "
                                              "`jurist user add mallory --role editor`"):
            stranger.create_ruleset("eu")
        with pytest.raises(UnknownUser):
            stranger.list_rulesets()
        assert snapshot(url) == before
    finally:
        stranger.close()


def test_only_admins_act_as_someone_else(team: Team, url: str) -> None:
    with pytest.raises(PermissionDenied, match="only an admin may act as another user; `alice` is an approver"):
        Store.open(url, login="alice", as_user="bob")
    with pytest.raises(NotFound, match="no user `nobody`"):
        Store.open(url, login="admin", as_user="nobody")
    as_erin = Store.open(url, login="admin", as_user="erin")
    try:
        as_erin.create_ruleset("eu")
        assert team.vic.audit_log(limit=1)[0].actor == "erin"
        with pytest.raises(PermissionDenied, match="`erin` is an editor; adding users needs the admin role"):
            as_erin.add_user("x", "viewer")
    finally:
        as_erin.close()


def test_first_login_on_empty_store_becomes_admin(open_store) -> None:
    first = open_store("owner")
    second = open_store("guest")
    assert first.whoami().role == "admin"
    assert second.whoami() is None
    events = first.audit_log()
    assert [(e.action, e.subject) for e in events] == [("user.bootstrap", "user:owner")]
