"""Simulation runs: the outcome of running a version against the ruleset's test cases, kept."""
from __future__ import annotations

import json
from typing import Sequence

from sqlalchemy.orm import Session

from jurist.db import rulesets as data, simulations as run_data, testcases as case_data
from jurist.db.errors import ConflictError, InvalidInput
from jurist.db.models import Ruleset, SimulationRun
from jurist.db.workflow import EFFECTS
from jurist.db.records import CaseResultInfo, SimulationRunInfo
from jurist.db.service.acting import Actor
from jurist.db.service.versions import find_ruleset, find_version
from jurist.engine.cases import CaseResult


def _run_infos(session: Session, rs: Ruleset, runs: Sequence[tuple[SimulationRun, int]]) -> list[SimulationRunInfo]:
    results = run_data.results_of(session, [r.id for r, _ in runs])
    names = data.user_names(session, [r.started_by_id for r, _ in runs])
    return [SimulationRunInfo(
        id=run.id, ruleset=rs.name, version=number, started_by=names[run.started_by_id],
        started_at=run.started_at, passed=run.passed, failed=run.failed,
        results=tuple(CaseResultInfo(r.case_name, r.expected_effect, tuple(json.loads(r.expected_rules)),
                                     r.actual_effect, tuple(json.loads(r.actual_rules)), r.passed, r.error,
                                     tuple(json.loads(r.expected_not_rules)))
                      for r in results[run.id]),
        cases_hash=run.cases_hash,
    ) for run, number in runs]


def record_simulation(actor: Actor, ruleset: str, number: int, outcomes: Sequence[CaseResult],
                      expected_hash: str | None = None, cases_hash: str | None = None) -> SimulationRunInfo:
    """Keep the results of running version `number` against test cases (see `Store.record_simulation`)."""
    for o in outcomes:
        if o.effect not in EFFECTS or (o.actual is not None and o.actual not in EFFECTS):
            raise InvalidInput(f"case `{o.name}`: effects must be one of {', '.join(EFFECTS)}")
    with actor.write() as session:
        user = actor.require(session, "editor", "recording simulations")
        rs = find_ruleset(session, ruleset)
        version = find_version(session, rs, number)
        if expected_hash is not None and version.content_hash != expected_hash:
            raise ConflictError(f"{ruleset}@v{number} was changed in the store since it was opened")
        ids = {c.name: c.id for c in case_data.list_cases(session, rs)}
        run = run_data.record_run(session, version, outcomes, user, ids, cases_hash)
        actor.audit(session, "simulation.record", f"ruleset:{ruleset}@{number}",
                    {"run": run.id, "passed": run.passed, "failed": run.failed,
                     **({"cases": cases_hash} if cases_hash is not None else {})})
        return _run_infos(session, rs, [(run, number)])[0]


def list_simulation_runs(actor: Actor, ruleset: str, limit: int = 50) -> tuple[SimulationRunInfo, ...]:
    with actor.read() as session:
        actor.require(session, "viewer", "listing simulations")
        rs = find_ruleset(session, ruleset)
        return tuple(_run_infos(session, rs, run_data.runs_of(session, rs, limit)))
