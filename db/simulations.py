"""Data access for simulation runs and their per-case results."""
from __future__ import annotations

import json
from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from jurist.db.models import Ruleset, SimulationResult, SimulationRun, User, Version
from jurist.db.rulesets import now
from jurist.engine.cases import CaseResult


def record_run(session: Session, version: Version, outcomes: Sequence[CaseResult], user: User,
               case_ids: dict[str, int], cases_hash: str | None = None) -> SimulationRun:
    """Keep each case's result as the runner judged it (`engine.cases.judge`: the one pass rule), and the
    `case_set_hash` of the cases run when the runner gave it."""
    passed = sum(1 for o in outcomes if o.passed)
    run = SimulationRun(version_id=version.id, started_by_id=user.id, started_at=now(),
                        passed=passed, failed=len(outcomes) - passed, cases_hash=cases_hash)
    session.add(run)
    session.flush()
    session.add_all(SimulationResult(run_id=run.id, test_case_id=case_ids.get(o.name), case_name=o.name,
                                     expected_effect=o.effect, expected_rules=json.dumps(list(o.rules)),
                                     expected_not_rules=json.dumps(list(o.not_rules)),
                                     actual_effect=o.actual, actual_rules=json.dumps(list(o.fired)),
                                     passed=o.passed, error="; ".join(o.problems) or None)
                    for o in outcomes)
    session.flush()
    return run


def runs_of(session: Session, ruleset: Ruleset, limit: int = 50) -> list[tuple[SimulationRun, int]]:
    """Newest runs of any version of the ruleset, with that version's number."""
    rows = session.execute(select(SimulationRun, Version.number).join(Version, Version.id == SimulationRun.version_id)
                           .where(Version.ruleset_id == ruleset.id)
                           .order_by(SimulationRun.id.desc()).limit(limit))
    return [(run, number) for run, number in rows]


def results_of(session: Session, run_ids: Sequence[int]) -> dict[int, list[SimulationResult]]:
    out: dict[int, list[SimulationResult]] = {i: [] for i in run_ids}
    if run_ids:
        for result in session.scalars(select(SimulationResult).where(SimulationResult.run_id.in_(list(run_ids)))
                                      .order_by(SimulationResult.id)):
            out[result.run_id].append(result)
    return out
