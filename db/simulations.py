"""Data access for simulation runs and their per-case results."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from jurist.db.models import Ruleset, SimulationResult, SimulationRun, User, Version
from jurist.db.rulesets import now


@dataclass(frozen=True, slots=True)
class CaseOutcome:
    """What one test case produced in a simulation, as handed in by the runner.

    `actual_rules` are all the rules that fired (exhaustive evaluation).
    """

    case_name: str
    expected_effect: str
    expected_rules: tuple[str, ...]
    actual_effect: str | None
    actual_rules: tuple[str, ...]
    error: str | None = None
    expected_not_rules: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        """What `jurist test` checks: the expected effect, every expected rule fired, no unwanted one did.

        Other rules may fire too (an exhaustive run reports every match), so
        the rules are not compared as equal sets.
        """
        fired = set(self.actual_rules)
        return (self.error is None and self.actual_effect == self.expected_effect
                and fired.issuperset(self.expected_rules) and fired.isdisjoint(self.expected_not_rules))


def record_run(session: Session, version: Version, outcomes: Sequence[CaseOutcome], user: User,
               case_ids: dict[str, int]) -> SimulationRun:
    passed = sum(1 for o in outcomes if o.passed)
    run = SimulationRun(version_id=version.id, started_by_id=user.id, started_at=now(),
                        passed=passed, failed=len(outcomes) - passed)
    session.add(run)
    session.flush()
    session.add_all(SimulationResult(run_id=run.id, test_case_id=case_ids.get(o.case_name), case_name=o.case_name,
                                     expected_effect=o.expected_effect, expected_rules=json.dumps(list(o.expected_rules)),
                                     expected_not_rules=json.dumps(list(o.expected_not_rules)),
                                     actual_effect=o.actual_effect, actual_rules=json.dumps(list(o.actual_rules)),
                                     passed=o.passed, error=o.error)
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
