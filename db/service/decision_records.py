"""Reading the decision log's store sink, for every registered user (the records hold prompts: viewers
are people the store already trusts with its cases)."""
from __future__ import annotations

from datetime import datetime

from jurist.db import decision_log
from jurist.db.service.acting import Actor
from jurist.engine.decision_record import DecisionRecord


def read(actor: Actor, *, since: datetime | None, until: datetime | None, request_sha256: str | None,
         limit: int | None) -> tuple[DecisionRecord, ...]:
    with actor.read() as session:
        actor.require(session, "viewer", "reading decision records")
        return tuple(decision_log.read_records(session, since=since, until=until, request_sha256=request_sha256,
                                               limit=limit))
