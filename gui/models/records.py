"""Tables over the store's records: versions, audit events, test cases, users, review threads, a country's rules."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from jurist.db.records import AuditEventInfo, SimulationRunInfo, TestCaseInfo, UserInfo, VersionInfo
from jurist.engine.cases import CaseChange, CaseResult
from jurist.workbench.countries import CountryRule

from .. import words
from ..i18n import QT_TRANSLATE_NOOP, translate
from ..palette import EFFECT_COLOURS, PASS_COLOURS, STATE_COLOURS
from ..utc import when
from .table import Column, RowsModel


class VersionsModel(RowsModel[VersionInfo]):
    COLUMNS = (
        Column(QT_TRANSLATE_NOOP("Columns", "Version"), lambda v: f"v{v.number}", sort=lambda v: v.number),
        Column(QT_TRANSLATE_NOOP("Columns", "State"), lambda v: words.state(v.state),
               lambda v: STATE_COLOURS.get(v.state)),
        Column(QT_TRANSLATE_NOOP("Columns", "Author(s)"), lambda v: ", ".join(v.authors) or v.author),
        Column(QT_TRANSLATE_NOOP("Columns", "Approved by"), lambda v: ", ".join(a.approver for a in v.approvals)),
        Column(QT_TRANSLATE_NOOP("Columns", "Created"), lambda v: when(v.created_at)),
        Column(QT_TRANSLATE_NOOP("Columns", "Submitted"), lambda v: when(v.submitted_at)),
        Column(QT_TRANSLATE_NOOP("Columns", "Published"), lambda v: when(v.published_at)),
        Column(QT_TRANSLATE_NOOP("Columns", "Based on"), lambda v: f"v{v.parent}" if v.parent else ""),
        Column(QT_TRANSLATE_NOOP("Columns", "Hash"), lambda v: v.content_hash[:19], tooltip=lambda v: v.content_hash),
    )


def _details(e: AuditEventInfo) -> str:
    return ", ".join(f"{k}={v}" for k, v in e.details.items())


class AuditModel(RowsModel[AuditEventInfo]):
    COLUMNS = (
        Column(QT_TRANSLATE_NOOP("Columns", "#"), lambda e: e.seq, sort=lambda e: e.seq),
        Column(QT_TRANSLATE_NOOP("Columns", "When"), lambda e: when(e.at, seconds=True)),
        Column(QT_TRANSLATE_NOOP("Columns", "Who"), lambda e: e.who),
        Column(QT_TRANSLATE_NOOP("Columns", "Action"), lambda e: e.action),
        Column(QT_TRANSLATE_NOOP("Columns", "Subject"), lambda e: e.subject),
        Column(QT_TRANSLATE_NOOP("Columns", "Details"), _details, tooltip=lambda e: _details(e) or None),
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
            return translate("Cases", "not run")
        return translate("Cases", "pass") if self.run.passed else translate("Cases", "FAIL")

    @property
    def failed(self) -> bool:
        return self.run is not None and not self.run.passed


def _status_colour(r: CaseRow) -> str | None:
    return None if r.run is None else PASS_COLOURS[r.run.passed]


def _change_tip(r: CaseRow) -> str | None:
    if r.change is None:
        return None
    return translate("Cases", "rules before: {before}\nrules after: {after}").format(
        before=", ".join(r.change.before.rule_ids) or "-", after=", ".join(r.change.after.rule_ids) or "-")


class CasesModel(RowsModel[CaseRow]):
    COLUMNS = (
        Column(QT_TRANSLATE_NOOP("Columns", "Case"), lambda r: r.case.name, tooltip=lambda r: r.case.name),
        Column(QT_TRANSLATE_NOOP("Columns", "Expected"), lambda r: words.effect(r.case.expected_effect),
               lambda r: EFFECT_COLOURS.get(r.case.expected_effect)),
        Column(QT_TRANSLATE_NOOP("Columns", "Actual"), lambda r: words.effect(r.run.actual) if r.run else "",
               lambda r: EFFECT_COLOURS.get(r.run.actual or "") if r.run else None),
        Column(QT_TRANSLATE_NOOP("Columns", "Result"), lambda r: r.status, _status_colour),
        Column(QT_TRANSLATE_NOOP("Columns", "Problems"), lambda r: "; ".join(r.run.problems) if r.run else "",
               tooltip=lambda r: "\n".join(r.run.problems) if r.run and r.run.problems else None),
        Column(QT_TRANSLATE_NOOP("Columns", "Draft vs published"),
               lambda r: f"{r.change.before.effect} → {r.change.after.effect}" if r.change else "",
               lambda r: EFFECT_COLOURS["review"] if r.change else None, tooltip=_change_tip),
        Column(QT_TRANSLATE_NOOP("Columns", "Rules expected"), lambda r: ", ".join(r.case.expected_rules)),
        Column(QT_TRANSLATE_NOOP("Columns", "Must not fire"), lambda r: ", ".join(r.case.expected_not_rules)),
        Column(QT_TRANSLATE_NOOP("Columns", "Changed by"),
               lambda r: f"{r.case.updated_by} · {when(r.case.updated_at)}"),
    )

    def set_cases(self, cases: Sequence[TestCaseInfo]) -> None:
        """New stored cases, keeping the outcome of each one whose name and content are unchanged."""
        old = {r.case.name: r for r in self._rows}
        self.set_rows([CaseRow(c, old[c.name].run, old[c.name].change) if c.name in old and old[c.name].case == c
                       else CaseRow(c) for c in cases])

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
        Column(QT_TRANSLATE_NOOP("Columns", "When"), lambda r: when(r.started_at), sort=lambda r: r.started_at),
        Column(QT_TRANSLATE_NOOP("Columns", "Version"), lambda r: f"v{r.version}", sort=lambda r: r.version),
        Column(QT_TRANSLATE_NOOP("Columns", "Who"), lambda r: r.started_by),
        Column(QT_TRANSLATE_NOOP("Columns", "Passed"), lambda r: r.passed,
               lambda r: PASS_COLOURS[True] if r.passed else None),
        Column(QT_TRANSLATE_NOOP("Columns", "Failed"), lambda r: r.failed,
               lambda r: PASS_COLOURS[False] if r.failed else None),
    )


class UsersModel(RowsModel[UserInfo]):
    COLUMNS = (
        Column(QT_TRANSLATE_NOOP("Columns", "User"), lambda u: u.name),
        Column(QT_TRANSLATE_NOOP("Columns", "Role"), lambda u: words.role(u.role)),
        Column(QT_TRANSLATE_NOOP("Columns", "Since"), lambda u: when(u.created_at)),
    )


def _applies(r: CountryRule) -> str:
    if r.scope == "everywhere" or len(r.places) > 6:
        return words.scope(r.scope)
    return f"{words.scope(r.scope)} ({', '.join(r.places)})"


def _in_force(r: CountryRule) -> str:
    if r.valid_from and r.valid_until:
        return translate("Countries", "from {start} until {end}").format(start=r.valid_from, end=r.valid_until)
    if r.valid_from:
        return translate("Countries", "from {start}").format(start=r.valid_from)
    if r.valid_until:
        return translate("Countries", "until {end}").format(end=r.valid_until)
    return ""


class CountryRulesModel(RowsModel[CountryRule]):
    COLUMNS = (
        Column(QT_TRANSLATE_NOOP("Columns", "Effect"), lambda r: words.effect(r.effect),
               lambda r: EFFECT_COLOURS.get(r.effect)),
        Column(QT_TRANSLATE_NOOP("Columns", "Rule"), lambda r: r.id, tooltip=lambda r: r.id),
        Column(QT_TRANSLATE_NOOP("Columns", "Applies"), _applies, tooltip=lambda r: ", ".join(r.places) or None),
        Column(QT_TRANSLATE_NOOP("Columns", "In force"), _in_force),
        Column(QT_TRANSLATE_NOOP("Columns", "Source"), lambda r: r.source),
        Column(QT_TRANSLATE_NOOP("Columns", "Citation"), lambda r: r.cite, tooltip=lambda r: r.cite or None),
    )
