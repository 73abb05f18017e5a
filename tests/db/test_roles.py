"""Role violations: each is refused with a clear message and writes nothing."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest
from sqlalchemy import MetaData, func, select

from jurist.db.connection import create_store_engine
from jurist.db.errors import ConflictError, InvalidTransition, NotFound, PermissionDenied, TwoPersonRule, UnknownUser
from jurist.db.service import Store

from store_support import GOOD_POLICY, Team, compile_check, jurist


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


def test_as_records_the_real_login_and_cannot_dodge_the_two_person_rule(team: Team, url: str) -> None:
    """root imports, then approves `--as bob`: root wrote it, so that is self-approval."""
    team.admin.create_ruleset("global")
    team.admin.create_draft("global", {"a.policy": GOOD_POLICY})
    team.admin.submit("global")
    as_bob = Store.open(url, login="admin", as_user="bob")
    try:
        with pytest.raises(TwoPersonRule, match="^`admin` wrote global@v1 and cannot approve it, not even as `bob`; "
                                                "another approver must$"):
            as_bob.approve("global")
    finally:
        as_bob.close()
    assert team.vic.get_version("global", 1).state == "in_review"


def test_writing_as_someone_else_makes_the_admin_an_author_too(team: Team, url: str) -> None:
    as_erin = Store.open(url, login="admin", as_user="erin", check=compile_check)
    try:
        as_erin.create_ruleset("global")
        as_erin.create_draft("global", {"a.policy": GOOD_POLICY})
        as_erin.submit("global")
    finally:
        as_erin.close()
    assert team.vic.get_version("global", 1).authors == ("admin", "erin")
    with pytest.raises(TwoPersonRule, match="`admin` wrote global@v1"):
        team.admin.approve("global")
    event = team.vic.audit_log(limit=1)[0]
    assert (event.actor, event.via, event.who, "via" in event.details) == ("erin", "admin", "erin (via admin)", False)
    assert team.bob.approve("global").state == "approved"
    assert team.vic.audit_log(limit=1)[0].via is None


def test_cli_shows_who_acted_via_whom(team: Team, url: str, tmp_path: Path) -> None:
    (tmp_path / "a.policy").write_text(GOOD_POLICY)
    result = jurist("ruleset", "import", str(tmp_path), "--name", "global", "--as", "erin", "--db", url, login="admin")
    assert result.returncode == 0, result.stderr
    result = jurist("ruleset", "approve", "global", "--as", "bob", "--db", url, login="admin")
    assert result.returncode == 1  # nothing in review yet
    assert result.stderr == "jurist: error: ruleset `global` has no version in review\n"
    log = jurist("audit", "log", "--limit", "2", "--db", url).stdout.splitlines()
    assert log[0].split()[:4] == ["SEQ", "TIME", "(UTC)", "WHO"]
    assert log[1].split()[3:7] == ["erin", "(via", "admin)", "version.import"]


def test_the_last_admin_cannot_be_demoted(team: Team) -> None:
    with pytest.raises(InvalidTransition, match="^`admin` is the last admin; make another user an admin first$"):
        team.admin.set_role("admin", "approver")
    team.admin.set_role("alice", "admin")
    assert team.admin.set_role("admin", "approver").role == "approver"
    with pytest.raises(InvalidTransition, match="`alice` is the last admin"):
        team.alice.set_role("alice", "viewer")


def test_names_differing_only_in_case_are_refused(team: Team) -> None:
    with pytest.raises(ConflictError, match=r"^user `Alice` already exists as `alice` \(names may not differ only "
                                            r"in case\)$"):
        team.admin.add_user("Alice", "viewer")
    team.erin.create_ruleset("global")
    with pytest.raises(ConflictError, match="^ruleset `GLOBAL` already exists as `global`"):
        team.erin.create_ruleset("GLOBAL")


@pytest.mark.parametrize("login,message", [
    ("bad name", "the OS login `bad name` cannot become this store's first admin: it is not a valid user name "
                 "(letters, digits, `.`, `_`, `-`; at most 64); set LOGNAME to a valid name and retry"),
    ("root\n 99 x", "the login name `root\\n 99 x` contains the control character `\\n`; line breaks, tabs and "
                    "other control characters are not allowed"),
])
def test_bootstrap_login_is_validated(tmp_path: Path, login: str, message: str) -> None:
    result = jurist("user", "add", "erin", "--role", "editor", "--db", str(tmp_path / "s.db"), login=login)
    assert (result.returncode, result.stderr) == (2, f"jurist: error: {message}\n")
