"""Bad input and faults: a killed publisher, edited rows, a tampered audit log, broken files."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy.exc import DBAPIError

from jurist.db.errors import TamperedVersion
from jurist.db.loader import published_sources

from store_support import GOOD_POLICY, Team, cli, compile_check, drop_audit_guard, published_ruleset, raw_sql

V2_POLICY = GOOD_POLICY + "rule r2: review intent:undress\n"

PUBLISHER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from sqlalchemy import event
    from jurist.db.service import Store

    url, phase, marker = sys.argv[1:4]
    store = Store.open(url, login="alice")

    def stop_here():
        Path(marker).write_text("paused")
        time.sleep(120)  # the parent SIGKILLs us here

    @event.listens_for(store._actor.engine, "before_cursor_execute")
    def before(conn, cursor, statement, params, context, executemany):
        if phase == "after-retire" and statement.startswith("UPDATE versions") and "published" in repr(params):
            stop_here()

    @event.listens_for(store._actor.engine, "commit")
    def before_commit(conn):
        if phase == "before-commit":
            stop_here()

    store.publish("global", 2)
    print("published")
""")


@pytest.mark.parametrize("phase", ["after-retire", "before-commit"])
def test_sigkill_mid_publish_keeps_previous_version_served(team: Team, url: str, tmp_path: Path, phase: str) -> None:
    published_ruleset(team)
    draft = team.erin.create_draft("global", {"global/minors.policy": V2_POLICY})
    team.erin.submit("global", draft.number)
    team.bob.approve("global", draft.number)
    events_before = team.vic.verify_audit().events

    marker = tmp_path / "paused"
    child = subprocess.Popen([sys.executable, "-c", PUBLISHER, url, phase, str(marker)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not marker.exists():
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline, "publisher never reached the pause point"
        time.sleep(0.02)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(10)
    assert child.returncode == -signal.SIGKILL

    # The previous version is still the one served, unchanged and verified.
    sources, origin = published_sources(f"{url}#global")
    assert sources == {"global/minors.policy": GOOD_POLICY} and origin.startswith("global@v1 ")
    assert {v.number: v.state for v in team.vic.list_versions("global")} == {1: "published", 2: "approved"}
    report = team.vic.verify_audit()
    assert report.ok and report.events == events_before
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []

    # And the interrupted publish can simply be done again.
    team.alice.publish("global", 2)
    assert published_sources(f"{url}#global")[0] == {"global/minors.policy": V2_POLICY}
    assert team.vic.verify_audit().ok


def test_edited_sources_are_refused_by_loader_and_publish(team: Team, url: str) -> None:
    published_ruleset(team)
    draft = team.erin.create_draft("global")
    team.erin.submit("global", draft.number)
    team.bob.approve("global", draft.number)
    raw_sql(url, "UPDATE version_files SET text = 'default allow\n' WHERE version_id IN "
                 "(SELECT id FROM versions WHERE number IN (1, 2))")
    with pytest.raises(TamperedVersion, match=r"global@v1 was altered in the database: its sources hash to "
                                              r"sha256:[0-9a-f]{12}…, not the recorded sha256:[0-9a-f]{12}…; "
                                              "refusing to load it"):
        published_sources(f"{url}#global")
    with pytest.raises(TamperedVersion, match="global@v2 was altered"):
        team.alice.publish("global", 2)
    assert [v.state for v in team.vic.list_versions("global")] == ["published", "approved"]


def test_audit_table_is_append_only(team: Team, url: str) -> None:
    with pytest.raises(DBAPIError, match="audit events are append-only"):
        raw_sql(url, "UPDATE audit_events SET actor = 'nobody' WHERE seq = 1")
    with pytest.raises(DBAPIError, match="audit events are append-only"):
        raw_sql(url, "DELETE FROM audit_events WHERE seq = 1")


def _history(team: Team) -> None:
    published_ruleset(team)  # events 1-5 users, 6.. ruleset work


# Beyond the chain's breaks, verify replays what is left and reports what it proves: the history a
# broken log tells disagrees with the tables, and a deleted `user.add` leaves that user's steps forged.
TAMPERING = {
    "edited": (["UPDATE audit_events SET actor = 'mallory' WHERE seq = 7"],
               ["audit: event 7 was edited (version.create on `ruleset:global@1` no longer matches its hash)",
                "mismatch: global@v1: the authors table lists `erin`, the audit log `mallory`"]),
    "deleted": (["DELETE FROM audit_events WHERE seq = 3"],
                ["audit: event 3 missing (deleted)",
                 "forged: event 9: `alice` recorded `version.approve` without being a registered user",
                 "forged: event 10: `alice` recorded `version.publish` without being a registered user",
                 "mismatch: user `alice`: in the users table, but the audit log never added them"]),
    "reordered": (["UPDATE audit_events SET seq = -1 WHERE seq = 4",
                   "UPDATE audit_events SET seq = 4 WHERE seq = 5",
                   "UPDATE audit_events SET seq = 5 WHERE seq = -1"],
                  ["audit: event 4 does not follow event 3 (an event before it was deleted, replaced or moved)",
                   "audit: event 4 was edited (user.add on `user:vic` no longer matches its hash)",
                   "audit: event 5 does not follow event 4 (an event before it was deleted, replaced or moved)",
                   "audit: event 5 was edited (user.add on `user:bob` no longer matches its hash)",
                   "audit: event 6 does not follow event 5 (an event before it was deleted, replaced or moved)"]),
    "truncated": (["DELETE FROM audit_events WHERE seq >= 9"],
                  ["audit: events 9–10 missing (the newest events were deleted)",
                   "mismatch: global@v1: the versions table says it is published, the audit log says in review",
                   "mismatch: global@v1: the approvals table lists `alice`, the audit log nobody"]),
}


@pytest.mark.parametrize("kind", list(TAMPERING))
def test_audit_verify_catches_hand_edits(team: Team, url: str, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    _history(team)
    assert team.vic.verify_audit().events == 10
    drop_audit_guard(url)
    statements, expected = TAMPERING[kind]
    raw_sql(url, *statements)
    code = cli("audit", "verify", "--db", url)
    out, err = capsys.readouterr()
    assert code == 1
    assert out.splitlines() == expected
    assert err.startswith("jurist: error: audit log tampered with:") and err.count("\n") == 1


def test_audit_verify_passes_on_untouched_log(team: Team, url: str, capsys: pytest.CaptureFixture[str]) -> None:
    _history(team)
    assert cli("audit", "verify", "--db", url) == 0
    out, err = capsys.readouterr()
    assert out.startswith("audit log intact: 10 events, head ") and err == ""


def _garbage(path: Path) -> None:
    path.write_bytes(os.urandom(8192))


def _foreign(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, data BLOB)")


def _damaged(path: Path) -> None:
    cli("db", "upgrade", "--db", str(path))
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with open(path, "r+b") as handle:
        handle.seek(4096)
        handle.write(b"\xff" * 8192)


@pytest.mark.parametrize("make,message", [
    (_garbage, "the file is not a SQLite database (is it another program's file?)"),
    (_foreign, "is not a Jurist store: it holds other tables (`photos`)"),
    (_damaged, "the database file is damaged"),
])
def test_corrupt_or_foreign_file_gives_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      make, message: str) -> None:
    path = tmp_path / "store.db"
    make(path)
    capsys.readouterr()
    code = cli("ruleset", "list", "--db", str(path))
    out, err = capsys.readouterr()
    assert code == 2
    assert err.startswith("jurist: error: ") and message in err and err.count("\n") == 1, err
    assert "Traceback" not in err


def test_unreachable_database_gives_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli("db", "upgrade", "--db", f"sqlite:///{tmp_path}/missing/dir/store.db")
    err = capsys.readouterr().err
    assert code == 2 and err == ("jurist: error: cannot use `sqlite:///" + str(tmp_path) + "/missing/dir/store.db`: "
                                 "cannot open the database file (does its folder exist and is it writable?)\n")


def test_garbage_file_in_a_real_process_prints_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    _garbage(path)
    result = subprocess.run([sys.executable, "-m", "jurist", "audit", "verify", "--db", str(path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "not a SQLite database" in result.stderr
    assert "Traceback" not in result.stderr


def test_foreign_files_are_not_modified_at_all(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The ownership check comes before the switch to WAL, which rewrites the header (bytes 18-19)."""
    foreign = tmp_path / "other.db"
    _foreign(foreign)
    before = foreign.read_bytes()
    assert before[18:20] == b"\x01\x01"  # rollback journal
    for argv in (("ruleset", "list"), ("db", "upgrade"), ("user", "add", "x", "--role", "viewer")):
        assert cli(*argv, "--db", str(foreign)) == 2
    assert "is not a Jurist store" in capsys.readouterr().err
    assert foreign.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]

    ours = tmp_path / "store.db"
    assert cli("db", "upgrade", "--db", str(ours)) == 0
    assert ours.read_bytes()[18:20] == b"\x02\x02"  # WAL, once we know the file is ours


def _store_with_history(path: Path) -> str:
    url = f"sqlite:///{path}"
    from jurist.db.service import Store

    with Store.open(url, login="admin", create=True) as admin:
        admin.add_user("erin", "editor")
        admin.add_user("alice", "approver")
    with Store.open(url, login="erin", check=compile_check) as erin:
        erin.create_ruleset("global")
        erin.create_draft("global", {"a.policy": GOOD_POLICY})
        erin.submit("global")
    with Store.open(url, login="alice") as alice:
        alice.approve("global")
        alice.publish("global")
    return url


def test_read_only_store_serves_reads_and_names_the_problem_on_writes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """What a file (or folder) without write permission looks like to Jurist; as root the OS would not
    refuse, so the permission check is what is replaced here."""
    url = _store_with_history(tmp_path / "store.db")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    import jurist.db.connection as connection

    monkeypatch.setattr(connection, "writable", lambda path: False)
    for argv in (("ruleset", "list"), ("ruleset", "log", "global"), ("audit", "verify"), ("audit", "log")):
        assert cli(*argv, "--db", url) == 0, capsys.readouterr().err
    assert published_sources(f"{url}#global")[0] == {"a.policy": GOOD_POLICY}
    capsys.readouterr()
    assert cli("ruleset", "retire", "global", "--as", "alice", "--db", url) == 2
    assert capsys.readouterr().err == (f"jurist: error: cannot use `{url}`: the database is read-only (the file or its folder "
                                       "is not writable); this needs write access\n")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write any file")
def test_read_only_folder_really_opens(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    url = _store_with_history(folder / "store.db")
    (folder / "store.db").chmod(0o444)
    folder.chmod(0o555)
    try:
        assert cli("audit", "verify", "--db", url) == 0
        assert cli("ruleset", "retire", "global", "--db", url) == 2
        assert "the database is read-only" in capsys.readouterr().err
    finally:
        folder.chmod(0o755)


def test_diff_and_log_flag_hand_edited_text(team: Team, url: str, capsys: pytest.CaptureFixture[str]) -> None:
    published_ruleset(team)
    team.erin.create_draft("global", {"global/minors.policy": V2_POLICY})
    raw_sql(url, "UPDATE version_files SET text = 'default allow\n' WHERE version_id IN "
                 "(SELECT id FROM versions WHERE number = 1)")
    assert cli("ruleset", "diff", "global", "1", "2", "--db", url) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("jurist: error: global@v1 was altered in the database: its sources hash to ")
    assert cli("ruleset", "log", "global", "--db", url) == 1
    out, err = capsys.readouterr()
    assert out.splitlines()[3].startswith("v1 ") and out.splitlines()[3].endswith("…  TAMPERED")
    assert not out.splitlines()[2].endswith("TAMPERED")
    assert err == ("jurist: warning: global@v1's sources no longer match their recorded hash (edited in the database); "
                   "run `jurist audit verify`\n")
    assert [v.intact for v in team.vic.list_versions("global")] == [False, True]


def test_missing_audit_head_is_named(team: Team, url: str, capsys: pytest.CaptureFixture[str]) -> None:
    raw_sql(url, "DELETE FROM audit_head")
    assert cli("user", "add", "zoe", "--role", "viewer", "--db", url) == 1
    assert capsys.readouterr().err == ("jurist: error: the audit log's head record is missing, so no change can be recorded; "
                                       "run `jurist audit verify` and restore the database from a backup\n")
    assert cli("audit", "verify", "--db", url) == 1
    assert "audit: the audit head record is missing" in capsys.readouterr().out


def test_a_tampered_version_fails_the_same_way_from_every_command(team: Team, url: str, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """One table of exit statuses: tampering is a verification failure (1) whether serving or reviewing."""
    published_ruleset(team)
    team.erin.create_draft("global", {"global/minors.policy": V2_POLICY})
    raw_sql(url, "UPDATE version_files SET text = 'default allow\n' WHERE version_id IN "
                 "(SELECT id FROM versions WHERE number = 1)")
    request = tmp_path / "req.json"
    request.write_text('{"country": "GB"}')
    outcomes = []
    for argv in (("decide", "--rules", f"{url}#global", "--request", str(request)),
                 ("ruleset", "diff", "global", "1", "2", "--db", url),
                 ("test", f"{url}#global")):
        code = cli(*argv)
        err = capsys.readouterr().err
        outcomes.append((code, err.split(" was altered")[0]))
    assert outcomes == [(1, "jurist: error: global@v1")] * 3
