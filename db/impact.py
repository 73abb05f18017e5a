"""Data access for versions' impact summaries and for the test runs the publish gate reads.

Plain functions taking a session; the service decides who may read and when
an impact is kept (`jurist.db.service.impact`).
"""
from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from jurist.db.hashing import canonical_json
from jurist.db.models import SimulationResult, SimulationRun, Version, VersionImpact
from jurist.db.records import ImpactInfo, NewImpact, frozen_mapping
from jurist.db.rulesets import now


def keep_impact(session: Session, version: Version, impact: NewImpact) -> VersionImpact:
    """Store (or replace) the impact of `version`."""
    row = session.get(VersionImpact, version.id)
    if row is None:
        row = VersionImpact(version_id=version.id)
        session.add(row)
    row.computed_at = now()
    row.content_hash = impact.content_hash
    row.against_number = impact.against_number
    row.against_hash = impact.against_hash
    row.decisions, row.flips, row.loosening = impact.decisions, impact.flips, impact.loosening
    row.cases_run, row.cases_failing = impact.cases_run, impact.cases_failing
    row.summary = canonical_json(dict(impact.summary))
    session.flush()
    return row


def impact_of(session: Session, ruleset: str, version: Version) -> ImpactInfo | None:
    row = session.get(VersionImpact, version.id)
    if row is None:
        return None
    return ImpactInfo(ruleset, version.number, row.computed_at, row.content_hash, row.against_number,
                      row.against_hash, row.decisions, row.flips, row.loosening, row.cases_run, row.cases_failing,
                      frozen_mapping(json.loads(row.summary)), row.content_hash == version.content_hash)


def latest_run(session: Session, version: Version, cases_hash: str | None = None) -> SimulationRun | None:
    """The newest test run of the version's current sources (runs before its last edit were of other text); with
    `cases_hash`, of those very cases (a version that kept its cases is judged by runs of them only)."""
    query = select(SimulationRun).where(SimulationRun.version_id == version.id,
                                        SimulationRun.started_at >= version.updated_at)
    if cases_hash is not None:
        query = query.where(SimulationRun.cases_hash == cases_hash)
    return session.scalar(query.order_by(SimulationRun.id.desc()).limit(1))


def failing_cases(session: Session, run: SimulationRun, limit: int = 5) -> list[str]:
    return list(session.scalars(select(SimulationResult.case_name)
                                .where(SimulationResult.run_id == run.id, SimulationResult.passed.is_(False))
                                .order_by(SimulationResult.id).limit(limit)))
