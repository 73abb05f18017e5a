"""Shared pieces of the store's tests: sample policies, a team of users, raw access.

Kept out of conftest.py so test modules import them by a name no other test
folder uses.
"""
from __future__ import annotations

from dataclasses import dataclass

from jurist.db.connection import create_store_engine
from jurist.db.service import Store
from jurist.workbench.checks import compile_check as compile_check  # the check every test store is opened with

GOOD_POLICY = """jurisdiction GB
default allow
rule minors_nudity: deny person(subject:minor nudity:exposed) cite "Protection of Children Act 1978"
"""
BROKEN_POLICY = """jurisdiction GB
rule oops: deny subject:minr
"""


@dataclass
class Team:
    """A store with one user per role, plus a second approver."""

    admin: Store
    erin: Store     # editor
    alice: Store    # approver
    bob: Store      # approver
    vic: Store      # viewer


def published_ruleset(team: Team, name: str = "global", text: str = GOOD_POLICY) -> int:
    """Create, review and publish a ruleset; return the published version's number."""
    team.erin.create_ruleset(name, ["GB"])
    draft = team.erin.create_draft(name, {"global/minors.policy": text})
    team.erin.submit(name, draft.number)
    team.alice.approve(name, draft.number)
    return team.alice.publish(name, draft.number).number


def cli(*argv: str) -> int:
    """Run a store command in-process, exactly as the `jurist` console script does."""
    from jurist.cli import main

    return main(list(argv))


def raw_sql(url: str, *statements: str) -> None:
    """Edit the database behind the store's back, as a person with the file or a DB login could."""
    from sqlalchemy import text

    engine = create_store_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def drop_audit_guard(url: str) -> None:
    """What a determined editor does first: remove the append-only triggers."""
    if url.startswith("sqlite"):
        raw_sql(url, "DROP TRIGGER audit_events_no_update", "DROP TRIGGER audit_events_no_delete")
    else:
        raw_sql(url, "ALTER TABLE audit_events DISABLE TRIGGER USER")


def jurist(*argv: str, login: str = "admin", timeout: float = 120) -> "subprocess.CompletedProcess[str]":
    """Run the real `jurist` command in a child process, as OS login `login`."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "LOGNAME": login}
    env.pop("JURIST_DB", None)
    return subprocess.run([sys.executable, "-m", "jurist", *argv], capture_output=True, text=True, env=env,
                          timeout=timeout)


def forge_event(url: str, actor: str, action: str, subject: str, details: dict | None = None) -> int:
    """Append a correctly chained event behind the service's back, as anyone who can write the table can."""
    from datetime import datetime, timezone

    from sqlalchemy import text

    from jurist.db.hashing import canonical_json, event_hash

    engine = create_store_engine(url)
    try:
        with engine.begin() as conn:
            seq, head = conn.execute(text("SELECT seq, hash FROM audit_head WHERE id = 1")).one()
            seq += 1
            at = datetime.now(timezone.utc).isoformat(timespec="microseconds")
            body = canonical_json(details or {})
            digest = event_hash(seq, at, actor, action, subject, body, head)
            conn.execute(text("INSERT INTO audit_events (seq, at, actor, action, subject, details, prev_hash, hash) "
                              "VALUES (:seq, :at, :actor, :action, :subject, :details, :prev, :hash)"),
                         {"seq": seq, "at": at, "actor": actor, "action": action, "subject": subject,
                          "details": body, "prev": head, "hash": digest})
            conn.execute(text("UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1"),
                         {"seq": seq, "hash": digest})
        return seq
    finally:
        engine.dispose()


def drop_two_person_triggers(url: str) -> None:
    """What a determined writer of a SQLite file does next: remove the two-person triggers too."""
    if url.startswith("sqlite"):
        raw_sql(url, "DROP TRIGGER audit_events_two_person", "DROP TRIGGER approvals_two_person")
    else:
        raw_sql(url, "ALTER TABLE audit_events DISABLE TRIGGER USER", "ALTER TABLE approvals DISABLE TRIGGER USER")


def rewrite_chain(url: str, seq: int, details: dict) -> None:
    """Replace event `seq`'s details and recompute every hash from it on, head included: a rewritten history
    that verifies on its own (the append-only guard must be dropped first)."""
    from sqlalchemy import text

    from jurist.db.hashing import canonical_json, event_hash

    engine = create_store_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE audit_events SET details = :d WHERE seq = :s"),
                         {"d": canonical_json(details), "s": seq})
            prev = conn.execute(text("SELECT hash FROM audit_events WHERE seq = :s"), {"s": seq - 1}).scalar()
            rows = conn.execute(text("SELECT seq, at, actor, action, subject, details FROM audit_events "
                                     "WHERE seq >= :s ORDER BY seq"), {"s": seq}).all()
            for row in rows:
                digest = event_hash(row.seq, row.at, row.actor, row.action, row.subject, row.details, prev)
                conn.execute(text("UPDATE audit_events SET prev_hash = :p, hash = :h WHERE seq = :s"),
                             {"p": prev, "h": digest, "s": row.seq})
                prev = digest
            conn.execute(text("UPDATE audit_head SET hash = :h WHERE id = 1"), {"h": prev})
    finally:
        engine.dispose()
