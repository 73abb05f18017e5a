"""Impact before approval: what submitting a version would change, computed once and kept with it.

A submission is backtested against the version then published on the
store's newest logged decisions (`ImpactWindow`: the newest N, or the last
days), and its test cases are run against both; the summary is stored with
the version (`Store.submit(..., impact=...)`), so every approver reads the
same figures, computed on the same traffic, whenever they look.  The case
run is recorded too: it is what the publish gate reads.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from jurist.db.records import ImpactInfo, NewImpact, VersionInfo
from jurist.db.service import Store
from jurist.db.workflow import may
from jurist.dsl.comparison import JurisdictionComparison

from .backtest import run_backtest
from .backtest_render import flip_name, flips_by_country_chart
from .cases import CaseRun, run_stored
from .comparison import compare_with_published, comparison_lines
from .decision_logs import DecisionLog
from .drafts import Compilations, open_version, published
from .progress import NO_PROGRESS, Progress
from .rule_sources import NamedRules

DEFAULT_NEWEST = 100_000   # logged decisions a submission is backtested on, unless told otherwise


@dataclass(frozen=True, slots=True)
class ImpactWindow:
    """Which logged decisions an impact is computed on: the newest `newest`, decided in the last `days` if given."""

    newest: int = DEFAULT_NEWEST
    days: int | None = None

    def since(self) -> str | None:
        if self.days is None:
            return None
        start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=self.days)
        return start.strftime("%Y-%m-%dT%H:%M:%SZ")

    def describe(self) -> str:
        return f"the newest {self.newest:,} logged decisions" + (f" of the last {self.days} days" if self.days else "")


@dataclass(frozen=True, slots=True)
class ComputedImpact:
    """An impact ready to keep (`new`), with the case run behind it (recorded for the publish gate)."""

    label: str
    new: NewImpact
    cases: CaseRun
    comparison: tuple[JurisdictionComparison, ...] = ()  # the solver's, with the published version


def compute_impact(store: Store, ruleset: str, number: int, window: ImpactWindow = ImpactWindow(),
                   compilations: Compilations | None = None, progress: Progress = NO_PROGRESS) -> ComputedImpact:
    """Backtest version `number` against the published one on the store's newest decisions, and run its cases.

    Raises `CompileError` when the version does not compile (the store refuses to submit it anyway).
    """
    compilations = compilations or Compilations()
    version = open_version(store, ruleset, number)
    label = version.info.label
    policy = compilations.policy(version.sources, label)
    current = published(store, ruleset)
    baseline = compilations.policy(current.sources, current.info.label) if current is not None else None
    cases = run_stored(store, ruleset, policy, progress, baseline=baseline, number=number)
    summary: dict[str, Any] = {"window": {"newest": window.newest, "days": window.days,
                                          "describe": window.describe()},
                               "cases": {"run": len(cases.results), "failing": [
                                   {"name": r.name, "problems": list(r.problems)} for r in cases.failing],
                                   "changes": [c.describe() for c in cases.changes]},
                               "backtest": None, "comparison": []}
    comparison = compare_with_published(store, ruleset, number, compilations) if current is not None else ()
    summary["comparison"] = [j.to_json() for j in comparison]
    decisions = flips = loosening = 0
    if current is not None:
        log = DecisionLog.of_store(store, newest=window.newest, since=window.since())
        report = run_backtest(log, NamedRules(current.info.label, dict(current.sources)),
                              NamedRules(label, dict(version.sources))).to_json()
        report.pop("run", None)
        summary["backtest"] = report
        decisions, flips, loosening = report["records"], report["flips"]["total"], report["flips"]["loosening"]
    new = NewImpact(version.info.content_hash, current.info.number if current else None,
                    current.info.content_hash if current else None, decisions, flips, loosening,
                    len(cases.results), len(cases.failing), summary, cases.cases_hash)
    return ComputedImpact(label, new, cases, comparison)


def record_and_submit(store: Store, ruleset: str, number: int | None, window: ImpactWindow = ImpactWindow(),
                      compilations: Compilations | None = None, progress: Progress = NO_PROGRESS,
                      note: str = "") -> tuple[VersionInfo, ComputedImpact | None]:
    """Compute the impact, record the case run, and submit the version with its impact kept (and the
    submitter's `note`, which opens its review thread).

    `number` None is the newest draft.  A step the store will refuse (not a draft, not yours to take, compile
    errors) is handed to it without computing anything, so it refuses with its own reason.
    """
    compilations = compilations or Compilations()
    versions = store.list_versions(ruleset)
    if number is None:
        number = next((v.number for v in reversed(versions) if v.state == "draft"), None)
    version = next((v for v in versions if v.number == number), None)
    if version is None or not may("submit", store.whoami(), version, login=store.login).allowed \
            or not compilations.compile(open_version(store, ruleset, version.number).sources).ok:
        return store.submit(ruleset, number, note), None  # refused by the store, with its reason
    number = version.number
    computed = compute_impact(store, ruleset, number, window, compilations, progress)
    if computed.cases.results:
        store.record_simulation(ruleset, number, computed.cases.results,
                                expected_hash=computed.new.content_hash, cases_hash=computed.cases.cases_hash)
    return store.submit(ruleset, number, note, impact=computed.new), computed


def summary_lines(impact: ImpactInfo | None, label: str = "this version") -> list[str]:
    """What an approver reads: the backtest's headline, where the flips are, and the test cases."""
    from .backtest_render import headline

    if impact is None:
        return [f"No impact was computed for {label} (it was submitted without one)."]
    s = impact.summary
    against = f"v{impact.against_number}" if impact.against_number is not None else None
    lines = [f"Impact of v{impact.number} against the published {against}, computed "
             f"{impact.computed_at:%Y-%m-%d %H:%M} UTC on {s['window']['describe']}:"
             if against else f"Impact of v{impact.number}, computed {impact.computed_at:%Y-%m-%d %H:%M} UTC "
                             "(nothing was published to compare with):"]
    if not impact.current:
        lines.append("  WARNING: computed for other sources than the version holds now.")
    report = s.get("backtest")
    if report is not None:
        lines += [f"  {line}" for line in headline(report)]
        for cell in report["flips_by_rule"][:5]:
            lines.append(f"  {flip_name(cell)} by {cell['rule']}: {cell['count']:,} "
                         f"(e.g. {', '.join(cell['samples'][:2])})")
        for hit in report["rule_hits"][:5]:
            lines.append(f"  rule {hit['rule']}: hits {_n(hit['baseline'])} -> {_n(hit['candidate'])}")
    cases = s["cases"]
    if cases["failing"]:
        lines.append(f"  {len(cases['failing'])} of {cases['run']} test case(s) FAIL: "
                     + ", ".join(f["name"] for f in cases["failing"][:10]))
    else:
        lines.append(f"  All {cases['run']} test case(s) pass.")
    if cases["changes"]:
        lines.append(f"  {len(cases['changes'])} test case(s) decided differently from the published version.")
    if s.get("comparison"):
        lines.append(f"  Compared with the published {against} by the solver, per jurisdiction:")
        lines += [f"  {line}" for line in comparison_lines(s["comparison"])]
    return lines


def _n(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def flips_per_country(impact: ImpactInfo | None) -> list[tuple[str, dict[str, int]]]:
    """(country, {"DENY→ALLOW": n, ...}) with the most flips first: the review page's chart data."""
    report = impact.summary.get("backtest") if impact is not None else None
    if not report:
        return []
    per: dict[str, dict[str, int]] = {}
    for cell in report["flips_by_country"]:
        per.setdefault(cell["country"], {})[flip_name(cell)] = cell["count"]
    return sorted(per.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))


def flip_chart_svg(impact: ImpactInfo | None) -> str:
    """The flips-per-country bar chart as SVG text (empty when there is no backtest to show)."""
    report = impact.summary.get("backtest") if impact is not None else None
    return flips_by_country_chart(report) if report else ""

