"""A window of the store's decision log, streamed: what backtests and transparency reports read.

Plain functions taking a session.  Rows come in batches from the database
cursor, so a window of millions of decisions never sits in memory at once.
"""
from __future__ import annotations

from datetime import datetime
from typing import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from jurist.db.models import DecisionRecordRow

BATCH = 2000


def record_texts(session: Session, *, since: datetime | None = None, until: datetime | None = None,
                 newest: int | None = None) -> Iterator[str]:
    """The records' JSON, decided in [since, until); with `newest`, only the newest that many (newest first)."""
    query = select(DecisionRecordRow.record)
    if since is not None:
        query = query.where(DecisionRecordRow.decided_at >= since)
    if until is not None:
        query = query.where(DecisionRecordRow.decided_at < until)
    if newest is not None:
        query = query.order_by(DecisionRecordRow.decided_at.desc(), DecisionRecordRow.decision_id.desc()).limit(newest)
    else:
        query = query.order_by(DecisionRecordRow.decided_at, DecisionRecordRow.decision_id)
    yield from session.scalars(query.execution_options(yield_per=BATCH))
