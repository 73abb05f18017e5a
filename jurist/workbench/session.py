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
    CommentInfo,
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
from jurist.dsl.comparison import JurisdictionComparison
from jurist.engine import Policy
from jurist.engine.cases import CaseError, CaseResult

from . import drafts, impact, review
from .cases import CaseEdit, CaseRun, copy_name, record, run_stored
from .comparison import compare_with_published
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

    def acting_as(self, name: str) -> "Workbench":
        """The same store acting as `name` (an admin login only; every step records the admin behind it)."""
        return Workbench(self.store.acting_as(name))

    # -- users -------------------------------------------------------------------

    def users(self) -> tuple[UserInfo, ...]:
        return self.store.list_users()

    def add_user(self, name: str, role: str) -> UserInfo:
        return self.store.add_user(name, role)

    def set_role(self, name: str, role: str) -> UserInfo:
        return self.store.set_role(name, role)

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

    def comparison(self, ruleset: str, number: int) -> tuple[JurisdictionComparison, ...]:
        """Version `number` compared with the published one by the solver, for its approver."""
        return compare_with_published(self.store, ruleset, number, self.compilations)

    def take_step(self, action: str, ruleset: str, number: int, comment: str = "", *,
                  override_failing_tests: str | None = None) -> VersionInfo:
        """A review step; `comment` is the submitter's note or the approver's remark, kept on the thread.
        Submitting computes and keeps the version's impact; publishing checks its cases (refused while
        they fail, unless `override_failing_tests` gives the reason, which is audited)."""
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

    def waiting_for_me(self) -> tuple[review.Waiting, ...]:
        """Versions the user may approve or publish now, across rulesets."""
        return review.waiting_for(self.store)

    def comments(self, ruleset: str, number: int) -> tuple[CommentInfo, ...]:
        return self.store.comments(ruleset, number)

    def add_comment(self, ruleset: str, number: int, body: str) -> CommentInfo:
        return self.store.add_comment(ruleset, number, body)

    def change_marker(self) -> int:
        """Grows with every change anyone makes to the store: what windows poll to stay current."""
        return self.store.change_marker()

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
                  rules: Sequence[str], not_rules: Sequence[str] = ()) -> TestCaseInfo:
        """Store a simulated request as a case; image paths become file names with their bytes attached."""
        return self.edit_case(ruleset, None, CaseEdit(name, request, effect, tuple(rules), tuple(not_rules)))

    def edit_case(self, ruleset: str, replacing: TestCaseInfo | None, case: CaseEdit) -> TestCaseInfo:
        """Store `case`, new or in place of `replacing` (renamed when its name changed).

        A name another case already has is refused rather than overwritten.
        Each image is a file on disk, or one of `replacing`'s images by the name
        it is stored under.  This saves into the ruleset's working set (audited),
        which the next submission keeps with its version; a rename is a save
        then a delete.
        """
        if not case.name.strip():
            raise CaseError("a test case needs a name")
        name = case.name.strip()
        others = {c.name for c in self.store.list_test_cases(ruleset)} - ({replacing.name} if replacing else set())
        if name in others:
            raise CaseError(f"a test case named `{name}` already exists; choose another name")
        kept = {ref.name: ref.sha256 for ref in replacing.images} if replacing is not None else {}
        images: dict[str, bytes] = {}
        stored_as = []
        for image in case.request.get("images", []) or []:
            if image in kept:
                data, file_name = self.store.image_bytes(kept[image]), image
            else:
                path = Path(image)
                try:
                    data = path.read_bytes()
                except OSError as exc:
                    raise CaseError(f"image `{image}` cannot be read: {exc.strerror or exc}") from None
                file_name = path.name
            while file_name in images and images[file_name] != data:
                file_name = f"{len(images)}-{file_name}"
            images[file_name] = data
            stored_as.append(file_name)
        saved = self.store.save_test_case(ruleset, case.document(stored_as), images)
        if replacing is not None and replacing.name != saved.name:
            self.store.delete_test_case(ruleset, replacing.name)
        return saved

    def duplicate_case(self, ruleset: str, case: TestCaseInfo) -> TestCaseInfo:
        """A copy of `case` under the first free name `… (copy)`, images included."""
        taken = {c.name for c in self.store.list_test_cases(ruleset)}
        images = {ref.name: self.store.image_bytes(ref.sha256) for ref in case.images}
        document = case.to_json()
        document["name"] = copy_name(case.name, taken)
        return self.store.save_test_case(ruleset, document, images)

    def delete_case(self, ruleset: str, name: str) -> None:
        self.store.delete_test_case(ruleset, name)

    def record_run(self, version: VersionInfo, sources: Mapping[str, str],
                   results: Sequence[CaseResult]) -> SimulationRunInfo:
        """Keep a run of `sources` against `version`, only if they are exactly what the store holds for it."""
        return record(self.store, version, dict(sources), results)

    def simulation_runs(self, ruleset: str, limit: int = 10) -> tuple[SimulationRunInfo, ...]:
        """The ruleset's newest recorded runs, newest first."""
        return self.store.list_simulation_runs(ruleset, limit)
