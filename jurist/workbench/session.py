"""One person's workbench on one store: the object the GUI holds (and a script could).

Each method is one use case, or one read the windows need, delegating to the
module that owns it (`drafts`, `cases`, `review`, `matrix`).  Results are the
store's frozen records and the engine's values; errors are the store's
readable `StoreError`s, the compiler's `CompileError` and the engine's
`CaseError`, each with a message a person can act on.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

from jurist.db.records import (
    AuditEventInfo,
    AuditReport,
    ImpactInfo,
    RulesetInfo,
    SimulationRunInfo,
    TestCaseInfo,
    UserInfo,
    VersionInfo,
    VersionSources,
)
from jurist.db.service import Store
from jurist.db.workflow import Verdict
from jurist.engine import Policy
from jurist.engine.cases import CaseError, CaseResult

from . import drafts, impact, review
from .cases import CaseRun, record, run_stored
from .progress import NO_PROGRESS, Progress


class Workbench:
    """The use cases of one user (the store's acting user) against one store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.compilations = drafts.Compilations()

    # -- who and what ------------------------------------------------------------

    def me(self) -> UserInfo | None:
        return self.store.whoami()

    @property
    def actor(self) -> str:
        return self.store.actor

    def rulesets(self) -> tuple[RulesetInfo, ...]:
        return self.store.list_rulesets()

    def versions(self, ruleset: str) -> tuple[VersionInfo, ...]:
        return self.store.list_versions(ruleset)

    # -- drafts ------------------------------------------------------------------

    def open(self, ruleset: str, number: int | None = None) -> VersionSources:
        """A version's sources, the newest one by default (what the editor opens)."""
        return drafts.open_version(self.store, ruleset, number)

    def published(self, ruleset: str) -> VersionSources | None:
        return drafts.published(self.store, ruleset)

    def published_policy(self, ruleset: str) -> Policy | None:
        """The published version as a policy (compiled once for this session), or None if there is none."""
        current = self.published(ruleset)
        return None if current is None else self.compilations.policy(current.sources, current.info.label)

    def save(self, opened: VersionInfo, sources: Mapping[str, str]) -> VersionInfo:
        return drafts.save(self.store, opened, sources)

    # -- review ------------------------------------------------------------------

    def permissions(self, version: VersionInfo | None) -> dict[str, Verdict]:
        return review.permissions(self.store, version)

    def preview_submit(self, ruleset: str, number: int, progress: Progress = NO_PROGRESS) -> review.SubmitPreview:
        return review.preview_submit(self.store, ruleset, number, self.compilations, progress)

    def take_step(self, action: str, ruleset: str, number: int, comment: str = "", *,
                  override_failing_tests: str | None = None) -> VersionInfo:
        """A review step; submitting computes and keeps the version's impact, publishing checks its cases
        (refused while they fail, unless `override_failing_tests` gives the reason, which is audited)."""
        return review.take_step(self.store, action, ruleset, number, comment,
                                override_failing_tests=override_failing_tests, compilations=self.compilations)

    def impact(self, ruleset: str, number: int) -> ImpactInfo | None:
        """The impact kept with a version when it was submitted (what its approvers read), or None."""
        return self.store.impact(ruleset, number)

    def impact_summary(self, ruleset: str, number: int) -> list[str]:
        """The impact as lines of text: the backtest's headline, the flips by rule, the test cases."""
        return impact.summary_lines(self.store.impact(ruleset, number), f"{ruleset}@v{number}")

    def impact_flips_per_country(self, ruleset: str, number: int) -> list[tuple[str, dict[str, int]]]:
        """(country, {"DENY→ALLOW": n, ...}), most flips first: the data of the review page's flip chart."""
        return impact.flips_per_country(self.store.impact(ruleset, number))

    def impact_chart_svg(self, ruleset: str, number: int) -> str:
        """The flips-per-country chart as SVG text, ready for a QSvgWidget ("" when there is no backtest)."""
        return impact.flip_chart_svg(self.store.impact(ruleset, number))

    def diff_sources(self, ruleset: str, old: int, new: int) -> tuple[dict[str, str], dict[str, str]]:
        return dict(self.store.get_sources(ruleset, old).sources), dict(self.store.get_sources(ruleset, new).sources)

    def audit(self, limit: int = 500, subject: str | None = None) -> tuple[AuditEventInfo, ...]:
        return self.store.audit_log(limit, subject)

    def verify_audit(self) -> AuditReport:
        return self.store.verify_audit()

    # -- test cases --------------------------------------------------------------

    def test_cases(self, ruleset: str) -> tuple[TestCaseInfo, ...]:
        return self.store.list_test_cases(ruleset)

    def run_cases(self, ruleset: str, policy: Policy, progress: Progress = NO_PROGRESS,
                  baseline: Policy | None = None) -> CaseRun:
        """The ruleset's stored cases run against `policy` (and compared with `baseline`)."""
        return run_stored(self.store, ruleset, policy, progress, baseline)

    def save_case(self, ruleset: str, name: str, request: Mapping[str, Any], effect: str,
                  rules: Sequence[str]) -> TestCaseInfo:
        """Store a simulated request as a case; image paths become file names with their bytes attached."""
        body = dict(request)
        images: dict[str, bytes] = {}
        stored_as = []
        for path in body.get("images", []) or []:
            p = Path(path)
            data = p.read_bytes()
            file_name = p.name
            while file_name in images and images[file_name] != data:
                file_name = f"{len(images)}-{p.name}"
            images[file_name] = data
            stored_as.append(file_name)
        if stored_as:
            body["images"] = stored_as
        if not (name or "").strip():
            raise CaseError("a test case needs a name")
        case = {"name": name.strip(), "request": body, "expect": {"effect": effect, "rules": list(rules)}}
        return self.store.save_test_case(ruleset, case, images)

    def delete_case(self, ruleset: str, name: str) -> None:
        self.store.delete_test_case(ruleset, name)

    def record_run(self, version: VersionInfo, sources: Mapping[str, str],
                   results: Sequence[CaseResult]) -> SimulationRunInfo:
        """Keep a run of `sources` against `version`, only if they are exactly what the store holds for it."""
        return record(self.store, version, dict(sources), results)

    def simulation_runs(self, ruleset: str, limit: int = 10) -> tuple[SimulationRunInfo, ...]:
        """The ruleset's newest recorded runs, newest first."""
        return self.store.list_simulation_runs(ruleset, limit)
