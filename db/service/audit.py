"""Reading and verifying the audit log, for every registered user."""
from __future__ import annotations

import json
from dataclasses import replace

from sqlalchemy import select

from jurist.db import audit as audit_log, provenance
from jurist.db.models import AuditEvent, AuditHead
from jurist.db.records import AuditEventInfo, AuditReport, frozen_mapping
from jurist.db.service.acting import Actor


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


def verify_audit(actor: Actor) -> AuditReport:
    """The chain's breaks, plus every place the versions table disagrees with the log."""
    with actor.read() as session:
        actor.require(session, "viewer", "verifying the audit log")
        report = audit_log.verify(session)
        mismatches = tuple(provenance.disagreements(session))
        return replace(report, ok=report.ok and not mismatches, mismatches=mismatches)


def change_marker(actor: Actor) -> int:
    """The newest audit event's number: every change to the store appends one, so windows poll this
    one-row read to notice another user's save or publish."""
    with actor.read() as session:
        return session.scalar(select(AuditHead.seq).where(AuditHead.id == 1)) or 0
