"""Reading, verifying and anchoring the audit log, for every registered user.

Verifying is three checks: the chain (no event edited, deleted or moved), the
replay (every event one the service could have written), and the tables
against the history the replay proves; then any signed anchors given.
"""
from __future__ import annotations

import json
from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from jurist.db import audit as audit_log, history, provenance
from jurist.db.anchors import Anchor, check_anchor, make_anchor
from jurist.db.errors import AuditUnverified
from jurist.db.models import AuditEvent, AuditHead
from jurist.db.records import AuditEventInfo, AuditReport, frozen_mapping
from jurist.db.service.acting import Actor
from jurist.db.signing import SigningKey


def _event_info(event: AuditEvent) -> AuditEventInfo:
    details = json.loads(event.details)
    via = details.pop("via", None) if isinstance(details, dict) else None
    return AuditEventInfo(event.seq, event.at, event.actor, event.action, event.subject,
                          frozen_mapping(details if isinstance(details, dict) else {"value": details}), event.hash,
                          via if isinstance(via, str) else None)


def recent_events(actor: Actor, limit: int = 200, subject: str | None = None) -> tuple[AuditEventInfo, ...]:
    """Newest events first; `subject` like "ruleset:global" also matches its versions."""
    with actor.read() as session:
        actor.require(session, "viewer", "reading the audit log")
        return tuple(_event_info(e) for e in audit_log.recent(session, limit, subject))


def verify_audit(actor: Actor, anchors: Sequence[tuple[Anchor, str]] = ()) -> AuditReport:
    """The chain's breaks, the events the service could not have written, every place the tables disagree
    with the history the log proves, and each (anchor, trusted public key) checked."""
    with actor.read() as session:
        actor.require(session, "viewer", "verifying the audit log")
        return _verify(session, anchors)


def _verify(session: Session, anchors: Sequence[tuple[Anchor, str]]) -> AuditReport:
    report = audit_log.verify(session)
    proven = history.replay(session)
    mismatches = tuple(provenance.disagreements(session, proven))
    checked = tuple(check_anchor(session, anchor, key) for anchor, key in anchors)
    ok = report.ok and not mismatches and not proven.violations and all(c.problem is None for c in checked)
    return AuditReport(ok, report.events, report.head_hash, report.problems, mismatches,
                       tuple(proven.violations), checked)


def anchor(actor: Actor, key: SigningKey, store: str) -> Anchor:
    """Sign the head of a log that verifies, in the same transaction that verified it."""
    with actor.read() as session:
        actor.require(session, "viewer", "anchoring the audit log")
        report = _verify(session, ())
        if not report.ok:
            found = len(report.problems) + len(report.violations) + len(report.mismatches)
            raise AuditUnverified(f"the audit log does not verify ({found} problem(s)), so it cannot be anchored: "
                                  "an anchor would vouch for it; run `jurist audit verify`")
        return make_anchor(session, key, store)


def change_marker(actor: Actor) -> int:
    """The newest audit event's number: every change to the store appends one, so windows poll this
    one-row read to notice another user's save or publish."""
    with actor.read() as session:
        return session.scalar(select(AuditHead.seq).where(AuditHead.id == 1)) or 0
