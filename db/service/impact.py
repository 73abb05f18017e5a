"""Impact before approval: a version's stored impact, the decisions it is computed on, and the publish gate.

The store does not compute impacts (that needs the engine, which the store
does not import): the workbench computes one when a version is submitted and
hands it to `review.submit`, which keeps it with the version in the same
transaction.  Publishing reads the version's newest test run: a version whose
own cases fail is refused unless an approver overrides with a reason, which
the publication's audit event records.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterator

from sqlalchemy.orm import Session

from jurist.db import decision_window, impact as impact_data
from jurist.db.errors import FailingTests, InvalidInput
from jurist.db.models import Version
from jurist.db.records import ImpactInfo
from jurist.db.safetext import require_plain
from jurist.db.service.acting import Actor
from jurist.db.service.versions import find_ruleset, find_version
from jurist.engine.decision_ids import parse_utc


def impact(actor: Actor, ruleset: str, number: int | None = None) -> ImpactInfo | None:
    """The impact kept with version `number` (newest if None), or None when it has none."""
    with actor.read() as session:
        actor.require(session, "viewer", "reading a version's impact")
        rs = find_ruleset(session, ruleset)
        return impact_data.impact_of(session, rs.name, find_version(session, rs, number))


def decision_record_texts(actor: Actor, *, since: datetime | str | None = None, until: datetime | str | None = None,
                          newest: int | None = None) -> Iterator[str]:
    """The logged decisions' JSON, streamed in one read transaction (see `decision_window.record_texts`)."""
    start, end = _moment(since, "since"), _moment(until, "until")
    with actor.read() as session:
        actor.require(session, "viewer", "reading decision records")
        yield from decision_window.record_texts(session, since=start, until=end, newest=newest)


def _moment(value: datetime | str | None, name: str) -> datetime | None:
    """A datetime from a day (`2026-03-01`, its start in UTC) or an ISO 8601 time with a zone."""
    if value is None or isinstance(value, datetime):
        return value
    text = value + "T00:00:00Z" if len(value) == 10 else value
    try:
        return datetime.fromtimestamp(parse_utc(text) / 1e9, tz=timezone.utc)
    except ValueError:
        raise InvalidInput(f"{name}: `{value}` is not a day (2026-03-01) or a UTC time (2026-03-01T12:00:00Z)") \
            from None


def publish_gate(session: Session, label: str, version: Version, override: str | None,
                 kept: str | None = None) -> dict[str, object]:
    """Refuse to publish a version whose newest test run fails, unless `override` gives a reason.

    `kept` is the case set hash of the cases the version kept when it was submitted: then only runs of those
    count (a run of the working set, edited since, says nothing about what was approved).
    Returns what the publication's audit event adds: the override and the run it overrode.
    """
    if override is not None:
        require_plain(override, "the override reason")
        if not override.strip():
            raise InvalidInput("--override-failing-tests needs a reason, e.g. \"case x expects the old rule\"")
    run = impact_data.latest_run(session, version, kept)
    if run is None or not run.failed:
        return {}
    if override is None:
        names = impact_data.failing_cases(session, run)
        more = f" and {run.failed - len(names)} more" if run.failed > len(names) else ""
        raise FailingTests(f"{label} fails {run.failed} of its {run.passed + run.failed} test case(s) "
                           f"({', '.join(names)}{more}); fix them, or publish anyway with "
                           "--override-failing-tests \"REASON\" (the audit log keeps the reason)")
    return {"override_failing_tests": override.strip(), "failing_cases": run.failed, "test_run": run.id}
