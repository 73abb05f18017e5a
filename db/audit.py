"""The append-only audit log: appending events and verifying the chain.

Each event's hash covers its own fields, its sequence number and the previous
event's hash, and the `audit_head` row remembers the newest event.  Editing an
event breaks its hash; deleting or reordering events breaks the chain;
deleting the newest events disagrees with the head.  `verify` reports every
such break by event number rather than stopping at the first.

When an admin acts as someone else (`--as`), the event's actor is the
identity acted as and `details["via"]` the real login, inside the hashed
details, so the person behind an action cannot be hidden or edited away.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jurist.db.errors import AuditBroken
from jurist.db.hashing import GENESIS, canonical_json, event_hash
from jurist.db.models import AuditEvent, AuditHead


@dataclass(frozen=True, slots=True)
class AuditProblem:
    """One break in the chain, located by event number."""

    seq: int
    message: str


@dataclass(frozen=True, slots=True)
class AnchorCheck:
    """One signed anchor checked against the log: does the log still hold the head it vouched for?"""

    origin: str                      # where the anchor came from (its file)
    seq: int                         # the event it anchored
    head: str                        # that event's hash then
    at: str                          # when it was signed (UTC, ISO)
    key: str                         # the public key that signed it
    problem: str | None              # why it does not hold: a bad signature, a rewritten or shortened log
    appended: tuple[int, int] | None = None       # first and last event after the anchor, if any
    appended_actions: tuple[tuple[str, int], ...] = ()  # (action, count) after the anchor
    appended_actors: tuple[str, ...] = ()         # who recorded them


@dataclass(frozen=True, slots=True)
class AuditReport:
    """The outcome of checking the whole log."""

    ok: bool
    events: int
    head_hash: str
    problems: tuple[AuditProblem, ...]
    mismatches: tuple[str, ...] = ()  # where the tables disagree with the history the log proves
    violations: tuple[AuditProblem, ...] = ()  # events the service could not have written (jurist.db.history)
    anchors: tuple[AnchorCheck, ...] = ()  # signed checkpoints the log was checked against


def append(session: Session, actor: str, action: str, subject: str,
           details: Mapping[str, Any] | None = None, *, via: str | None = None) -> AuditEvent:
    """Add an event after the current head, inside the caller's transaction.

    `via` is the real login when it differs from `actor`.  Locking the head row
    (FOR UPDATE on PostgreSQL; SQLite write transactions are already
    exclusive) makes concurrent appends queue instead of forking.
    """
    head = session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one_or_none()
    if head is None:
        raise AuditBroken("the audit log's head record is missing, so no change can be recorded; "
                          "run `jurist audit verify` and restore the database from a backup")
    seq = head.seq + 1
    at = datetime.now(timezone.utc).isoformat(timespec="microseconds")
    fields = dict(details or {})
    if via is not None and via != actor:
        fields["via"] = via
    text = canonical_json(fields)
    digest = event_hash(seq, at, actor, action, subject, text, head.hash)
    event = AuditEvent(seq=seq, at=at, actor=actor, action=action, subject=subject,
                       details=text, prev_hash=head.hash, hash=digest)
    session.add(event)
    head.seq = seq
    head.hash = digest
    session.flush()
    return event


def recent(session: Session, limit: int = 200, subject: str | None = None) -> list[AuditEvent]:
    """Newest events first, optionally only those about one subject (and `subject@…`, its versions)."""
    query = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(limit)
    if subject is not None:
        query = query.where((AuditEvent.subject == subject)
                            | AuditEvent.subject.startswith(subject + "@", autoescape=True))
    return list(session.scalars(query))


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def verify(session: Session) -> AuditReport:
    """Walk the log in order and report every edited, missing or moved event."""
    problems: list[AuditProblem] = []
    expected_seq = 1
    prev = GENESIS
    seen = 0
    rows = session.execute(select(AuditEvent.seq, AuditEvent.at, AuditEvent.actor, AuditEvent.action,
                                  AuditEvent.subject, AuditEvent.details, AuditEvent.prev_hash, AuditEvent.hash)
                           .order_by(AuditEvent.seq).execution_options(yield_per=2000))  # plain rows: no ORM cost
    for seq, at, actor, action, subject, details, prev_hash, digest in rows:
        seen += 1
        if seq != expected_seq:
            if seq > expected_seq:
                gap = f"event {expected_seq}" if seq == expected_seq + 1 else f"events {expected_seq}–{seq - 1}"
                problems.append(AuditProblem(expected_seq, f"{gap} missing (deleted)"))
            else:
                problems.append(AuditProblem(seq, f"event {seq} out of order"))
        elif prev_hash != prev:
            problems.append(AuditProblem(seq, f"event {seq} does not follow event {seq - 1} "
                                              "(an event before it was deleted, replaced or moved)"))
        if event_hash(seq, at, actor, action, subject, details, prev_hash) != digest:
            problems.append(AuditProblem(seq, f"event {seq} was edited "
                                              f"({action} on `{subject}` no longer matches its hash)"))
        prev = digest
        expected_seq = seq + 1
    head = session.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one_or_none()
    if head is None:
        problems.append(AuditProblem(0, "the audit head record is missing"))
        head_hash = prev
    else:
        head_hash = head.hash
        last = expected_seq - 1
        if head.seq > last:
            missing = f"event {head.seq}" if head.seq == last + 1 else f"events {last + 1}–{head.seq}"
            problems.append(AuditProblem(last + 1, f"{missing} missing (the newest events were deleted)"))
        elif head.seq < last or head.hash != prev:
            problems.append(AuditProblem(head.seq, f"the audit head (event {head.seq}) does not match "
                                                   f"the last event {last}"))
    return AuditReport(ok=not problems, events=seen, head_hash=head_hash, problems=tuple(problems))
