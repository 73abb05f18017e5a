"""Data access for the decision log's store sink: plain functions taking a session.

Each row holds one record's JSON (`jurist.engine.decision_record`) and the
columns people search by; the server appends in batches from its log thread.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from jurist.db.models import DecisionRecordRow
from jurist.engine.decision_ids import parse_utc
from jurist.engine.decision_record import DecisionRecord


def _row(record: DecisionRecord) -> dict[str, object]:
    decided = datetime.fromtimestamp(parse_utc(record.decided_at) / 1e9, tz=timezone.utc)
    policy = record.policy
    return {"decision_id": record.decision_id, "decided_at": decided, "role": record.role,
            "policy_name": policy.name[:512] if policy else "", "policy_hash": policy.sources_hash if policy else "",
            "request_sha256": record.request_sha256, "effect": record.decision.effect, "record": record.dumps()}


def append_records(session: Session, records: Iterable[DecisionRecord]) -> int:
    """Insert the records in one statement; returns how many."""
    rows = [_row(r) for r in records]
    if rows:
        session.execute(insert(DecisionRecordRow), rows)
    return len(rows)


def read_records(session: Session, *, since: datetime | None = None, until: datetime | None = None,
                 request_sha256: str | None = None, limit: int | None = None) -> list[DecisionRecord]:
    """Records oldest first, optionally from `since` (inclusive) to `until` (exclusive) or of one request."""
    query = select(DecisionRecordRow.record).order_by(DecisionRecordRow.decided_at, DecisionRecordRow.decision_id)
    if since is not None:
        query = query.where(DecisionRecordRow.decided_at >= since)
    if until is not None:
        query = query.where(DecisionRecordRow.decided_at < until)
    if request_sha256 is not None:
        query = query.where(DecisionRecordRow.request_sha256 == request_sha256)
    if limit is not None:
        query = query.limit(limit)
    return [DecisionRecord.loads(text) for text in session.scalars(query)]


