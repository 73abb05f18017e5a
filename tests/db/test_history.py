"""History that proves itself (issue 15): correctly chained but forged events, hand-edited roles, authors and
test cases are caught by `audit verify` and refused by the loader; the database refuses a self-approval."""
from __future__ import annotations

import pytest
from sqlalchemy.exc import DBAPIError

from jurist.db.errors import PermissionDenied, TamperedVersion, TwoPersonRule
from jurist.db.loader import published_sources, stored_cases

from store_support import (
    GOOD_POLICY, Team, cli, drop_audit_guard, drop_two_person_triggers, forge_event, published_ruleset, raw_sql,
)

ALLOW_ALL = "jurisdiction GB\ndefault allow\n"  # gb.policy turned from deny to allow
CASE = {"name": "minor at the beach",
        "request": {"country": "GB", "observations": {"persons": [{"labels": {"subject:minor": 0.9,
                                                                              "nudity:exposed": 0.9}}]}},
        "expect": {"effect": "deny", "rules": ["minors_nudity"]}}
WEAKENED = {**CASE, "expect": {"effect": "allow", "rules": []}}


def _draft_v2(store, text: str = ALLOW_ALL) -> str:
    """A new draft of `global` written by `store`'s user; its hash."""
    return store.create_draft("global", {"global/minors.policy": text}).content_hash


def _forge_publication(url: str, who: str, content_hash: str) -> None:
    """Submit, approve and publish global@v2 as `who`, with events only, and flip the versions table to match."""
    forge_event(url, who, "version.submit", "ruleset:global@2", {"hash": content_hash, "warnings": 0})
    forge_event(url, who, "version.approve", "ruleset:global@2", {"hash": content_hash, "comment": ""})
    forge_event(url, who, "version.publish", "ruleset:global@2", {"hash": content_hash, "retired": 1})
    raw_sql(url, "UPDATE versions SET state = 'retired' WHERE number = 1",
            "UPDATE versions SET state = 'published' WHERE number = 2")


def test_an_editor_cannot_publish_her_own_version_by_appending_events(
        team: Team, url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The probe's forgery: an editor imports, submits, approves and publishes her own version."""
    published_ruleset(team)
    content = _draft_v2(team.erin)
    with pytest.raises(DBAPIError, match="two-person rule: an author of this version cannot approve it"):
        forge_event(url, "erin", "version.approve", "ruleset:global@2", {"hash": content, "comment": ""})
    drop_audit_guard(url)  # a determined writer of the database removes the triggers first
    drop_two_person_triggers(url)
    _forge_publication(url, "erin", content)

    forged = "event 13: `erin` took `approve` on global@v2 as an editor; it needs the approver role"
    with pytest.raises(TamperedVersion, match=rf"^refusing to load global@v2: the audit log holds an event Jurist "
                                              rf"could not have written \({forged}\); run `jurist audit verify`$"):
        published_sources(f"{url}#global")
    assert cli("audit", "verify", "--db", url) == 1
    out, err = capsys.readouterr()
    assert [line for line in out.splitlines() if line.startswith("forged:")] == [
        f"forged: {forged}",
        "forged: event 14: `erin` took `publish` on global@v2 as an editor; it needs the approver role",
    ]
    assert err.startswith("jurist: error: 2 event(s) Jurist could not have written")


def test_an_approver_cannot_approve_her_own_version_by_appending_events(team: Team, url: str) -> None:
    published_ruleset(team)
    content = _draft_v2(team.alice)
    drop_audit_guard(url)
    drop_two_person_triggers(url)
    _forge_publication(url, "alice", content)
    report = team.vic.verify_audit()
    assert [v.message for v in report.violations] == [
        "event 13: `alice` approved global@v2, which `alice` wrote; the two-person rule needs another approver"]
    with pytest.raises(TamperedVersion, match="which `alice` wrote; the two-person rule"):
        published_sources(f"{url}#global")


def test_a_role_edited_in_the_users_table_is_caught(team: Team, url: str) -> None:
    published_ruleset(team)
    raw_sql(url, "UPDATE users SET role = 'admin' WHERE name = 'vic'")
    team.vic.add_user("mallory", "approver")  # the service reads the table, so this much works...
    report = team.admin.verify_audit()  # ...but the chained log says vic is a viewer
    assert not report.ok
    assert report.mismatches == ("user `vic`: the users table says admin, the audit log viewer",)
    assert [v.message for v in report.violations] == [
        "event 11: `vic` recorded `user.add` as a viewer; it needs the admin role"]
    with pytest.raises(TamperedVersion, match="event 11: `vic` recorded `user.add` as a viewer"):
        published_sources(f"{url}#global")


def test_a_deleted_author_row_does_not_let_the_author_approve(team: Team, url: str) -> None:
    published_ruleset(team)
    _draft_v2(team.alice)
    team.alice.submit("global", 2)
    raw_sql(url, "DELETE FROM version_authors WHERE user_id = (SELECT id FROM users WHERE name = 'alice') "
                 "AND version_id = (SELECT id FROM versions WHERE number = 2)")
    with pytest.raises(TwoPersonRule, match="`alice` wrote global@v2 and cannot approve it"):
        team.alice.approve("global", 2)
    with pytest.raises(DBAPIError, match="two-person rule: an author of this version cannot approve it"):
        raw_sql(url, "INSERT INTO approvals (version_id, approver_id, decided_at, comment) "
                     "SELECT v.id, u.id, CURRENT_TIMESTAMP, '' FROM versions v, users u "
                     "WHERE v.number = 2 AND u.name = 'alice'")
    assert team.vic.verify_audit().mismatches == (
        "global@v2: the authors table lists nobody, the audit log `alice`",)
    assert team.bob.approve("global", 2).state == "approved"


def test_a_test_case_weakened_in_the_database_is_refused(team: Team, url: str) -> None:
    published_ruleset(team)
    logged = team.erin.save_test_case("global", CASE)
    draft = team.erin.create_draft("global", {"global/minors.policy": GOOD_POLICY})  # tested with the working set
    assert stored_cases(f"{url}#global@v{draft.number}")[0]["expect"]["effect"] == "deny"
    raw_sql(url, "UPDATE test_cases SET expected_effect = 'allow', expected_rules = '[]'")
    [mismatch] = team.vic.verify_audit().mismatches
    assert mismatch.startswith("test case `minor at the beach` of `global` was edited in the database (it no "
                               "longer matches sha256:")
    with pytest.raises(TamperedVersion, match="refusing the test cases of `global`: test case `minor at the beach` "
                                              "of `global` was edited in the database"):
        stored_cases(f"{url}#global@v{draft.number}")
    with pytest.raises(TamperedVersion, match="was edited in the database"):
        team.vic.runnable_test_cases("global")
    assert logged.updated_by == "erin"


def test_a_case_weakened_after_approval_shows_against_the_approved_version(
        team: Team, url: str, capsys: pytest.CaptureFixture[str]) -> None:
    team.erin.create_ruleset("global", ["GB"])
    team.erin.save_test_case("global", CASE)
    draft = team.erin.create_draft("global", {"global/minors.policy": GOOD_POLICY})
    team.erin.submit("global", draft.number)
    team.alice.approve("global", draft.number)
    team.alice.publish("global", draft.number)
    assert not team.vic.case_changes("global").any
    team.erin.save_test_case("global", WEAKENED)  # through the service: allowed, recorded, and visible
    team.erin.save_test_case("global", {**CASE, "name": "another"})
    changes = team.vic.case_changes("global")
    assert (changes.version, changes.reviewed, changes.added, changes.changed) == (
        1, "approved", ("another",), ("minor at the beach",))
    assert team.vic.verify_audit().ok
    assert cli("ruleset", "log", "global", "--db", url) == 0
    differ = ("2 test case(s) differ from those global@v1 was approved with: `another` added, "
              "`minor at the beach` changed")
    assert capsys.readouterr().out.splitlines()[-1] == differ
    # the published version is tested with the cases it was approved with; the weakened working set is a warning
    assert cli("test", f"{url}#global") == 0
    assert capsys.readouterr().err == f"jurist: warning: {differ}\n"


def test_a_service_written_history_replays_without_a_violation(team: Team, url: str) -> None:
    """Every kind of event the service writes, --as included, replays as allowed."""
    from jurist.db.signing import SigningKey

    alice_key = SigningKey.generate()
    team.alice.register_key(alice_key.public)
    published_ruleset(team)
    root_as_erin = team.admin.acting_as("erin")
    number = root_as_erin.create_draft("global").number
    team.erin.save_draft("global", number, {"global/minors.policy": GOOD_POLICY + "\n"},
                         team.erin.get_version("global", number).revision)
    newer = team.erin.create_draft("global", {"global/minors.policy": GOOD_POLICY + "\n\n"}).number
    team.erin.save_test_case("global", CASE)
    team.erin.submit("global", number)
    team.bob.reject("global", number, "not yet")
    team.erin.submit("global", number)
    team.erin.submit("global", newer)
    team.alice.approve("global", newer, key=alice_key)
    team.bob.publish("global", newer)
    with pytest.raises(TwoPersonRule, match="`admin` wrote global@v2 and cannot approve it, not even as `bob`"):
        team.admin.acting_as("bob").approve("global", number)
    team.bob.approve("global", number)
    team.alice.publish("global", number)  # older than the published: an intended rollback
    team.erin.delete_test_case("global", "minor at the beach")
    team.admin.set_role("vic", "editor")
    team.admin.require_signed_approvals()
    team.bob.retire("global")
    report = team.vic.verify_audit()
    assert (report.problems, report.violations, report.mismatches) == ((), (), ())


def test_approvals_signed_with_the_approvers_own_keys(team: Team, url: str) -> None:
    from jurist.db.signing import SigningKey

    alice_key, bob_key = SigningKey.generate(), SigningKey.generate()
    team.alice.register_key(alice_key.public)
    with pytest.raises(PermissionDenied, match="a key is registered by its owner"):
        team.admin.acting_as("bob").register_key(bob_key.public)
    published_ruleset(team)  # published before signatures were required
    assert team.admin.require_signed_approvals() is True
    assert team.admin.require_signed_approvals() is False
    with pytest.raises(TamperedVersion, match="global@v1: this store requires signed approvals, and no approval of "
                                              r"sha256:[0-9a-f]{12}… carries a signature that verifies"):
        published_sources(f"{url}#global")

    number = team.erin.create_draft("global").number
    team.erin.submit("global", number)
    with pytest.raises(PermissionDenied, match="this store requires signed approvals; approve global@v2 with"):
        team.alice.approve("global", number)
    with pytest.raises(PermissionDenied, match="is not the one `alice` registered"):
        team.alice.approve("global", number, key=bob_key)
    with pytest.raises(PermissionDenied, match="`bob` has registered no key"):
        team.bob.approve("global", number, key=bob_key)
    team.alice.approve("global", number, key=alice_key)
    team.bob.publish("global", number)
    sources, origin = published_sources(f"{url}#global")
    assert origin.startswith("global@v2") and team.vic.verify_audit().ok
    assert [u.key for u in team.vic.list_users() if u.name == "alice"] == [alice_key.public]


def test_a_forged_unsigned_or_badly_signed_approval_is_refused(team: Team, url: str) -> None:
    from jurist.db.signing import SigningKey

    bob_key = SigningKey.generate()
    team.bob.register_key(bob_key.public)
    team.admin.require_signed_approvals()
    team.erin.create_ruleset("global", ["GB"])
    content = team.erin.create_draft("global", {"global/minors.policy": ALLOW_ALL}).content_hash
    team.erin.submit("global", 1)
    drop_audit_guard(url)
    unsigned = forge_event(url, "bob", "version.approve", "ruleset:global@1", {"hash": content, "comment": ""})
    badly = forge_event(url, "bob", "version.approve", "ruleset:global@1",
                        {"hash": content, "comment": "", "key": bob_key.public, "signature": "A" * 88})
    forge_event(url, "bob", "version.publish", "ruleset:global@1", {"hash": content})
    raw_sql(url, "UPDATE versions SET state = 'published'")
    messages = [v.message for v in team.vic.verify_audit().violations]
    assert messages[0].startswith(f"event {unsigned}: `bob` approved global@v1 without a signature")
    assert f"event {badly}: the signature on `bob`'s approval of global@v1 does not verify against their " \
           f"registered key {bob_key.public[:16]}…" in messages
    assert messages[-1].startswith(f"event {badly + 1}: published global@v1 with no signed approval")
    with pytest.raises(TamperedVersion, match=f"event {unsigned}: `bob` approved global@v1 without a signature; "
                                              "this store requires signed approvals since event"):
        published_sources(f"{url}#global")


def test_replay_reads_every_event_once(team: Team, url: str) -> None:
    from jurist.db.connection import create_store_engine, read_session
    from jurist.db.history import replay

    published_ruleset(team)
    engine = create_store_engine(url)
    try:
        with read_session(engine) as session:
            history = replay(session)
    finally:
        engine.dispose()
    assert history.events == 10 and history.first_problem() is None
    assert history.users == {"admin": "admin", "erin": "editor", "alice": "approver", "bob": "approver",
                             "vic": "viewer"}
    trail = history.trail("global", 1)
    assert trail is not None and (trail.state, trail.authors, trail.approvers) == ("published", {"erin"}, ["alice"])


def test_signed_approvals_from_the_command_line(team: Team, url: str, tmp_path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    published_ruleset(team)
    key = tmp_path / "alice.key"
    assert cli("key", "generate", str(key)) == 0
    assert cli("key", "generate", str(key)) == 2  # never overwritten
    assert "already exists; a key is never overwritten" in capsys.readouterr().err
    assert cli("db", "require-signed-approvals", "--db", url) == 0
    monkeypatch.setenv("LOGNAME", "alice")
    assert cli("user", "key", "--public-key", f"{key}.pub", "--db", url) == 0
    number = team.erin.create_draft("global").number
    team.erin.submit("global", number)
    capsys.readouterr()
    assert cli("ruleset", "approve", "global", "--db", url) == 1
    assert "requires signed approvals; approve global@v2 with your private key (`--sign-with KEYFILE`)" \
        in capsys.readouterr().err
    assert cli("ruleset", "approve", "global", "--sign-with", str(key), "--db", url) == 0
    assert cli("ruleset", "publish", "global", "--db", url) == 0
    assert published_sources(f"{url}#global")[1].startswith("global@v2")
    assert cli("user", "list", "--db", url) == 0
    alice = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("alice "))
    assert alice.split()[-1].startswith("ed25519:") and alice.endswith("…")
