"""Tables over the store's records: versions, audit events, test cases and side-by-side diffs."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from jurist.db.records import AuditEventInfo, SimulationRunInfo, TestCaseInfo, VersionInfo
from jurist.engine.cases import CaseChange, CaseResult

from ..palette import DIFF_COLOURS, EFFECT_COLOURS, PASS_COLOURS, STATE_COLOURS, state_text
from ..sidebyside import Row
from .table import Column, RowsModel


def _when(value: object) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "strftime") else str(value or "")


class VersionsModel(RowsModel[VersionInfo]):
    COLUMNS = (
        Column("Version", lambda v: f"v{v.number}", sort=lambda v: v.number),
        Column("State", lambda v: state_text(v.state), lambda v: STATE_COLOURS.get(v.state)),
        Column("Author(s)", lambda v: ", ".join(v.authors) or v.author),
        Column("Approved by", lambda v: ", ".join(a.approver for a in v.approvals)),
        Column("Created", lambda v: _when(v.created_at)),
        Column("Published", lambda v: _when(v.published_at)),
        Column("Based on", lambda v: f"v{v.parent}" if v.parent else ""),
        Column("Hash", lambda v: v.content_hash[:19]),
    )


class AuditModel(RowsModel[AuditEventInfo]):
    COLUMNS = (
        Column("#", lambda e: e.seq, sort=lambda e: e.seq),
        Column("When", lambda e: str(e.at)[:19]),
        Column("Who", lambda e: e.who),
        Column("Action", lambda e: e.action),
        Column("Subject", lambda e: e.subject),
        Column("Details", lambda e: ", ".join(f"{k}={v}" for k, v in e.details.items())),
    )


@dataclass(frozen=True, slots=True)
class CaseRow:
    """A stored case and, once run, its outcome."""

    case: TestCaseInfo
    run: CaseResult | None = None
    change: CaseChange | None = None

    @property
    def status(self) -> str:
        if self.run is None:
            return "not run"
        return "pass" if self.run.passed else "FAIL"


def _status_colour(r: CaseRow) -> str | None:
    return None if r.run is None else PASS_COLOURS[r.run.passed]


class CasesModel(RowsModel[CaseRow]):
    COLUMNS = (
        Column("Case", lambda r: r.case.name),
        Column("Expected", lambda r: r.case.expected_effect, lambda r: EFFECT_COLOURS.get(r.case.expected_effect)),
        Column("Actual", lambda r: r.run.actual if r.run else "",
               lambda r: EFFECT_COLOURS.get(r.run.actual or "") if r.run else None),
        Column("Result", lambda r: r.status, _status_colour),
        Column("Problems", lambda r: "; ".join(r.run.problems) if r.run else ""),
        Column("Draft vs published", lambda r: f"{r.change.before.effect} → {r.change.after.effect}" if r.change else "",
               lambda r: EFFECT_COLOURS["review"] if r.change else None,
               tooltip=lambda r: (f"rules before: {', '.join(r.change.before.rule_ids) or '-'}\n"
                                  f"rules after: {', '.join(r.change.after.rule_ids) or '-'}") if r.change else None),
        Column("Rules expected", lambda r: ", ".join(r.case.expected_rules)),
        Column("Must not fire", lambda r: ", ".join(r.case.expected_not_rules)),
    )

    def set_cases(self, cases: tuple[TestCaseInfo, ...]) -> None:
        self.set_rows([CaseRow(c) for c in cases])

    def set_runs(self, runs: Sequence[CaseResult]) -> None:
        by_name = {r.name: r for r in runs}
        self.set_rows([CaseRow(r.case, by_name.get(r.case.name), r.change) for r in self._rows])

    def set_changes(self, changes: Sequence[CaseChange]) -> None:
        by_name = {c.name: c for c in changes}
        self.set_rows([CaseRow(r.case, r.run, by_name.get(r.case.name)) for r in self._rows])

    def summary(self) -> tuple[int, int, int]:
        """(passed, failed, not run)."""
        passed = sum(1 for r in self._rows if r.run and r.run.passed)
        failed = sum(1 for r in self._rows if r.run and not r.run.passed)
        return passed, failed, len(self._rows) - passed - failed


class SimulationRunsModel(RowsModel[SimulationRunInfo]):
    """Recorded runs of a ruleset's cases, newest first: which version, who, how it went."""

    COLUMNS = (
        Column("When", lambda r: _when(r.started_at), sort=lambda r: r.started_at),
        Column("Version", lambda r: f"v{r.version}", sort=lambda r: r.version),
        Column("Who", lambda r: r.started_by),
        Column("Passed", lambda r: r.passed, lambda r: PASS_COLOURS[True] if r.passed else None),
        Column("Failed", lambda r: r.failed, lambda r: PASS_COLOURS[False] if r.failed else None),
    )


class SideBySideModel(RowsModel[Row]):
    COLUMNS = (
        Column("", lambda r: r.left_no or ""),
        Column("Old", lambda r: r.left, lambda r: DIFF_COLOURS["removed" if r.kind == "changed" else r.kind]
               if r.kind in ("removed", "changed") else None),
        Column("", lambda r: r.right_no or ""),
        Column("New", lambda r: r.right, lambda r: DIFF_COLOURS["added" if r.kind == "changed" else r.kind]
               if r.kind in ("added", "changed") else None),
    )
